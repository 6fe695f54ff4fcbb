import { isPostgres, type Tx } from '../store/db.js';
import type { PortalSessionTable } from '../store/schema-portal.js';
import { sha256Hex } from '../crypto/secrets.js';
import { endSessionsOfPortalUser, newSessionToken } from './sessions.js';

// CloudSSO user portal sessions, shaped like console sessions: the browser holds a token, the database its SHA-256.

export type PortalSession = PortalSessionTable;

/** Seed 000: the portal session lasts 8 hours. */
export const PORTAL_SESSION_SECONDS = 8 * 3600;

export async function createPortalSession(
  tx: Tx,
  input: { directoryId: string; userId: string; mfaPresent: boolean; now: Date },
): Promise<{ token: string; session: PortalSession }> {
  const token = newSessionToken();
  const session: PortalSession = {
    id: sha256Hex(token),
    directory_id: input.directoryId,
    user_id: input.userId,
    mfa_present: input.mfaPresent ? 1 : 0,
    created_at: input.now.toISOString(),
    expires_at: new Date(input.now.getTime() + PORTAL_SESSION_SECONDS * 1000).toISOString(),
  };
  await tx.insertInto('portal_sessions').values(session).execute();
  return { token, session };
}

/** The live session for a token in this directory, whose user still exists and is enabled. */
export async function validatePortalSession(tx: Tx, token: string | undefined, directoryId: string, now: Date): Promise<PortalSession | null> {
  if (!token || token.length > 100) return null;
  const session = await tx
    .selectFrom('portal_sessions as s')
    .innerJoin('cloudsso_users as u', 'u.id', 's.user_id')
    .selectAll('s')
    .where('s.id', '=', sha256Hex(token))
    .where('s.directory_id', '=', directoryId)
    .where('u.status', '=', 'Enabled')
    .executeTakeFirst();
  if (!session || Date.parse(session.expires_at) <= now.getTime()) return null;
  return session;
}

export async function endPortalSession(tx: Tx, token: string): Promise<void> {
  await tx.deleteFrom('portal_sessions').where('id', '=', sha256Hex(token)).execute();
}

export async function sweepPortalSessions(tx: Tx, now: Date): Promise<void> {
  await tx.deleteFrom('portal_sessions').where('expires_at', '<=', now.toISOString()).execute();
}

/**
 * Ends every portal session of a CloudSSO user, the member-console sessions (and their role sessions) entered from
 * them, and the user's sign-ins in progress: each carries the logon generation it checked the password under and can
 * only finish under the same one. Rows in the database, so it is true on every node at once. The user's row is
 * written first, the order a portal sign-in and a Log On take too (see holdPortalSession).
 */
export async function endSessionsOfSsoUser(tx: Tx, userId: string): Promise<void> {
  await tx
    .updateTable('cloudsso_users')
    .set((eb) => ({ logon_generation: eb('logon_generation', '+', 1) }))
    .where('id', '=', userId)
    .execute();
  await tx.deleteFrom('portal_sessions').where('user_id', '=', userId).execute();
  await endSessionsOfPortalUser(tx, userId);
}

/**
 * True while the portal session is still there, checked inside the transaction that opens a member-console session
 * from it. On PostgreSQL the user's row is locked first: a credential change that ends the user's sessions then waits
 * for this transaction and deletes the console session it opens, or has committed and the portal session is gone.
 */
export async function holdPortalSession(tx: Tx, session: PortalSession): Promise<boolean> {
  if (isPostgres(tx)) await tx.selectFrom('cloudsso_users').select('id').where('id', '=', session.user_id).forUpdate().execute();
  const row = await tx.selectFrom('portal_sessions').select('id').where('id', '=', session.id).where('user_id', '=', session.user_id).executeTakeFirst();
  return row !== undefined;
}
