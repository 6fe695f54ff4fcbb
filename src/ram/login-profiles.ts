import { inTransaction, type Tx } from '../store/db.js';
import { preparedQuery } from '../store/prepared.js';
import type { LoginProfileTable } from '../store/schema-login.js';
import { hashPassword, verifyPassword } from '../crypto/passwords.js';
import { checkPassword, type PasswordCandidate } from '../signin/strategies/password.js';
import { ApiError, entityAlreadyExists, entityNotExist } from '../errors.js';
import { endSessionsOfUser } from '../sessions/sessions.js';
import { checkPasswordAgainstPolicy, getPasswordPolicy, LOCKOUT_MS, type PasswordPolicy } from './password-policy.js';
import type { RamUser } from './users.js';

// Console logon settings of a RAM user (seed 003 "Manage RAM user login settings"). Rules are pure functions of
// (profile, policy, now); the store functions take the transaction first so a caller composes them in one.

export type LoginProfile = LoginProfileTable;
export type LoginProfileStatus = LoginProfile['status'];
export type PasswordStatus = 'NotInitial' | 'InitialValid' | 'InitialExpired';

const DAY_MS = 24 * 60 * 60 * 1000;
/** The most history any PasswordReusePrevention (0–24) can need. */
const HISTORY_KEPT = 24;

/**
 * Whether the password is an initial one and, if so, still usable. An initial password (first one, one set after
 * re-enabling, or an admin reset before the first successful logon) is valid for InitialPasswordAge days from when it
 * was set; when MaxPasswordAge is shorter, that wins. 0 means "no limit" for either.
 */
export function passwordStatus(profile: LoginProfile, policy: PasswordPolicy, now: Date): PasswordStatus {
  if (profile.password_is_initial !== 1 || profile.password_set_at === null) return 'NotInitial';
  const days = [policy.initialPasswordAge, policy.maxPasswordAge].filter((d) => d > 0);
  if (days.length === 0) return 'InitialValid';
  const expiresAt = Date.parse(profile.password_set_at) + Math.min(...days) * DAY_MS;
  return now.getTime() >= expiresAt ? 'InitialExpired' : 'InitialValid';
}

/**
 * What the logon must do about the password's age, once the password itself was right:
 * - `Valid`: nothing;
 * - `ChangeAtLogon`: past MaxPasswordAge without HardExpire, the user must set a new one before going on;
 * - `AdminResetRequired`: an expired initial password, or past MaxPasswordAge with HardExpire; logon is refused.
 */
export type PasswordExpiry = 'Valid' | 'ChangeAtLogon' | 'AdminResetRequired';

export function passwordExpiry(profile: LoginProfile, policy: PasswordPolicy, now: Date): PasswordExpiry {
  const status = passwordStatus(profile, policy, now);
  if (status === 'InitialExpired') return 'AdminResetRequired';
  if (status === 'InitialValid' || profile.password_set_at === null || policy.maxPasswordAge === 0) return 'Valid';
  if (now.getTime() < Date.parse(profile.password_set_at) + policy.maxPasswordAge * DAY_MS) return 'Valid';
  return policy.hardExpire ? 'AdminResetRequired' : 'ChangeAtLogon';
}

/** Whether the profile is locked by failed attempts at `now`. */
export function isLocked(profile: LoginProfile, now: Date): boolean {
  return profile.locked_until !== null && Date.parse(profile.locked_until) > now.getTime();
}

const profileOfUser = preparedQuery((tx, p: { userId: string }) => tx.selectFrom('login_profiles').selectAll().where('user_id', '=', p.userId));

export async function findLoginProfile(tx: Tx, userId: string): Promise<LoginProfile | undefined> {
  return (await profileOfUser(tx, { userId })).rows[0];
}

/** The console access status of each of these users that has a login profile, by user id. */
export async function loginProfileStatusesOf(tx: Tx, userIds: string[]): Promise<Map<string, LoginProfileStatus>> {
  if (userIds.length === 0) return new Map();
  const rows = await tx.selectFrom('login_profiles').select(['user_id', 'status']).where('user_id', 'in', userIds).execute();
  return new Map(rows.map((row) => [row.user_id, row.status]));
}

/** The profile, or 404 EntityNotExist.User.LoginProfile. */
export async function getLoginProfile(tx: Tx, user: Pick<RamUser, 'id' | 'name'>): Promise<LoginProfile> {
  const profile = await findLoginProfile(tx, user.id);
  if (!profile) throw entityNotExist('EntityNotExist.User.LoginProfile', `login profile of user ${user.name}`);
  return profile;
}

