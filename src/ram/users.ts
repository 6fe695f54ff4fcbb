import type { Tx } from '../store/db.js';
import { pageByColumn, type Page, type PageRequest } from '../paging.js';
import { removeTags, taggedWith, type TagFilter } from '../tags/store.js';
import { hasAttachedPolicies } from './attachments.js';
import { preparedQuery } from '../store/prepared.js';
import type { RamUserTable } from '../store/schema.js';
import { newUserId } from '../ids.js';
import { ApiError, entityAlreadyExists, entityNotExist } from '../errors.js';
import { endSessionsOfUser } from '../sessions/sessions.js';
import { userArn } from './principal.js';
import { checkAccountQuota } from './quotas.js';

export type RamUser = RamUserTable;

export interface NewRamUser {
  name: string;
  displayName?: string;
  email?: string;
  mobilePhone?: string;
  comments?: string;
  provisionType?: string;
}

export interface UserChanges {
  name?: string;
  displayName?: string;
  email?: string;
  mobilePhone?: string;
  comments?: string;
}

const userByName = preparedQuery((tx, p: { accountId: string; nameKey: string }) =>
  tx.selectFrom('ram_users').selectAll().where('account_id', '=', p.accountId).where('name_key', '=', p.nameKey),
);

export async function findUserByName(tx: Tx, accountId: string, name: string): Promise<RamUser | undefined> {
  return (await userByName(tx, { accountId, nameKey: name.toLowerCase() })).rows[0];
}

export async function findUserById(tx: Tx, accountId: string, id: string): Promise<RamUser | undefined> {
  return tx.selectFrom('ram_users').selectAll().where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst();
}

export async function getUserByName(tx: Tx, accountId: string, name: string): Promise<RamUser> {
  const user = await findUserByName(tx, accountId, name);
  if (!user) throw entityNotExist('EntityNotExist.User', `user ${name}`);
  return user;
}

export async function createUser(tx: Tx, accountId: string, input: NewRamUser, now: string): Promise<RamUser> {
  if (await findUserByName(tx, accountId, input.name)) throw entityAlreadyExists('EntityAlreadyExists.User', `user ${input.name}`);
  await checkAccountQuota(tx, accountId, 'User');
  const user: RamUser = {
    id: newUserId(),
    account_id: accountId,
    name: input.name,
    name_key: input.name.toLowerCase(),
    display_name: input.displayName ?? input.name,
    email: input.email ?? '',
    mobile_phone: input.mobilePhone ?? '',
    comments: input.comments ?? '',
    provision_type: input.provisionType ?? 'Manual',
    created_at: now,
    updated_at: now,
    last_login_at: null,
    logon_generation: 0,
  };
  await tx.insertInto('ram_users').values(user).execute();
  return user;
}

/** Applies the given changes; a new name must be free (names are unique regardless of case). */
export async function updateUser(tx: Tx, user: RamUser, changes: UserChanges, now: string): Promise<RamUser> {
  const next: RamUser = { ...user, updated_at: now };
  if (changes.name !== undefined && changes.name !== user.name) {
    const key = changes.name.toLowerCase();
    if (key !== user.name_key && (await findUserByName(tx, user.account_id, changes.name))) {
      throw entityAlreadyExists('EntityAlreadyExists.User', `user ${changes.name}`);
    }
    next.name = changes.name;
    next.name_key = key;
  }
  if (changes.displayName !== undefined) next.display_name = changes.displayName;
  if (changes.email !== undefined) next.email = changes.email;
  if (changes.mobilePhone !== undefined) next.mobile_phone = changes.mobilePhone;
  if (changes.comments !== undefined) next.comments = changes.comments;
  await tx
    .updateTable('ram_users')
    .set({
      name: next.name,
      name_key: next.name_key,
      display_name: next.display_name,
      email: next.email,
      mobile_phone: next.mobile_phone,
      comments: next.comments,
      updated_at: now,
    })
    .where('id', '=', user.id)
    .execute();
  return next;
}

/** What still hangs on a user; RAM refuses to delete a user with any of these. */
export type UserDependency = 'AccessKey' | 'Group' | 'Policy';

export async function userDependencies(tx: Tx, user: RamUser): Promise<UserDependency[]> {
  const [key, group, policy] = await Promise.all([
    tx.selectFrom('access_keys').select('id').where('account_id', '=', user.account_id).where('user_id', '=', user.id).limit(1).executeTakeFirst(),
    tx.selectFrom('ram_group_members').select('group_id').where('user_id', '=', user.id).limit(1).executeTakeFirst(),
    hasAttachedPolicies(tx, user.account_id, 'User', user.id),
  ]);
  const out: UserDependency[] = [];
  if (key) out.push('AccessKey');
  if (group) out.push('Group');
  if (policy) out.push('Policy');
  return out;
}

const CONFLICT_MESSAGES: Record<UserDependency, string> = {
  AccessKey: 'The user still has access keys; delete them first.',
  Group: 'The user still belongs to groups; remove it from them first.',
  Policy: 'The user still has policies attached; detach them first.',
};

/**
 * Deletes a user. `refuse` lists the dependencies that block the deletion (409 DeleteConflict.User.<kind>);
 * whatever is not refused goes with the user. Either way the user's console and role sessions end and its
 * AccessKeys stop working in the same transaction; login profile and MFA rows go by foreign-key cascade.
 */
export async function deleteUser(tx: Tx, user: RamUser, options: { refuse: UserDependency[] }): Promise<void> {
  const blocking = (await userDependencies(tx, user)).find((d) => options.refuse.includes(d));
  if (blocking) throw new ApiError(`DeleteConflict.User.${blocking}`, 409, CONFLICT_MESSAGES[blocking]);
  // The login profile goes first, as in every change that ends a user's sessions: a logon finishing meanwhile takes
  // the same row first, so on PostgreSQL the two queue instead of deadlocking.
  await tx.deleteFrom('login_profiles').where('user_id', '=', user.id).execute();
  await endSessionsOfUser(tx, user.id);
  // Role sessions the user started with its AccessKeys (not from a console session) end too.
  await tx.deleteFrom('sts_sessions').where('account_id', '=', user.account_id).where('caller_arn', '=', userArn(user.account_id, user.name)).execute();
  await tx.deleteFrom('access_keys').where('account_id', '=', user.account_id).where('user_id', '=', user.id).execute();
  await tx.deleteFrom('ram_group_members').where('user_id', '=', user.id).execute();
  await tx
    .deleteFrom('ram_policy_attachments')
    .where('account_id', '=', user.account_id)
    .where('principal_type', '=', 'User')
    .where('principal_id', '=', user.id)
    .execute();
  await removeTags(tx, user.account_id, 'user', user.id, 'all');
  await tx.deleteFrom('ram_users').where('id', '=', user.id).execute();
}

/** One page of users (carrying every one of `tags`) in name order, keyed by name_key. */
export async function listUsers(tx: Tx, accountId: string, query: { tags?: TagFilter[] }, page: PageRequest): Promise<Page<RamUser>> {
  let base = tx.selectFrom('ram_users').selectAll().where('account_id', '=', accountId);
  for (const filter of query.tags ?? []) base = base.where('id', 'in', taggedWith(tx, accountId, 'user', filter));
  return pageByColumn(page, base, 'name_key');
}

/** The IMS name of a user on a domain of its account (see upn.ts for the way back). */
export function userPrincipalName(user: RamUser, domain: string): string {
  return `${user.name}@${domain}`;
}
