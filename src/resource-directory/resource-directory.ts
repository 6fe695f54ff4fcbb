import { sql } from 'kysely';
import { countOf, countRows, type CountedPage, type OffsetRequest } from '../paging.js';
import type { Tx } from '../store/db.js';
import { taggedWith, type TagFilter } from '../tags/store.js';
import type { RdAccountTable, RdDirectoryTable, RdFolderTable } from '../store/schema-directory.js';
import { randomString } from '../ids.js';
import { ApiError, entityNotExist } from '../errors.js';
import { createRole } from '../ram/roles.js';
import { attachPolicy } from '../ram/attachments.js';
import { policyRef } from '../ram/policies.js';
import { rootArn } from '../ram/principal.js';
import { createAccount, defaultDomainOf, findAccount, type Account } from '../accounts/accounts.js';

// The resource directory of a management account (ResourceManager 2020-03-31): a folder tree rooted at `r-…`,
// member accounts that are real accounts with their own RAM, and the management account itself listed as a
// CloudAccount in Root. The management account reaches a member's RAM only by assuming the member's
// ResourceDirectoryAccountAccessRole through STS, as on Alibaba Cloud.

export type ResourceDirectory = RdDirectoryTable;
export type RdFolder = RdFolderTable;

export const ACCESS_ROLE_NAME = 'ResourceDirectoryAccountAccessRole';
export const ACCESS_ROLE_POLICY = 'AdministratorAccess';
export const ROOT_FOLDER_NAME = 'Root';
export const MAX_FOLDER_DEPTH = 5;
const ACCOUNT_NAME_DOMAIN = 'aliyunid.com';

/** A member of a resource directory as other modules see it. `path` is the RDPath `rd-…/r-…/fd-…/<accountId>`. */
export interface RdAccount {
  accountId: string;
  directoryId: string;
  folderId: string;
  displayName: string;
  accountName: string;
  joinMethod: RdAccountTable['join_method'];
  type: RdAccountTable['type'];
  status: string;
  joinTime: string;
  modifyTime: string;
  path: string;
  /** The same path by names: `Root/<folder>/…/<display name>`. */
  pathName: string;
}

const newDirectoryId = (): string => `rd-${randomString(6)}`;
const newRootFolderId = (): string => `r-${randomString(6)}`;
const newFolderId = (): string => `fd-${randomString(10)}`;

export const notEnabled = (): ApiError =>
  new ApiError(
    'EntityNotExists.ResourceDirectory',
    404,
    'The resource directory for the account is not enabled. We recommend that you first enable the resource directory for the account.',
  );

export const memberAccountRefused = (): ApiError =>
  new ApiError('NoPermission.ResourceDirectory.MemberAccount', 409, 'ResourceDirectory Member Account is not authorized to perform this operation.');

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | undefined;
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint failed/.test(e?.message ?? '');
}

/** Runs an insert; a concurrent request that won the same unique key turns into `conflict` instead of an internal error. */
async function insertOrConflict(insert: Promise<unknown>, conflict: (error: unknown) => ApiError): Promise<void> {
  try {
    await insert;
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(error);
    throw error;
  }
}

const alreadyEnabled = (): ApiError =>
  new ApiError(
    'EntityAlreadyExists.ResourceDirectory',
    409,
    'The resource directory for the account is already enabled. We recommend that you do not enable the resource directory again.',
  );
const folderNameUsed = (): ApiError =>
  new ApiError('InvalidParameter.Folder.Name.AlreadyUsed', 400, 'The name already exists under the same parent. Please change to another name.');
const displayNameUsed = (): ApiError => new ApiError('InvalidParameter.Account.DisplayName.AlreadyUsed', 409, 'The displayname of account has been used.');
const accountNameUsed = (): ApiError =>
  new ApiError('EntityAlreadyExists.ResourceDirectory.Account', 409, 'The email address that the system generates when you create a member account already exists. Try again later.');

export async function getResourceDirectoryOf(tx: Tx, managementAccountId: string): Promise<ResourceDirectory | undefined> {
  return tx.selectFrom('rd_directories').selectAll().where('management_account_id', '=', managementAccountId).executeTakeFirst();
}

export async function findResourceDirectory(tx: Tx, directoryId: string): Promise<ResourceDirectory | undefined> {
  return tx.selectFrom('rd_directories').selectAll().where('id', '=', directoryId).executeTakeFirst();
}

/** The directory an account belongs to, as its management account or as a member. */
export async function directoryOfAccount(tx: Tx, accountId: string): Promise<ResourceDirectory | undefined> {
  const row = await tx.selectFrom('rd_accounts').select('directory_id').where('account_id', '=', accountId).executeTakeFirst();
  return row ? findResourceDirectory(tx, row.directory_id) : undefined;
}

