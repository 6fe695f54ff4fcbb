import type { Tx } from '../store/db.js';
import type { Directory } from './directories.js';
import type { SsoUser } from './users.js';

// A CloudSSO user's lockout after wrong passwords at the portal sign-in: the directory's MaxLoginAttempts failures in a
// row lock the user for an hour (0 never locks). Administrators see the lock on the user's console page.

const LOCK_MS = 60 * 60 * 1000;

/** Counts a wrong password; the failure that reaches the directory's limit locks the user and starts the count over. */
export async function recordWrongPassword(tx: Tx, user: SsoUser, directory: Pick<Directory, 'max_login_attempts'>, now: Date): Promise<void> {
  const failures = user.failed_attempts + 1;
  const lock = directory.max_login_attempts > 0 && failures >= directory.max_login_attempts;
  await tx
    .updateTable('cloudsso_users')
    .set({ failed_attempts: lock ? 0 : failures, locked_until: lock ? new Date(now.getTime() + LOCK_MS).toISOString() : null })
    .where('id', '=', user.id)
    .execute();
}

/** The right password: the count of wrong ones starts over. */
export async function clearWrongPasswords(tx: Tx, userId: string): Promise<void> {
  await tx.updateTable('cloudsso_users').set({ failed_attempts: 0, locked_until: null }).where('id', '=', userId).execute();
}
