import type { SecretBox } from '../crypto/secrets.js';
import { findCredential } from '../ram/credentials.js';
import { rootPrincipal, userArn, type Principal } from '../ram/principal.js';
import type { Tx } from '../store/db.js';
import type { ConsoleSession } from './sessions.js';

/**
 * The identity a console session acts as, for the policy engine: the root identity, a RAM user, or the role session
 * (with its STS session's permissions) entered from the CloudSSO portal. Null when what it points at is gone or expired.
 */
export async function sessionPrincipal(tx: Tx, secrets: SecretBox, session: ConsoleSession, now: Date): Promise<Principal | null> {
  if (session.principal_type === 'root') return rootPrincipal(session.account_id);
  if (session.principal_type === 'user' && session.user_id) {
    const user = await tx
      .selectFrom('ram_users')
      .select(['id', 'name', 'account_id'])
      .where('id', '=', session.user_id)
      .where('account_id', '=', session.account_id)
      .executeTakeFirst();
    if (!user) return null;
    return { kind: 'user', accountId: user.account_id, arn: userArn(user.account_id, user.name), principalId: user.id, userId: user.id, userName: user.name };
  }
  if (session.principal_type === 'role' && session.sts_access_key_id) {
    const credential = await findCredential(tx, secrets, session.sts_access_key_id);
    if (!credential || credential.type !== 'sts' || Date.parse(credential.expiresAt) <= now.getTime()) return null;
    return credential.principal;
  }
  return null;
}