/**
 * The directory the caller's account manages. A member account is refused (NoPermission.ResourceDirectory.MemberAccount),
 * a management account without a directory gets EntityNotExists.ResourceDirectory.
 */
export async function managedDirectory(tx: Tx, accountId: string): Promise<ResourceDirectory> {
  const rd = await getResourceDirectoryOf(tx, accountId);
  if (rd) return rd;
  const account = await findAccount(tx, accountId);
  if (account?.type === 'member' || (await directoryOfAccount(tx, accountId))) throw memberAccountRefused();
  throw notEnabled();
}

/** Enables the resource directory with the current account as its management account (EnableMode CurrentAccount). */
export async function enableResourceDirectory(tx: Tx, accountId: string, now: string): Promise<ResourceDirectory> {
  const account = await findAccount(tx, accountId);
  if (!account) throw entityNotExist('EntityNotExists.Account', `account ${accountId}`);
  if (await getResourceDirectoryOf(tx, accountId)) throw alreadyEnabled();
  if (account.type === 'member' || (await directoryOfAccount(tx, accountId))) {
    throw new ApiError('NotSupport.AccountInAnotherResourceDirectory', 409, 'The specified account is an Alibaba Cloud account or already exists in another resource directory.');
  }
  const rd: ResourceDirectory = { id: newDirectoryId(), management_account_id: accountId, root_folder_id: newRootFolderId(), created_at: now };
  await insertOrConflict(tx.insertInto('rd_directories').values(rd).execute(), alreadyEnabled);
  await tx
    .insertInto('rd_folders')
    .values({ id: rd.root_folder_id, directory_id: rd.id, parent_id: null, name: ROOT_FOLDER_NAME, depth: 0, path: `${rd.id}/${rd.root_folder_id}`, created_at: now })
    .execute();
  await tx
    .insertInto('rd_accounts')
    .values({
      account_id: accountId,
      directory_id: rd.id,
      folder_id: rd.root_folder_id,
      display_name: account.display_name,
      account_name: account.alias,
      join_method: 'created',
      type: 'CloudAccount',
      status: 'CreateSuccess',
      join_time: now,
      modify_time: now,
    })
    .execute();
  return rd;
}

// ---- folders

export const FOLDER_ID = /^(r-[A-Za-z0-9]{1,32}|fd-[A-Za-z0-9]{1,32})$/;

export async function findFolder(tx: Tx, directoryId: string, folderId: string): Promise<RdFolder | undefined> {
  return tx.selectFrom('rd_folders').selectAll().where('id', '=', folderId).where('directory_id', '=', directoryId).executeTakeFirst();
}

export async function getFolder(tx: Tx, directoryId: string, folderId: string): Promise<RdFolder> {
  const folder = await findFolder(tx, directoryId, folderId);
  if (!folder) throw new ApiError('EntityNotExists.Folder', 404, 'The resource directory folder does not exist.');
  return folder;
}

export async function createFolder(tx: Tx, rd: ResourceDirectory, input: { name: string; parentId?: string }, now: string): Promise<RdFolder> {
  const parent = await getFolder(tx, rd.id, input.parentId ?? rd.root_folder_id);
  if (parent.depth >= MAX_FOLDER_DEPTH) throw new ApiError('LimitExceeded.Folder.Depth', 409, `The folder depth exceeds the limit of ${MAX_FOLDER_DEPTH}.`);
  const sibling = await tx.selectFrom('rd_folders').select('id').where('parent_id', '=', parent.id).where('name', '=', input.name).executeTakeFirst();
  if (sibling) throw folderNameUsed();
  const id = newFolderId();
  const folder: RdFolder = { id, directory_id: rd.id, parent_id: parent.id, name: input.name, depth: parent.depth + 1, path: `${parent.path}/${id}`, created_at: now };
  await insertOrConflict(tx.insertInto('rd_folders').values(folder).execute(), folderNameUsed);
  return folder;
}

