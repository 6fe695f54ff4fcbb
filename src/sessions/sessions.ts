import { isPostgres, type Tx } from '../store/db.js';
import type { ConsoleSessionTable } from '../store/schema.js';
import { preparedQuery } from '../store/prepared.js';
import { sha256Hex } from '../crypto/secrets.js';
import { randomBytesPooled } from '../crypto/random.js';

// Lucia-style: the browser holds a random token, the database holds only its SHA-256. Ending a session deletes its row,
// so "sign this user out everywhere" is one DELETE and is true on every node at once.

export type ConsoleSession = ConsoleSessionTable;

export interface NewSession {
  accountId: string;
  principalType: ConsoleSession['principal_type'];
  userId: string | null;
  mfaPresent: boolean;
  lifetimeSeconds: number;
  now: Date;
  /** A role session entered from the CloudSSO portal: its STS credentials, and who entered it. */
  stsAccessKeyId?: string;
  portalUserId?: string;
}

export function newSessionToken(): string {
  return randomBytesPooled(32).toString('base64url'); // 256 bits
}

const insertSession = preparedQuery((tx, p: { [K in keyof ConsoleSession]: ConsoleSession[K] }) => tx.insertInto('console_sessions').values(p));

export async function createSession(tx: Tx, input: NewSession): Promise<{ token: string; session: ConsoleSession }> {
  const created = newSession(input);
  await storeSession(tx, created.session);
  return created;
}

/** Stores a session made by newSession. */
export async function storeSession(tx: Tx, session: ConsoleSession): Promise<void> {
  await insertSession(tx, session);
}

/** A new session's token and row, not yet stored (for a caller that stores it with other writes). */
export function newSession(input: NewSession): { token: string; session: ConsoleSession } {
  const token = newSessionToken();
  const session: ConsoleSession = {
    id: sha256Hex(token),
    account_id: input.accountId,
    principal_type: input.principalType,
    user_id: input.userId,
    mfa_present: input.mfaPresent ? 1 : 0,
    created_at: input.now.toISOString(),
    expires_at: new Date(input.now.getTime() + input.lifetimeSeconds * 1000).toISOString(),
    sts_access_key_id: input.stsAccessKeyId ?? null,
    portal_user_id: input.portalUserId ?? null,
  };
  return { token, session };
}

/** The session for a token, or null when unknown or expired (an expired row is removed). */
export async function validateSession(tx: Tx, token: string, now: Date): Promise<ConsoleSession | null> {
  if (!token || token.length > 100) return null;
  const id = sha256Hex(token);
  const session = await tx.selectFrom('console_sessions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!session) return null;
  if (Date.parse(session.expires_at) <= now.getTime()) {
    await tx.deleteFrom('console_sessions').where('id', '=', id).execute();
    return null;
  }
  return session;
}

/** Ends one console session, and the role session it carries, if any. */
export async function endSession(tx: Tx, token: string): Promise<void> {
  const id = sha256Hex(token);
  await tx.deleteFrom('sts_sessions').where('console_session_id', '=', id).execute();
  await tx.deleteFrom('console_sessions').where('id', '=', id).execute();
}

/**
 * Ends every console session of a RAM user but `except` (the session that changed its own credentials goes on), the
 * role sessions those sessions started, and the user's logons in progress.
 */
export async function endSessionsOfUser(tx: Tx, userId: string, options: { except?: string } = {}): Promise<void> {
  // The login profile is taken first, as a logon finishing meanwhile takes it first: on PostgreSQL the two queue
  // instead of deadlocking.
  if (isPostgres(tx)) await tx.selectFrom('login_profiles').select('user_id').where('user_id', '=', userId).forUpdate().execute();
  // Logons in progress end too: one that checked the password before a reset must not finish after it. Each carries
  // the generation it checked the password under, and can only finish under the same one.
  await tx
    .updateTable('ram_users')
    .set((eb) => ({ logon_generation: eb('logon_generation', '+', 1) }))
    .where('id', '=', userId)
    .execute();
  let sessions = tx.selectFrom('console_sessions').select('id').where('user_id', '=', userId);
  if (options.except) sessions = sessions.where('id', '!=', options.except);
  await tx.deleteFrom('sts_sessions').where('console_session_id', 'in', sessions).execute();
  await tx.deleteFrom('console_sessions').where('id', 'in', sessions).execute();
}

/**
 * Ends the root identity's console sessions but `except` (the session that changed root's credentials goes on), the
 * role sessions they started, and root's sign-ins in progress (moving root's logon generation on).
 */
export async function endSessionsOfRoot(tx: Tx, accountId: string, options: { except?: string } = {}): Promise<void> {
  await tx
    .updateTable('root_logons')
    .set((eb) => ({ logon_generation: eb('logon_generation', '+', 1) }))
    .where('account_id', '=', accountId)
    .execute();
  let sessions = tx.selectFrom('console_sessions').select('id').where('account_id', '=', accountId).where('principal_type', '=', 'root');
  if (options.except) sessions = sessions.where('id', '!=', options.except);
  await tx.deleteFrom('sts_sessions').where('console_session_id', 'in', sessions).execute();
  await tx.deleteFrom('console_sessions').where('id', 'in', sessions).execute();
}

/** Ends the console sessions a CloudSSO user entered from the portal, and their role sessions. */
export async function endSessionsOfPortalUser(tx: Tx, portalUserId: string): Promise<void> {
  const sessions = tx.selectFrom('console_sessions').select('id').where('portal_user_id', '=', portalUserId);
  await tx.deleteFrom('sts_sessions').where('console_session_id', 'in', sessions).execute();
  await tx.deleteFrom('console_sessions').where('portal_user_id', '=', portalUserId).execute();
}

export async function sweepSessions(tx: Tx, now: Date): Promise<void> {
  await tx.deleteFrom('console_sessions').where('expires_at', '<=', now.toISOString()).execute();
}
