import type { SecretBox } from '../crypto/secrets.js';
import { ApiError } from '../errors.js';
import { parsePolicyDocument } from '../policy/document.js';
import { evaluateTrustPolicy, type RequestContext } from '../policy/evaluate.js';
import { authorize } from '../ram/authorization.js';
import { principalType, roleArn, rootArn, type Principal } from '../ram/principal.js';
import { findRoleByName, type RamRole } from '../ram/roles.js';
import type { Tx } from '../store/db.js';
import { issueRoleSession, type RoleSessionCredentials } from './role-sessions.js';

export const DEFAULT_DURATION_SECONDS = 3600;
export const MIN_DURATION_SECONDS = 900;
export const MAX_SESSION_POLICY = 2048;

const ROLE_ARN = /^acs:ram:[^:]*:(\d+):role\/([A-Za-z0-9.-]{1,64})$/;

export function parseRoleArn(arn: string): { accountId: string; roleName: string } | undefined {
  const match = ROLE_ARN.exec(arn);
  return match ? { accountId: match[1] as string, roleName: match[2] as string } : undefined;
}

export interface AssumeRoleInput {
  roleArn: string;
  sessionName: string;
  durationSeconds?: number;
  policy?: string;
  externalId?: string;
  sourceIdentity?: string;
}

export interface AssumedRole {
  role: RamRole;
  sessionName: string;
  credentials: RoleSessionCredentials;
}

function noPermission(caller: Principal, resource: string, effect: string, policyType: string, why: string): ApiError {
  return new ApiError('NoPermission', 403, `You are not authorized to do this action. Action: sts:AssumeRole, Resource: ${resource}. ${why}`, {
    AuthAction: 'sts:AssumeRole',
    AuthPrincipalType: principalType(caller),
    AuthPrincipalOwnerId: caller.accountId,
    AuthPrincipalDisplayName: caller.arn,
    PolicyType: policyType,
    NoPermissionType: effect,
  });
}

/** Every ARN a trust policy may name the caller by. */
function callerArns(caller: Principal): string[] {
  const arns = [caller.arn, rootArn(caller.accountId)];
  if (caller.kind === 'assumed-role') arns.push(caller.roleArn);
  return arns;
}

function checkSessionPolicy(policy: string): void {
  const parsed = parsePolicyDocument(policy, { kind: 'session', maxLength: MAX_SESSION_POLICY });
  if (parsed.ok) return;
  if (parsed.code.endsWith('.Length')) throw new ApiError('InvalidParameter.PolicySize', 400, `The size of Policy must be at most ${MAX_SESSION_POLICY} characters.`);
  throw new ApiError('InvalidParameter.PolicyGrammar', 400, `The parameter Policy has not passed grammar check: ${parsed.message}`);
}

/**
 * STS AssumeRole: the caller needs `sts:AssumeRole` on the role by their own policies (the root identity always has it,
 * also for another account's role), and the role's trust policy must name the caller. Checks run in that order so an
 * untrusted caller learns nothing about the role's settings.
 */
export async function assumeRole(
  tx: Tx,
  secrets: SecretBox,
  caller: Principal,
  input: AssumeRoleInput,
  context: RequestContext,
  now: Date,
): Promise<AssumedRole> {
  const target = parseRoleArn(input.roleArn);
  if (!target) throw new ApiError('InvalidParameter.RoleArn', 400, 'The parameter RoleArn is wrongly formed: expected acs:ram::<accountId>:role/<roleName>.');
  if (input.policy !== undefined) checkSessionPolicy(input.policy);
  const resource = roleArn(target.accountId, target.roleName);

  if (caller.kind !== 'root') {
    const decision = await authorize(tx, caller, { action: 'sts:AssumeRole', resources: [resource], context });
    if (!decision.allowed) throw noPermission(caller, resource, decision.effect, decision.policyType, 'You should be authorized by RAM.');
  }

  const role = await findRoleByName(tx, target.accountId, target.roleName);
  if (!role) throw new ApiError('EntityNotExist.Role', 404, `The specified Role not exists: ${resource}`);

  const trust = parsePolicyDocument(role.assume_role_policy_document, { kind: 'trust' });
  const trustContext: RequestContext = input.externalId === undefined ? context : { ...context, 'sts:ExternalId': input.externalId };
  const trusted = trust.ok && evaluateTrustPolicy(trust.policy, { action: 'sts:AssumeRole', principal: { ram: callerArns(caller) }, context: trustContext });
  if (!trusted || trusted.effect !== 'Allow') {
    throw noPermission(caller, resource, trusted ? trusted.effect : 'ImplicitDeny', 'AssumeRolePolicy', `The trust policy of the role does not let ${caller.arn} assume it.`);
  }

  const durationSeconds = input.durationSeconds ?? DEFAULT_DURATION_SECONDS;
  if (durationSeconds < MIN_DURATION_SECONDS || durationSeconds > role.max_session_duration) {
    throw new ApiError(
      'InvalidParameter.DurationSeconds',
      400,
      `The Min/Max value of DurationSeconds is ${MIN_DURATION_SECONDS}/${role.max_session_duration} seconds (the role's MaxSessionDuration).`,
    );
  }

  const credentials = await issueRoleSession(tx, secrets, {
    role,
    sessionName: input.sessionName,
    durationSeconds,
    sessionPolicy: input.policy,
    sourceIdentity: input.sourceIdentity,
    callerArn: caller.arn,
    now,
  });
  return { role, sessionName: input.sessionName, credentials };
}
