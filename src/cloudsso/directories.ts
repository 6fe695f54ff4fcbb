import { sql, type Selectable } from 'kysely';
import { ApiError, entityNotExist } from '../errors.js';
import { newPrefixedId } from '../ids.js';
import type { Tx } from '../store/db.js';
import type { CloudSsoDirectoryTable } from '../store/schema-cloudsso.js';
import { requireManagementAccount } from './management-account.js';
import { USER_QUOTA } from './users.js';
import { GROUP_QUOTA } from './groups.js';
import { deleteSpKeys, spOwner } from '../saml/sp-keys.js';

/** Access configurations per directory (enforced by access-configurations.ts). */
export const ACCESS_CONFIGURATION_QUOTA = 1000;

export type Directory = Selectable<CloudSsoDirectoryTable>;

/** Directory names (spec §1.5): 2–64 of `[a-z0-9-]`, no leading, trailing or double `-`, not starting with `d-`. */
export const DIRECTORY_NAME = /^(?!d-)[a-z0-9](?:[a-z0-9]|-(?!-))*[a-z0-9]$/;

/**
 * The directory `directoryId` of the caller's management account: 403 for any other account,
 * 404 EntityNotExists.Directory when it is missing or belongs to someone else.
 */
export async function getDirectory(tx: Tx, directoryId: string, callerAccountId: string): Promise<Directory> {
  await requireManagementAccount(tx, callerAccountId);
  const directory = await tx
    .selectFrom('cloudsso_directories')
    .selectAll()
    .where('id', '=', directoryId)
    .where('management_account_id', '=', callerAccountId)
    .executeTakeFirst();
  if (!directory) throw entityNotExist('EntityNotExists.Directory', `directory ${directoryId}`);
  return directory;
}

export function findDirectoryOf(tx: Tx, managementAccountId: string): Promise<Directory | undefined> {
  return tx.selectFrom('cloudsso_directories').selectAll().where('management_account_id', '=', managementAccountId).executeTakeFirst();
}

export function findDirectoryByName(tx: Tx, name: string): Promise<Directory | undefined> {
  return tx.selectFrom('cloudsso_directories').selectAll().where('name', '=', name.toLowerCase()).executeTakeFirst();
}

/** The name of the directory a CloudSSO user belongs to, which is the path of that user's portal. */
export async function findDirectoryNameOfUser(tx: Tx, userId: string): Promise<string | undefined> {
  const row = await tx
    .selectFrom('cloudsso_users as u')
    .innerJoin('cloudsso_directories as d', 'd.id', 'u.directory_id')
    .select('d.name')
    .where('u.id', '=', userId)
    .executeTakeFirst();
  return row?.name;
}

async function checkNameFree(tx: Tx, name: string): Promise<void> {
  if (await findDirectoryByName(tx, name)) throw new ApiError('EntityAlreadyExists.DirectoryName', 409, `The directory name ${name} is already in use.`);
}

/** Defaults of a new directory: Alibaba's initial password policy, MFA on, SCIM off, any network, no SourceIdentity passed on. */
export async function createDirectory(tx: Tx, accountId: string, region: string, name: string, now: string): Promise<Directory> {
  if (await findDirectoryOf(tx, accountId)) {
    throw new ApiError('QuotaExceeded.Directory', 409, 'A management account can have only one CloudSSO directory.');
  }
  await checkNameFree(tx, name);
  const directory: Directory = {
    id: newPrefixedId('d-', 12),
    management_account_id: accountId,
    name,
    region,
    mfa_authentication_status: 'Enabled',
    mfa_authentication_settings: 'Enabled',
    operation_for_risk_login: 'Autonomous',
    login_network_masks: '',
    allow_user_to_get_credentials: 1,
    scim_sync_status: 'Disabled',
    min_password_length: 8,
    min_password_different_chars: 0,
    password_not_contain_username: 1,
    max_password_age: 90,
    password_reuse_prevention: 1,
    max_login_attempts: 5,
    source_identity_passing: 'Disabled',
    created_at: now,
    updated_at: now,
  };
  await tx.insertInto('cloudsso_directories').values(directory).execute();
  return directory;
}

export async function renameDirectory(tx: Tx, directory: Directory, name: string, now: string): Promise<Directory> {
  if (name === directory.name) return directory;
  await checkNameFree(tx, name);
  await tx.updateTable('cloudsso_directories').set({ name, updated_at: now }).where('id', '=', directory.id).execute();
  return { ...directory, name, updated_at: now };
}

export type DirectorySettings = Partial<Omit<Directory, 'id' | 'management_account_id' | 'name' | 'region' | 'created_at' | 'updated_at'>>;

