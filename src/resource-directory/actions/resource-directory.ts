import { apiTime } from '../../clock.js';
import type { OffsetRequest } from '../../paging.js';
import { tagFilterList, tagList } from '../../openapi/tag-params.js';
import { addTags, tagsOf } from '../../tags/store.js';
import { findAccount } from '../../accounts/accounts.js';
import { defineAction, type ActionDefinition } from '../../openapi/define-action.js';
import { ApiError } from '../../errors.js';
import { bool, int, str } from '../../openapi/params.js';
import {
  ACCOUNT_NAME_PREFIX,
  FOLDER_ID,
  createFolder,
  createResourceAccount,
  directoryOfAccount,
  enableResourceDirectory,
  getFolder,
  getRdAccount,
  listAccountsPage,
  listFoldersForParent,
  managedDirectory,
  notEnabled,
  type RdAccount,
  type RdFolder,
  type ResourceDirectory,
} from '../resource-directory.js';
import type { Tx } from '../../store/db.js';

// ResourceManager 2020-03-31: the resource directory, its folders and member accounts.
// ARNs (resourcemanager:<Action>): `acs:resourcemanager:*:<account>:rd/*` for the directory itself,
// `…:folder/*` or `…:folder/<FolderId>` for folders, `…:account/*` or `…:account/<AccountId>` for members.

const arn = (accountId: string, resource: string): string => `acs:resourcemanager:*:${accountId}:${resource}`;

const pageNumber = int({ min: 1, max: 1_000_000, default: 1, code: 'InvalidParameter.PageNumber' });
const pageSize = int({ min: 1, max: 100, default: 10, code: 'InvalidParameter.PageSize' });
const paging = (p: { PageNumber?: number; PageSize?: number }): OffsetRequest => ({ offset: ((p.PageNumber ?? 1) - 1) * (p.PageSize ?? 10), limit: p.PageSize ?? 10 });
const pageFields = (p: { PageNumber?: number; PageSize?: number }) => ({ PageNumber: p.PageNumber ?? 1, PageSize: p.PageSize ?? 10 });
const folderId = <R extends boolean = false>(name: string, required?: R) => str({ required, max: 64, pattern: FOLDER_ID, code: `InvalidParameter.${name}` });
const displayName = str({
  min: 2,
  max: 50,
  pattern: /^[\p{L}\p{N}_. -]+$/u,
  lengthCode: 'InvalidParameter.Account.DisplayName.Length',
  charsCode: 'InvalidParameter.Account.DisplayName',
});

async function directoryView(tx: Tx, rd: ResourceDirectory): Promise<Record<string, unknown>> {
  const management = await findAccount(tx, rd.management_account_id);
  return {
    ResourceDirectoryId: rd.id,
    RootFolderId: rd.root_folder_id,
    MasterAccountId: rd.management_account_id,
    MasterAccountName: management?.alias ?? '',
    CreateTime: rd.created_at,
  };
}

function folderView(folder: RdFolder): Record<string, unknown> {
  return { FolderId: folder.id, FolderName: folder.name, ParentFolderId: folder.parent_id ?? '', CreateTime: folder.created_at };
}

function accountView(account: RdAccount): Record<string, unknown> {
  return {
    AccountId: account.accountId,
    DisplayName: account.displayName,
    FolderId: account.folderId,
    ResourceDirectoryId: account.directoryId,
    ResourceDirectoryPath: account.path,
    JoinMethod: account.joinMethod,
    JoinTime: apiTime(account.joinTime),
    ModifyTime: apiTime(account.modifyTime),
    Status: account.status,
    Type: account.type,
  };
}

const enable = defineAction({
  product: 'resourcemanager',
  name: 'EnableResourceDirectory',
  params: {
    EnableMode: str({ required: true, enum: ['CurrentAccount', 'NewManagementAccount'], code: 'InvalidParameter.EnableMode' }),
    MAName: str({ max: 128 }),
    MASecureMobilePhone: str({ max: 32 }),
    VerificationCode: str({ max: 16 }),
  },
  ramAction: 'resourcemanager:EnableResourceDirectory',
  resource: (_p, c) => arn(c.accountId, 'rd/*'),
  async handle(p, c) {
    // A new management account would need a phone verification this service does not run.
    if (p.EnableMode !== 'CurrentAccount') throw new ApiError('InvalidParameter.EnableMode', 400, 'Only EnableMode CurrentAccount is supported.');
    const rd = await enableResourceDirectory(c.tx, c.accountId, c.clock.now().toISOString());
    return { ResourceDirectory: await directoryView(c.tx, rd) };
  },
});