export type LogonPasswordResult = { ok: true } | { ok: false; reason: 'wrong' | 'locked' | 'disabled' };

/**
 * Checks a password typed at logon. Counts consecutive failures and locks the profile for one hour after
 * MaxLoginAttemps of them (0 = never); a success resets the count. A locked profile answers `locked` whatever the
 * password, but only after verifying it like any other: the time taken must not tell a lock (an existing user) from a
 * wrong password. `disabled` (Status Inactive) is told only to someone who typed the right password;
 * no profile or no password is `wrong`, after the same work as a real check.
 * Does not judge the password's age (see passwordExpiry) nor record the logon (see recordLogon).
 */
export async function checkLogonPassword(
  tx: Tx,
  profile: LoginProfile | undefined,
  password: string,
  policy: PasswordPolicy,
  now: Date,
): Promise<LogonPasswordResult> {
  const check = await checkPassword(profile && passwordCandidate(tx, profile, policy, now), password);
  if (check.kind !== 'accepted') return { ok: false, reason: check.kind };
  await check.attempt.passed();
  if (profile!.status !== 'Active') return { ok: false, reason: 'disabled' };
  return { ok: true };
}

/** A RAM user's lockout rule: the account's MaxLoginAttempts failures lock the profile for an hour. */
function passwordCandidate(tx: Tx, profile: LoginProfile, policy: PasswordPolicy, now: Date): PasswordCandidate {
  return {
    passwordHash: profile.password_hash,
    claimAttempt: async () => {
      const allowed = !isLocked(profile, now);
      return {
        allowed,
        // Tries made during the lock are not counted: the lock does not grow with them.
        failed: async () => (allowed ? recordFailure(tx, profile, policy, now) : undefined),
        passed: async () => {
          if (profile.failed_attempts === 0 && profile.locked_until === null) return;
          await tx.updateTable('login_profiles').set({ failed_attempts: 0, locked_until: null }).where('user_id', '=', profile.user_id).execute();
        },
      };
    },
  };
}

async function recordFailure(tx: Tx, profile: LoginProfile, policy: PasswordPolicy, now: Date): Promise<void> {
  // A lock that has run out starts a fresh count.
  const expiredLock = profile.locked_until !== null;
  const row = await tx
    .updateTable('login_profiles')
    .set((eb) => ({ failed_attempts: expiredLock ? 1 : eb('failed_attempts', '+', 1), locked_until: null }))
    .where('user_id', '=', profile.user_id)
    .returning('failed_attempts')
    .executeTakeFirst();
  const failures = Number(row?.failed_attempts ?? 0);
  if (policy.maxLoginAttempts > 0 && failures >= policy.maxLoginAttempts) {
    await tx
      .updateTable('login_profiles')
      .set({ failed_attempts: 0, locked_until: new Date(now.getTime() + LOCKOUT_MS).toISOString() })
      .where('user_id', '=', profile.user_id)
      .execute();
  }
}

/**
 * Records a successful logon, but only while the profile is as the logon read it (console access active, the same
 * password): false when an administrator disabled, removed or reset it meanwhile, and the logon must then not open a
 * session. Run it in the transaction that opens the session: on PostgreSQL its row lock orders it against a concurrent
 * change, which either makes it fail or comes after it and ends the new session with the others.
 */
const recordLogonOnProfile = preparedQuery((tx, p: { at: string; userId: string }) =>
  tx
    .updateTable('login_profiles')
    .set({ last_login_at: p.at, password_is_initial: 0, failed_attempts: 0, locked_until: null })
    .where('user_id', '=', p.userId)
    .where('status', '=', 'Active'),
);
const recordLogonOnUser = preparedQuery((tx, p: { at: string; userId: string; generation: number }) =>
  tx.updateTable('ram_users').set({ last_login_at: p.at }).where('id', '=', p.userId).where('logon_generation', '=', p.generation),
);

/**
 * Records a successful logon (LastLoginTime; the initial password is used up) if console logon is still active and
 * nothing ended the user's logons in progress since the user's `logon_generation` was read; false otherwise (the
 * caller rolls back: the profile may have been updated already).
 */
