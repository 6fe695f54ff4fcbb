import type { Tx } from '../store/db.js';
import type { CloudSsoUserProvisioningEventTable, CloudSsoUserProvisioningTable } from '../store/schema-cloudsso-access.js';
import { newPrefixedId } from '../ids.js';
import { ApiError, entityAlreadyExists, entityNotExist } from '../errors.js';
import { createUser as createRamUser, deleteUser as deleteRamUser, findUserById as findRamUserById, findUserByName as findRamUserByName } from '../ram/users.js';
import { countedPageByColumns, type CountedPage, type PageRequest } from '../paging.js';
import type { Target } from './provisioning.js';
import type { Principal } from './principal.js';

// RAM user provisioning: a CloudSSO user (or every member of a group) gets a RAM user of its own in a member
// account, marked ProvisionType CloudSSO. A user that cannot be provisioned leaves an event with the reason,
// which can be retried or dismissed. Runs in the request's transaction.

export type UserProvisioning = CloudSsoUserProvisioningTable;
export type UserProvisioningEvent = CloudSsoUserProvisioningEventTable;
export type DeletionStrategy = 'Delete' | 'Keep';
export type DuplicationStrategy = 'KeepBoth' | 'TakeOver';

export const PROVISION_TYPE = 'CloudSSO';
export const IMS_USER_EXISTS = 'OperationConflict.UserProvisioning.Process.fail.ImsUserExists';
const SUFFIX = '_sso';

interface SsoUserRow {
  id: string;
  user_name: string;
  display_name: string;
  email: string;
  description: string;
}

/** The RAM user name for a CloudSSO user name: RAM allows `[A-Za-z0-9._-]`, CloudSSO also `@`. */
export function ramNameOf(userName: string): string {
  return userName.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 64 - SUFFIX.length);
}

async function usersOf(tx: Tx, p: UserProvisioning, onlyUserId?: string): Promise<SsoUserRow[]> {
  const columns = ['u.id', 'u.user_name', 'u.display_name', 'u.email', 'u.description'] as const;
  if (p.principal_type === 'User') {
    if (onlyUserId && onlyUserId !== p.principal_id) return [];
    return tx.selectFrom('cloudsso_users as u').select(columns).where('u.id', '=', p.principal_id).where('u.directory_id', '=', p.directory_id).execute();
  }
  let query = tx.selectFrom('cloudsso_group_members as m').innerJoin('cloudsso_users as u', 'u.id', 'm.user_id').select(columns).where('m.group_id', '=', p.principal_id);
  if (onlyUserId) query = query.where('u.id', '=', onlyUserId);
  return query.orderBy('u.user_name_key').execute();
}

class ProvisionFailure extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/** Gives one CloudSSO user its RAM user in the target account (idempotent). */
async function provisionUser(tx: Tx, p: UserProvisioning, user: SsoUserRow, now: string): Promise<void> {
  const done = await tx
    .selectFrom('cloudsso_provisioned_ram_users')
    .select('ram_user_id')
    .where('user_provisioning_id', '=', p.id)
    .where('user_id', '=', user.id)
    .executeTakeFirst();
  if (done && (await findRamUserById(tx, p.target_id, done.ram_user_id))) return;
  if (done) await tx.deleteFrom('cloudsso_provisioned_ram_users').where('user_provisioning_id', '=', p.id).where('user_id', '=', user.id).execute();

  const name = ramNameOf(user.user_name);
  let ramUser = await findRamUserByName(tx, p.target_id, name);
  if (ramUser && p.duplication_strategy === 'TakeOver') {
    await tx.updateTable('ram_users').set({ provision_type: PROVISION_TYPE, updated_at: now }).where('id', '=', ramUser.id).execute();
  } else {
    const wanted = ramUser ? `${name}${SUFFIX}` : name;
    if (await findRamUserByName(tx, p.target_id, wanted)) {
      throw new ProvisionFailure(IMS_USER_EXISTS, `A RAM user named ${wanted} already exists in account ${p.target_id}.`);
    }
    ramUser = await createRamUser(
      tx,
      p.target_id,
      {
        name: wanted,
        displayName: (user.display_name || user.user_name).slice(0, 128),
        email: user.email,
        comments: `Provisioned by CloudSSO (${p.id})`.slice(0, 128),
        provisionType: PROVISION_TYPE,
      },
      now,
    );
  }
  await tx
    .insertInto('cloudsso_provisioned_ram_users')
    .values({ user_provisioning_id: p.id, user_id: user.id, account_id: p.target_id, ram_user_id: ramUser.id, created_at: now })
    .execute();
}

