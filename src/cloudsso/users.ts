import { randomPassword } from '../crypto/random-password.js';
import { endSessionsOfSsoUser } from '../sessions/portal-sessions.js';
import type { Selectable } from 'kysely';
import { hashPassword, verifyPassword } from '../crypto/passwords.js';
import { ApiError, entityAlreadyExists, entityNotExist } from '../errors.js';
import { newPrefixedId } from '../ids.js';
import type { Tx } from '../store/db.js';
import type { CloudSsoUserTable } from '../store/schema-cloudsso.js';
import { taggedWith, type TagFilter } from '../tags/store.js';
import { countedPageByColumn, type CountedPage, type PageRequest } from '../paging.js';
import { filterCondition, type Filter } from './filters.js';

export type SsoUser = Selectable<CloudSsoUserTable>;

/** Users per directory, as GetDirectoryStatistics reports it (seed 001 builds 10,000). */
export const USER_QUOTA = 50000;

export function findUser(tx: Tx, directoryId: string, userId: string): Promise<SsoUser | undefined> {
  return tx.selectFrom('cloudsso_users').selectAll().where('directory_id', '=', directoryId).where('id', '=', userId).executeTakeFirst();
}

export async function getUser(tx: Tx, directoryId: string, userId: string): Promise<SsoUser> {
  const user = await findUser(tx, directoryId, userId);
  if (!user) throw entityNotExist('EntityNotExists.User', `user ${userId}`);
  return user;
}

/** Whether failed sign-ins locked the user out of the portal at `now` (the directory's MaxLoginAttempts, one hour). */
export function isUserLocked(user: Pick<SsoUser, 'locked_until'>, now: Date): boolean {
  return user.locked_until !== null && Date.parse(user.locked_until) > now.getTime();
}

export function findUserByName(tx: Tx, directoryId: string, userName: string): Promise<SsoUser | undefined> {
  return tx
    .selectFrom('cloudsso_users')
    .selectAll()
    .where('directory_id', '=', directoryId)
    .where('user_name_key', '=', userName.toLowerCase())
    .executeTakeFirst();
}

export interface NewUser {
  userName: string;
  firstName?: string;
  lastName?: string;
  displayName?: string;
  email?: string;
  description?: string;
  status?: 'Enabled' | 'Disabled';
  provisionType?: 'Manual' | 'Synchronized';
  externalId?: { id: string; issuer: string };
}

async function checkEmailFree(tx: Tx, directoryId: string, email: string, exceptUserId?: string): Promise<void> {
  let q = tx.selectFrom('cloudsso_users').select('id').where('directory_id', '=', directoryId).where('email_key', '=', email.toLowerCase());
  if (exceptUserId) q = q.where('id', '<>', exceptUserId);
  if (await q.executeTakeFirst()) throw entityAlreadyExists('EntityAlreadyExists.Email', `email ${email}`);
}

export async function createUser(tx: Tx, directoryId: string, input: NewUser, now: string): Promise<SsoUser> {
  if (await findUserByName(tx, directoryId, input.userName)) throw entityAlreadyExists('EntityAlreadyExists.User', `user ${input.userName}`);
  if (input.email) await checkEmailFree(tx, directoryId, input.email);
  const count = await tx
    .selectFrom('cloudsso_users')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('directory_id', '=', directoryId)
    .executeTakeFirstOrThrow();
  if (Number(count.n) >= USER_QUOTA) throw new ApiError('QuotaExceeded.User', 409, `A directory can have at most ${USER_QUOTA} users.`);
  const user: SsoUser = {
    id: newPrefixedId('u-'),
    directory_id: directoryId,
    user_name: input.userName,
    user_name_key: input.userName.toLowerCase(),
    first_name: input.firstName ?? '',
    last_name: input.lastName ?? '',
    display_name: input.displayName ?? '',
    email: input.email ?? '',
    email_key: input.email ? input.email.toLowerCase() : null,
    description: input.description ?? '',
    status: input.status ?? 'Enabled',
    provision_type: input.provisionType ?? 'Manual',
    external_id: input.externalId?.id ?? null,
    external_issuer: input.externalId?.issuer ?? null,
    mfa_authentication_settings: 'Enabled',
    password_hash: null,
    password_set_at: null,
    password_reset_required: 0,
    logon_generation: 0,
    failed_attempts: 0,
    locked_until: null,
    last_login_at: null,
    created_at: now,
    updated_at: now,
  };
  await tx.insertInto('cloudsso_users').values(user).execute();
  return user;
}

