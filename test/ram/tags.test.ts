// Tags on RAM roles and custom policies through the official RAM SDK: TagResources, UntagResources, ListTagResources,
// Tag on CreateRole and CreatePolicy, and the Tag filter of ListRoles and ListPolicies.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/server.js';
import { Ims, Ram, callApi, expectApiError, imsClient, ramClient } from '../support/sdk.js';

const RAM = '2015-05-01';
const trust = (account: string): string =>
  JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: [`acs:ram::${account}:root`] } }] });
const document = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'ecs:Describe*', Resource: '*' }] });
const tag = (key: string, value: string) => new Ram.TagResourcesRequestTag({ key, value });

// A sequential journey: the roles tagged-app and tagged-batch and the policy tagged-read gather and lose tags test by
// test, each asserting the tags the one before left.
describe('RAM tags', () => {
  let server: TestServer;
  let ram: any;

  /** Every tag of the given resources, as `name:key=value`, in the order ListTagResources gives them. */
  async function tagsOf(resourceType: 'role' | 'policy', resourceNames?: string[]): Promise<string[]> {
    const out: string[] = [];
    let nextToken: string | undefined;
    do {
      const body = (await ram.listTagResources(new Ram.ListTagResourcesRequest({ resourceType, resourceNames, nextToken, pageSize: 2 }))).body;
      for (const t of body.tagResources ?? []) {
        assert.equal(t.resourceType, resourceType);
        out.push(`${t.resourceName}:${t.tagKey}=${t.tagValue}`);
      }
      nextToken = body.nextToken;
    } while (nextToken);
    return out;
  }

  before(async () => {
    server = await startServer();
    ram = ramClient(server.url, server.root);
    await ram.createRole(
      new Ram.CreateRoleRequest({
        roleName: 'tagged-app',
        assumeRolePolicyDocument: trust(server.accountId),
        tag: [new Ram.CreateRoleRequestTag({ key: 'team', value: 'payments' }), new Ram.CreateRoleRequestTag({ key: 'env', value: 'prod' })],
      }),
    );
    await ram.createRole(new Ram.CreateRoleRequest({ roleName: 'tagged-batch', assumeRolePolicyDocument: trust(server.accountId) }));
    await ram.createPolicy(
      new Ram.CreatePolicyRequest({ policyName: 'tagged-read', policyDocument: document, tag: [new Ram.CreatePolicyRequestTag({ key: 'team', value: 'payments' })] }),
    );
  });
  after(async () => server.close());

  it('keeps the tags given at creation and lists them by resource and key', async () => {
    assert.deepEqual(await tagsOf('role'), ['tagged-app:env=prod', 'tagged-app:team=payments']);
    assert.deepEqual(await tagsOf('policy'), ['tagged-read:team=payments']);
  });

  it('adds tags to several resources at once, a known key taking the new value', async () => {
    await ram.tagResources(new Ram.TagResourcesRequest({ resourceType: 'role', resourceNames: ['tagged-app', 'TAGGED-BATCH'], tag: [tag('env', 'staging'), tag('owner', '')] }));
    assert.deepEqual(await tagsOf('role', ['tagged-batch', 'tagged-app']), [
      'tagged-app:env=staging',
      'tagged-app:owner=',
      'tagged-app:team=payments',
      'tagged-batch:env=staging',
      'tagged-batch:owner=',
    ]);
  });

  it('filters ListRoles and ListPolicies by tag (all filters must hold) and shows each resource’s tags', async () => {
    const roles = async (filters: Array<[string, string?]>) =>
      (await ram.listRoles(new Ram.ListRolesRequest({ tag: filters.map(([key, value]) => new Ram.ListRolesRequestTag({ key, value })) }))).body.roles.role;
    const byTeam = await roles([['team', 'payments']]);
    assert.deepEqual(byTeam.map((r: any) => r.roleName), ['tagged-app']);
    assert.deepEqual(byTeam[0].tags.tag.map((t: any) => `${t.tagKey}=${t.tagValue}`), ['env=staging', 'owner=', 'team=payments']);
    assert.deepEqual((await roles([['env']])).map((r: any) => r.roleName), ['tagged-app', 'tagged-batch']);
    assert.deepEqual((await roles([['env', 'staging'], ['team']])).map((r: any) => r.roleName), ['tagged-app']);
    assert.deepEqual(await roles([['env', 'nowhere']]), []);
    // Without a filter every role is listed, tagged or not.
    const all = (await ram.listRoles(new Ram.ListRolesRequest({}))).body.roles.role;
    assert.ok(all.some((r: any) => r.roleName === 'tagged-batch' && r.tags.tag.length === 2));

    const policies = (await ram.listPolicies(new Ram.ListPoliciesRequest({ tag: [new Ram.ListPoliciesRequestTag({ key: 'team' })] }))).body.policies.policy;
    assert.deepEqual(policies.map((p: any) => `${p.policyType}:${p.policyName}`), ['Custom:tagged-read'], 'system policies carry no tags');
    assert.deepEqual(policies[0].tags.tag.map((t: any) => `${t.tagKey}=${t.tagValue}`), ['team=payments']);
  });

  it('removes the given keys, or every tag with All', async () => {
    await ram.untagResources(new Ram.UntagResourcesRequest({ resourceType: 'role', resourceNames: ['tagged-batch'], tagKeys: ['owner', 'absent'] }));
    assert.deepEqual(await tagsOf('role', ['tagged-batch']), ['tagged-batch:env=staging']);
    await ram.untagResources(new Ram.UntagResourcesRequest({ resourceType: 'role', resourceNames: ['tagged-batch'] }));
    assert.deepEqual(await tagsOf('role', ['tagged-batch']), ['tagged-batch:env=staging'], 'neither TagKeys nor All removes nothing');
    await ram.untagResources(new Ram.UntagResourcesRequest({ resourceType: 'role', resourceNames: ['tagged-batch'], all: true }));
    assert.deepEqual(await tagsOf('role', ['tagged-batch']), []);
    assert.deepEqual(await tagsOf('role', ['tagged-app']), ['tagged-app:env=staging', 'tagged-app:owner=', 'tagged-app:team=payments']);
  });

  it('refuses bad tags, unknown resources and a 21st tag, changing nothing', async () => {
    const before = await tagsOf('role');
    const refused = async (request: any, code: string, status: number) => {
      const error = await expectApiError(ram.tagResources(new Ram.TagResourcesRequest(request)));
      assert.equal(error.code, code, JSON.stringify(request));
      assert.equal(error.statusCode, status);
    };
    await refused({ resourceType: 'role', resourceNames: ['tagged-app'], tag: [tag('aliyun-owned', 'x')] }, 'InvalidParameter.Tag.Key', 400);
    await refused({ resourceType: 'role', resourceNames: ['tagged-app'], tag: [tag('ACS:thing', 'x')] }, 'InvalidParameter.Tag.Key', 400);
    await refused({ resourceType: 'role', resourceNames: ['tagged-app'], tag: [tag('k'.repeat(129), 'x')] }, 'InvalidParameter.Tag.Key', 400);
    await refused({ resourceType: 'role', resourceNames: ['tagged-app'], tag: [tag('link', 'see https://example.com')] }, 'InvalidParameter.Tag.Value', 400);
    await refused({ resourceType: 'role', resourceNames: ['tagged-app'], tag: [tag('', 'x')] }, 'MissingParameter.Tag.1.Key', 400);
    await refused({ resourceType: 'user', resourceNames: ['tagged-app'], tag: [tag('a', 'b')] }, 'InvalidParameter.ResourceType', 400);
    await refused({ resourceType: 'role', resourceNames: ['tagged-app', 'no-such-role'], tag: [tag('a', 'b')] }, 'EntityNotExist.Role', 404);
    await refused({ resourceType: 'policy', resourceNames: ['AdministratorAccess'], tag: [tag('a', 'b')] }, 'EntityNotExist.Policy', 404);
    await refused({ resourceType: 'role', resourceNames: ['tagged-app'], tag: Array.from({ length: 21 }, (_, i) => tag(`k${i}`, 'v')) }, 'InvalidParameter.Tag', 400);
    // tagged-app carries 3 tags: 18 new ones make 21.
    await refused({ resourceType: 'role', resourceNames: ['tagged-batch', 'tagged-app'], tag: Array.from({ length: 18 }, (_, i) => tag(`k${i}`, 'v')) }, 'LimitExceeded.Tag', 409);
    assert.deepEqual(await tagsOf('role'), before);
    // 17 new ones make 20: allowed.
    await ram.tagResources(new Ram.TagResourcesRequest({ resourceType: 'role', resourceNames: ['tagged-app'], tag: Array.from({ length: 17 }, (_, i) => tag(`k${i}`, 'v')) }));
    assert.equal((await tagsOf('role', ['tagged-app'])).length, 20);
  });

  it('accepts tags sent as flat parameters too (Tag.1.Key), and refuses a malformed JSON list', async () => {
    await callApi(server.url, server.root, 'CreateRole', RAM, { RoleName: 'tagged-flat', AssumeRolePolicyDocument: trust(server.accountId), 'Tag.1.Key': 'flat', 'Tag.1.Value': 'yes' });
    assert.deepEqual(await tagsOf('role', ['tagged-flat']), ['tagged-flat:flat=yes']);
    const error = await expectApiError(callApi(server.url, server.root, 'TagResources', RAM, { ResourceType: 'role', ResourceNames: '["tagged-flat"]', Tag: '{"Key":"a"}' }));
    assert.equal(error.code, 'InvalidParameter.Tag');
  });

  it('drops a deleted role’s tags: a new role of the same name starts without any', async () => {
    await ram.deleteRole(new Ram.DeleteRoleRequest({ roleName: 'tagged-flat' }));
    await ram.createRole(new Ram.CreateRoleRequest({ roleName: 'tagged-flat', assumeRolePolicyDocument: trust(server.accountId) }));
    assert.deepEqual(await tagsOf('role', ['tagged-flat']), []);
  });

  it('lets a read-only user list tags but not change them', async () => {
    await ram.createUser(new Ram.CreateUserRequest({ userName: 'tag-reader' }));
    await ram.attachPolicyToUser(new Ram.AttachPolicyToUserRequest({ policyType: 'System', policyName: 'AliyunRAMReadOnlyAccess', userName: 'tag-reader' }));
    const key = (await ram.createAccessKey(new Ram.CreateAccessKeyRequest({ userName: 'tag-reader' }))).body.accessKey;
    const reader = ramClient(server.url, { accessKeyId: key.accessKeyId, accessKeySecret: key.accessKeySecret });
    const listed = (await reader.listTagResources(new Ram.ListTagResourcesRequest({ resourceType: 'policy' }))).body.tagResources;
    assert.deepEqual(listed.map((t: any) => t.tagKey), ['team']);
    const denied = await expectApiError(reader.tagResources(new Ram.TagResourcesRequest({ resourceType: 'policy', resourceNames: ['tagged-read'], tag: [tag('a', 'b')] })));
    assert.equal(denied.code, 'NoPermission');
    assert.equal(denied.statusCode, 403);
  });

  it('authorizes each named resource, so a Deny on one policy’s ARN stops tagging it (issue 12, finding 8)', async () => {
    const policy = (...statements: object[]) => JSON.stringify({ Version: '1', Statement: statements });
    await ram.createPolicy(new Ram.CreatePolicyRequest({ policyName: 'Guarded', policyDocument: document }));
    await ram.createPolicy(new Ram.CreatePolicyRequest({ policyName: 'guard-allow', policyDocument: policy({ Effect: 'Allow', Action: '*', Resource: '*' }) }));
    await ram.createPolicy(
      new Ram.CreatePolicyRequest({
        policyName: 'guard-deny',
        policyDocument: policy({ Effect: 'Deny', Action: ['ram:TagResources', 'ram:UntagResources', 'ram:ListTagResources'], Resource: `acs:ram::${server.accountId}:policy/Guarded` }),
      }),
    );
    await ram.createUser(new Ram.CreateUserRequest({ userName: 'tagger' }));
    for (const name of ['guard-allow', 'guard-deny']) await ram.attachPolicyToUser(new Ram.AttachPolicyToUserRequest({ policyType: 'Custom', policyName: name, userName: 'tagger' }));
    const key = (await ram.createAccessKey(new Ram.CreateAccessKeyRequest({ userName: 'tagger' }))).body.accessKey;
    const tagger = ramClient(server.url, { accessKeyId: key.accessKeyId, accessKeySecret: key.accessKeySecret });
    await tagger.tagResources(new Ram.TagResourcesRequest({ resourceType: 'policy', resourceNames: ['guard-allow'], tag: [tag('ok', 'yes')] }));
    for (const names of [['Guarded'], ['guard-allow', 'GUARDED']]) {
      const denied = await expectApiError(tagger.tagResources(new Ram.TagResourcesRequest({ resourceType: 'policy', resourceNames: names, tag: [tag('owned', 'yes')] })));
      assert.equal(denied.code, 'NoPermission');
      assert.equal(denied.statusCode, 403);
    }
    const untag = await expectApiError(tagger.untagResources(new Ram.UntagResourcesRequest({ resourceType: 'policy', resourceNames: ['guarded'], all: true })));
    assert.equal(untag.code, 'NoPermission');
    const list = await expectApiError(tagger.listTagResources(new Ram.ListTagResourcesRequest({ resourceType: 'policy', resourceNames: ['Guarded'] })));
    assert.equal(list.code, 'NoPermission');
    assert.deepEqual(await tagsOf('policy', ['Guarded', 'guard-allow']), ['guard-allow:ok=yes']);
  });
});

