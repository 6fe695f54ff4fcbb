/** Who is calling: the account's root identity, a RAM user, or a session of an assumed role. */
export type Principal =
  | { kind: 'root'; accountId: string; arn: string; principalId: string }
  | { kind: 'user'; accountId: string; arn: string; principalId: string; userId: string; userName: string }
  | {
      kind: 'assumed-role';
      accountId: string;
      arn: string;
      principalId: string;
      roleId: string;
      roleName: string;
      roleArn: string;
      sessionName: string;
      sessionPolicy: string | null;
      sourceIdentity: string | null;
      expiresAt: string;
    };

export const rootArn = (accountId: string): string => `acs:ram::${accountId}:root`;
export const userArn = (accountId: string, userName: string): string => `acs:ram::${accountId}:user/${userName}`;
export const roleArn = (accountId: string, roleName: string): string => `acs:ram::${accountId}:role/${roleName}`;
export const assumedRoleArn = (accountId: string, roleName: string, sessionName: string): string =>
  `acs:ram::${accountId}:assumed-role/${roleName}/${sessionName}`;

export function rootPrincipal(accountId: string): Principal {
  return { kind: 'root', accountId, arn: rootArn(accountId), principalId: accountId };
}

/** The `acs:PrincipalType` condition value. */
export function principalType(p: Principal): string {
  return p.kind === 'root' ? 'Account' : p.kind === 'user' ? 'User' : 'AssumedRoleUser';
}
