// RAM policy grammar (Version "1"): permission policies, trust (AssumeRolePolicyDocument) policies and STS session policies.
// Everything a decision needs is compiled here once, so evaluation only compares strings.
import { compileConditions, type CompiledCondition } from './conditions.js';
import { compilePattern, literalThen, PatternKind, type Pattern } from './wildcard.js';
import { compilePrincipals, type CompiledPrincipals } from './principals.js';

export type PolicyKind = 'permission' | 'trust' | 'session';

export interface CompiledStatement {
  readonly effect: 'Allow' | 'Deny';
  /** Lower-cased action patterns; actions match case-insensitively. */
  readonly actions: readonly Pattern[];
  readonly notAction: boolean;
  /** Case-sensitive ARN patterns; empty for trust statements. */
  readonly resources: readonly Pattern[];
  readonly notResource: boolean;
  readonly conditions: readonly CompiledCondition[];
  /** Trust statements only. */
  readonly principals: CompiledPrincipals | undefined;
}

/**
 * Statements of one effect, grouped by the service of their actions (`ecs` for `ecs:Describe*`): a request for
 * `ecs:StartInstance` only visits the `ecs` statements and those whose service is itself a wildcard (`*`, `*:List*`,
 * NotAction). Each list keeps the document's order.
 */
export interface StatementIndex {
  readonly byService: ReadonlyMap<string, readonly CompiledStatement[]>;
  readonly anyService: readonly CompiledStatement[];
}

export interface CompiledPolicy {
  readonly kind: PolicyKind;
  readonly statements: readonly CompiledStatement[];
  /** The same statements split by effect: Deny statements are all checked, Allow ones only until the first match. */
  readonly denies: readonly CompiledStatement[];
  readonly allows: readonly CompiledStatement[];
  readonly denyIndex: StatementIndex;
  readonly allowIndex: StatementIndex;
}

export type ParseResult = { ok: true; policy: CompiledPolicy } | { ok: false; code: string; message: string };

export interface ParseOptions {
  kind?: PolicyKind;
  maxLength?: number;
}

const DEFAULT_MAX_LENGTH: Record<PolicyKind, number> = { permission: 6144, trust: 2048, session: 2048 };
const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition', 'Principal']);
const TRUST_ACTIONS = new Set(['sts:assumerole', 'sts:assumerolewithsaml', 'sts:assumerolewithoidc']);
const ACTION = /^(\*|[A-Za-z0-9*?_-]+:[A-Za-z0-9*?_.-]+)$/;
const RESOURCE = /^(\*|acs:[^:]*:[^:]*:[^:]*:.+)$/;

class Malformed extends Error {}

function fail(message: string): never {
  throw new Malformed(message);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringList(value: unknown, what: string): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) fail(`${what} must not be empty.`);
  for (const item of list) if (typeof item !== 'string' || item.length === 0) fail(`${what} must be a non-empty string or an array of them.`);
  return list as string[];
}

function compileActions(value: unknown, what: string): Pattern[] {
  return stringList(value, what).map((action) => {
    if (!ACTION.test(action)) fail(`${what} ${action} is not of the form service:ActionName.`);
    return compilePattern(action.toLowerCase());
  });
}

/**
 * RAM resources are written both with an empty region (`acs:ram::123:role/x`, as in a role's Arn) and with `*`
 * (`acs:ram:*:123:role/x`, as in RAM's authorization reference). An empty region in a policy therefore also matches
 * a resource whose region is the literal `*`.
 */
function compileResources(value: unknown, what: string): Pattern[] {
  const patterns: Pattern[] = [];
  for (const resource of stringList(value, what)) {
    if (!RESOURCE.test(resource)) fail(`${what} ${resource} is not * or an ARN of the form acs:service:region:account:resource.`);
    patterns.push(compilePattern(resource));
    const emptyRegion = /^acs:([^:]*)::/.exec(resource);
    if (emptyRegion) patterns.push(compileStarRegion(resource, emptyRegion[1]!.length));
  }
  return patterns;
}

/** A pattern for `acs:svc:*:rest` where that `*` is literal, not a wildcard. */
function compileStarRegion(resource: string, serviceLength: number): Pattern {
  return literalThen(`acs:${resource.slice(4, 4 + serviceLength)}:*:`, compilePattern(resource.slice(4 + serviceLength + 2)));
}

