// One decision: an explicit Deny anywhere wins, otherwise any Allow, otherwise an implicit deny.
// The hot path allocates nothing beyond lower-casing the action and cutting out its service, once per decision.
import { conditionsHold, type RequestContext } from './conditions.js';
import type { CompiledPolicy, CompiledStatement, StatementIndex } from './document.js';
import { principalMatches, type RequestPrincipal } from './principals.js';
import { matchPattern, type Pattern } from './wildcard.js';

export type { RequestContext } from './conditions.js';
export type { RequestPrincipal } from './principals.js';

export interface Decision {
  effect: 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';
}

const ALLOW: Decision = Object.freeze({ effect: 'Allow' });
const EXPLICIT_DENY: Decision = Object.freeze({ effect: 'ExplicitDeny' });
const IMPLICIT_DENY: Decision = Object.freeze({ effect: 'ImplicitDeny' });

export interface PermissionRequest {
  action: string;
  resource: string;
  context: RequestContext;
}

export interface TrustRequest {
  action: string;
  principal: RequestPrincipal;
  context: RequestContext;
}

function anyMatches(patterns: readonly Pattern[], value: string): boolean {
  for (let i = 0; i < patterns.length; i++) if (matchPattern(patterns[i]!, value)) return true;
  return false;
}

function statementApplies(statement: CompiledStatement, action: string, resource: string, context: RequestContext): boolean {
  if (anyMatches(statement.actions, action) === statement.notAction) return false;
  if (statement.resources.length === 0) return false;
  if (anyMatches(statement.resources, resource) === statement.notResource) return false;
  return statement.conditions.length === 0 || conditionsHold(statement.conditions, context);
}

function candidates(index: StatementIndex, service: string): readonly CompiledStatement[] {
  return index.byService.get(service) ?? index.anyService;
}

export function evaluatePolicies(policies: readonly CompiledPolicy[], request: PermissionRequest): Decision {
  const action = request.action.toLowerCase();
  const colon = action.indexOf(':');
  const service = colon === -1 ? action : action.slice(0, colon);
  const { resource, context } = request;
  for (let p = 0; p < policies.length; p++) {
    const denies = candidates(policies[p]!.denyIndex, service);
    for (let s = 0; s < denies.length; s++) if (statementApplies(denies[s]!, action, resource, context)) return EXPLICIT_DENY;
  }
  for (let p = 0; p < policies.length; p++) {
    const allows = candidates(policies[p]!.allowIndex, service);
    for (let s = 0; s < allows.length; s++) if (statementApplies(allows[s]!, action, resource, context)) return ALLOW;
  }
  return IMPLICIT_DENY;
}

const ASSUME_ROLE = 'sts:assumerole';

function trustStatementApplies(statement: CompiledStatement, action: string, request: TrustRequest): boolean {
  if (!statement.principals) return false;
  // Alibaba's own SAML and OIDC role templates grant plain `sts:AssumeRole` to the Federated principal, so the
  // federated calls are also admitted by it; the Principal type keeps RAM callers and federated ones apart.
  const federatedCall = action !== ASSUME_ROLE && action.startsWith(ASSUME_ROLE);
  if (!anyMatches(statement.actions, action) && !(federatedCall && anyMatches(statement.actions, ASSUME_ROLE))) return false;
  if (!principalMatches(statement.principals, request.principal)) return false;
  return statement.conditions.length === 0 || conditionsHold(statement.conditions, request.context);
}

/** Whether a role's trust policy lets this principal assume it (the caller's own permission to call AssumeRole is checked apart). */
export function evaluateTrustPolicy(policy: CompiledPolicy, request: TrustRequest): Decision {
  const action = request.action.toLowerCase();
  for (const statement of policy.denies) if (trustStatementApplies(statement, action, request)) return EXPLICIT_DENY;
  for (const statement of policy.allows) if (trustStatementApplies(statement, action, request)) return ALLOW;
  return IMPLICIT_DENY;
}
