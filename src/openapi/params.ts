import { invalidParameter, missingParameter } from '../errors.js';
import type { EntityKind } from '../ram/entity-kind.js';

/** Raw parameters as received: strings from a query or form, or JSON values. */
export type RawParams = Record<string, unknown>;

export interface ParamSpec<T> {
  readonly required: boolean;
  readonly kind: string;
  /** Limits, for documentation and for tests that enumerate every declaration. */
  readonly limits: Record<string, unknown>;
  parse(raw: unknown, name: string): T;
  /** Set on a parameter that names an existing entity (or a list of them): see `naming`. */
  readonly names?: EntityNaming;
}


/** What a parameter names: one kind, or the kind another parameter gives (`ResourceType` of the tag actions). */
export type EntityNaming = { kind: EntityKind } | { kindFrom: string; kinds: readonly EntityKind[] };

/**
 * Marks a parameter as naming an entity. The gateway then hands the authorizer and the handler the entity's stored
 * spelling, so a Deny written on the stored name holds however a request spells it (issue 12, finding 2).
 */
export function naming<T>(spec: ParamSpec<T>, names: EntityKind | EntityNaming): ParamSpec<T> {
  return { ...spec, names: typeof names === 'string' ? { kind: names } : names };
}

type Opt<T, R extends boolean | undefined> = R extends true ? T : T | undefined;

interface StrOptions<R extends boolean | undefined> {
  required?: R;
  min?: number;
  max?: number;
  pattern?: RegExp;
  enum?: readonly string[];
  /** Code for a length violation, e.g. InvalidParameter.UserName.Length. */
  lengthCode?: string;
  /** Code for a pattern violation, e.g. InvalidParameter.UserName.InvalidChars. */
  charsCode?: string;
  /** Code for anything else wrong with the value. */
  code?: string;
  default?: string;
  /** An explicit empty value is kept as '' (it clears a setting) instead of reading as "not given". */
  keepEmpty?: boolean;
}

function text(raw: unknown): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
  return JSON.stringify(raw);
}

export function str<R extends boolean | undefined = undefined>(options: StrOptions<R> = {}): ParamSpec<Opt<string, R>> {
  return {
    required: options.required === true,
    kind: 'string',
    limits: { min: options.min, max: options.max, pattern: options.pattern?.source, enum: options.enum },
    parse(raw, name) {
      const value = text(raw);
      if (value === '' && options.keepEmpty) return value;
      if (value === undefined || value === '') {
        if (options.required) throw missingParameter(name);
        return options.default as Opt<string, R>;
      }
      const length = [...value].length;
      if ((options.min !== undefined && length < options.min) || (options.max !== undefined && length > options.max)) {
        throw invalidParameter(name, `length must be ${options.min ?? 0} to ${options.max ?? '∞'} characters`, options.lengthCode ?? options.code);
      }
      if (options.pattern && !options.pattern.test(value)) {
        throw invalidParameter(name, 'it contains characters that are not allowed', options.charsCode ?? options.code);
      }
      if (options.enum && !options.enum.includes(value)) {
        throw invalidParameter(name, `it must be one of ${options.enum.join(', ')}`, options.code);
      }
      return value;
    },
  };
}

interface IntOptions<R extends boolean | undefined> {
  required?: R;
  min?: number;
  max?: number;
  default?: number;
  code?: string;
}

export function int<R extends boolean | undefined = undefined>(options: IntOptions<R> = {}): ParamSpec<Opt<number, R>> {
  return {
    required: options.required === true,
    kind: 'integer',
    limits: { min: options.min, max: options.max, default: options.default },
    parse(raw, name) {
      const value = text(raw);
      if (value === undefined || value === '') {
        if (options.required) throw missingParameter(name);
        return options.default as Opt<number, R>;
      }
      if (!/^-?\d+$/.test(value)) throw invalidParameter(name, 'it must be an integer', options.code);
      const n = Number(value);
      if ((options.min !== undefined && n < options.min) || (options.max !== undefined && n > options.max)) {
        throw invalidParameter(name, `it must be between ${options.min ?? '-∞'} and ${options.max ?? '∞'}`, options.code);
      }
      return n;
    },
  };
}