export interface UserChanges {
  firstName?: string;
  lastName?: string;
  displayName?: string;
  email?: string;
  description?: string;
}

export async function updateUser(tx: Tx, user: SsoUser, changes: UserChanges, now: string): Promise<SsoUser> {
  const set: Partial<SsoUser> = {};
  if (changes.firstName !== undefined) set.first_name = changes.firstName;
  if (changes.lastName !== undefined) set.last_name = changes.lastName;
  if (changes.displayName !== undefined) set.display_name = changes.displayName;
  if (changes.description !== undefined) set.description = changes.description;
  if (changes.email !== undefined) {
    await checkEmailFree(tx, user.directory_id, changes.email, user.id);
    set.email = changes.email;
    set.email_key = changes.email.toLowerCase();
  }
  if (Object.keys(set).length === 0) return user;
  set.updated_at = now;
  await tx.updateTable('cloudsso_users').set(set).where('id', '=', user.id).execute();
  return { ...user, ...set };
}

export async function setUserStatus(tx: Tx, user: SsoUser, status: 'Enabled' | 'Disabled', now: string): Promise<SsoUser> {
  if (user.status === status) return user;
  await tx.updateTable('cloudsso_users').set({ status, updated_at: now }).where('id', '=', user.id).execute();
  if (status === 'Disabled') await endSessionsOfSsoUser(tx, user.id);
  return { ...user, status, updated_at: now };
}

export async function setUserMfaSettings(tx: Tx, user: SsoUser, value: 'Enabled' | 'Disabled', now: string): Promise<void> {
  await tx.updateTable('cloudsso_users').set({ mfa_authentication_settings: value, updated_at: now }).where('id', '=', user.id).execute();
}

/** Deletes a user with its memberships, MFA devices and password history (cascades); assignments are checked by the caller. */
export async function deleteUser(tx: Tx, user: SsoUser): Promise<void> {
  // A disabled or deleted user loses the portal and every member-account session entered from it, on every node.
  await endSessionsOfSsoUser(tx, user.id);
  await tx.deleteFrom('cloudsso_group_members').where('user_id', '=', user.id).execute();
  await tx.deleteFrom('cloudsso_mfa_devices').where('user_id', '=', user.id).execute();
  await tx.deleteFrom('cloudsso_password_history').where('user_id', '=', user.id).execute();
  await tx.deleteFrom('cloudsso_users').where('id', '=', user.id).execute();
}

export interface UserQuery {
  filter?: Filter;
  status?: string;
  provisionType?: string;
  /** Users carrying every one of these tags (kept under the directory's management account). */
  tags?: { ownerAccountId: string; filters: TagFilter[] };
}

/** Users in user-name order (case-insensitive), keyset-paged on user_name_key, with the total for the same query. */
export async function listUsers(tx: Tx, directoryId: string, query: UserQuery, page: PageRequest): Promise<CountedPage<SsoUser>> {
  let base = tx.selectFrom('cloudsso_users').where('directory_id', '=', directoryId);
  if (query.filter) base = base.where(filterCondition('user_name_key', query.filter));
  if (query.status) base = base.where('status', '=', query.status as SsoUser['status']);
  if (query.provisionType) base = base.where('provision_type', '=', query.provisionType as SsoUser['provision_type']);
  for (const tag of query.tags?.filters ?? []) base = base.where('id', 'in', taggedWith(tx, query.tags!.ownerAccountId, 'cloudsso-user', tag));
  return countedPageByColumn(page, base.selectAll(), 'user_name_key', base);
}

