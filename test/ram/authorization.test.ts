import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createAccount } from '../../src/accounts/accounts.js';
import { issueAccessKey } from '../../src/ram/access-keys-store.js';
import { authorize } from '../../src/ram/authorization.js';
import { rootPrincipal } from '../../src/ram/principal.js';
import { startServer, type TestServer } from '../support/server.js';
import { Ram, Sts, expectApiError, ramClient, stsClient, type Credentials } from '../support/sdk.js';

const policy = (...statements: object[]): string => JSON.stringify({ Version: '1', Statement: statements });

describe('RAM authorization of API calls', () => {
  let server: TestServer;
  let root: any;
  before(async () => {
    server = await startServer();
    root = ramClient(server.url, server.root);
  });
  after(async () => server.close());

  /** A RAM user with an AccessKey, and optionally some policies attached to it. */
  async function userWith(name: string, policies: Array<{ type: 'System' | 'Custom'; name: string }> = []): Promise<any> {
    await root.createUser(new Ram.CreateUserRequest({ userName: name }));
    for (const p of policies) await root.attachPolicyToUser(new Ram.AttachPolicyToUserRequest({ policyType: p.type, policyName: p.name, userName: name }));
    const key = (await root.createAccessKey(new Ram.CreateAccessKeyRequest({ userName: name }))).body.accessKey;
    const creds: Credentials = { accessKeyId: key.accessKeyId, accessKeySecret: key.accessKeySecret };
    return ramClient(server.url, creds);
  }

  it('refuses a user without policies with NoPermission naming the action and resource', async () => {
    const nobody = await userWith('nobody');
    const error = await expectApiError(nobody.getUser(new Ram.GetUserRequest({ userName: 'nobody' })));
    assert.equal(error.code, 'NoPermission');
    assert.equal(error.statusCode, 403);
    assert.match(error.data.Message, /ram:GetUser/);
    assert.ok(error.data.Message.includes(`acs:ram:*:${server.accountId}:user/nobody`), error.data.Message);
    assert.equal(error.data.AccessDeniedDetail.NoPermissionType, 'ImplicitDeny');
  });

  it('lets AliyunRAMReadOnlyAccess read and not write', async () => {
    const reader = await userWith('reader', [{ type: 'System', name: 'AliyunRAMReadOnlyAccess' }]);
    await root.createUser(new Ram.CreateUserRequest({ userName: 'read-target' }));
    assert.equal((await reader.getUser(new Ram.GetUserRequest({ userName: 'read-target' }))).body.user.userName, 'read-target');
    await reader.listRoles(new Ram.ListRolesRequest({}));
    await reader.getPolicy(new Ram.GetPolicyRequest({ policyName: 'AdministratorAccess', policyType: 'System' }));
    const error = await expectApiError(reader.createUser(new Ram.CreateUserRequest({ userName: 'mallory' })));
    assert.equal(error.code, 'NoPermission');
    assert.match(error.data.Message, /ram:CreateUser/);
    const attach = await expectApiError(
      reader.attachPolicyToUser(new Ram.AttachPolicyToUserRequest({ policyType: 'System', policyName: 'AdministratorAccess', userName: 'reader' })),
    );
    assert.equal(attach.code, 'NoPermission');
    assert.equal((await expectApiError(root.getUser(new Ram.GetUserRequest({ userName: 'mallory' })))).code, 'EntityNotExist.User');
  });

  it('lets an explicit Deny in a custom policy win over AdministratorAccess', async () => {
    await root.createPolicy(
      new Ram.CreatePolicyRequest({ policyName: 'NoRoleChanges', policyDocument: policy({ Effect: 'Deny', Action: ['ram:CreateRole', 'ram:DeleteRole'], Resource: '*' }) }),
    );
    const admin = await userWith('admin', [
      { type: 'System', name: 'AdministratorAccess' },
      { type: 'Custom', name: 'NoRoleChanges' },
    ]);
    await admin.createUser(new Ram.CreateUserRequest({ userName: 'made-by-admin' }));
    const trust = policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: [`acs:ram::${server.accountId}:root`] } });
    const error = await expectApiError(admin.createRole(new Ram.CreateRoleRequest({ roleName: 'denied', assumeRolePolicyDocument: trust })));
    assert.equal(error.code, 'NoPermission');
    assert.equal(error.data.AccessDeniedDetail.NoPermissionType, 'ExplicitDeny');
    assert.equal((await expectApiError(root.getRole(new Ram.GetRoleRequest({ roleName: 'denied' })))).code, 'EntityNotExist.Role');
  });

  it('applies a policy attached to a group to its members', async () => {
    const member = await userWith('member');
    const denied = await expectApiError(member.listRoles(new Ram.ListRolesRequest({})));
    assert.equal(denied.code, 'NoPermission');
    await root.createGroup(new Ram.CreateGroupRequest({ groupName: 'readers' }));
    await root.attachPolicyToGroup(new Ram.AttachPolicyToGroupRequest({ policyType: 'System', policyName: 'AliyunRAMReadOnlyAccess', groupName: 'readers' }));
    await root.addUserToGroup(new Ram.AddUserToGroupRequest({ userName: 'member', groupName: 'readers' }));
    await member.listRoles(new Ram.ListRolesRequest({}));
    await root.removeUserFromGroup(new Ram.RemoveUserFromGroupRequest({ userName: 'member', groupName: 'readers' }));
    assert.equal((await expectApiError(member.listRoles(new Ram.ListRolesRequest({})))).code, 'NoPermission');
  });

  it('honours an acs:SourceIp condition', async () => {
    const onlyFrom = (cidr: string) =>
      policy({ Effect: 'Allow', Action: 'ram:Get*', Resource: '*', Condition: { IpAddress: { 'acs:SourceIp': [cidr] } } });
    await root.createPolicy(new Ram.CreatePolicyRequest({ policyName: 'FromOffice', policyDocument: onlyFrom('10.0.0.0/8') }));
    const remote = await userWith('remote', [{ type: 'Custom', name: 'FromOffice' }]);
    const error = await expectApiError(remote.getUser(new Ram.GetUserRequest({ userName: 'remote' })));
    assert.equal(error.code, 'NoPermission');

    await root.createPolicyVersion(new Ram.CreatePolicyVersionRequest({ policyName: 'FromOffice', policyDocument: onlyFrom('127.0.0.0/8'), setAsDefault: true }));
    assert.equal((await remote.getUser(new Ram.GetUserRequest({ userName: 'remote' }))).body.user.userName, 'remote');
  });

  describe('a Deny on a resource holds however the request spells its name (issue 12, finding 2)', () => {
    // The caller may do anything but what the Deny names; each entity is named in the Deny as it is stored.
    async function deniedOn(name: string, resources: string[]): Promise<{ client: any; creds: Credentials }> {
      await root.createPolicy(new Ram.CreatePolicyRequest({ policyName: `${name}-allow`, policyDocument: policy({ Effect: 'Allow', Action: '*', Resource: '*' }) }));
      await root.createPolicy(new Ram.CreatePolicyRequest({ policyName: `${name}-deny`, policyDocument: policy({ Effect: 'Deny', Action: '*', Resource: resources }) }));
      await root.createUser(new Ram.CreateUserRequest({ userName: name }));
      for (const p of [`${name}-allow`, `${name}-deny`]) {
        await root.attachPolicyToUser(new Ram.AttachPolicyToUserRequest({ policyType: 'Custom', policyName: p, userName: name }));
      }
      const key = (await root.createAccessKey(new Ram.CreateAccessKeyRequest({ userName: name }))).body.accessKey;
      const creds: Credentials = { accessKeyId: key.accessKeyId, accessKeySecret: key.accessKeySecret };
      return { client: ramClient(server.url, creds), creds };
    }

    it('refuses an AccessKey for the denied user asked for as UserName=BOSS', async () => {
      await root.createUser(new Ram.CreateUserRequest({ userName: 'boss' }));
      const { client } = await deniedOn('case-attacker', [`acs:ram::${server.accountId}:user/boss`]);
      const error = await expectApiError(client.createAccessKey(new Ram.CreateAccessKeyRequest({ userName: 'BOSS' })));
      assert.equal(error.code, 'NoPermission');
      assert.equal(error.statusCode, 403);
      assert.equal(error.data.AccessDeniedDetail.NoPermissionType, 'ExplicitDeny');
      assert.equal((await root.listAccessKeys(new Ram.ListAccessKeysRequest({ userName: 'boss' }))).body.accessKeys.accessKey.length, 0);
    });

    it('refuses to attach a denied System policy named as administratoraccess', async () => {
      const { client } = await deniedOn('case-climber', [`acs:ram::${server.accountId}:policy/AdministratorAccess`]);
      const error = await expectApiError(
        client.attachPolicyToUser(new Ram.AttachPolicyToUserRequest({ policyType: 'System', policyName: 'administratoraccess', userName: 'case-climber' })),
      );
      assert.equal(error.code, 'NoPermission');
      assert.equal(error.data.AccessDeniedDetail.NoPermissionType, 'ExplicitDeny');
      const attached = (await root.listPoliciesForUser(new Ram.ListPoliciesForUserRequest({ userName: 'case-climber' }))).body.policies.policy;
      assert.deepEqual(attached.map((p: any) => p.policyName).sort(), ['case-climber-allow', 'case-climber-deny']);
    });

    it('refuses AssumeRole on a denied role named in another case in the RoleArn', async () => {
      const trust = policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: [`acs:ram::${server.accountId}:root`] } });
      await root.createRole(new Ram.CreateRoleRequest({ roleName: 'Ops', assumeRolePolicyDocument: trust }));
      const { creds } = await deniedOn('case-assumer', [`acs:ram::${server.accountId}:role/Ops`]);
      const error = await expectApiError(
        stsClient(server.url, creds).assumeRole(new Sts.AssumeRoleRequest({ roleArn: `acs:ram::${server.accountId}:role/OPS`, roleSessionName: 'sneaky' })),
      );
      assert.equal(error.code, 'NoPermission');
      assert.equal(error.statusCode, 403);
    });
  });

  it('keeps the root identity inside its own account', async () => {
    const { store, secrets, clock } = server.gatehouse.services;
    const now = clock.now().toISOString();
    const other = await createAccount(store.db, { displayName: 'Other', alias: `other-${randomBytes(4).toString('hex')}`, type: 'member', rootPasswordHash: null, now });
    const key = await issueAccessKey(store.db, secrets, { accountId: other.id, userId: null, now });
    const otherRoot = ramClient(server.url, { accessKeyId: key.row.id, accessKeySecret: key.secret });

    // The other root sees its own (empty) account, never ours.
    assert.equal((await expectApiError(otherRoot.getUser(new Ram.GetUserRequest({ userName: 'nobody' })))).code, 'EntityNotExist.User');
    assert.equal((await otherRoot.listRoles(new Ram.ListRolesRequest({}))).body.roles.role.length, 0);

    // And the authorizer refuses it any resource of our account outright.
    const decision = await authorize(store.db, rootPrincipal(other.id), {
      action: 'ram:GetUser',
      resources: [`acs:ram:*:${server.accountId}:user/nobody`],
      context: {},
    });
    assert.equal(decision.allowed, false);
    const own = await authorize(store.db, rootPrincipal(other.id), { action: 'ram:GetUser', resources: [`acs:ram:*:${other.id}:user/x`], context: {} });
    assert.equal(own.allowed, true);
  });
});