interface BoolOptions<R extends boolean | undefined> {
  required?: R;
  default?: boolean;
  code?: string;
}

export function bool<R extends boolean | undefined = undefined>(options: BoolOptions<R> = {}): ParamSpec<Opt<boolean, R>> {
  return {
    required: options.required === true,
    kind: 'boolean',
    limits: { default: options.default },
    parse(raw, name) {
      const value = text(raw);
      if (value === undefined || value === '') {
        if (options.required) throw missingParameter(name);
        return options.default as Opt<boolean, R>;
      }
      const lower = value.toLowerCase();
      if (lower === 'true') return true;
      if (lower === 'false') return false;
      throw invalidParameter(name, 'it must be true or false', options.code);
    },
  };
}

/**
 * A list: repeated flat parameters (`Tag.1.Key` / `Tag.1.Value`, folded by the gateway, see foldFlatLists), a JSON
 * array in one parameter (`Tag=[{"Key":"a","Value":"b"}]`, as the SDKs send "shrunk" lists), or an array in a JSON body.
 */
export function list<T>(
  item: (entry: Record<string, unknown>, name: string) => T,
  options: { max?: number; required?: boolean; code?: string; example?: string } = {},
): ParamSpec<T[]> {
  return {
    required: options.required === true,
    kind: 'list',
    // `example`: a valid value as the SDKs send it (a JSON array), for documentation and tests.
    limits: { max: options.max, example: options.example },
    parse(raw, name) {
      let entries: unknown[] = [];
      if (Array.isArray(raw)) entries = raw;
      else if (typeof raw === 'string' && raw.trim() !== '') {
        let parsed: unknown;
        try {
          parsed = JSON.parse(raw);
        } catch {
          parsed = undefined;
        }
        if (!Array.isArray(parsed)) throw invalidParameter(name, 'it must be a JSON array', options.code);
        entries = parsed;
      } else if (raw !== undefined && raw !== null && raw !== '') {
        throw invalidParameter(name, 'it must be a list', options.code);
      }
      if (entries.length === 0 && options.required) throw missingParameter(name);
      if (options.max !== undefined && entries.length > options.max) {
        throw invalidParameter(name, `at most ${options.max} entries are allowed`, options.code);
      }
      return entries.map((entry, i) => item(typeof entry === 'object' && entry ? (entry as Record<string, unknown>) : { '': entry }, `${name}.${i + 1}`));
    },
  };
}

export type ParamsOf<S extends Record<string, ParamSpec<unknown>>> = { [K in keyof S]: S[K] extends ParamSpec<infer T> ? T : never };

export function parseParams<S extends Record<string, ParamSpec<unknown>>>(specs: S, raw: RawParams): ParamsOf<S> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) out[name] = spec.parse(raw[name], name);
  return out as ParamsOf<S>;
}

/**
 * Folds flat RPC keys (`Tag.1.Key=a&Tag.1.Value=b`, `Ids.1=x`) into arrays under their base name,
 * leaving plain keys as they are. JSON bodies may already carry arrays.
 */
export function foldFlatLists(flat: Record<string, unknown>): RawParams {
  const out: RawParams = {};
  for (const [key, value] of Object.entries(flat)) {
    const match = /^([A-Za-z0-9]+)\.(\d+)(?:\.(.+))?$/.exec(key);
    if (!match) {
      if (Array.isArray(out[key])) throw invalidParameter(key, 'it is given both as a list and as one value');
      out[key] = value;
      continue;
    }
    const [, base, index, field] = match as unknown as [string, string, string, string | undefined];
    if (out[base] !== undefined && !Array.isArray(out[base])) throw invalidParameter(base, 'it is given both as a list and as one value');
    const arr = (Array.isArray(out[base]) ? out[base] : (out[base] = [])) as unknown[];
    const i = Number(index) - 1;
    if (i < 0 || i > 1000) continue;
    if (field === undefined) arr[i] = value;
    else arr[i] = { ...((arr[i] as Record<string, unknown>) ?? {}), [field]: value };
  }
  for (const value of Object.values(out)) {
    if (Array.isArray(value)) for (let i = 0; i < value.length; i++) if (value[i] === undefined) value.splice(i--, 1);
  }
  return out;
}