export async function recordLogon(tx: Tx, logon: { user_id: string; logon_generation: number | null }, now: Date): Promise<boolean> {
  const generation = logon.logon_generation;
  if (generation === null) return false;
  const at = now.toISOString();
  try {
    return await inTransaction(tx, async (t) => {
      // The profile's row first, as every change that ends logons takes it (see endSessionsOfUser); the user's
      // generation is read by a later statement, which on PostgreSQL sees a change that committed meanwhile.
      const profile = await recordLogonOnProfile(t, { at, userId: logon.user_id });
      if (Number(profile.numAffectedRows ?? 0) === 0) return false;
      const user = await recordLogonOnUser(t, { at, userId: logon.user_id, generation });
      if (Number(user.numAffectedRows ?? 0) === 0) throw new GenerationMoved();
      return true;
    });
  } catch (error) {
    if (error instanceof GenerationMoved) return false;
    throw error;
  }
}

/** Thrown to undo a logon's record on the profile when the user's logons were ended meanwhile. */
class GenerationMoved extends Error {}

export interface NewLoginProfile {
  /** Omitted (IMS only): console logon without a password until one is set (passkey or SSO). */
  password?: string;
  passwordResetRequired?: boolean;
  mfaBindRequired?: boolean;
  status?: LoginProfileStatus;
}

/**
 * Enables console logon. The password is an initial one (seed 003). Throws 409
 * EntityAlreadyExists.User.LoginProfile, or 400 InvalidParameter.Password.TooWeak listing the violations.
 */
export async function createLoginProfile(tx: Tx, user: RamUser, input: NewLoginProfile, now: Date): Promise<LoginProfile> {
  if (await findLoginProfile(tx, user.id)) {
    throw entityAlreadyExists('EntityAlreadyExists.User.LoginProfile', `login profile of user ${user.name}`);
  }
  const at = now.toISOString();
  let hash: string | null = null;
  if (input.password !== undefined) {
    const policy = await getPasswordPolicy(tx, user.account_id);
    const violations = checkPasswordAgainstPolicy(policy, input.password, user.name);
    if (violations.length > 0) throw passwordTooWeak(violations);
    hash = await hashPassword(input.password);
  }
  const profile: LoginProfile = {
    user_id: user.id,
    account_id: user.account_id,
    status: input.status ?? 'Active',
    password_hash: hash,
    password_set_at: hash ? at : null,
    password_is_initial: 1,
    password_reset_required: input.passwordResetRequired ? 1 : 0,
    mfa_bind_required: input.mfaBindRequired ? 1 : 0,
    failed_attempts: 0,
    locked_until: null,
    last_login_at: null,
    created_at: at,
    updated_at: at,
  };
  await tx.insertInto('login_profiles').values(profile).execute();
  if (hash) await tx.insertInto('password_history').values({ user_id: user.id, hash, created_at: at }).execute();
  return profile;
}

export interface ChangePasswordOptions {
  /** `self`: the user changes their own password (clears PasswordResetRequired, never initial). `admin`: a reset. */
  by: 'self' | 'admin';
  now: Date;
  /** For `admin`: set or clear PasswordResetRequired; omitted leaves it. */
  passwordResetRequired?: boolean;
}

/** `reused`: the only rule broken is PasswordReusePrevention (the API has a code of its own for it). */
export type ChangePasswordResult = { ok: true; profile: LoginProfile } | { ok: false; violations: string[]; reused: boolean };

/**
 * Sets a new password after checking the policy and PasswordReusePrevention, and ends the user's console
 * sessions (seed 003: a password change signs the user out at once). An admin reset stays an initial password
 * while the user has not logged on yet, with its validity restarted. A broken rule is data: `violations` are
 * sentences fit to show the user. Throws 404 EntityNotExist.User.LoginProfile when there is no profile.
 */
