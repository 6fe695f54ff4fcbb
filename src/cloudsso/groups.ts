import type { Selectable } from 'kysely';
import { ApiError, entityAlreadyExists, entityNotExist } from '../errors.js';
import { newPrefixedId } from '../ids.js';
import type { Tx } from '../store/db.js';
import type { CloudSsoGroupTable } from '../store/schema-cloudsso.js';
import { countedPageByColumn, type CountedPage, type PageRequest } from '../paging.js';
import { filterCondition, type Filter } from './filters.js';
import type { SsoUser } from './users.js';
import { deprovisionLeavingMember, provisionJoinedMember } from './user-provisioning.js';

export type SsoGroup = Selectable<CloudSsoGroupTable>;

export const GROUP_QUOTA = 5000;

export function findGroup(tx: Tx, directoryId: string, groupId: string): Promise<SsoGroup | undefined> {
  return tx.selectFrom('cloudsso_groups').selectAll().where('directory_id', '=', directoryId).where('id', '=', groupId).executeTakeFirst();
}

export async function getGroup(tx: Tx, directoryId: string, groupId: string): Promise<SsoGroup> {
  const group = await findGroup(tx, directoryId, groupId);
  if (!group) throw entityNotExist('EntityNotExists.Group', `group ${groupId}`);
  return group;
}

async function checkNameFree(tx: Tx, directoryId: string, name: string): Promise<void> {
  const clash = await tx
    .selectFrom('cloudsso_groups')
    .select('id')
    .where('directory_id', '=', directoryId)
    .where('name_key', '=', name.toLowerCase())
    .executeTakeFirst();
  if (clash) throw entityAlreadyExists('EntityAlreadyExists.Group', `group ${name}`);
}

export async function createGroup(
  tx: Tx,
  directoryId: string,
  input: { name: string; description?: string; provisionType?: 'Manual' | 'Synchronized'; externalId?: string },
  now: string,
): Promise<SsoGroup> {
  await checkNameFree(tx, directoryId, input.name);
  const count = await tx
    .selectFrom('cloudsso_groups')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('directory_id', '=', directoryId)
    .executeTakeFirstOrThrow();
  if (Number(count.n) >= GROUP_QUOTA) throw new ApiError('QuotaExceeded.Group', 409, `A directory can have at most ${GROUP_QUOTA} groups.`);
  const group: SsoGroup = {
    id: newPrefixedId('g-'),
    directory_id: directoryId,
    name: input.name,
    name_key: input.name.toLowerCase(),
    description: input.description ?? '',
    provision_type: input.provisionType ?? 'Manual',
    external_id: input.externalId ?? null,
    created_at: now,
    updated_at: now,
  };
  await tx.insertInto('cloudsso_groups').values(group).execute();
  return group;
}

export async function updateGroup(tx: Tx, group: SsoGroup, changes: { name?: string; description?: string }, now: string): Promise<SsoGroup> {
  const set: Partial<SsoGroup> = {};
  if (changes.name !== undefined && changes.name !== group.name) {
    if (changes.name.toLowerCase() !== group.name_key) await checkNameFree(tx, group.directory_id, changes.name);
    set.name = changes.name;
    set.name_key = changes.name.toLowerCase();
  }
  if (changes.description !== undefined) set.description = changes.description;
  if (Object.keys(set).length === 0) return group;
  set.updated_at = now;
  await tx.updateTable('cloudsso_groups').set(set).where('id', '=', group.id).execute();
  return { ...group, ...set };
}

/** Deletes a group and its memberships; assignments are checked by the caller. */
export async function deleteGroup(tx: Tx, group: SsoGroup): Promise<void> {
  await tx.deleteFrom('cloudsso_group_members').where('group_id', '=', group.id).execute();
  await tx.deleteFrom('cloudsso_groups').where('id', '=', group.id).execute();
}

export async function addMember(tx: Tx, group: SsoGroup, user: SsoUser, now: string): Promise<void> {
  const existing = await tx
    .selectFrom('cloudsso_group_members')
    .select('user_id')
    .where('group_id', '=', group.id)
    .where('user_id', '=', user.id)
    .executeTakeFirst();
  if (existing) throw entityAlreadyExists('EntityAlreadyExists.GroupMember', `membership of user ${user.id} in group ${group.id}`);
  await tx.insertInto('cloudsso_group_members').values({ group_id: group.id, user_id: user.id, joined_at: now }).execute();
  await provisionJoinedMember(tx, group.id, user.id, now);
}

export async function removeMember(tx: Tx, group: SsoGroup, user: SsoUser): Promise<void> {
  const result = await tx.deleteFrom('cloudsso_group_members').where('group_id', '=', group.id).where('user_id', '=', user.id).executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw entityNotExist('EntityNotExists.GroupMember', `membership of user ${user.id} in group ${group.id}`);
  await deprovisionLeavingMember(tx, group.id, user.id);
}

export async function listGroups(
  tx: Tx,
  directoryId: string,
  query: { filter?: Filter; provisionType?: string },
  page: PageRequest,
): Promise<CountedPage<SsoGroup>> {
  let base = tx.selectFrom('cloudsso_groups').where('directory_id', '=', directoryId);
  if (query.filter) base = base.where(filterCondition('name_key', query.filter));
  if (query.provisionType) base = base.where('provision_type', '=', query.provisionType as SsoGroup['provision_type']);
  return countedPageByColumn(page, base.selectAll(), 'name_key', base);
}

export type Member = SsoUser & { joined_at: string };

/** Members of a group in user-name order. */
export async function listMembers(tx: Tx, group: SsoGroup, page: PageRequest): Promise<CountedPage<Member>> {
  const base = tx
    .selectFrom('cloudsso_group_members as m')
    .innerJoin('cloudsso_users as u', 'u.id', 'm.user_id')
    .where('m.group_id', '=', group.id);
  return countedPageByColumn(page, base.selectAll('u').select('m.joined_at'), 'u.user_name_key', base) as Promise<CountedPage<Member>>;
}

export type JoinedGroup = SsoGroup & { joined_at: string };

/** Groups a user belongs to, in group-name order. */
export async function listJoinedGroups(tx: Tx, user: SsoUser, page: PageRequest): Promise<CountedPage<JoinedGroup>> {
  const base = tx
    .selectFrom('cloudsso_group_members as m')
    .innerJoin('cloudsso_groups as g', 'g.id', 'm.group_id')
    .where('m.user_id', '=', user.id);
  return countedPageByColumn(page, base.selectAll('g').select('m.joined_at'), 'g.name_key', base) as Promise<CountedPage<JoinedGroup>>;
}
