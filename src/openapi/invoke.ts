import { ApiError } from '../errors.js';
import { authorize, type AuthorizationResult } from '../ram/authorization.js';
import { principalType, type Principal } from '../ram/principal.js';
import type { ActionContext, ActionDefinition } from './define-action.js';
import { parseParams } from './params.js';
import { withStoredNames } from './stored-names.js';

// One call of a declared action, the same for every client: the OpenAPI gateway (after it has authenticated the
// signed call) and the consoles (after they have found the signed-in administrator). Validate the parameters →
// resolve stored names → authorize → handle, writes in one transaction. A console can never allow or accept what
// the API would refuse, because there is no second copy of these steps to drift.

/** Actions that only read, by Alibaba's naming; everything else is a write. */
const READ_ONLY = /^(Get|List|Describe|Query|Check)[A-Z]/;

/** The policy engine refused the call: NoPermission with its AccessDeniedDetail (a console shows it as its 403 page). */
export class ActionDenied extends ApiError {
  constructor(principal: Principal, action: string, resource: string, effect: string, policyType: string) {
    super('NoPermission', 403, `You are not authorized to do this action. Action: ${action}, Resource: ${resource}`, {
      AuthAction: action,
      AuthPrincipalType: principalType(principal),
      AuthPrincipalOwnerId: principal.accountId,
      AuthPrincipalDisplayName: principal.arn,
      PolicyType: policyType,
      NoPermissionType: effect,
    });
  }
}

/** The policy decision on the action for these (stored-name) parameters: its `ramAction` on the ARNs it declares. */
export async function decideAction(action: ActionDefinition, params: Record<string, unknown>, context: ActionContext): Promise<AuthorizationResult> {
  const resources = action.resource ? [await action.resource(params as never, context)].flat() : ['*'];
  return authorize(context.services.store.db, context.caller, { action: action.ramAction!, resources, context: context.requestContext });
}

/** Runs the action with the raw parameters in `context.raw`. Throws ApiError: bad input, NoPermission, conflicts… */
export async function invokeAction(action: ActionDefinition, context: ActionContext): Promise<object> {
  const parsed = parseParams(action.params, context.raw);
  const caller = context.caller as Principal | undefined;
  // Entities are named in any case but authorized by their stored name: resolve first, then authorize what is stored.
  const params = caller ? await withStoredNames(action.params, parsed, context) : parsed;
  if (action.ramAction && caller) {
    const decision = await decideAction(action, params, context);
    if (!decision.allowed) throw new ActionDenied(caller, action.ramAction, decision.resource, decision.effect, decision.policyType);
  }
  // Writes run in one transaction, so a failed call leaves nothing behind; reads need no BEGIN/COMMIT.
  if (READ_ONLY.test(action.name)) return action.handle(params, context);
  return context.services.store.db.transaction().execute(async (tx) => await action.handle(params, { ...context, tx }));
}
