import { verifyAgainstDummy, verifyPassword } from '../../crypto/passwords.js';

// The password step's check, the same for every audience (RAM user, CloudSSO portal user, root): the hash is verified
// on the hashing threads, never on the event loop, and always at the same cost, so neither the answer nor its time
// tells an unknown identity or a lock from a wrong password. What differs, where the identity's hash and failure count
// live and its lockout rule, is the audience's, handed in as a candidate.

/** One attempt under the audience's lockout rule, taken before the password is checked. */
export interface PasswordAttempt {
  /** False while the audience's lock holds: the password is still verified (for the time) but cannot pass. */
  allowed: boolean;
  /** Counts a wrong password, or one tried while locked, as the audience's rule says. */
  failed(): Promise<void>;
  /** The right password: the failures start over. */
  passed(): Promise<void>;
}

/** The identity a password is checked for, as its audience keeps it. */
export interface PasswordCandidate {
  /** Null when the identity has no password (it cannot sign in with one). */
  passwordHash: string | null;
  /** Takes the attempt: reads the lock (RAM users, CloudSSO users), or counts the attempt first (root). */
  claimAttempt(): Promise<PasswordAttempt>;
}

export type PasswordCheck =
  /**
   * The password is right. The failures are not cleared yet: `passed` is the audience's to call, when its sign-in
   * goes on (a CloudSSO user's count stays while the user is refused for other reasons).
   */
  | { kind: 'accepted'; attempt: PasswordAttempt }
  | { kind: 'wrong' }
  /** The right password or not: the audience decides whether a lock is told. */
  | { kind: 'locked' };

/** Checks `password` for the candidate (undefined: no such identity, answered as a wrong password after the same hash). */
export async function checkPassword(candidate: PasswordCandidate | undefined, password: string): Promise<PasswordCheck> {
  if (!candidate?.passwordHash) {
    await verifyAgainstDummy(password);
    return { kind: 'wrong' };
  }
  const attempt = await candidate.claimAttempt();
  const isRight = await verifyPassword(candidate.passwordHash, password);
  if (attempt.allowed && isRight) return { kind: 'accepted', attempt };
  await attempt.failed();
  return attempt.allowed ? { kind: 'wrong' } : { kind: 'locked' };
}