async function recordFailure(tx: Tx, p: UserProvisioning, user: SsoUserRow, failure: ProvisionFailure, now: string): Promise<void> {
  const info = `${failure.code}: ${failure.message}`;
  const existing = await tx
    .selectFrom('cloudsso_user_provisioning_events')
    .selectAll()
    .where('user_provisioning_id', '=', p.id)
    .where('user_id', '=', user.id)
    .executeTakeFirst();
  if (existing) {
    await tx
      .updateTable('cloudsso_user_provisioning_events')
      .set({ error_count: existing.error_count + 1, error_info: info, latest_async_time: now, updated_at: now })
      .where('id', '=', existing.id)
      .execute();
    return;
  }
  await tx
    .insertInto('cloudsso_user_provisioning_events')
    .values({
      id: newPrefixedId('upe-'),
      directory_id: p.directory_id,
      user_provisioning_id: p.id,
      principal_type: p.principal_type,
      principal_id: p.principal_id,
      principal_name: p.principal_name,
      user_id: user.id,
      target_type: p.target_type,
      target_id: p.target_id,
      target_name: p.target_name,
      target_path: p.target_path,
      event_type: 'Provision',
      deletion_strategy: p.deletion_strategy,
      duplication_strategy: p.duplication_strategy,
      error_count: 1,
      error_info: info,
      latest_async_time: now,
      created_at: now,
      updated_at: now,
    })
    .execute();
}

/** Provisions every user the provisioning covers; failures become events, successes clear earlier events. */
export async function runUserProvisioning(tx: Tx, p: UserProvisioning, now: string, onlyUserId?: string): Promise<void> {
  for (const user of await usersOf(tx, p, onlyUserId)) {
    try {
      await provisionUser(tx, p, user, now);
      await tx.deleteFrom('cloudsso_user_provisioning_events').where('user_provisioning_id', '=', p.id).where('user_id', '=', user.id).execute();
    } catch (error) {
      if (!(error instanceof ProvisionFailure)) throw error;
      await recordFailure(tx, p, user, error, now);
    }
  }
}

