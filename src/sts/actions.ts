import { apiTime } from '../clock.js';
import { defineAction, type ActionDefinition } from '../openapi/define-action.js';
import { int, naming, str } from '../openapi/params.js';
import type { Principal } from '../ram/principal.js';
import { assumeRole, MAX_SESSION_POLICY, MIN_DURATION_SECONDS } from './assume-role.js';

/** GetCallerIdentity's view of a principal: UserId for the root and RAM users, RoleId for role sessions. */
function callerIdentity(caller: Principal): Record<string, unknown> {
  switch (caller.kind) {
    case 'root':
      return { IdentityType: 'Account', AccountId: caller.accountId, UserId: caller.accountId, PrincipalId: caller.principalId, Arn: caller.arn };
    case 'user':
      return { IdentityType: 'RAMUser', AccountId: caller.accountId, UserId: caller.userId, PrincipalId: caller.principalId, Arn: caller.arn };
    case 'assumed-role':
      return { IdentityType: 'AssumedRoleUser', AccountId: caller.accountId, RoleId: caller.roleId, PrincipalId: caller.principalId, Arn: caller.arn };
  }
}

export const stsActions: ActionDefinition[] = [
  defineAction({
    product: 'sts',
    name: 'AssumeRole',
    params: {
      RoleArn: naming(str({ required: true, max: 1024, code: 'InvalidParameter.RoleArn' }), 'role-arn'),
      RoleSessionName: str({ required: true, min: 2, max: 64, pattern: /^[A-Za-z0-9.@_-]+$/, code: 'InvalidParameter.RoleSessionName' }),
      DurationSeconds: int({ min: MIN_DURATION_SECONDS, max: 43200, code: 'InvalidParameter.DurationSeconds' }),
      Policy: str({ max: MAX_SESSION_POLICY, code: 'InvalidParameter.PolicySize' }),
      ExternalId: str({ min: 2, max: 1224, pattern: /^[A-Za-z0-9=,.@:/_-]+$/, code: 'InvalidParameter.ExternalId' }),
      SourceIdentity: str({ min: 2, max: 64, pattern: /^[A-Za-z0-9=,.@_-]+$/, code: 'InvalidParameter.SourceIdentity' }),
    },
    // No ramAction: the handler checks the caller's sts:AssumeRole permission and the role's trust policy together.
    async handle(p, c) {
      const assumed = await assumeRole(
        c.tx,
        c.services.secrets,
        c.caller,
        {
          roleArn: p.RoleArn,
          sessionName: p.RoleSessionName,
          durationSeconds: p.DurationSeconds,
          policy: p.Policy,
          externalId: p.ExternalId,
          sourceIdentity: p.SourceIdentity,
        },
        c.requestContext,
        c.clock.now(),
      );
      const { role, credentials } = assumed;
      return {
        Credentials: {
          AccessKeyId: credentials.accessKeyId,
          AccessKeySecret: credentials.accessKeySecret,
          SecurityToken: credentials.securityToken,
          Expiration: apiTime(credentials.expiresAt),
        },
        AssumedRoleUser: {
          AssumedRoleId: `${role.id}:${assumed.sessionName}`,
          Arn: `acs:ram::${role.account_id}:role/${role.name}/${assumed.sessionName}`,
        },
        ...(p.SourceIdentity ? { SourceIdentity: p.SourceIdentity } : {}),
      };
    },
  }),
  defineAction({
    product: 'sts',
    name: 'GetCallerIdentity',
    params: {},
    handle: (_p, c) => callerIdentity(c.caller),
  }),
];