export async function changePassword(
  tx: Tx,
  user: Pick<RamUser, 'id' | 'name' | 'account_id'>,
  newPassword: string,
  options: ChangePasswordOptions,
): Promise<ChangePasswordResult> {
  const profile = await getLoginProfile(tx, user);
  const policy = await getPasswordPolicy(tx, user.account_id);
  const violations = checkPasswordAgainstPolicy(policy, newPassword, user.name);
  if (violations.length > 0) return { ok: false, violations, reused: false };
  if (await isReused(tx, user.id, newPassword, policy.passwordReusePrevention)) {
    return { ok: false, violations: [`The password must differ from the last ${policy.passwordReusePrevention} passwords.`], reused: true };
  }

  const at = options.now.toISOString();
  const hash = await hashPassword(newPassword);
  // A reset leaves what it does not set as the row holds it when written, not as read before the hash: a logon that
  // finished meanwhile has used the initial password up.
  const resetRequired = options.by === 'self' ? false : options.passwordResetRequired;
  const patch = {
    password_hash: hash,
    password_set_at: at,
    ...(options.by === 'self' ? { password_is_initial: 0 } : {}),
    ...(resetRequired === undefined ? {} : { password_reset_required: resetRequired ? 1 : 0 }),
    failed_attempts: 0,
    locked_until: null,
    updated_at: at,
  };
  const changed = await tx.updateTable('login_profiles').set(patch).where('user_id', '=', user.id).returningAll().executeTakeFirst();
  await tx.insertInto('password_history').values({ user_id: user.id, hash, created_at: at }).execute();
  await pruneHistory(tx, user.id);
  await endSessionsOfUser(tx, user.id);
  return { ok: true, profile: changed ?? { ...profile, ...patch } };
}

async function isReused(tx: Tx, userId: string, password: string, count: number): Promise<boolean> {
  if (count === 0) return false;
  const recent = await tx
    .selectFrom('password_history')
    .select('hash')
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .limit(count)
    .execute();
  for (const { hash } of recent) if (await verifyPassword(hash, password)) return true;
  return false;
}

async function pruneHistory(tx: Tx, userId: string): Promise<void> {
  const keep = tx
    .selectFrom('password_history')
    .select('created_at')
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .limit(1)
    .offset(HISTORY_KEPT - 1);
  await tx.deleteFrom('password_history').where('user_id', '=', userId).where('created_at', '<', keep).execute();
}

export interface LoginProfileChanges {
  password?: string;
  passwordResetRequired?: boolean;
  mfaBindRequired?: boolean;
  status?: LoginProfileStatus;
}

/**
 * An administrator's update. A new password is an admin reset (see changePassword); Inactive or a new password
 * ends the user's console sessions. Throws 404 EntityNotExist.User.LoginProfile or 400 InvalidParameter.Password.TooWeak.
 */
export async function updateLoginProfile(tx: Tx, user: RamUser, changes: LoginProfileChanges, now: Date): Promise<LoginProfile> {
  let profile = await getLoginProfile(tx, user);
  if (changes.password !== undefined) {
    const result = await changePassword(tx, user, changes.password, { by: 'admin', now, passwordResetRequired: changes.passwordResetRequired });
    if (!result.ok) throw passwordRefused('Password', result);
    profile = result.profile;
  }
  const patch: Partial<LoginProfile> = { updated_at: now.toISOString() };
  if (changes.passwordResetRequired !== undefined) patch.password_reset_required = changes.passwordResetRequired ? 1 : 0;
  if (changes.mfaBindRequired !== undefined) patch.mfa_bind_required = changes.mfaBindRequired ? 1 : 0;
  if (changes.status !== undefined) patch.status = changes.status;
  await tx.updateTable('login_profiles').set(patch).where('user_id', '=', user.id).execute();
  if (changes.status === 'Inactive' && profile.status !== 'Inactive') await endSessionsOfUser(tx, user.id);
  return { ...profile, ...patch };
}

/** Clears console logon (password and its history included) and ends the user's sessions. 404 when absent. */
export async function deleteLoginProfile(tx: Tx, user: RamUser): Promise<void> {
  await getLoginProfile(tx, user);
  await tx.deleteFrom('login_profiles').where('user_id', '=', user.id).execute();
  await tx.deleteFrom('password_history').where('user_id', '=', user.id).execute();
  await endSessionsOfUser(tx, user.id);
}

export function passwordTooWeak(violations: string[], param = 'Password'): ApiError {
  return new ApiError(`InvalidParameter.${param}.TooWeak`, 400, `The parameter "${param}" is not compliant with the password policy: ${violations.join(' ')}`);
}

/** The API error for a refused change: TooWeak, or ReusePrevention when only the history rule was broken. */
export function passwordRefused(param: string, result: { violations: string[]; reused: boolean }): ApiError {
  if (!result.reused) return passwordTooWeak(result.violations, param);
  return new ApiError(
    `InvalidParameter.${param}.ReusePrevention`,
    400,
    `The parameter "${param}" is not compliant with the reuse prevention password policy: ${result.violations.join(' ')}`,
  );
}