function provisioningsOfGroup(tx: Tx, groupId: string): Promise<UserProvisioning[]> {
  return tx
    .selectFrom('cloudsso_user_provisionings')
    .selectAll()
    .where('principal_type', '=', 'Group')
    .where('principal_id', '=', groupId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** A user who joins a group gets what the group's RAM user provisionings gave its other members (events on failure). */
export async function provisionJoinedMember(tx: Tx, groupId: string, userId: string, now: string): Promise<void> {
  for (const p of await provisioningsOfGroup(tx, groupId)) await runUserProvisioning(tx, p, now, userId);
}

/**
 * A user who leaves a group loses what the group's provisionings made for it: the records and events go, and with
 * DeletionStrategy Delete the RAM user too, unless another provisioning (of the user or another group) still holds it.
 */
export async function deprovisionLeavingMember(tx: Tx, groupId: string, userId: string): Promise<void> {
  for (const p of await provisioningsOfGroup(tx, groupId)) {
    await tx.deleteFrom('cloudsso_user_provisioning_events').where('user_provisioning_id', '=', p.id).where('user_id', '=', userId).execute();
    const made = await tx
      .selectFrom('cloudsso_provisioned_ram_users')
      .selectAll()
      .where('user_provisioning_id', '=', p.id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (!made) continue;
    await tx.deleteFrom('cloudsso_provisioned_ram_users').where('user_provisioning_id', '=', p.id).where('user_id', '=', userId).execute();
    if (p.deletion_strategy !== 'Delete') continue;
    const stillHeld = await tx
      .selectFrom('cloudsso_provisioned_ram_users')
      .select('user_provisioning_id')
      .where('account_id', '=', made.account_id)
      .where('ram_user_id', '=', made.ram_user_id)
      .executeTakeFirst();
    if (stillHeld) continue;
    const ramUser = await findRamUserById(tx, made.account_id, made.ram_user_id);
    if (ramUser) await deleteRamUser(tx, ramUser, { refuse: [] });
  }
}

export interface NewUserProvisioning {
  ownerPk: string;
  principal: Principal;
  target: Target;
  deletionStrategy: DeletionStrategy;
  duplicationStrategy: DuplicationStrategy;
  description: string;
}

export async function createUserProvisioning(tx: Tx, directoryId: string, input: NewUserProvisioning, now: string): Promise<UserProvisioning> {
  const existing = await tx
    .selectFrom('cloudsso_user_provisionings')
    .select('id')
    .where('directory_id', '=', directoryId)
    .where('principal_type', '=', input.principal.type)
    .where('principal_id', '=', input.principal.id)
    .where('target_id', '=', input.target.id)
    .executeTakeFirst();
  if (existing) throw entityAlreadyExists('EntityAlreadyExists.UserProvisioning', `RAM user provisioning of ${input.principal.type} ${input.principal.name} to ${input.target.id}`);
  const p: UserProvisioning = {
    id: newPrefixedId('up-'),
    directory_id: directoryId,
    owner_pk: input.ownerPk,
    principal_type: input.principal.type,
    principal_id: input.principal.id,
    principal_name: input.principal.name,
    target_type: input.target.type,
    target_id: input.target.id,
    target_name: input.target.name,
    target_path: input.target.path,
    deletion_strategy: input.deletionStrategy,
    duplication_strategy: input.duplicationStrategy,
    description: input.description,
    status: 'Enabled',
    created_at: now,
    updated_at: now,
  };
  await tx.insertInto('cloudsso_user_provisionings').values(p).execute();
  await runUserProvisioning(tx, p, now);
  return p;
}

export async function getUserProvisioning(tx: Tx, directoryId: string, id: string): Promise<UserProvisioning> {
  const p = await tx.selectFrom('cloudsso_user_provisionings').selectAll().where('directory_id', '=', directoryId).where('id', '=', id).executeTakeFirst();
  if (!p) throw entityNotExist('EntityNotExists.UserProvisioning', `RAM user provisioning ${id}`);
  return p;
}

export async function updateUserProvisioning(
  tx: Tx,
  p: UserProvisioning,
  changes: { description?: string; deletionStrategy?: DeletionStrategy; duplicationStrategy?: DuplicationStrategy },
  now: string,
): Promise<UserProvisioning> {
  const next: UserProvisioning = {
    ...p,
    description: changes.description ?? p.description,
    deletion_strategy: changes.deletionStrategy ?? p.deletion_strategy,
    duplication_strategy: changes.duplicationStrategy ?? p.duplication_strategy,
    updated_at: now,
  };
  await tx
    .updateTable('cloudsso_user_provisionings')
    .set({ description: next.description, deletion_strategy: next.deletion_strategy, duplication_strategy: next.duplication_strategy, updated_at: now })
    .where('id', '=', p.id)
    .execute();
  return next;
}

/** With DeletionStrategy Delete the RAM users it made (or took over) go too, with their keys and attachments. */
export async function deleteUserProvisioning(tx: Tx, p: UserProvisioning): Promise<void> {
  if (p.deletion_strategy === 'Delete') {
    const made = await tx.selectFrom('cloudsso_provisioned_ram_users').selectAll().where('user_provisioning_id', '=', p.id).execute();
    for (const row of made) {
      const ramUser = await findRamUserById(tx, row.account_id, row.ram_user_id);
      if (ramUser) await deleteRamUser(tx, ramUser, { refuse: [] });
    }
  }
  await tx.deleteFrom('cloudsso_user_provisioning_events').where('user_provisioning_id', '=', p.id).execute();
  await tx.deleteFrom('cloudsso_provisioned_ram_users').where('user_provisioning_id', '=', p.id).execute();
  await tx.deleteFrom('cloudsso_user_provisionings').where('id', '=', p.id).execute();
}

/** Oldest first; the key is the (created_at, id) of the last provisioning shown. */
export async function listUserProvisionings(
  tx: Tx,
  directoryId: string,
  q: { principalType?: string; principalId?: string; targetId?: string },
  page: PageRequest<[string, string]>,
): Promise<CountedPage<UserProvisioning, [string, string]>> {
  let base = tx.selectFrom('cloudsso_user_provisionings').where('directory_id', '=', directoryId);
  if (q.principalType) base = base.where('principal_type', '=', q.principalType as 'User' | 'Group');
  if (q.principalId) base = base.where('principal_id', '=', q.principalId);
  if (q.targetId) base = base.where('target_id', '=', q.targetId);
  return countedPageByColumns(page, base.selectAll(), ['created_at', 'id'], base);
}

// ---- events ----

export async function getEvent(tx: Tx, directoryId: string, id: string): Promise<UserProvisioningEvent> {
  const e = await tx.selectFrom('cloudsso_user_provisioning_events').selectAll().where('directory_id', '=', directoryId).where('id', '=', id).executeTakeFirst();
  if (!e) throw entityNotExist('EntityNotExists.UserProvisioningEvent', `RAM user provisioning event ${id}`);
  return e;
}

/** Oldest first; the key is the (created_at, id) of the last event shown. */
export async function listEvents(
  tx: Tx,
  directoryId: string,
  q: { userProvisioningId?: string },
  page: PageRequest<[string, string]>,
): Promise<CountedPage<UserProvisioningEvent, [string, string]>> {
  let base = tx.selectFrom('cloudsso_user_provisioning_events').where('directory_id', '=', directoryId);
  if (q.userProvisioningId) base = base.where('user_provisioning_id', '=', q.userProvisioningId);
  return countedPageByColumns(page, base.selectAll(), ['created_at', 'id'], base);
}

/** Tries the event's user again with the provisioning's current strategies; the event goes away on success. */
export async function retryEvent(tx: Tx, event: UserProvisioningEvent, now: string): Promise<void> {
  const p = await tx.selectFrom('cloudsso_user_provisionings').selectAll().where('id', '=', event.user_provisioning_id).executeTakeFirst();
  if (!p) throw new ApiError('EntityNotExists.UserProvisioning', 404, `The RAM user provisioning ${event.user_provisioning_id} does not exist.`);
  await runUserProvisioning(tx, p, now, event.user_id);
}

export async function deleteEvent(tx: Tx, event: UserProvisioningEvent): Promise<void> {
  await tx.deleteFrom('cloudsso_user_provisioning_events').where('id', '=', event.id).execute();
}

export async function provisioningStatistics(tx: Tx, directoryId: string): Promise<{ provisionings: number; failedEvents: number; ramUsers: number }> {
  const count = async (table: 'cloudsso_user_provisionings' | 'cloudsso_user_provisioning_events'): Promise<number> =>
    Number((await tx.selectFrom(table).select((eb) => eb.fn.countAll<number | string>().as('n')).where('directory_id', '=', directoryId).executeTakeFirst())?.n ?? 0);
  const users = await tx
    .selectFrom('cloudsso_provisioned_ram_users as r')
    .innerJoin('cloudsso_user_provisionings as p', 'p.id', 'r.user_provisioning_id')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('p.directory_id', '=', directoryId)
    .executeTakeFirst();
  return { provisionings: await count('cloudsso_user_provisionings'), failedEvents: await count('cloudsso_user_provisioning_events'), ramUsers: Number(users?.n ?? 0) };
}
