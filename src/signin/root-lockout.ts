import { sql } from 'kysely';
import type { Tx } from '../store/db.js';

// The root identity's lockout. Root has no administrator to unlock it and no MaxLoginAttemps to set, so the rule is
// fixed: five failed passwords within an hour lock the sign-in for 15 minutes, and each lock that follows another
// within a day lasts twice as long (up to 4 hours); a password that passes starts both counts over. The state is a row
// in the database, so every node sees the same lock. Unlike a RAM user's lock, root's is never told: a locked root
// answers as a wrong password does (the account ID is no secret, and its lock state should not become one either).

export const ROOT_MAX_FAILURES = 5;
export const ROOT_FAILURE_WINDOW_MS = 60 * 60 * 1000;
export const ROOT_FIRST_LOCK_MS = 15 * 60 * 1000;
export const ROOT_LONGEST_LOCK_MS = 4 * 60 * 60 * 1000;
/** A lock that ended longer ago than this no longer makes the next one longer. */
const BACKOFF_MEMORY_MS = 24 * 60 * 60 * 1000;

/** An attempt counted before its password is checked: `allowed` false means the password must not count. */
export interface RootAttempt {
  accountId: string;
  allowed: boolean;
  failures: number;
  lockouts: number;
  lastLockedUntil: string | null;
}

/** The row the lockout lives in, made at the account's first attempt. */
export async function ensureRootLogonRow(tx: Tx, accountId: string): Promise<void> {
  await tx
    .insertInto('root_logons')
    .values({ account_id: accountId, failed_attempts: 0, lockouts: 0, logon_generation: 0, mfa_last_used_step: 0 })
    .onConflict((oc) => oc.column('account_id').doNothing())
    .execute();
}

/**
 * Counts the attempt before the password is checked, in one statement: attempts made at the same moment on several
 * nodes each take a number, so no more than ROOT_MAX_FAILURES passwords are ever checked per window. While the lock
 * holds nothing is counted (the lock does not grow with the attempts made during it).
 */
export async function claimRootAttempt(tx: Tx, accountId: string, now: Date): Promise<RootAttempt> {
  const at = now.toISOString();
  const windowStart = new Date(now.getTime() - ROOT_FAILURE_WINDOW_MS).toISOString();
  const locked = sql<boolean>`locked_until is not null and locked_until > ${at}`;
  const fresh = sql<boolean>`failures_since is null or failures_since <= ${windowStart}`;
  const row = await tx
    .updateTable('root_logons')
    .set({
      failed_attempts: sql<number>`case when ${locked} then failed_attempts when ${fresh} then 1 else failed_attempts + 1 end`,
      failures_since: sql<string>`case when ${locked} then failures_since when ${fresh} then ${at} else failures_since end`,
    })
    .where('account_id', '=', accountId)
    .returning(['failed_attempts', 'locked_until', 'lockouts'])
    .executeTakeFirstOrThrow();
  const isLocked = row.locked_until !== null && Date.parse(row.locked_until) > now.getTime();
  return {
    accountId,
    allowed: !isLocked && row.failed_attempts <= ROOT_MAX_FAILURES,
    failures: isLocked ? 0 : row.failed_attempts,
    lockouts: row.lockouts,
    lastLockedUntil: row.locked_until,
  };
}

/** The password passed: failures and the backoff start over. */
export async function clearRootFailures(tx: Tx, attempt: RootAttempt): Promise<void> {
  await tx
    .updateTable('root_logons')
    .set({ failed_attempts: 0, failures_since: null, lockouts: 0 })
    .where('account_id', '=', attempt.accountId)
    .execute();
}

/** The password failed (or was not checked): the attempt stays counted, and the last one allowed sets the lock. */
export async function recordRootFailure(tx: Tx, attempt: RootAttempt, now: Date): Promise<void> {
  if (attempt.failures < ROOT_MAX_FAILURES) return;
  const recent = attempt.lastLockedUntil !== null && Date.parse(attempt.lastLockedUntil) + BACKOFF_MEMORY_MS > now.getTime();
  const level = recent ? attempt.lockouts : 0;
  const lockMs = Math.min(ROOT_FIRST_LOCK_MS * 2 ** level, ROOT_LONGEST_LOCK_MS);
  const at = now.toISOString();
  // Attempts over the cap made at the same moment land here too: only the first sets the lock.
  await tx
    .updateTable('root_logons')
    .set({ locked_until: new Date(now.getTime() + lockMs).toISOString(), lockouts: level + 1, failed_attempts: 0, failures_since: null })
    .where('account_id', '=', attempt.accountId)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', at)]))
    .execute();
}