// A sequential journey: the users the first test creates with tags are tagged, untagged and deleted by the next ones.
describe('IMS user tags', () => {
  let server: TestServer;
  let ims: any;
  let domain: string;
  const upn = (name: string): string => `${name}@${domain}`;
  const itag = (key: string, value: string) => new Ims.TagResourcesRequestTag({ key, value });

  /** `userId:key=value` for every tag ListTagResources gives for the request, over all pages. */
  async function listed(request: Record<string, unknown>): Promise<string[]> {
    const out: string[] = [];
    let nextToken: string | undefined;
    do {
      const body = (await ims.listTagResources(new Ims.ListTagResourcesRequest({ resourceType: 'user', pageSize: 1, nextToken, ...request }))).body;
      for (const t of body.tagResources?.tagResource ?? []) out.push(`${t.resourceId}:${t.tagKey}=${t.tagValue}`);
      assert.equal(body.isTruncated, body.nextToken !== undefined);
      nextToken = body.nextToken;
    } while (nextToken);
    return out;
  }

  before(async () => {
    server = await startServer();
    ims = imsClient(server.url, server.root);
    domain = `${server.gatehouse.bootstrap.account.alias}.onaliyun.com`;
  });
  after(async () => server.close());

  it('keeps the tags given to CreateUser and shows them on CreateUser, GetUser and ListUsers', async () => {
    const created = (
      await ims.createUser(
        new Ims.CreateUserRequest({ userPrincipalName: upn('tina'), displayName: 'Tina', tag: [new Ims.CreateUserRequestTag({ key: 'dept', value: 'finance' })] }),
      )
    ).body.user;
    assert.deepEqual(created.tags.tag.map((t: any) => `${t.tagKey}=${t.tagValue}`), ['dept=finance']);
    await ims.createUser(new Ims.CreateUserRequest({ userPrincipalName: upn('tom'), displayName: 'Tom' }));
    const got = (await ims.getUser(new Ims.GetUserRequest({ userPrincipalName: upn('tina') }))).body.user;
    assert.deepEqual(got.tags.tag.map((t: any) => `${t.tagKey}=${t.tagValue}`), ['dept=finance']);
    const tom = (await ims.getUser(new Ims.GetUserRequest({ userPrincipalName: upn('tom') }))).body.user;
    assert.equal(tom.tags, undefined, 'no Tags on a user without any');
    const filtered = (await ims.listUsers(new Ims.ListUsersRequest({ tag: [new Ims.ListUsersRequestTag({ key: 'dept', value: 'finance' })] }))).body.users.user;
    assert.deepEqual(filtered.map((u: any) => u.userPrincipalName), [upn('tina')]);
    assert.deepEqual(filtered[0].tags.tag.map((t: any) => t.tagKey), ['dept']);
  });

  it('tags, lists and untags users by UserPrincipalName or by ID', async () => {
    const tina = (await ims.getUser(new Ims.GetUserRequest({ userPrincipalName: upn('tina') }))).body.user.userId;
    const tom = (await ims.getUser(new Ims.GetUserRequest({ userPrincipalName: upn('tom') }))).body.user.userId;
    await ims.tagResources(new Ims.TagResourcesRequest({ resourceType: 'user', resourcePrincipalName: [upn('tina'), upn('tom')], tag: [itag('site', 'hz')] }));
    await ims.tagResources(new Ims.TagResourcesRequest({ resourceType: 'user', resourceId: [tom], tag: [itag('site', 'sh')] }));
    assert.deepEqual((await listed({ resourceId: [tina, tom] })).sort(), [`${tina}:dept=finance`, `${tina}:site=hz`, `${tom}:site=sh`].sort());
    assert.deepEqual(await listed({ tag: [new Ims.ListTagResourcesRequestTag({ key: 'site', value: 'sh' })] }), [`${tom}:site=sh`]);
    await ims.untagResources(new Ims.UntagResourcesRequest({ resourceType: 'user', resourcePrincipalName: [upn('tina')], tagKey: ['site'] }));
    await ims.untagResources(new Ims.UntagResourcesRequest({ resourceType: 'user', resourceId: [tom], all: true }));
    assert.deepEqual((await listed({ resourceId: [tina, tom] })).sort(), [`${tina}:dept=finance`]);
  });

  it('refuses an unknown user, both ways of naming at once, or nothing to look for, changing nothing', async () => {
    const tina = (await ims.getUser(new Ims.GetUserRequest({ userPrincipalName: upn('tina') }))).body.user.userId;
    const unknown = await expectApiError(ims.tagResources(new Ims.TagResourcesRequest({ resourceType: 'user', resourcePrincipalName: [upn('tina'), upn('nobody')], tag: [itag('a', 'b')] })));
    assert.equal(unknown.code, 'EntityNotExist.User');
    assert.equal(unknown.statusCode, 404);
    const both = await expectApiError(ims.tagResources(new Ims.TagResourcesRequest({ resourceType: 'user', resourceId: [tina], resourcePrincipalName: [upn('tina')], tag: [itag('a', 'b')] })));
    assert.equal(both.code, 'InvalidParameter.ResourceId');
    const nothing = await expectApiError(ims.listTagResources(new Ims.ListTagResourcesRequest({ resourceType: 'user' })));
    assert.equal(nothing.code, 'MissingParameter.ResourceId');
    const role = await expectApiError(ims.tagResources(new Ims.TagResourcesRequest({ resourceType: 'role', resourceId: [tina], tag: [itag('a', 'b')] })));
    assert.equal(role.code, 'InvalidParameter.ResourceType');
    assert.deepEqual(await listed({ resourceId: [tina] }), [`${tina}:dept=finance`]);
  });

  it('drops a deleted user’s tags', async () => {
    await ims.tagResources(new Ims.TagResourcesRequest({ resourceType: 'user', resourcePrincipalName: [upn('tom')], tag: [itag('gone', 'soon')] }));
    await ims.deleteUser(new Ims.DeleteUserRequest({ userPrincipalName: upn('tom') }));
    assert.deepEqual(await listed({ tag: [new Ims.ListTagResourcesRequestTag({ key: 'gone' })] }), []);
    await ims.createUser(new Ims.CreateUserRequest({ userPrincipalName: upn('tom'), displayName: 'Tom' }));
    assert.equal((await ims.getUser(new Ims.GetUserRequest({ userPrincipalName: upn('tom') }))).body.user.tags, undefined);
  });
});
