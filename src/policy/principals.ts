// The Principal element of a trust policy: who may assume the role.
// `RAM: "acs:ram::123:root"` (or the bare account id `123`) trusts every RAM identity of account 123 — what each of
// them may actually do is then up to their own permission policies.
import { compilePattern, matchPattern, type Pattern } from './wildcard.js';

export interface RamPrincipal {
  /** Set for `…:root` and bare account ids: matches any identity of the account(s). */
  readonly account: Pattern | undefined;
  /** Set for any other ARN, matched against each ARN the caller is known by. */
  readonly arn: Pattern | undefined;
}

export interface CompiledPrincipals {
  readonly ram: readonly RamPrincipal[];
  /** Lower-cased: service names such as `ecs.aliyuncs.com`. */
  readonly service: readonly Pattern[];
  readonly federated: readonly Pattern[];
}

export interface RequestPrincipal {
  ram?: string[];
  service?: string;
  federated?: string;
}

const ACCOUNT_ID = /^[0-9*?]+$/;
const ROOT_ARN = /^acs:ram:[^:]*:([^:]+):root$/;
const RAM_ARN = /^acs:ram:[^:]*:[^:]+:.+$/;
const SAML_OR_OIDC_ARN = /^acs:ram:[^:]*:[^:]+:(saml-provider|oidc-provider)\/.+$/;

function values(raw: unknown, type: string): string[] | string {
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.length === 0) return `${type} must not be empty.`;
  for (const item of list) if (typeof item !== 'string' || item.length === 0) return `${type} must be a non-empty string or an array of them.`;
  return list as string[];
}

/** A message saying what is wrong, or the compiled principals. */
export function compilePrincipals(raw: unknown): CompiledPrincipals | string {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'must be an object with RAM, Service or Federated.';
  const ram: RamPrincipal[] = [];
  const service: Pattern[] = [];
  const federated: Pattern[] = [];
  const entries = Object.entries(raw);
  if (entries.length === 0) return 'must name at least one of RAM, Service or Federated.';
  for (const [type, value] of entries) {
    const list = values(value, type);
    if (typeof list === 'string') return list;
    if (type === 'RAM') {
      for (const item of list) {
        const root = ROOT_ARN.exec(item);
        if (ACCOUNT_ID.test(item)) ram.push({ account: compilePattern(item), arn: undefined });
        else if (root) ram.push({ account: compilePattern(root[1]!), arn: undefined });
        else if (item === '*' || RAM_ARN.test(item)) ram.push({ account: undefined, arn: compilePattern(item) });
        else return `RAM ${item} is neither an account ID nor a RAM ARN.`;
      }
    } else if (type === 'Service') {
      for (const item of list) service.push(compilePattern(item.toLowerCase()));
    } else if (type === 'Federated') {
      for (const item of list) {
        if (!SAML_OR_OIDC_ARN.test(item)) return `Federated ${item} is not an identity provider ARN.`;
        federated.push(compilePattern(item));
      }
    } else return `unknown principal type ${type}; use RAM, Service or Federated.`;
  }
  return { ram, service, federated };
}

/** The account segment of `acs:ram::<account>:…`, compared in place to avoid slicing. */
function accountMatches(pattern: Pattern, arn: string): boolean {
  if (!arn.startsWith('acs:ram:')) return false;
  const regionEnd = arn.indexOf(':', 8);
  if (regionEnd === -1) return false;
  const accountEnd = arn.indexOf(':', regionEnd + 1);
  if (accountEnd === -1) return false;
  return matchPattern(pattern, arn.slice(regionEnd + 1, accountEnd));
}

export function principalMatches(principals: CompiledPrincipals, request: RequestPrincipal): boolean {
  if (request.ram && request.ram.length > 0) {
    for (const entry of principals.ram) {
      for (const arn of request.ram) {
        if (entry.account ? accountMatches(entry.account, arn) : matchPattern(entry.arn!, arn)) return true;
      }
    }
  }
  if (request.service !== undefined) {
    const name = request.service.toLowerCase();
    for (const pattern of principals.service) if (matchPattern(pattern, name)) return true;
  }
  if (request.federated !== undefined) {
    for (const pattern of principals.federated) if (matchPattern(pattern, request.federated)) return true;
  }
  return false;
}
