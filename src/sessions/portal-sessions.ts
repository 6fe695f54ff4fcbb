import type { Tx } from '../store/db.js';
import type { PortalSessionTable } from '../store/schema-portal.js';
import { sha256Hex } from '../crypto/secrets.js';
import { newSessionToken } from './sessions.js';

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
