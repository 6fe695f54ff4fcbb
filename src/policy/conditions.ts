// The Condition block: operators ANDed, keys within an operator ANDed, values within one key ORed.
// Negated operators (StringNotEquals, NotIpAddress…) hold when no request value matches any policy value, so they also
// hold when the key is absent from the request, as in AWS IAM.
import { compilePattern, matchPattern, type Pattern } from './wildcard.js';
import { loadAddress, loadedAddressIn, parseCidr, type Cidr } from './ip.js';

export type RequestContext = Record<string, string | string[] | undefined>;

const enum Family {
  String,
  StringIgnoreCase,
  StringLike,
  Numeric,
  Date,
  Bool,
  Ip,
}

const enum Compare {
  Equals,
  LessThan,
  LessThanEquals,
  GreaterThan,
  GreaterThanEquals,
}

interface OperatorSpec {
  family: Family;
  compare: Compare;
  negated: boolean;
}

const OPERATORS: Record<string, OperatorSpec> = {
  StringEquals: { family: Family.String, compare: Compare.Equals, negated: false },
  StringNotEquals: { family: Family.String, compare: Compare.Equals, negated: true },
  StringEqualsIgnoreCase: { family: Family.StringIgnoreCase, compare: Compare.Equals, negated: false },
  StringNotEqualsIgnoreCase: { family: Family.StringIgnoreCase, compare: Compare.Equals, negated: true },
  StringLike: { family: Family.StringLike, compare: Compare.Equals, negated: false },
  StringNotLike: { family: Family.StringLike, compare: Compare.Equals, negated: true },
  NumericEquals: { family: Family.Numeric, compare: Compare.Equals, negated: false },
  NumericNotEquals: { family: Family.Numeric, compare: Compare.Equals, negated: true },
  NumericLessThan: { family: Family.Numeric, compare: Compare.LessThan, negated: false },
  NumericLessThanEquals: { family: Family.Numeric, compare: Compare.LessThanEquals, negated: false },
  NumericGreaterThan: { family: Family.Numeric, compare: Compare.GreaterThan, negated: false },
  NumericGreaterThanEquals: { family: Family.Numeric, compare: Compare.GreaterThanEquals, negated: false },
  DateEquals: { family: Family.Date, compare: Compare.Equals, negated: false },
  DateNotEquals: { family: Family.Date, compare: Compare.Equals, negated: true },
  DateLessThan: { family: Family.Date, compare: Compare.LessThan, negated: false },
  DateLessThanEquals: { family: Family.Date, compare: Compare.LessThanEquals, negated: false },
  DateGreaterThan: { family: Family.Date, compare: Compare.GreaterThan, negated: false },
  DateGreaterThanEquals: { family: Family.Date, compare: Compare.GreaterThanEquals, negated: false },
  Bool: { family: Family.Bool, compare: Compare.Equals, negated: false },
  IpAddress: { family: Family.Ip, compare: Compare.Equals, negated: false },
  NotIpAddress: { family: Family.Ip, compare: Compare.Equals, negated: true },
};

export interface CompiledCondition {
  readonly operator: string;
  readonly family: Family;
  readonly compare: Compare;
  readonly negated: boolean;
  readonly key: string;
  readonly keyLower: string;
  /** String, StringIgnoreCase (lower-cased) and Bool (lower-cased) values. */
  readonly strings: readonly string[];
  readonly patterns: readonly Pattern[];
  /** Numbers, or epoch milliseconds for dates. */
  readonly numbers: readonly number[];
  readonly cidrs: readonly Cidr[];
}

export type ConditionResult = { ok: true; conditions: CompiledCondition[] } | { ok: false; message: string };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

function parseNumber(text: string): number {
  return NUMBER.test(text) ? Number(text) : NaN;
}

/** ISO 8601 (what `acs:CurrentTime` carries) or epoch seconds. */
function parseDate(text: string): number {
  if (/^\d{1,12}$/.test(text)) return Number(text) * 1000;
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return NaN;
  return Date.parse(text);
}

export function compileConditions(block: unknown): ConditionResult {
  if (!isPlainObject(block)) return { ok: false, message: 'Condition must be an object of operators.' };
  const conditions: CompiledCondition[] = [];
  for (const [operator, keys] of Object.entries(block)) {
    const spec = Object.hasOwn(OPERATORS, operator) ? OPERATORS[operator] : undefined;
    if (!spec) return { ok: false, message: `Condition operator ${operator} is not supported.` };
    if (!isPlainObject(keys) || Object.keys(keys).length === 0) {
      return { ok: false, message: `Condition operator ${operator} must map condition keys to values.` };
    }
    for (const [key, raw] of Object.entries(keys)) {
      if (key.length === 0) return { ok: false, message: `Condition operator ${operator} has an empty key.` };
      const list = Array.isArray(raw) ? raw : [raw];
      if (list.length === 0) return { ok: false, message: `Condition ${operator} on ${key} has no values.` };
      const texts: string[] = [];
      for (const item of list) {
        if (typeof item === 'string') texts.push(item);
        else if ((typeof item === 'number' && Number.isFinite(item)) || typeof item === 'boolean') texts.push(String(item));
        else return { ok: false, message: `Condition ${operator} on ${key} has a value that is not a string, number or boolean.` };
      }
      const compiled = compileValues(spec, texts);
      if (typeof compiled === 'string') return { ok: false, message: `Condition ${operator} on ${key}: ${compiled}` };
      conditions.push({ operator, ...spec, key, keyLower: key.toLowerCase(), ...compiled });
    }
  }
  return { ok: true, conditions };
}