function compileStatement(raw: unknown, index: number, kind: PolicyKind): CompiledStatement {
  const at = `Statement[${index}]`;
  if (!isPlainObject(raw)) fail(`${at} must be an object.`);
  for (const key of Object.keys(raw)) if (!STATEMENT_KEYS.has(key)) fail(`${at} has an unknown element ${key}.`);
  if (raw.Sid !== undefined && typeof raw.Sid !== 'string') fail(`${at}.Sid must be a string.`);
  if (raw.Effect === undefined) fail(`${at} is missing Effect.`);
  if (raw.Effect !== 'Allow' && raw.Effect !== 'Deny') fail(`${at}.Effect must be Allow or Deny.`);

  if (raw.Action !== undefined && raw.NotAction !== undefined) fail(`${at} cannot have both Action and NotAction.`);
  if (raw.Action === undefined && raw.NotAction === undefined) fail(`${at} is missing Action.`);
  const notAction = raw.Action === undefined;
  const actions = compileActions(notAction ? raw.NotAction : raw.Action, notAction ? `${at}.NotAction` : `${at}.Action`);

  let resources: Pattern[] = [];
  let notResource = false;
  let principals: CompiledPrincipals | undefined;
  if (kind === 'trust') {
    if (raw.Resource !== undefined || raw.NotResource !== undefined) fail(`${at} of a trust policy must not have Resource.`);
    if (notAction) fail(`${at} of a trust policy must use Action, not NotAction.`);
    for (const action of stringList(raw.Action, `${at}.Action`)) {
      if (!TRUST_ACTIONS.has(action.toLowerCase())) fail(`${at}.Action ${action} is not sts:AssumeRole or sts:AssumeRoleWithSAML.`);
    }
    if (raw.Principal === undefined) fail(`${at} of a trust policy is missing Principal.`);
    const compiled = compilePrincipals(raw.Principal);
    if (typeof compiled === 'string') fail(`${at}.Principal: ${compiled}`);
    principals = compiled;
  } else {
    if (raw.Principal !== undefined) fail(`${at} of a permission policy must not have Principal.`);
    if (raw.Resource !== undefined && raw.NotResource !== undefined) fail(`${at} cannot have both Resource and NotResource.`);
    if (raw.Resource === undefined && raw.NotResource === undefined) fail(`${at} is missing Resource.`);
    notResource = raw.Resource === undefined;
    resources = compileResources(notResource ? raw.NotResource : raw.Resource, notResource ? `${at}.NotResource` : `${at}.Resource`);
  }

  let conditions: CompiledCondition[] = [];
  if (raw.Condition !== undefined) {
    const compiled = compileConditions(raw.Condition);
    if (!compiled.ok) fail(`${at}.${compiled.message}`);
    conditions = compiled.conditions;
  }
  return { effect: raw.Effect, actions, notAction, resources, notResource, conditions, principals };
}

/** Lower-cased services named by a statement's actions, or undefined when it may apply to any service. */
function servicesOf(statement: CompiledStatement): Set<string> | undefined {
  if (statement.notAction) return undefined;
  const services = new Set<string>();
  for (const pattern of statement.actions) {
    if (pattern.kind !== PatternKind.Exact && pattern.kind !== PatternKind.Prefix) return undefined;
    const colon = pattern.text.indexOf(':');
    if (colon === -1) return undefined;
    services.add(pattern.text.slice(0, colon));
  }
  return services;
}

function indexStatements(statements: readonly CompiledStatement[]): StatementIndex {
  const named = statements.map(servicesOf);
  const all = new Set<string>();
  for (const services of named) if (services) for (const service of services) all.add(service);
  const byService = new Map<string, CompiledStatement[]>();
  for (const service of all) byService.set(service, statements.filter((_, i) => !named[i] || named[i]!.has(service)));
  return { byService, anyService: statements.filter((_, i) => !named[i]) };
}

export function parsePolicyDocument(text: string, options: ParseOptions = {}): ParseResult {
  const kind = options.kind ?? 'permission';
  const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH[kind];
  if (text.length > maxLength) {
    const code = kind === 'trust' ? 'InvalidParameter.AssumeRolePolicyDocument.Length' : 'InvalidParameter.PolicyDocument.Length';
    return { ok: false, code, message: `The policy document is ${text.length} characters long; at most ${maxLength} are allowed.` };
  }
  try {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (err) {
      fail(`The policy document is not valid JSON: ${(err as Error).message}`);
    }
    if (!isPlainObject(doc)) fail('The policy document must be a JSON object.');
    for (const key of Object.keys(doc)) if (key !== 'Version' && key !== 'Statement') fail(`The policy document has an unknown element ${key}.`);
    if (doc.Version === undefined) fail('The policy document is missing Version.');
    if (doc.Version !== '1') fail('Version must be "1".');
    if (doc.Statement === undefined) fail('The policy document is missing Statement.');
    if (!Array.isArray(doc.Statement)) fail('Statement must be an array.');
    if (doc.Statement.length === 0) fail('Statement must contain at least one statement.');
    const statements = doc.Statement.map((raw, i) => compileStatement(raw, i, kind));
    const denies = statements.filter((s) => s.effect === 'Deny');
    const allows = statements.filter((s) => s.effect === 'Allow');
    return {
      ok: true,
      policy: { kind, statements, denies, allows, denyIndex: indexStatements(denies), allowIndex: indexStatements(allows) },
    };
  } catch (err) {
    if (err instanceof Malformed) return { ok: false, code: 'MalformedPolicyDocument', message: err.message };
    throw err;
  }
}