const init = defineAction({
  product: 'resourcemanager',
  name: 'InitResourceDirectory',
  params: {},
  ramAction: 'resourcemanager:InitResourceDirectory',
  resource: (_p, c) => arn(c.accountId, 'rd/*'),
  async handle(_p, c) {
    const rd = await enableResourceDirectory(c.tx, c.accountId, c.clock.now().toISOString());
    return { ResourceDirectory: await directoryView(c.tx, rd) };
  },
});

const getDirectory = defineAction({
  product: 'resourcemanager',
  name: 'GetResourceDirectory',
  params: {},
  ramAction: 'resourcemanager:GetResourceDirectory',
  resource: (_p, c) => arn(c.accountId, 'rd/*'),
  async handle(_p, c) {
    // Members see the directory they belong to, as on Alibaba Cloud.
    const rd = await directoryOfAccount(c.tx, c.accountId);
    if (!rd) throw notEnabled();
    return {
      ResourceDirectory: { ...(await directoryView(c.tx, rd)), ControlPolicyStatus: 'Disabled', MemberDeletionStatus: 'Disabled', IdentityInformation: '' },
    };
  },
});

const createFolderAction = defineAction({
  product: 'resourcemanager',
  name: 'CreateFolder',
  params: {
    FolderName: str({ min: 1, max: 24, pattern: /^[\p{L}\p{N}_.-]+$/u, lengthCode: 'InvalidParameter.Folder.Name.Length', charsCode: 'InvalidParameter.Folder.Name' }),
    ParentFolderId: folderId('ParentFolderId'),
  },
  ramAction: 'resourcemanager:CreateFolder',
  resource: (_p, c) => arn(c.accountId, 'folder/*'),
  async handle(p, c) {
    if (p.FolderName === undefined) throw new ApiError('MissingParameter.Folder.Name', 400, 'You must specify the resource folder name.');
    const rd = await managedDirectory(c.tx, c.accountId);
    const folder = await createFolder(c.tx, rd, { name: p.FolderName, parentId: p.ParentFolderId }, c.clock.now().toISOString());
    return { Folder: folderView(folder) };
  },
});

const getFolderAction = defineAction({
  product: 'resourcemanager',
  name: 'GetFolder',
  params: { FolderId: folderId('FolderId', true) },
  ramAction: 'resourcemanager:GetFolder',
  resource: (p, c) => arn(c.accountId, `folder/${p.FolderId}`),
  async handle(p, c) {
    const rd = await managedDirectory(c.tx, c.accountId);
    const folder = await getFolder(c.tx, rd.id, p.FolderId);
    return { Folder: { ...folderView(folder), ResourceDirectoryPath: folder.path } };
  },
});

const listFolders = defineAction({
  product: 'resourcemanager',
  name: 'ListFoldersForParent',
  params: { ParentFolderId: folderId('ParentFolderId'), QueryKeyword: str({ max: 128 }), PageNumber: pageNumber, PageSize: pageSize },
  ramAction: 'resourcemanager:ListFoldersForParent',
  resource: (_p, c) => arn(c.accountId, 'folder/*'),
  async handle(p, c) {
    const rd = await managedDirectory(c.tx, c.accountId);
    const page = await listFoldersForParent(c.tx, rd, p.ParentFolderId ?? rd.root_folder_id, paging(p), p.QueryKeyword);
    return {
      Folders: { Folder: page.items.map((f) => ({ FolderId: f.id, FolderName: f.name, CreateTime: f.created_at })) },
      ...pageFields(p),
      TotalCount: page.total,
    };
  },
});

