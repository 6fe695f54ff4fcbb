import type { Tx } from '../store/db.js';
import { pageByColumn, type Page, type PageRequest } from '../paging.js';
import { hasAttachedPolicies } from './attachments.js';
import type { RamGroupTable } from '../store/schema.js';
import { newGroupId } from '../ids.js';
import { ApiError, entityAlreadyExists, entityNotExist } from '../errors.js';
import type { RamUser } from './users.js';
import { checkAccountQuota, checkGroupsPerUser } from './quotas.js';

export type RamGroup = RamGroupTable;

export async function findGroupByName(tx: Tx, accountId: string, name: string): Promise<RamGroup | undefined> {
  return tx.selectFrom('ram_groups').selectAll().where('account_id', '=', accountId).where('name_key', '=', name.toLowerCase()).executeTakeFirst();
}

export async function getGroupByName(tx: Tx, accountId: string, name: string): Promise<RamGroup> {
  const group = await findGroupByName(tx, accountId, name);
  if (!group) throw entityNotExist('EntityNotExist.Group', `group ${name}`);
  return group;
}

export async function createGroup(tx: Tx, accountId: string, input: { name: string; displayName?: string; comments?: string }, now: string): Promise<RamGroup> {
  if (await findGroupByName(tx, accountId, input.name)) throw entityAlreadyExists('EntityAlreadyExists.Group', `group ${input.name}`);
  await checkAccountQuota(tx, accountId, 'Group');
  const group: RamGroup = {
    id: newGroupId(),
    account_id: accountId,
    name: input.name,
    name_key: input.name.toLowerCase(),
    display_name: input.displayName ?? '',
    comments: input.comments ?? '',
    created_at: now,
    updated_at: now,
  };
  await tx.insertInto('ram_groups').values(group).execute();
  return group;
}

export async function updateGroup(tx: Tx, group: RamGroup, changes: { name?: string; displayName?: string; comments?: string }, now: string): Promise<RamGroup> {
  const next: RamGroup = { ...group, updated_at: now };
  if (changes.name !== undefined && changes.name !== group.name) {
    const key = changes.name.toLowerCase();
    if (key !== group.name_key && (await findGroupByName(tx, group.account_id, changes.name))) {
      throw entityAlreadyExists('EntityAlreadyExists.Group', `group ${changes.name}`);
    }
    next.name = changes.name;
    next.name_key = key;
  }
  if (changes.comments !== undefined) next.comments = changes.comments;
  if (changes.displayName !== undefined) next.display_name = changes.displayName;
  await tx
    .updateTable('ram_groups')
    .set({ name: next.name, name_key: next.name_key, display_name: next.display_name, comments: next.comments, updated_at: now })
    .where('id', '=', group.id)
    .execute();
  return next;
}

/** Deletes an empty group without policies: 409 DeleteConflict.Group.User / DeleteConflict.Group.Policy otherwise. */
export async function deleteGroup(tx: Tx, group: RamGroup): Promise<void> {
  const member = await tx.selectFrom('ram_group_members').select('user_id').where('group_id', '=', group.id).limit(1).executeTakeFirst();
  if (member) throw new ApiError('DeleteConflict.Group.User', 409, 'The group still has members; remove them first.');
  if (await hasAttachedPolicies(tx, group.account_id, 'Group', group.id)) throw new ApiError('DeleteConflict.Group.Policy', 409, 'The group still has policies attached; detach them first.');
  await tx.deleteFrom('ram_groups').where('id', '=', group.id).execute();
}

export async function listGroups(tx: Tx, accountId: string, page: PageRequest): Promise<Page<RamGroup>> {
  const base = tx.selectFrom('ram_groups').selectAll().where('account_id', '=', accountId);
  return pageByColumn(page, base, 'name_key');
}

export async function addUserToGroup(tx: Tx, group: RamGroup, user: RamUser, now: string): Promise<void> {
  const existing = await tx
    .selectFrom('ram_group_members')
    .select('user_id')
    .where('group_id', '=', group.id)
    .where('user_id', '=', user.id)
    .executeTakeFirst();
  if (existing) throw entityAlreadyExists('EntityAlreadyExists.User.Group', `membership of user ${user.name} in group ${group.name}`);
  await checkGroupsPerUser(tx, user.id, user.name);
  await tx.insertInto('ram_group_members').values({ group_id: group.id, user_id: user.id, joined_at: now }).execute();
}

export async function removeUserFromGroup(tx: Tx, group: RamGroup, user: RamUser): Promise<void> {
  const result = await tx.deleteFrom('ram_group_members').where('group_id', '=', group.id).where('user_id', '=', user.id).executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) {
    throw entityNotExist('EntityNotExist.User.Group', `membership of user ${user.name} in group ${group.name}`);
  }
}

export interface GroupOfUser {
  group: RamGroup;
  joinedAt: string;
}

export async function groupsOfUser(tx: Tx, user: RamUser): Promise<GroupOfUser[]> {
  const rows = await tx
    .selectFrom('ram_group_members as m')
    .innerJoin('ram_groups as g', 'g.id', 'm.group_id')
    .selectAll('g')
    .select('m.joined_at')
    .where('m.user_id', '=', user.id)
    .orderBy('g.name_key')
    .execute();
  return rows.map(({ joined_at, ...group }) => ({ group, joinedAt: joined_at }));
}

export interface MemberOfGroup {
  user: RamUser;
  joinedAt: string;
}

/** One page of a group's members in user-name order, after the given user name key. */
export async function membersOfGroup(tx: Tx, group: RamGroup, page: PageRequest): Promise<Page<MemberOfGroup>> {
  const base = tx
    .selectFrom('ram_group_members as m')
    .innerJoin('ram_users as u', 'u.id', 'm.user_id')
    .selectAll('u')
    .select('m.joined_at')
    .where('m.group_id', '=', group.id);
  const rows = await pageByColumn(page, base, 'u.name_key');
  return { ...rows, items: rows.items.map(({ joined_at, ...user }) => ({ user, joinedAt: joined_at })) };
}
