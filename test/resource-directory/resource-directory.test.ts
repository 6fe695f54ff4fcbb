import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/server.js';
import { Ram, ResourceManager, Sts, expectApiError, ramClient, resourceManagerClient, stsClient, type Credentials } from '../support/sdk.js';

const RM = ResourceManager;

// A sequential journey: the account's one resource directory is enabled, then gathers members, tags and folders that
// the later tests list, page and administer; only the first two tests stand alone.
describe('Resource Directory through the ResourceManager SDK', () => {
  let server: TestServer;
  let rm: any;
  let ram: any;
  let rdId: string;
  let rootFolderId: string;

  const accessRoleArn = (accountId: string): string => `acs:ram::${accountId}:role/ResourceDirectoryAccountAccessRole`;

  async function userKey(name: string, policies: string[]): Promise<Credentials> {
    await ram.createUser(new Ram.CreateUserRequest({ userName: name }));
    for (const p of policies) await ram.attachPolicyToUser(new Ram.AttachPolicyToUserRequest({ policyType: 'System', policyName: p, userName: name }));
    const key = (await ram.createAccessKey(new Ram.CreateAccessKeyRequest({ userName: name }))).body.accessKey;
    return { accessKeyId: key.accessKeyId, accessKeySecret: key.accessKeySecret };
  }

  async function assumeAccessRole(creds: Credentials, accountId: string): Promise<Credentials> {
    const body = (await stsClient(server.url, creds).assumeRole(new Sts.AssumeRoleRequest({ roleArn: accessRoleArn(accountId), roleSessionName: 'rd-admin' }))).body;
    return { accessKeyId: body.credentials.accessKeyId, accessKeySecret: body.credentials.accessKeySecret, securityToken: body.credentials.securityToken };
  }

  const countAccounts = async (): Promise<number> => (await rm.listAccounts(new RM.ListAccountsRequest({}))).body.totalCount;

  before(async () => {
    server = await startServer();
    rm = resourceManagerClient(server.url, server.root);
    ram = ramClient(server.url, server.root);
  });
  after(async () => server.close());

  it('has no directory before it is enabled', async () => {
    const err = await expectApiError(rm.getResourceDirectory());
    assert.equal(err.code, 'EntityNotExists.ResourceDirectory');
    assert.equal(err.statusCode, 404);
    const list = await expectApiError(rm.listAccounts(new RM.ListAccountsRequest({})));
    assert.equal(list.code, 'EntityNotExists.ResourceDirectory');
    const create = await expectApiError(rm.createResourceAccount(new RM.CreateResourceAccountRequest({ displayName: 'early' })));
    assert.equal(create.code, 'EntityNotExists.ResourceDirectory');

    const newAccount = await expectApiError(rm.enableResourceDirectory(new RM.EnableResourceDirectoryRequest({ enableMode: 'NewManagementAccount' })));
    assert.equal(newAccount.code, 'InvalidParameter.EnableMode');
    assert.equal(newAccount.statusCode, 400);
    const noMode = await expectApiError(rm.enableResourceDirectory(new RM.EnableResourceDirectoryRequest({})));
    assert.equal(noMode.code, 'MissingParameter.EnableMode');
    assert.equal((await expectApiError(rm.getResourceDirectory())).code, 'EntityNotExists.ResourceDirectory');
  });

  it('enables the directory for the management account once', async () => {
    const body = (await rm.enableResourceDirectory(new RM.EnableResourceDirectoryRequest({ enableMode: 'CurrentAccount' }))).body;
    const rd = body.resourceDirectory;
    assert.match(rd.resourceDirectoryId, /^rd-[A-Za-z0-9]+$/);
    assert.match(rd.rootFolderId, /^r-[A-Za-z0-9]+$/);
    assert.equal(rd.masterAccountId, server.accountId);
    assert.ok(rd.masterAccountName);
    rdId = rd.resourceDirectoryId;
    rootFolderId = rd.rootFolderId;

    const got = (await rm.getResourceDirectory()).body.resourceDirectory;
    assert.equal(got.resourceDirectoryId, rdId);
    assert.equal(got.rootFolderId, rootFolderId);
    assert.equal(got.masterAccountId, server.accountId);
    assert.ok(!Number.isNaN(Date.parse(got.createTime)));

    const again = await expectApiError(rm.enableResourceDirectory(new RM.EnableResourceDirectoryRequest({ enableMode: 'CurrentAccount' })));
    assert.equal(again.code, 'EntityAlreadyExists.ResourceDirectory');
    assert.equal(again.statusCode, 409);
  });

  it('lists the management account as a CloudAccount in Root', async () => {
    const body = (await rm.listAccounts(new RM.ListAccountsRequest({}))).body;
    assert.equal(body.totalCount, 1);
    assert.equal(body.pageNumber, 1);
    assert.equal(body.pageSize, 10);
    const [management] = body.accounts.account;
    assert.equal(management.accountId, server.accountId);
    assert.equal(management.type, 'CloudAccount');
    assert.equal(management.folderId, rootFolderId);
    assert.equal(management.resourceDirectoryId, rdId);
    assert.equal(management.resourceDirectoryPath, `${rdId}/${rootFolderId}/${server.accountId}`);
    assert.equal(management.status, 'CreateSuccess');
  });

  let member: any;

  it('creates a member with its account name, and GetAccount returns it', async () => {
    const body = (await rm.createResourceAccount(new RM.CreateResourceAccountRequest({ displayName: 'Dev team', accountNamePrefix: 'dev.team' }))).body;
    member = body.account;
    assert.match(member.accountId, /^\d{16}$/);
    assert.equal(member.accountName, `dev.team@${rdId}.aliyunid.com`);
    assert.equal(member.displayName, 'Dev team');
    assert.equal(member.folderId, rootFolderId);
    assert.equal(member.resourceDirectoryId, rdId);
    assert.equal(member.joinMethod, 'created');
    assert.equal(member.type, 'ResourceAccount');
    assert.equal(member.status, 'CreateSuccess');
    assert.match(member.joinTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(member.modifyTime, member.joinTime);

    const got = (await rm.getAccount(new RM.GetAccountRequest({ accountId: member.accountId }))).body.account;
    assert.equal(got.accountId, member.accountId);
    assert.equal(got.accountName, member.accountName);
    assert.equal(got.displayName, 'Dev team');
    assert.equal(got.resourceDirectoryPath, `${rdId}/${rootFolderId}/${member.accountId}`);
    assert.equal(got.type, 'ResourceAccount');

    const missing = await expectApiError(rm.getAccount(new RM.GetAccountRequest({ accountId: '1234567890123456' })));
    assert.equal(missing.code, 'EntityNotExists.Account');
    assert.equal(missing.statusCode, 404);
    const noId = await expectApiError(rm.getAccount(new RM.GetAccountRequest({})));
    assert.equal(noId.code, 'MissingParameter.AccountId');
  });

  it('keeps a member’s tags: Tag on CreateResourceAccount, IncludeTags on GetAccount and ListAccounts, the Tag filter', async () => {
    const tagged = (
      await rm.createResourceAccount(
        new RM.CreateResourceAccountRequest({ displayName: 'tagged-member', tag: [new RM.CreateResourceAccountRequestTag({ key: 'costcenter', value: 'cc-42' })] }),
      )
    ).body.account.accountId;
    const got = (await rm.getAccount(new RM.GetAccountRequest({ accountId: tagged, includeTags: true }))).body.account;
    assert.deepEqual(got.tags.map((t: any) => `${t.key}=${t.value}`), ['costcenter=cc-42']);
    assert.equal((await rm.getAccount(new RM.GetAccountRequest({ accountId: tagged }))).body.account.tags, undefined, 'tags only when asked for');
    const filtered = (
      await rm.listAccounts(new RM.ListAccountsRequest({ includeTags: true, tag: [new RM.ListAccountsRequestTag({ key: 'costcenter', value: 'cc-42' })] }))
    ).body;
    assert.deepEqual(filtered.accounts.account.map((a: any) => a.accountId), [tagged]);
    assert.equal(filtered.totalCount, 1);
    assert.deepEqual(filtered.accounts.account[0].tags.tag.map((t: any) => `${t.key}=${t.value}`), ['costcenter=cc-42']);
    const none = (await rm.listAccounts(new RM.ListAccountsRequest({ tag: [new RM.ListAccountsRequestTag({ key: 'costcenter', value: 'other' })] }))).body;
    assert.equal(none.totalCount, 0);
  });

  it('tags members with TagResources, lists them a page at a time, and untags them', async () => {
    const member = (await rm.createResourceAccount(new RM.CreateResourceAccountRequest({ displayName: 'tag-target' }))).body.account.accountId;
    const tag = (key: string, value: string) => new RM.TagResourcesRequestTag({ key, value });
    await rm.tagResources(new RM.TagResourcesRequest({ resourceType: 'Account', resourceId: [member], tag: [tag('env', 'prod'), tag('owner', 'ops')] }));
    const listed: string[] = [];
    let nextToken: string | undefined;
    do {
      const body = (await rm.listTagResources(new RM.ListTagResourcesRequest({ resourceType: 'Account', resourceId: [member], maxResults: 1, nextToken }))).body;
      for (const t of body.tagResources) listed.push(`${t.resourceId}:${t.resourceType}:${t.tagKey}=${t.tagValue}`);
      nextToken = body.nextToken;
    } while (nextToken);
    assert.deepEqual(listed, [`${member}:Account:env=prod`, `${member}:Account:owner=ops`]);
    const byTag = (await rm.listTagResources(new RM.ListTagResourcesRequest({ tag: [new RM.ListTagResourcesRequestTag({ key: 'owner', value: 'ops' })] }))).body;
    assert.deepEqual(byTag.tagResources.map((t: any) => t.tagKey), ['env', 'owner']);

    const unknown = await expectApiError(rm.tagResources(new RM.TagResourcesRequest({ resourceType: 'Account', resourceId: [member, '9999999999999999'], tag: [tag('x', 'y')] })));
    assert.equal(unknown.code, 'EntityNotExists.Account');
    const groups = await expectApiError(rm.tagResources(new RM.TagResourcesRequest({ resourceType: 'ResourceGroup', resourceId: [member], tag: [tag('x', 'y')] })));
    assert.equal(groups.code, 'InvalidParameter.ResourceType');

    await rm.untagResources(new RM.UntagResourcesRequest({ resourceType: 'Account', resourceId: [member], tagKey: ['env'] }));
    const got = (await rm.getAccount(new RM.GetAccountRequest({ accountId: member, includeTags: true }))).body.account;
    assert.deepEqual(got.tags.map((t: any) => `${t.key}=${t.value}`), ['owner=ops'], 'x=y was never stored: the refused calls changed nothing');
    await rm.untagResources(new RM.UntagResourcesRequest({ resourceType: 'Account', resourceId: [member], all: true }));
    assert.deepEqual((await rm.getAccount(new RM.GetAccountRequest({ accountId: member, includeTags: true }))).body.account.tags, []);
  });

  it('generates an account name prefix when none is given', async () => {
    const account = (await rm.createResourceAccount(new RM.CreateResourceAccountRequest({ displayName: 'no-prefix' }))).body.account;
    assert.match(account.accountName, new RegExp(`^[a-z0-9]+@${rdId}\\.aliyunid\\.com$`));
  });

  it('refuses bad display names and prefixes and creates nothing', async () => {
    const before = await countAccounts();
    const cases: [Record<string, string>, string, number][] = [
      [{ displayName: 'x' }, 'InvalidParameter.Account.DisplayName.Length', 400],
      [{ displayName: 'x'.repeat(51) }, 'InvalidParameter.Account.DisplayName.Length', 400],
      [{ displayName: 'bad/name' }, 'InvalidParameter.Account.DisplayName', 400],
      [{}, 'MissingParameter.Account.DisplayName', 400],
      [{ displayName: 'Dev team' }, 'InvalidParameter.Account.DisplayName.AlreadyUsed', 409],
      [{ displayName: 'prefix-short', accountNamePrefix: 'a' }, 'InvalidParameter.AccountNamePrefix', 400],
      [{ displayName: 'prefix-long', accountNamePrefix: 'a'.repeat(38) }, 'InvalidParameter.AccountNamePrefix', 400],
      [{ displayName: 'prefix-double', accountNamePrefix: 'a..b' }, 'InvalidParameter.AccountNamePrefix', 400],
      [{ displayName: 'prefix-edge', accountNamePrefix: '-ab' }, 'InvalidParameter.AccountNamePrefix', 400],
      [{ displayName: 'prefix-taken', accountNamePrefix: 'dev.team' }, 'EntityAlreadyExists.ResourceDirectory.Account', 409],
      [{ displayName: 'no-folder', parentFolderId: 'fd-doesnotexist' }, 'EntityNotExists.Folder', 404],
      [{ displayName: 'bad-folder', parentFolderId: 'folder!' }, 'InvalidParameter.ParentFolderId', 400],
    ];
    for (const [request, code, status] of cases) {
      const err = await expectApiError(rm.createResourceAccount(new RM.CreateResourceAccountRequest(request)));
      assert.equal(err.code, code, JSON.stringify(request));
      assert.equal(err.statusCode, status, JSON.stringify(request));
    }
    assert.equal(await countAccounts(), before);
    // Exactly 2 and 50 characters are fine.
    await rm.createResourceAccount(new RM.CreateResourceAccountRequest({ displayName: 'ab' }));
    await rm.createResourceAccount(new RM.CreateResourceAccountRequest({ displayName: 'y'.repeat(50) }));
    assert.equal(await countAccounts(), before + 2);
  });

  it('creates one member when the same display name arrives concurrently', async () => {
    const before = await countAccounts();
    const results = await Promise.allSettled(
      [0, 1, 2].map(() => rm.createResourceAccount(new RM.CreateResourceAccountRequest({ displayName: 'raced' }))),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.equal(ok.length, 1);
    for (const f of failed) {
      assert.equal(f.reason.code, 'InvalidParameter.Account.DisplayName.AlreadyUsed');
      assert.equal(f.reason.statusCode, 409);
    }
    assert.equal(await countAccounts(), before + 1);
  });

  it('pages ListAccounts with PageNumber/PageSize and TotalCount', async () => {
    const before = await countAccounts();
    for (let i = 0; i < 7; i++) await rm.createResourceAccount(new RM.CreateResourceAccountRequest({ displayName: `paged-${i}` }));
    const total = before + 7;
    const seen: string[] = [];
    for (let page = 1; ; page++) {
      const body = (await rm.listAccounts(new RM.ListAccountsRequest({ pageNumber: page, pageSize: 3 }))).body;
      assert.equal(body.totalCount, total);
      assert.equal(body.pageNumber, page);
      assert.equal(body.pageSize, 3);
      const items = body.accounts.account ?? [];
      seen.push(...items.map((a: any) => a.accountId));
      if (items.length < 3) break;
    }
    assert.equal(seen.length, total);
    assert.equal(new Set(seen).size, total);
    assert.equal(seen[0], server.accountId);

    for (const [request, code] of [
      [{ pageSize: 0 }, 'InvalidParameter.PageSize'],
      [{ pageSize: 101 }, 'InvalidParameter.PageSize'],
      [{ pageNumber: 0 }, 'InvalidParameter.PageNumber'],
    ] as const) {
      const err = await expectApiError(rm.listAccounts(new RM.ListAccountsRequest(request)));
      assert.equal(err.code, code);
      assert.equal(err.statusCode, 400);
    }
    const max = (await rm.listAccounts(new RM.ListAccountsRequest({ pageSize: 100 }))).body;
    assert.equal(max.accounts.account.length, total);
  });

  it('creates folders, lists them per parent, and places members in them', async () => {
    const apps = (await rm.createFolder(new RM.CreateFolderRequest({ folderName: 'Applications' }))).body.folder;
    assert.match(apps.folderId, /^fd-[A-Za-z0-9]+$/);
    assert.equal(apps.parentFolderId, rootFolderId);
    assert.equal(apps.folderName, 'Applications');
    const web = (await rm.createFolder(new RM.CreateFolderRequest({ folderName: 'web', parentFolderId: apps.folderId }))).body.folder;
    await rm.createFolder(new RM.CreateFolderRequest({ folderName: 'Security', parentFolderId: rootFolderId }));

    const top = (await rm.listFoldersForParent(new RM.ListFoldersForParentRequest({}))).body;
    assert.equal(top.totalCount, 2);
    assert.deepEqual(top.folders.folder.map((f: any) => f.folderName).sort(), ['Applications', 'Security']);
    const paged = (await rm.listFoldersForParent(new RM.ListFoldersForParentRequest({ pageSize: 1, pageNumber: 2 }))).body;
    assert.equal(paged.totalCount, 2);
    assert.equal(paged.folders.folder.length, 1);
    const under = (await rm.listFoldersForParent(new RM.ListFoldersForParentRequest({ parentFolderId: apps.folderId }))).body;
    assert.deepEqual(under.folders.folder.map((f: any) => f.folderId), [web.folderId]);
    const keyword = (await rm.listFoldersForParent(new RM.ListFoldersForParentRequest({ queryKeyword: 'secu' }))).body;
    assert.deepEqual(keyword.folders.folder.map((f: any) => f.folderName), ['Security']);

    const got = (await rm.getFolder(new RM.GetFolderRequest({ folderId: web.folderId }))).body.folder;
    assert.equal(got.resourceDirectoryPath, `${rdId}/${rootFolderId}/${apps.folderId}/${web.folderId}`);
    assert.equal(got.parentFolderId, apps.folderId);

    const dup = await expectApiError(rm.createFolder(new RM.CreateFolderRequest({ folderName: 'Applications' })));
    assert.equal(dup.code, 'InvalidParameter.Folder.Name.AlreadyUsed');
    const long = await expectApiError(rm.createFolder(new RM.CreateFolderRequest({ folderName: 'f'.repeat(25) })));
    assert.equal(long.code, 'InvalidParameter.Folder.Name.Length');
    const noName = await expectApiError(rm.createFolder(new RM.CreateFolderRequest({})));
    assert.equal(noName.code, 'MissingParameter.Folder.Name');
    const noParent = await expectApiError(rm.createFolder(new RM.CreateFolderRequest({ folderName: 'x', parentFolderId: 'fd-nothere123' })));
    assert.equal(noParent.code, 'EntityNotExists.Folder');
    assert.equal(noParent.statusCode, 404);

    // Five levels below Root, not six.
    let parent = web.folderId;
    for (let depth = 3; depth <= 5; depth++) parent = (await rm.createFolder(new RM.CreateFolderRequest({ folderName: `l${depth}`, parentFolderId: parent }))).body.folder.folderId;
    const deep = await expectApiError(rm.createFolder(new RM.CreateFolderRequest({ folderName: 'l6', parentFolderId: parent })));
    assert.equal(deep.code, 'LimitExceeded.Folder.Depth');

    const placed = (await rm.createResourceAccount(new RM.CreateResourceAccountRequest({ displayName: 'web-prod', parentFolderId: web.folderId }))).body.account;
    assert.equal(placed.folderId, web.folderId);
    const placedGot = (await rm.getAccount(new RM.GetAccountRequest({ accountId: placed.accountId }))).body.account;
    assert.equal(placedGot.resourceDirectoryPath, `${rdId}/${rootFolderId}/${apps.folderId}/${web.folderId}/${placed.accountId}`);
  });

  it('lets the management account into a member’s RAM only through the access role', async () => {
    const session = await assumeAccessRole(server.root, member.accountId);
    const memberRam = ramClient(server.url, session);
    await memberRam.createUser(new Ram.CreateUserRequest({ userName: 'member-admin' }));
    const users = (await memberRam.listUsers(new Ram.ListUsersRequest({}))).body.users.user.map((u: any) => u.userName);
    assert.deepEqual(users, ['member-admin']);
    const role = (await memberRam.getRole(new Ram.GetRoleRequest({ roleName: 'ResourceDirectoryAccountAccessRole' }))).body.role;
    assert.equal(role.maxSessionDuration, 3600);
    assert.deepEqual(JSON.parse(role.assumeRolePolicyDocument).Statement[0].Principal, { RAM: [`acs:ram::${server.accountId}:root`] });
    const policies = (await memberRam.listPoliciesForRole(new Ram.ListPoliciesForRoleRequest({ roleName: 'ResourceDirectoryAccountAccessRole' }))).body.policies.policy;
    assert.deepEqual(policies.map((p: any) => `${p.policyType}:${p.policyName}`), ['System:AdministratorAccess']);

    // The management account's own users are not in the member.
    await ram.createUser(new Ram.CreateUserRequest({ userName: 'management-only' }));
    const again = (await memberRam.listUsers(new Ram.ListUsersRequest({}))).body.users.user.map((u: any) => u.userName);
    assert.deepEqual(again, ['member-admin']);
    const own = (await ram.listUsers(new Ram.ListUsersRequest({}))).body.users.user.map((u: any) => u.userName);
    assert.ok(own.includes('management-only'));
    assert.ok(!own.includes('member-admin'));

    // Root credentials of the management account do not reach into the member directly.
    const direct = await expectApiError(
      ramClient(server.url, server.root).getRole(new Ram.GetRoleRequest({ roleName: 'ResourceDirectoryAccountAccessRole' })),
    );
    assert.equal(direct.code, 'EntityNotExist.Role');
  });

  it('refuses a RAM user of the management account without sts:AssumeRole, and admits one with it', async () => {
    const plain = await userKey('rd-plain', []);
    const refused = await expectApiError(stsClient(server.url, plain).assumeRole(new Sts.AssumeRoleRequest({ roleArn: accessRoleArn(member.accountId), roleSessionName: 'no-rights' })));
    assert.equal(refused.code, 'NoPermission');
    assert.equal(refused.statusCode, 403);

    const allowed = await userKey('rd-assumer', ['AliyunSTSAssumeRoleAccess']);
    const session = await assumeAccessRole(allowed, member.accountId);
    const users = (await ramClient(server.url, session).listUsers(new Ram.ListUsersRequest({}))).body.users.user.map((u: any) => u.userName);
    assert.deepEqual(users, ['member-admin']);
  });

  it('refuses ResourceManager calls without resourcemanager permissions, and read-only ones allow reads only', async () => {
    const plain = await userKey('rm-plain', []);
    const denied = await expectApiError(resourceManagerClient(server.url, plain).listAccounts(new RM.ListAccountsRequest({})));
    assert.equal(denied.code, 'NoPermission');
    assert.equal(denied.statusCode, 403);

    const reader = resourceManagerClient(server.url, await userKey('rm-reader', ['AliyunResourceDirectoryReadOnlyAccess']));
    const before = await countAccounts();
    assert.equal((await reader.listAccounts(new RM.ListAccountsRequest({}))).body.totalCount, before);
    assert.equal((await reader.getAccount(new RM.GetAccountRequest({ accountId: member.accountId }))).body.account.accountId, member.accountId);
    const write = await expectApiError(reader.createResourceAccount(new RM.CreateResourceAccountRequest({ displayName: 'by-reader' })));
    assert.equal(write.code, 'NoPermission');
    assert.equal(await countAccounts(), before);

    const admin = resourceManagerClient(server.url, await userKey('rm-admin', ['AliyunResourceDirectoryFullAccess']));
    const created = (await admin.createResourceAccount(new RM.CreateResourceAccountRequest({ displayName: 'by-admin' }))).body.account;
    assert.equal(created.type, 'ResourceAccount');
  });

  it('refuses a member account administering the directory', async () => {
    const session = await assumeAccessRole(server.root, member.accountId);
    const memberRm = resourceManagerClient(server.url, session);
    const list = await expectApiError(memberRm.listAccounts(new RM.ListAccountsRequest({})));
    assert.equal(list.code, 'NoPermission.ResourceDirectory.MemberAccount');
    assert.equal(list.statusCode, 409);
    const create = await expectApiError(memberRm.createResourceAccount(new RM.CreateResourceAccountRequest({ displayName: 'from-member' })));
    assert.equal(create.code, 'NoPermission.ResourceDirectory.MemberAccount');
    const enable = await expectApiError(memberRm.enableResourceDirectory(new RM.EnableResourceDirectoryRequest({ enableMode: 'CurrentAccount' })));
    assert.equal(enable.code, 'NotSupport.AccountInAnotherResourceDirectory');
    // A member still sees which directory it belongs to.
    const rd = (await memberRm.getResourceDirectory()).body.resourceDirectory;
    assert.equal(rd.resourceDirectoryId, rdId);
    assert.equal(rd.masterAccountId, server.accountId);
  });

  it('answers with the V1 signature too', async () => {
    const v1 = resourceManagerClient(server.url, server.root, { signatureAlgorithm: 'v2' });
    assert.equal((await v1.getResourceDirectory()).body.resourceDirectory.resourceDirectoryId, rdId);
  });
});