export async function updateDirectorySettings(tx: Tx, directory: Directory, settings: DirectorySettings, now: string): Promise<Directory> {
  const changes = Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined)) as DirectorySettings;
  if (Object.keys(changes).length === 0) return directory;
  await tx.updateTable('cloudsso_directories').set({ ...changes, updated_at: now }).where('id', '=', directory.id).execute();
  return { ...directory, ...changes, updated_at: now };
}

export async function countRows(
  tx: Tx,
  table: 'cloudsso_users' | 'cloudsso_groups' | 'cloudsso_scim_credentials',
  directoryId: string,
): Promise<number> {
  const row = await tx.selectFrom(table).select((eb) => eb.fn.countAll<number | string>().as('n')).where('directory_id', '=', directoryId).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Deletes an empty directory: users, groups and (checked by the caller) access configurations must be gone first. */
export async function deleteDirectory(tx: Tx, directory: Directory): Promise<void> {
  if ((await countRows(tx, 'cloudsso_users', directory.id)) > 0) {
    throw new ApiError('DeletionConflict.Directory.User', 409, 'The directory still has users. Delete them first.');
  }
  if ((await countRows(tx, 'cloudsso_groups', directory.id)) > 0) {
    throw new ApiError('DeletionConflict.Directory.Group', 409, 'The directory still has groups. Delete them first.');
  }
  // Settings that hang off the directory go with it.
  await tx.deleteFrom('cloudsso_saml_idp_certificates').where('directory_id', '=', directory.id).execute();
  await tx.deleteFrom('cloudsso_saml_idps').where('directory_id', '=', directory.id).execute();
  await deleteSpKeys(tx, spOwner(directory.id));
  await tx.deleteFrom('cloudsso_scim_credentials').where('directory_id', '=', directory.id).execute();
  await tx.deleteFrom('portal_sessions').where('directory_id', '=', directory.id).execute();
  await tx.deleteFrom('cloudsso_directories').where('id', '=', directory.id).execute();
}

async function countWhere(
  tx: Tx,
  table: 'cloudsso_access_configurations' | 'cloudsso_assignments' | 'cloudsso_tasks',
  directoryId: string,
  inProgressOnly = false,
): Promise<number> {
  let q = tx.selectFrom(table).select((eb) => eb.fn.countAll<number | string>().as('n')).where('directory_id', '=', directoryId);
  if (inProgressOnly) q = q.where(sql.ref('status'), '=', 'InProgress');
  const row = await q.executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Access configurations and running tasks hold a directory too (the users and groups are checked by deleteDirectory). */
export async function checkNoAccessObjects(tx: Tx, directoryId: string): Promise<void> {
  if ((await countWhere(tx, 'cloudsso_tasks', directoryId, true)) > 0) {
    throw new ApiError('DeletionConflict.Directory.Task', 409, 'The directory has tasks in progress. Wait for them to finish.');
  }
  if ((await countWhere(tx, 'cloudsso_access_configurations', directoryId)) > 0) {
    throw new ApiError('DeletionConflict.Directory.AccessConfiguration', 409, 'The directory still has access configurations. Delete them first.');
  }
}

/** GetDirectoryStatistics: counts and the quotas Gatehouse enforces. */
export async function directoryStatistics(tx: Tx, directory: Directory): Promise<Record<string, unknown>> {
  const [users, groups, credentials, configurations, assignments, tasks] = await Promise.all([
    countRows(tx, 'cloudsso_users', directory.id),
    countRows(tx, 'cloudsso_groups', directory.id),
    countRows(tx, 'cloudsso_scim_credentials', directory.id),
    countWhere(tx, 'cloudsso_access_configurations', directory.id),
    countWhere(tx, 'cloudsso_assignments', directory.id),
    countWhere(tx, 'cloudsso_tasks', directory.id, true),
  ]);
  return {
    DirectoryId: directory.id,
    DirectoryName: directory.name,
    Region: directory.region,
    UserCount: users,
    UserQuota: USER_QUOTA,
    GroupCount: groups,
    GroupQuota: GROUP_QUOTA,
    AccessConfigurationCount: configurations,
    AccessConfigurationQuota: ACCESS_CONFIGURATION_QUOTA,
    SystemPolicyPerAccessConfigurationQuota: 20,
    InlinePolicyPerAccessConfigurationQuota: 1,
    AccessAssignmentCount: assignments,
    InProgressTaskCount: tasks,
    SCIMServerCredentialCount: credentials,
    SCIMSyncEnabled: directory.scim_sync_status === 'Enabled',
    SSOEnabled: false,
  };
}
