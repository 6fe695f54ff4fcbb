import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/server.js';
import { Ram, expectApiError, ramClient } from '../support/sdk.js';

const allow = (action: string, resource = '*'): string =>
  JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: action, Resource: resource }] });
const trust = (principal: string): string =>
  JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: [principal] } }] });

// A sequential journey: the custom policy Readers-1 is created, versioned, attached to alice, devs and builder, listed
// with its attachment count and finally deleted; each test continues from the state the one before left.
describe('RAM policies, versions and attachments', () => {
  let server: TestServer;
  let ram: any;
  before(async () => {
    server = await startServer();
    ram = ramClient(server.url, server.root);
    await ram.createUser(new Ram.CreateUserRequest({ userName: 'alice' }));
    await ram.createGroup(new Ram.CreateGroupRequest({ groupName: 'devs' }));
    await ram.createRole(new Ram.CreateRoleRequest({ roleName: 'builder', assumeRolePolicyDocument: trust(`acs:ram::${server.accountId}:root`) }));
  });
  after(async () => server.close());

  const getPolicy = async (name: string, type = 'Custom') => (await ram.getPolicy(new Ram.GetPolicyRequest({ policyName: name, policyType: type }))).body;
  const versions = async (name: string) =>
    (await ram.listPolicyVersions(new Ram.ListPolicyVersionsRequest({ policyName: name, policyType: 'Custom' }))).body.policyVersions.policyVersion;

  it('creates a custom policy and reads it back with its default version', async () => {
    const document = allow('ram:Get*');
    const created = (await ram.createPolicy(new Ram.CreatePolicyRequest({ policyName: 'Readers-1', policyDocument: document, description: 'read' }))).body.policy;
    assert.equal(created.policyName, 'Readers-1');
    assert.equal(created.policyType, 'Custom');
    assert.equal(created.defaultVersion, 'v1');
    assert.equal(created.description, 'read');
    assert.match(created.createDate, /Z$/);

    const body = await getPolicy('readers-1');
    assert.equal(body.policy.policyName, 'Readers-1');
    assert.equal(body.policy.policyDocument, document);
    assert.equal(body.policy.attachmentCount, 0);
    assert.equal(body.defaultPolicyVersion.versionId, 'v1');
    assert.equal(body.defaultPolicyVersion.isDefaultVersion, true);
    assert.equal(body.defaultPolicyVersion.policyDocument, document);
  });

  it('reads a system policy', async () => {
    const body = await getPolicy('AdministratorAccess', 'System');
    assert.equal(body.policy.policyType, 'System');
    assert.equal(body.policy.defaultVersion, 'v1');
    assert.match(body.policy.policyDocument, /"Action": "\*"/);
    assert.equal(body.defaultPolicyVersion.versionId, 'v1');
    const missing = await expectApiError(ram.getPolicy(new Ram.GetPolicyRequest({ policyName: 'Readers-1', policyType: 'System' })));
    assert.equal(missing.code, 'EntityNotExist.Policy');
    assert.equal(missing.statusCode, 404);
  });

  it('refuses bad names, types, documents and duplicates, creating nothing', async () => {
    const cases: Array<[() => Promise<unknown>, string, number]> = [
      [() => ram.createPolicy(new Ram.CreatePolicyRequest({ policyName: 'bad.name', policyDocument: allow('ram:*') })), 'InvalidParameter.PolicyName.InvalidChars', 400],
      [() => ram.createPolicy(new Ram.CreatePolicyRequest({ policyName: 'p'.repeat(129), policyDocument: allow('ram:*') })), 'InvalidParameter.PolicyName.Length', 400],
      [() => ram.createPolicy(new Ram.CreatePolicyRequest({ policyName: 'p1', policyDocument: allow('ram:*'), description: 'd'.repeat(1025) })), 'InvalidParameter.Description.Length', 400],
      [() => ram.createPolicy(new Ram.CreatePolicyRequest({ policyName: 'p1', policyDocument: '{"Version":"1"}' })), 'MalformedPolicyDocument', 400],
      [() => ram.createPolicy(new Ram.CreatePolicyRequest({ policyName: 'p1', policyDocument: allow('ram:*', 'x'.repeat(6200)) })), 'InvalidParameter.PolicyDocument.Length', 400],
      [() => ram.createPolicy(new Ram.CreatePolicyRequest({ policyName: 'READERS-1', policyDocument: allow('ram:*') })), 'EntityAlreadyExists.Policy', 409],
      [() => ram.createPolicy(new Ram.CreatePolicyRequest({ policyName: 'AdministratorAccess', policyDocument: allow('ram:*') })), 'EntityAlreadyExists.Policy', 409],
      [() => ram.getPolicy(new Ram.GetPolicyRequest({ policyName: 'Readers-1', policyType: 'Managed' })), 'InvalidParameter.PolicyType', 400],
      [() => ram.getPolicy(new Ram.GetPolicyRequest({ policyName: 'p1', policyType: 'Custom' })), 'EntityNotExist.Policy', 404],
    ];
    for (const [call, code, status] of cases) {
      const error = await expectApiError(call());
      assert.equal(error.code, code);
      assert.equal(error.statusCode, status);
    }
    assert.equal((await getPolicy('Readers-1')).policy.policyDocument, allow('ram:Get*'));
    const listed = (await ram.listPolicies(new Ram.ListPoliciesRequest({ policyType: 'Custom' }))).body.policies.policy;
    assert.deepEqual(listed.map((p: any) => p.policyName), ['Readers-1']);
  });

  it('updates the description; system policies cannot be changed or deleted', async () => {
    const updated = (await ram.updatePolicyDescription(new Ram.UpdatePolicyDescriptionRequest({ policyName: 'Readers-1', newDescription: 'readers' }))).body.policy;
    assert.equal(updated.description, 'readers');
    assert.equal((await getPolicy('Readers-1')).policy.description, 'readers');
    for (const call of [
      () => ram.updatePolicyDescription(new Ram.UpdatePolicyDescriptionRequest({ policyName: 'AdministratorAccess', newDescription: 'mine' })),
      () => ram.deletePolicy(new Ram.DeletePolicyRequest({ policyName: 'AdministratorAccess' })),
      () => ram.createPolicyVersion(new Ram.CreatePolicyVersionRequest({ policyName: 'AdministratorAccess', policyDocument: allow('ram:*') })),
    ]) {
      assert.equal((await expectApiError(call())).code, 'EntityNotExist.Policy');
    }
    assert.match((await getPolicy('AdministratorAccess', 'System')).policy.description, /Full control/);
  });

  it('keeps at most five versions, rotating the oldest non-default one on request', async () => {
    const v2 = (await ram.createPolicyVersion(new Ram.CreatePolicyVersionRequest({ policyName: 'Readers-1', policyDocument: allow('ram:List*') }))).body.policyVersion;
    assert.equal(v2.versionId, 'v2');
    assert.equal(v2.isDefaultVersion, false);
    const v3 = (await ram.createPolicyVersion(new Ram.CreatePolicyVersionRequest({ policyName: 'Readers-1', policyDocument: allow('ram:Get*'), setAsDefault: true }))).body
      .policyVersion;
    assert.equal(v3.isDefaultVersion, true);
    assert.equal((await getPolicy('Readers-1')).policy.defaultVersion, 'v3');
    await ram.createPolicyVersion(new Ram.CreatePolicyVersionRequest({ policyName: 'Readers-1', policyDocument: allow('ram:ListUsers') }));
    await ram.createPolicyVersion(new Ram.CreatePolicyVersionRequest({ policyName: 'Readers-1', policyDocument: allow('ram:ListGroups') }));
    assert.deepEqual((await versions('Readers-1')).map((v: any) => v.versionId), ['v1', 'v2', 'v3', 'v4', 'v5']);

    const limit = await expectApiError(ram.createPolicyVersion(new Ram.CreatePolicyVersionRequest({ policyName: 'Readers-1', policyDocument: allow('ram:ListRoles') })));
    assert.equal(limit.code, 'LimitExceeded.Policy.Version');
    assert.equal(limit.statusCode, 409);
    const malformed = await expectApiError(ram.createPolicyVersion(new Ram.CreatePolicyVersionRequest({ policyName: 'Readers-1', policyDocument: '{}', rotateStrategy: 'DeleteOldestNonDefaultVersionWhenLimitExceeded' })));
    assert.equal(malformed.code, 'MalformedPolicyDocument');
    assert.equal((await versions('Readers-1')).length, 5);

    const v6 = (
      await ram.createPolicyVersion(
        new Ram.CreatePolicyVersionRequest({ policyName: 'Readers-1', policyDocument: allow('ram:ListRoles'), rotateStrategy: 'DeleteOldestNonDefaultVersionWhenLimitExceeded' }),
      )
    ).body.policyVersion;
    assert.equal(v6.versionId, 'v6');
    assert.deepEqual((await versions('Readers-1')).map((v: any) => v.versionId), ['v2', 'v3', 'v4', 'v5', 'v6']);
    const badStrategy = await expectApiError(ram.createPolicyVersion(new Ram.CreatePolicyVersionRequest({ policyName: 'Readers-1', policyDocument: allow('ram:*'), rotateStrategy: 'Sometimes' })));
    assert.equal(badStrategy.statusCode, 400);
  });

  it('gets, sets as default and deletes versions', async () => {
    const v4 = (await ram.getPolicyVersion(new Ram.GetPolicyVersionRequest({ policyName: 'Readers-1', policyType: 'Custom', versionId: 'v4' }))).body.policyVersion;
    assert.equal(v4.policyDocument, allow('ram:ListUsers'));
    assert.equal(v4.isDefaultVersion, false);
    const sys = (await ram.getPolicyVersion(new Ram.GetPolicyVersionRequest({ policyName: 'ReadOnlyAccess', policyType: 'System', versionId: 'v1' }))).body.policyVersion;
    assert.equal(sys.isDefaultVersion, true);

    await ram.setDefaultPolicyVersion(new Ram.SetDefaultPolicyVersionRequest({ policyName: 'Readers-1', versionId: 'v4' }));
    assert.equal((await getPolicy('Readers-1')).defaultPolicyVersion.policyDocument, allow('ram:ListUsers'));

    const errors: Array<[() => Promise<unknown>, string, number]> = [
      [() => ram.deletePolicyVersion(new Ram.DeletePolicyVersionRequest({ policyName: 'Readers-1', versionId: 'v4' })), 'DeleteConflict.Policy.Version.Default', 409],
      [() => ram.deletePolicyVersion(new Ram.DeletePolicyVersionRequest({ policyName: 'Readers-1', versionId: 'v1' })), 'EntityNotExist.Policy.Version', 404],
      [() => ram.getPolicyVersion(new Ram.GetPolicyVersionRequest({ policyName: 'Readers-1', policyType: 'Custom', versionId: 'v9' })), 'EntityNotExist.Policy.Version', 404],
      [() => ram.setDefaultPolicyVersion(new Ram.SetDefaultPolicyVersionRequest({ policyName: 'Readers-1', versionId: 'v1' })), 'EntityNotExist.Policy.Version', 404],
      [() => ram.setDefaultPolicyVersion(new Ram.SetDefaultPolicyVersionRequest({ policyName: 'Readers-1', versionId: 'latest' })), 'InvalidParameter.VersionId.Format', 400],
    ];
    for (const [call, code, status] of errors) {
      const error = await expectApiError(call());
      assert.equal(error.code, code);
      assert.equal(error.statusCode, status);
    }
    assert.equal((await getPolicy('Readers-1')).policy.defaultVersion, 'v4');
    await ram.deletePolicyVersion(new Ram.DeletePolicyVersionRequest({ policyName: 'Readers-1', versionId: 'v2' }));
    assert.deepEqual((await versions('Readers-1')).map((v: any) => v.versionId), ['v3', 'v4', 'v5', 'v6']);
  });

  it('attaches policies to users, groups and roles, and lists them both ways', async () => {
    await ram.attachPolicyToUser(new Ram.AttachPolicyToUserRequest({ policyType: 'Custom', policyName: 'readers-1', userName: 'alice' }));
    await ram.attachPolicyToUser(new Ram.AttachPolicyToUserRequest({ policyType: 'System', policyName: 'ReadOnlyAccess', userName: 'alice' }));
    await ram.attachPolicyToGroup(new Ram.AttachPolicyToGroupRequest({ policyType: 'Custom', policyName: 'Readers-1', groupName: 'devs' }));
    await ram.attachPolicyToRole(new Ram.AttachPolicyToRoleRequest({ policyType: 'Custom', policyName: 'Readers-1', roleName: 'builder' }));

    const forUser = (await ram.listPoliciesForUser(new Ram.ListPoliciesForUserRequest({ userName: 'alice' }))).body.policies.policy;
    assert.deepEqual(forUser.map((p: any) => `${p.policyType}:${p.policyName}`).sort(), ['Custom:Readers-1', 'System:ReadOnlyAccess']);
    assert.ok(forUser.every((p: any) => /Z$/.test(p.attachDate) && p.defaultVersion));
    const forGroup = (await ram.listPoliciesForGroup(new Ram.ListPoliciesForGroupRequest({ groupName: 'devs' }))).body.policies.policy;
    assert.deepEqual(forGroup.map((p: any) => p.policyName), ['Readers-1']);
    const forRole = (await ram.listPoliciesForRole(new Ram.ListPoliciesForRoleRequest({ roleName: 'builder' }))).body.policies.policy;
    assert.deepEqual(forRole.map((p: any) => p.description), ['readers']);

    const entities = (await ram.listEntitiesForPolicy(new Ram.ListEntitiesForPolicyRequest({ policyType: 'Custom', policyName: 'Readers-1' }))).body;
    assert.deepEqual(entities.users.user.map((u: any) => u.userName), ['alice']);
    assert.deepEqual(entities.groups.group.map((g: any) => g.groupName), ['devs']);
    assert.deepEqual(entities.roles.role.map((r: any) => r.arn), [`acs:ram::${server.accountId}:role/builder`]);

    assert.equal((await getPolicy('Readers-1')).policy.attachmentCount, 3);
    assert.equal((await getPolicy('ReadOnlyAccess', 'System')).policy.attachmentCount, 1);
  });

  it('refuses duplicate attachments, unknown ones and unknown entities', async () => {
    const cases: Array<[() => Promise<unknown>, string, number]> = [
      [() => ram.attachPolicyToUser(new Ram.AttachPolicyToUserRequest({ policyType: 'Custom', policyName: 'Readers-1', userName: 'ALICE' })), 'EntityAlreadyExists.User.Policy', 409],
      [() => ram.attachPolicyToGroup(new Ram.AttachPolicyToGroupRequest({ policyType: 'Custom', policyName: 'Readers-1', groupName: 'devs' })), 'EntityAlreadyExists.Group.Policy', 409],
      [() => ram.attachPolicyToRole(new Ram.AttachPolicyToRoleRequest({ policyType: 'Custom', policyName: 'Readers-1', roleName: 'builder' })), 'EntityAlreadyExists.Role.Policy', 409],
      [() => ram.attachPolicyToUser(new Ram.AttachPolicyToUserRequest({ policyType: 'System', policyName: 'NoSuchPolicy', userName: 'alice' })), 'EntityNotExist.Policy', 404],
      [() => ram.attachPolicyToUser(new Ram.AttachPolicyToUserRequest({ policyType: 'Custom', policyName: 'Readers-1', userName: 'bob' })), 'EntityNotExist.User', 404],
      [() => ram.attachPolicyToGroup(new Ram.AttachPolicyToGroupRequest({ policyType: 'Custom', policyName: 'Readers-1', groupName: 'ops' })), 'EntityNotExist.Group', 404],
      [() => ram.attachPolicyToRole(new Ram.AttachPolicyToRoleRequest({ policyType: 'Custom', policyName: 'Readers-1', roleName: 'nobody' })), 'EntityNotExist.Role', 404],
      [() => ram.detachPolicyFromUser(new Ram.DetachPolicyFromUserRequest({ policyType: 'System', policyName: 'AdministratorAccess', userName: 'alice' })), 'EntityNotExist.User.Policy', 404],
      [() => ram.detachPolicyFromGroup(new Ram.DetachPolicyFromGroupRequest({ policyType: 'System', policyName: 'ReadOnlyAccess', groupName: 'devs' })), 'EntityNotExist.Group.Policy', 404],
      [() => ram.detachPolicyFromRole(new Ram.DetachPolicyFromRoleRequest({ policyType: 'System', policyName: 'ReadOnlyAccess', roleName: 'builder' })), 'EntityNotExist.Role.Policy', 404],
      [() => ram.attachPolicyToUser(new Ram.AttachPolicyToUserRequest({ policyType: 'Other', policyName: 'Readers-1', userName: 'alice' })), 'InvalidParameter.PolicyType', 400],
    ];
    for (const [call, code, status] of cases) {
      const error = await expectApiError(call());
      assert.equal(error.code, code);
      assert.equal(error.statusCode, status);
    }
    assert.equal((await getPolicy('Readers-1')).policy.attachmentCount, 3);
  });

  it('lists custom and system policies with attachment counts, in pages', async () => {
    await ram.createPolicy(new Ram.CreatePolicyRequest({ policyName: 'Zeta', policyDocument: allow('ram:ListUsers') }));
    const all: any[] = [];
    let marker: string | undefined;
    for (let i = 0; i < 50; i++) {
      const body = (await ram.listPolicies(new Ram.ListPoliciesRequest({ maxItems: 3, marker }))).body;
      all.push(...body.policies.policy);
      if (!body.isTruncated) break;
      marker = body.marker;
    }
    assert.deepEqual(all.slice(0, 2).map((p) => p.policyName), ['Readers-1', 'Zeta']);
    assert.ok(all.slice(2).every((p) => p.policyType === 'System'));
    assert.ok(all.some((p) => p.policyName === 'AliyunRAMReadOnlyAccess'));
    assert.equal(new Set(all.map((p) => `${p.policyType}:${p.policyName}`)).size, all.length);
    const count = (name: string) => all.find((p) => p.policyName === name).attachmentCount;
    assert.equal(count('Readers-1'), 3);
    assert.equal(count('Zeta'), 0);
    assert.equal(count('ReadOnlyAccess'), 1);
    assert.equal(count('AdministratorAccess'), 0);

    const system = (await ram.listPolicies(new Ram.ListPoliciesRequest({ policyType: 'System', maxItems: 1000 }))).body;
    assert.equal(system.isTruncated, false);
    assert.equal(system.policies.policy.length, all.length - 2);
  });

  it('refuses to delete an attached policy or one with extra versions, unless cascading', async () => {
    const conflicts: Array<[string, () => Promise<unknown>]> = [
      ['DeleteConflict.Policy.User', () => ram.detachPolicyFromUser(new Ram.DetachPolicyFromUserRequest({ policyType: 'Custom', policyName: 'Readers-1', userName: 'alice' }))],
      ['DeleteConflict.Policy.Group', () => ram.detachPolicyFromGroup(new Ram.DetachPolicyFromGroupRequest({ policyType: 'Custom', policyName: 'Readers-1', groupName: 'devs' }))],
      ['DeleteConflict.Policy.Role', () => ram.detachPolicyFromRole(new Ram.DetachPolicyFromRoleRequest({ policyType: 'Custom', policyName: 'Readers-1', roleName: 'builder' }))],
      ['DeleteConflict.Policy.Version', async () => {
        for (const v of ['v3', 'v5', 'v6']) await ram.deletePolicyVersion(new Ram.DeletePolicyVersionRequest({ policyName: 'Readers-1', versionId: v }));
      }],
    ];
    for (const [code, resolve] of conflicts) {
      const error = await expectApiError(ram.deletePolicy(new Ram.DeletePolicyRequest({ policyName: 'Readers-1' })));
      assert.equal(error.code, code);
      assert.equal(error.statusCode, 409);
      assert.equal((await getPolicy('Readers-1')).policy.policyName, 'Readers-1');
      await resolve();
    }
    await ram.deletePolicy(new Ram.DeletePolicyRequest({ policyName: 'readers-1' }));
    assert.equal((await expectApiError(ram.getPolicy(new Ram.GetPolicyRequest({ policyName: 'Readers-1', policyType: 'Custom' })))).code, 'EntityNotExist.Policy');

    await ram.attachPolicyToUser(new Ram.AttachPolicyToUserRequest({ policyType: 'Custom', policyName: 'Zeta', userName: 'alice' }));
    await ram.createPolicyVersion(new Ram.CreatePolicyVersionRequest({ policyName: 'Zeta', policyDocument: allow('ram:ListGroups') }));
    await ram.deletePolicy(new Ram.DeletePolicyRequest({ policyName: 'Zeta', cascadingDelete: true }));
    const left = (await ram.listPoliciesForUser(new Ram.ListPoliciesForUserRequest({ userName: 'alice' }))).body.policies.policy;
    assert.deepEqual(left.map((p: any) => p.policyName), ['ReadOnlyAccess']);
    assert.equal((await expectApiError(ram.deletePolicy(new Ram.DeletePolicyRequest({ policyName: 'Zeta' })))).code, 'EntityNotExist.Policy');
  });
});