type Values = Pick<CompiledCondition, 'strings' | 'patterns' | 'numbers' | 'cidrs'>;

function compileValues(spec: OperatorSpec, texts: string[]): Values | string {
  const values: Values = { strings: [], patterns: [], numbers: [], cidrs: [] };
  switch (spec.family) {
    case Family.String:
      return { ...values, strings: texts };
    case Family.StringIgnoreCase:
      return { ...values, strings: texts.map((t) => t.toLowerCase()) };
    case Family.StringLike:
      return { ...values, patterns: texts.map(compilePattern) };
    case Family.Bool: {
      const strings = texts.map((t) => t.toLowerCase());
      const bad = strings.find((s) => s !== 'true' && s !== 'false');
      return bad === undefined ? { ...values, strings } : `${bad} is not true or false.`;
    }
    case Family.Numeric: {
      const numbers = texts.map(parseNumber);
      const bad = numbers.findIndex(Number.isNaN);
      return bad === -1 ? { ...values, numbers } : `${texts[bad]} is not a number.`;
    }
    case Family.Date: {
      const numbers = texts.map(parseDate);
      const bad = numbers.findIndex(Number.isNaN);
      return bad === -1 ? { ...values, numbers } : `${texts[bad]} is not an ISO 8601 date.`;
    }
    case Family.Ip: {
      const cidrs: Cidr[] = [];
      for (const t of texts) {
        const cidr = parseCidr(t);
        if (!cidr) return `${t} is not an IP address or CIDR block.`;
        cidrs.push(cidr);
      }
      return { ...values, cidrs };
    }
  }
}

function sameKeyIgnoringCase(a: string, lowerB: string): boolean {
  if (a.length !== lowerB.length) return false;
  for (let i = 0; i < a.length; i++) {
    let c = a.charCodeAt(i);
    if (c >= 65 && c <= 90) c += 32;
    if (c !== lowerB.charCodeAt(i)) return false;
  }
  return true;
}

/** Condition keys are case-insensitive: `acs:sourceip` finds `acs:SourceIp`. */
function lookup(context: RequestContext, condition: CompiledCondition): string | string[] | undefined {
  const direct = context[condition.key];
  if (typeof direct === 'string' || Array.isArray(direct)) return direct;
  for (const name in context) {
    if (sameKeyIgnoringCase(name, condition.keyLower)) {
      const value = context[name];
      if (typeof value === 'string' || Array.isArray(value)) return value;
    }
  }
  return undefined;
}

function compareNumbers(compare: Compare, actual: number, expected: number): boolean {
  switch (compare) {
    case Compare.Equals:
      return actual === expected;
    case Compare.LessThan:
      return actual < expected;
    case Compare.LessThanEquals:
      return actual <= expected;
    case Compare.GreaterThan:
      return actual > expected;
    case Compare.GreaterThanEquals:
      return actual >= expected;
  }
}

/** Whether one request value matches at least one of the condition's values. */
function matchesAny(condition: CompiledCondition, actual: string): boolean {
  switch (condition.family) {
    case Family.String:
      return condition.strings.includes(actual);
    case Family.StringIgnoreCase:
    case Family.Bool:
      return condition.strings.includes(actual.toLowerCase());
    case Family.StringLike: {
      for (const pattern of condition.patterns) if (matchPattern(pattern, actual)) return true;
      return false;
    }
    case Family.Numeric:
    case Family.Date: {
      const value = condition.family === Family.Numeric ? parseNumber(actual) : parseDate(actual);
      if (Number.isNaN(value)) return false;
      for (const expected of condition.numbers) if (compareNumbers(condition.compare, value, expected)) return true;
      return false;
    }
    case Family.Ip: {
      if (!loadAddress(actual)) return false;
      for (const cidr of condition.cidrs) if (loadedAddressIn(cidr)) return true;
      return false;
    }
  }
}

function holds(condition: CompiledCondition, context: RequestContext): boolean {
  const actual = lookup(context, condition);
  let matched = false;
  if (typeof actual === 'string') matched = matchesAny(condition, actual);
  else if (actual !== undefined) {
    for (const item of actual) {
      if (matchesAny(condition, item)) {
        matched = true;
        break;
      }
    }
  }
  return condition.negated ? !matched : matched;
}

export function conditionsHold(conditions: readonly CompiledCondition[], context: RequestContext): boolean {
  for (const condition of conditions) if (!holds(condition, context)) return false;
  return true;
}
