import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { Tx } from '../store/db.js';
import type { Database } from '../store/schema.js';
import type { CloudSsoAssignmentTable } from '../store/schema-cloudsso-access.js';
import { entityNotExist, invalidParameter } from '../errors.js';
import { countedPageByColumns, type CountedPage, type PageRequest } from '../paging.js';
import { findGroup } from './groups.js';
import { findUser } from './users.js';
import { newPrefixedId } from '../ids.js';
import type { Principal } from './principal.js';

export type Assignment = CloudSsoAssignmentTable;

/** A user or group of the directory, by type and ID; EntityNotExists.User / .Group otherwise. */
export async function resolvePrincipal(tx: Tx, directoryId: string, type: string, id: string): Promise<Principal> {
  if (type === 'User') {
    const user = await findUser(tx, directoryId, id);
    if (!user) throw entityNotExist('EntityNotExists.User', `user ${id}`);
    return { type, id: user.id, name: user.user_name };
  }
  if (type === 'Group') {
    const group = await findGroup(tx, directoryId, id);
    if (!group) throw entityNotExist('EntityNotExists.Group', `group ${id}`);
    return { type, id: group.id, name: group.name };
  }
  throw invalidParameter('PrincipalType', 'it must be User or Group');
}

/** Records an assignment unless it exists already (a task may run again after a node stopped mid-way). */
export async function recordAssignment(
  tx: Tx,
  ac: { id: string; directory_id: string },
  target: { type: Assignment['target_type']; id: string },
  principal: Pick<Principal, 'type' | 'id'>,
  now: string,
): Promise<void> {
  if (await findAssignment(tx, { acId: ac.id, targetId: target.id, principal })) return;
  await tx
    .insertInto('cloudsso_assignments')
    .values({
      id: newPrefixedId('aa-'),
      directory_id: ac.directory_id,
      access_configuration_id: ac.id,
      target_type: target.type,
      target_id: target.id,
      principal_type: principal.type,
      principal_id: principal.id,
      created_at: now,
    })
    .execute();
}

/** One assignment: an access configuration on a target account for a principal. */
export interface AssignmentKey {
  acId: string;
  targetId: string;
  principal: Pick<Principal, 'type' | 'id'>;
}

const isAssignment = (eb: ExpressionBuilder<Database, 'cloudsso_assignments'>, key: AssignmentKey): Expression<SqlBool> =>
  eb.and([
    eb('access_configuration_id', '=', key.acId),
    eb('target_id', '=', key.targetId),
    eb('principal_type', '=', key.principal.type),
    eb('principal_id', '=', key.principal.id),
  ]);

export function findAssignment(tx: Tx, key: AssignmentKey): Promise<Assignment | undefined> {
  return tx.selectFrom('cloudsso_assignments').selectAll().where((eb) => isAssignment(eb, key)).executeTakeFirst();
}

export async function removeAssignment(tx: Tx, key: AssignmentKey): Promise<void> {
  await tx.deleteFrom('cloudsso_assignments').where((eb) => isAssignment(eb, key)).execute();
}

/** How many assignments of an access configuration an account still has (what keeps it provisioned there). */
export async function assignmentsOnAccount(tx: Tx, acId: string, targetId: string): Promise<number> {
  const row = await tx
    .selectFrom('cloudsso_assignments')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('access_configuration_id', '=', acId)
    .where('target_id', '=', targetId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export interface AssignmentQuery {
  acId?: string;
  targetId?: string;
  principalType?: 'User' | 'Group';
  principalId?: string;
}

/** Oldest first; the key is the (created_at, id) of the last assignment shown. */
export async function listAssignments(
  tx: Tx,
  directoryId: string,
  q: AssignmentQuery,
  page: PageRequest<[string, string]>,
): Promise<CountedPage<Assignment, [string, string]>> {
  let base = tx.selectFrom('cloudsso_assignments').where('directory_id', '=', directoryId);
  if (q.acId) base = base.where('access_configuration_id', '=', q.acId);
  if (q.targetId) base = base.where('target_id', '=', q.targetId);
  if (q.principalType) base = base.where('principal_type', '=', q.principalType);
  if (q.principalId) base = base.where('principal_id', '=', q.principalId);
  return countedPageByColumns(page, base.selectAll(), ['created_at', 'id'], base);
}

/** Names of principals for a page of assignments, in two queries. */
export async function principalNames(tx: Tx, rows: Array<{ principal_type: string | null; principal_id: string | null }>): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const userIds = [...new Set(rows.filter((r) => r.principal_type === 'User').map((r) => r.principal_id!))];
  const groupIds = [...new Set(rows.filter((r) => r.principal_type === 'Group').map((r) => r.principal_id!))];
  if (userIds.length > 0) {
    for (const u of await tx.selectFrom('cloudsso_users').select(['id', 'user_name']).where('id', 'in', userIds).execute()) out.set(`User:${u.id}`, u.user_name);
  }
  if (groupIds.length > 0) {
    for (const g of await tx.selectFrom('cloudsso_groups').select(['id', 'name']).where('id', 'in', groupIds).execute()) out.set(`Group:${g.id}`, g.name);
  }
  return out;
}