// ---- passwords (ResetUserPassword) ----

const CLASSES = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/] as const;
const SYMBOLS = '!@#$%^&*()-_=+[]{};:,.?';

/** Why a password breaks the directory's password policy, or undefined when it complies (reuse is checked apart). */
export function passwordPolicyViolation(
  password: string,
  user: Pick<SsoUser, 'user_name'>,
  policy: { min_password_length: number; min_password_different_chars: number; password_not_contain_username: number },
): string | undefined {
  if (password.length < policy.min_password_length || password.length > 32) return `it must be ${policy.min_password_length} to 32 characters`;
  if (!CLASSES.every((c) => c.test(password))) return 'it must contain upper-case and lower-case letters, digits and symbols';
  if (new Set(password).size < policy.min_password_different_chars) return `it must contain at least ${policy.min_password_different_chars} different characters`;
  if (policy.password_not_contain_username && password.toLowerCase().includes(user.user_name.toLowerCase())) return 'it must not contain the user name';
  return undefined;
}

/** A random password that satisfies any policy the ranges allow: 32 characters of every class. */
export function generatePassword(): string {
  return randomPassword(32, ['abcdefghijkmnopqrstuvwxyz', 'ABCDEFGHJKLMNPQRSTUVWXYZ', '23456789', SYMBOLS]);
}

/** True when `password` is one of the user's last `count` passwords. */
export async function isRecentPassword(tx: Tx, user: SsoUser, password: string, count: number): Promise<boolean> {
  if (count <= 0) return false;
  const hashes: string[] = [];
  if (user.password_hash) hashes.push(user.password_hash);
  if (count > hashes.length) {
    const rows = await tx
      .selectFrom('cloudsso_password_history')
      .select('hash')
      .where('user_id', '=', user.id)
      .orderBy('created_at', 'desc')
      .limit(count - hashes.length)
      .execute();
    hashes.push(...rows.map((r) => r.hash));
  }
  for (const hash of hashes.slice(0, count)) if (await verifyPassword(hash, password)) return true;
  return false;
}

/**
 * Sets a new password (argon2id), keeps the old one in the history, and clears any lockout. Whoever changes it (an
 * administrator's reset, the user at sign-in), the user's sessions end everywhere with the old password.
 */
export async function setUserPassword(tx: Tx, user: SsoUser, password: string, options: { resetRequired: boolean }, now: string): Promise<void> {
  await storeUserPassword(tx, user, await hashPassword(password), options, now);
}

/** setUserPassword with the hash made beforehand, for a caller that must not hold its transaction open while hashing. */
export async function storeUserPassword(tx: Tx, user: SsoUser, passwordHash: string, options: { resetRequired: boolean }, now: string): Promise<void> {
  if (user.password_hash) await tx.insertInto('cloudsso_password_history').values({ user_id: user.id, hash: user.password_hash, created_at: user.password_set_at ?? now }).execute();
  await tx
    .updateTable('cloudsso_users')
    .set({
      password_hash: passwordHash,
      password_set_at: now,
      password_reset_required: options.resetRequired ? 1 : 0,
      failed_attempts: 0,
      locked_until: null,
      updated_at: now,
    })
    .where('id', '=', user.id)
    .execute();
  await endSessionsOfSsoUser(tx, user.id);
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * Whether the user must set a new password before signing in: an administrator asked for it
 * (RequirePasswordResetForNextLogin), or it is older than the directory's MaxPasswordAge (CloudSSO has no HardExpire:
 * GetPasswordPolicy says false, so an expired password is changed by the user at sign-in, not reset by an administrator).
 */
export function isPasswordChangeRequired(user: Pick<SsoUser, 'password_reset_required' | 'password_set_at'>, directory: { max_password_age: number }, now: Date): boolean {
  if (user.password_reset_required === 1) return true;
  if (!user.password_set_at || directory.max_password_age <= 0) return false;
  return Date.parse(user.password_set_at) + directory.max_password_age * DAY_MS <= now.getTime();
}
