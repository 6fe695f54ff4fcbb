import type { Tx } from '../store/db.js';
import { removeTags, taggedWith, type TagFilter } from '../tags/store.js';
import { hasAttachedPolicies } from './attachments.js';
import type { RamRoleTable } from '../store/schema.js';
import { newRoleId } from '../ids.js';
import { ApiError, entityAlreadyExists, entityNotExist } from '../errors.js';
import { parsePolicyDocument } from '../policy/document.js';
import { pageByColumn, type Page, type PageRequest } from '../paging.js';
import { checkAccountQuota } from './quotas.js';

export type RamRole = RamRoleTable;

export const DEFAULT_MAX_SESSION_DURATION = 3600;

export async function findRoleByName(tx: Tx, accountId: string, name: string): Promise<RamRole | undefined> {
  return tx.selectFrom('ram_roles').selectAll().where('account_id', '=', accountId).where('name_key', '=', name.toLowerCase()).executeTakeFirst();
}

export async function getRoleByName(tx: Tx, accountId: string, name: string): Promise<RamRole> {
  const role = await findRoleByName(tx, accountId, name);
  if (!role) throw entityNotExist('EntityNotExist.Role', `role ${name}`);
  return role;
}

/** A trust policy must parse as one before it is stored: a role nobody can assume by mistake is still a mistake. */
export function checkTrustPolicy(document: string): void {
  const parsed = parsePolicyDocument(document, { kind: 'trust' });
  if (!parsed.ok) throw new ApiError(parsed.code, 400, parsed.message);
}

export interface NewRole {
  name: string;
  assumeRolePolicyDocument: string;
  description?: string;
  maxSessionDuration?: number;
}

export async function createRole(tx: Tx, accountId: string, input: NewRole, now: string): Promise<RamRole> {
  checkTrustPolicy(input.assumeRolePolicyDocument);
  if (await findRoleByName(tx, accountId, input.name)) throw entityAlreadyExists('EntityAlreadyExists.Role', `role ${input.name}`);
  await checkAccountQuota(tx, accountId, 'Role');
  const role: RamRole = {
    id: newRoleId(),
    account_id: accountId,
    name: input.name,
    name_key: input.name.toLowerCase(),
    description: input.description ?? '',
    assume_role_policy_document: input.assumeRolePolicyDocument,
    max_session_duration: input.maxSessionDuration ?? DEFAULT_MAX_SESSION_DURATION,
    created_at: now,
    updated_at: now,
  };
  await tx.insertInto('ram_roles').values(role).execute();
  return role;
}

export interface RoleChanges {
  assumeRolePolicyDocument?: string;
  description?: string;
  maxSessionDuration?: number;
}

export async function updateRole(tx: Tx, accountId: string, name: string, changes: RoleChanges, now: string): Promise<RamRole> {
  const role = await getRoleByName(tx, accountId, name);
  if (changes.assumeRolePolicyDocument !== undefined) checkTrustPolicy(changes.assumeRolePolicyDocument);
  const updated: RamRole = {
    ...role,
    assume_role_policy_document: changes.assumeRolePolicyDocument ?? role.assume_role_policy_document,
    description: changes.description ?? role.description,
    max_session_duration: changes.maxSessionDuration ?? role.max_session_duration,
    updated_at: now,
  };
  await tx
    .updateTable('ram_roles')
    .set({
      assume_role_policy_document: updated.assume_role_policy_document,
      description: updated.description,
      max_session_duration: updated.max_session_duration,
      updated_at: now,
    })
    .where('id', '=', role.id)
    .execute();
  return updated;
}

/** Deleting a role also ends its STS sessions (the foreign key cascades). */
export async function deleteRole(tx: Tx, accountId: string, name: string): Promise<void> {
  const role = await getRoleByName(tx, accountId, name);
  if (await hasAttachedPolicies(tx, accountId, 'Role', role.id)) throw new ApiError('DeleteConflict.Role.Policy', 409, 'The role CAN NOT has any attached policy while deleting the role.');
  await removeTags(tx, accountId, 'role', role.id, 'all');
  await tx.deleteFrom('ram_roles').where('id', '=', role.id).execute();
}

/** One page of roles (carrying every one of `tags`) in name order, keyed by name_key. */
export async function listRoles(tx: Tx, accountId: string, query: { tags?: TagFilter[] }, page: PageRequest): Promise<Page<RamRole>> {
  let base = tx.selectFrom('ram_roles').selectAll().where('account_id', '=', accountId);
  for (const filter of query.tags ?? []) base = base.where('id', 'in', taggedWith(tx, accountId, 'role', filter));
  return pageByColumn(page, base, 'name_key');
}