const createAccountAction = defineAction({
  product: 'resourcemanager',
  name: 'CreateResourceAccount',
  params: {
    DisplayName: displayName,
    AccountNamePrefix: str({ min: 2, max: 37, pattern: ACCOUNT_NAME_PREFIX, code: 'InvalidParameter.AccountNamePrefix' }),
    ParentFolderId: folderId('ParentFolderId'),
    PayerAccountId: str({ max: 64 }),
    ResellAccountType: str({ max: 64 }),
    Tag: tagList(),
  },
  ramAction: 'resourcemanager:CreateResourceAccount',
  resource: (_p, c) => arn(c.accountId, 'account/*'),
  async handle(p, c) {
    if (p.DisplayName === undefined) throw new ApiError('MissingParameter.Account.DisplayName', 400, 'You must specify DisplayName.');
    const rd = await managedDirectory(c.tx, c.accountId);
    // Every member settles with itself or with an account of the same directory.
    if (p.PayerAccountId !== undefined && p.PayerAccountId !== c.accountId) {
      const payer = await getRdAccount(c.tx, rd.id, p.PayerAccountId).catch(() => undefined);
      if (!payer) {
        throw new ApiError('NotSupport.PayerAccountInAnotherResourceDirectory', 409, 'The specified settlement account does not exist in the resource directory.');
      }
    }
    const account = await createResourceAccount(
      c.tx,
      rd,
      { displayName: p.DisplayName, accountNamePrefix: p.AccountNamePrefix, parentFolderId: p.ParentFolderId },
      c.clock.now().toISOString(),
    );
    await addTags(c.tx, c.accountId, 'account', account.accountId, p.Tag);
    const { ResourceDirectoryPath: _path, ...view } = accountView(account);
    return { Account: { ...view, AccountName: account.accountName } };
  },
});

const listAccounts = defineAction({
  product: 'resourcemanager',
  name: 'ListAccounts',
  params: { QueryKeyword: str({ max: 128 }), IncludeTags: bool({ default: false }), Tag: tagFilterList(), PageNumber: pageNumber, PageSize: pageSize },
  ramAction: 'resourcemanager:ListAccounts',
  resource: (_p, c) => arn(c.accountId, 'account/*'),
  async handle(p, c) {
    const rd = await managedDirectory(c.tx, c.accountId);
    const page = await listAccountsPage(c.tx, rd.id, paging(p), p.QueryKeyword, { ownerAccountId: c.accountId, filters: p.Tag });
    const tags = p.IncludeTags ? await tagsOf(c.tx, c.accountId, 'account', page.items.map((a) => a.accountId)) : undefined;
    const tagView = (id: string) => ({ Tags: { Tag: (tags?.get(id) ?? []).map((t) => ({ Key: t.key, Value: t.value })) } });
    return {
      Accounts: { Account: page.items.map((a) => (tags ? { ...accountView(a), ...tagView(a.accountId) } : accountView(a))) },
      ...pageFields(p),
      TotalCount: page.total,
    };
  },
});

const getAccount = defineAction({
  product: 'resourcemanager',
  name: 'GetAccount',
  params: { AccountId: str({ required: true, max: 64 }), IncludeTags: bool({ default: false }) },
  ramAction: 'resourcemanager:GetAccount',
  resource: (p, c) => arn(c.accountId, `account/${p.AccountId}`),
  async handle(p, c) {
    const rd = await managedDirectory(c.tx, c.accountId);
    const account = await getRdAccount(c.tx, rd.id, p.AccountId);
    const tags = p.IncludeTags ? (await tagsOf(c.tx, c.accountId, 'account', [account.accountId])).get(account.accountId) ?? [] : undefined;
    return {
      Account: {
        ...accountView(account),
        AccountName: account.accountName,
        Location: account.pathName,
        EmailStatus: '',
        IdentityInformation: '',
        // GetAccount's Tags is a plain array, ListAccounts' a Tags.Tag list (as the SDK models have them).
        ...(tags ? { Tags: tags.map((t) => ({ Key: t.key, Value: t.value })) } : {}),
      },
    };
  },
});

export const resourceDirectoryActions: ActionDefinition[] = [
  enable,
  init,
  getDirectory,
  createFolderAction,
  getFolderAction,
  listFolders,
  createAccountAction,
  listAccounts,
  getAccount,
];