/** Lower-case LIKE pattern for a fuzzy keyword, with the wildcards of the keyword itself escaped. */
const likePattern = (keyword: string): string => `%${keyword.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export async function listFoldersForParent(
  tx: Tx,
  rd: ResourceDirectory,
  parentId: string,
  page: OffsetRequest,
  keyword?: string,
): Promise<CountedPage<RdFolder, never>> {
  await getFolder(tx, rd.id, parentId);
  let query = tx.selectFrom('rd_folders').where('parent_id', '=', parentId);
  if (keyword) query = query.where(sql<boolean>`lower(name) like ${likePattern(keyword)} escape '\\'`);
  const items = await query.selectAll().orderBy('name').orderBy('id').limit(page.limit).offset(page.offset).execute();
  return { items, total: countOf(await countRows(query)) };
}

// ---- accounts

/** Prefix of a member's account name: letters, digits and single `_` `.` `-` between them. */
export const ACCOUNT_NAME_PREFIX = /^[A-Za-z0-9](?:[_.-]?[A-Za-z0-9])*$/;

export const accountNameOf = (prefix: string, directoryId: string): string => `${prefix}@${directoryId}.${ACCOUNT_NAME_DOMAIN}`;

/** An alias for the new member, from its account-name prefix: lower case, `-` for `_` and `.`, 3–32 characters, unused. */
async function memberAlias(tx: Tx, prefix: string): Promise<string> {
  const base = prefix.toLowerCase().replace(/[_.]/g, '-').slice(0, 32).replace(/-+$/, '');
  for (let attempt = 0; attempt < 10; attempt++) {
    const candidate = attempt === 0 && base.length >= 3 ? base : `${base.slice(0, 25)}-${randomString(6, 'abcdefghijklmnopqrstuvwxyz0123456789')}`;
    const taken = await tx.selectFrom('accounts').select('id').where('alias', '=', candidate).executeTakeFirst();
    const domainTaken = await tx.selectFrom('account_domains').select('account_id').where('domain_name', '=', defaultDomainOf(candidate)).executeTakeFirst();
    if (!taken && !domainTaken) return candidate;
  }
  throw accountNameUsed();
}

/** The trust policy of a member's access role: the management account (and whom it allows sts:AssumeRole) may assume it. */
export function accessRoleTrustPolicy(managementAccountId: string): string {
  return JSON.stringify({
    Version: '1',
    Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: [rootArn(managementAccountId)] } }],
  });
}

export interface NewResourceAccount {
  displayName: string;
  accountNamePrefix?: string;
  parentFolderId?: string;
}

/**
 * Creates a member of the resource-account type: a real account (no root password: it is reached through its access role),
 * the role ResourceDirectoryAccountAccessRole in its RAM with AdministratorAccess, and its place in the directory.
 */
export async function createResourceAccount(tx: Tx, rd: ResourceDirectory, input: NewResourceAccount, now: string): Promise<RdAccount> {
  const folder = await getFolder(tx, rd.id, input.parentFolderId ?? rd.root_folder_id);
  const sameName = await tx.selectFrom('rd_accounts').select('account_id').where('directory_id', '=', rd.id).where('display_name', '=', input.displayName).executeTakeFirst();
  if (sameName) throw displayNameUsed();
  const prefix = input.accountNamePrefix ?? `${randomString(1, 'abcdefghijklmnopqrstuvwxyz')}${randomString(11, 'abcdefghijklmnopqrstuvwxyz0123456789')}`;
  const accountName = accountNameOf(prefix, rd.id);
  const nameTaken = await tx.selectFrom('rd_accounts').select('account_id').where('account_name', '=', accountName).executeTakeFirst();
  if (nameTaken) throw accountNameUsed();

  const account: Account = await createAccount(tx, { displayName: input.displayName, alias: await memberAlias(tx, prefix), type: 'member', rootPasswordHash: null, now });
  const role = await createRole(
    tx,
    account.id,
    {
      name: ACCESS_ROLE_NAME,
      assumeRolePolicyDocument: accessRoleTrustPolicy(rd.management_account_id),
      description: 'The role the management account of the resource directory uses to access this member.',
      maxSessionDuration: 3600,
    },
    now,
  );
  await attachPolicy(tx, account.id, { type: 'Role', id: role.id, name: role.name }, await policyRef(tx, account.id, 'System', ACCESS_ROLE_POLICY), now);

  const row: RdAccountTable = {
    account_id: account.id,
    directory_id: rd.id,
    folder_id: folder.id,
    display_name: input.displayName,
    account_name: accountName,
    join_method: 'created',
    type: 'ResourceAccount',
    status: 'CreateSuccess',
    join_time: now,
    modify_time: now,
  };
  await insertOrConflict(tx.insertInto('rd_accounts').values(row).execute(), (error) =>
    /display_name/.test(String((error as Error).message)) ? displayNameUsed() : accountNameUsed(),
  );
  return toRdAccount(row, folder.path, await folderNamesPath(tx, folder));
}

/** `Root/<folder>/…` for a folder. */
async function folderNamesPath(tx: Tx, folder: RdFolder): Promise<string> {
  const ids = folder.path.split('/').slice(1);
  const rows = await tx.selectFrom('rd_folders').select(['id', 'name']).where('id', 'in', ids).execute();
  const names = new Map(rows.map((r) => [r.id, r.name]));
  return ids.map((id) => names.get(id) ?? id).join('/');
}

function toRdAccount(row: RdAccountTable, folderPath: string, folderNames: string): RdAccount {
  return {
    accountId: row.account_id,
    directoryId: row.directory_id,
    folderId: row.folder_id,
    displayName: row.display_name,
    accountName: row.account_name,
    joinMethod: row.join_method,
    type: row.type,
    status: row.status,
    joinTime: row.join_time,
    modifyTime: row.modify_time,
    path: `${folderPath}/${row.account_id}`,
    pathName: `${folderNames}/${row.display_name}`,
  };
}

function accountsQuery(tx: Tx, directoryId: string) {
  return tx
    .selectFrom('rd_accounts as a')
    .innerJoin('rd_folders as f', 'f.id', 'a.folder_id')
    .selectAll('a')
    .select('f.path as folder_path')
    .where('a.directory_id', '=', directoryId);
}

type AccountRow = RdAccountTable & { folder_path: string };

async function withNames(tx: Tx, rows: AccountRow[]): Promise<RdAccount[]> {
  const ids = [...new Set(rows.flatMap((r) => r.folder_path.split('/').slice(1)))];
  const names = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = await tx.selectFrom('rd_folders').select(['id', 'name']).where('id', 'in', ids.slice(i, i + 500)).execute();
    for (const f of chunk) names.set(f.id, f.name);
  }
  return rows.map((r) => {
    const folderNames = r.folder_path.split('/').slice(1).map((id) => names.get(id) ?? id).join('/');
    const { folder_path, ...row } = r;
    return toRdAccount(row, folder_path, folderNames);
  });
}

/** A member (or the management account) of the directory; undefined when the account is not in it. */
export async function findRdAccount(tx: Tx, directoryId: string, accountId: string): Promise<RdAccount | undefined> {
  const row = await accountsQuery(tx, directoryId).where('a.account_id', '=', accountId).executeTakeFirst();
  return row ? (await withNames(tx, [row]))[0] : undefined;
}

/** The accounts among `accountIds` that are in the directory, by account ID, in one query (plus one for folder names). */
export async function findRdAccounts(tx: Tx, directoryId: string, accountIds: readonly string[]): Promise<Map<string, RdAccount>> {
  const ids = [...new Set(accountIds)];
  if (ids.length === 0) return new Map();
  const rows = await accountsQuery(tx, directoryId).where('a.account_id', 'in', ids).execute();
  return new Map((await withNames(tx, rows)).map((a) => [a.accountId, a]));
}

export async function getRdAccount(tx: Tx, directoryId: string, accountId: string): Promise<RdAccount> {
  const account = await findRdAccount(tx, directoryId, accountId);
  if (!account) throw new ApiError('EntityNotExists.Account', 404, 'This resource directory account does not exist.');
  return account;
}

/** Every account of the directory, in join order. */
export async function listRdAccounts(tx: Tx, directoryId: string): Promise<RdAccount[]> {
  const rows = await accountsQuery(tx, directoryId).orderBy('a.join_time').orderBy('a.account_id').execute();
  return withNames(tx, rows);
}

export async function listAccountsPage(
  tx: Tx,
  directoryId: string,
  page: OffsetRequest,
  keyword?: string,
  tags?: { ownerAccountId: string; filters: TagFilter[] },
): Promise<CountedPage<RdAccount, never>> {
  let base = tx.selectFrom('rd_accounts').where('directory_id', '=', directoryId);
  for (const tag of tags?.filters ?? []) base = base.where('account_id', 'in', taggedWith(tx, tags!.ownerAccountId, 'account', tag));
  if (keyword) {
    const pattern = likePattern(keyword);
    base = base.where(sql<boolean>`(lower(display_name) like ${pattern} escape '\\' or account_id like ${pattern} escape '\\')`);
  }
  let rowsQuery = accountsQuery(tx, directoryId);
  if (keyword) {
    const pattern = likePattern(keyword);
    rowsQuery = rowsQuery.where(sql<boolean>`(lower(a.display_name) like ${pattern} escape '\\' or a.account_id like ${pattern} escape '\\')`);
  }
  for (const tag of tags?.filters ?? []) rowsQuery = rowsQuery.where('a.account_id', 'in', taggedWith(tx, tags!.ownerAccountId, 'account', tag));
  const rows = await rowsQuery.orderBy('a.join_time').orderBy('a.account_id').limit(page.limit).offset(page.offset).execute();
  const total = countOf(await countRows(base));
  return { items: await withNames(tx, rows), total };
}
