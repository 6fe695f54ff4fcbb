import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/server.js';
import { Ram, expectApiError, imsClient, ramClient } from '../support/sdk.js';

// RAM's quotas (its "Limitations" page): refused with RAM's LimitExceeded.* codes, nothing changed, and reported by
// IMS GetAccountSummary.
describe('RAM quotas', () => {
  let server: TestServer;
  let ram: any;
  let ims: any;
  before(async () => {
    server = await startServer();
    ram = ramClient(server.url, server.root);
    ims = imsClient(server.url, server.root);
  });
  after(async () => server.close());

  const attachedToUser = async (userName: string, policyType: string): Promise<number> =>
    (await ram.listPoliciesForUser(new Ram.ListPoliciesForUserRequest({ userName }))).body.policies.policy.filter((p: any) => p.policyType === policyType).length;

  it('attaches at most 20 system and 10 custom policies to a user', async () => {
    await ram.createUser(new Ram.CreateUserRequest({ userName: 'holder' }));
    const system = (await ram.listPolicies(new Ram.ListPoliciesRequest({ policyType: 'System', maxItems: 21 }))).body.policies.policy.map((p: any) => p.policyName);
    assert.equal(system.length, 21);
    for (const policyName of system.slice(0, 20)) {
      await ram.attachPolicyToUser(new Ram.AttachPolicyToUserRequest({ policyType: 'System', policyName, userName: 'holder' }));
    }
    const over = await expectApiError(ram.attachPolicyToUser(new Ram.AttachPolicyToUserRequest({ policyType: 'System', policyName: system[20], userName: 'holder' })));
    assert.equal(over.code, 'LimitExceeded.User.Policy');
    assert.equal(over.statusCode, 409);
    assert.equal(await attachedToUser('holder', 'System'), 20);

    const document = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'ecs:Describe*', Resource: '*' }] });
    for (let i = 0; i < 11; i++) await ram.createPolicy(new Ram.CreatePolicyRequest({ policyName: `custom-${i}`, policyDocument: document }));
    for (let i = 0; i < 10; i++) {
      await ram.attachPolicyToUser(new Ram.AttachPolicyToUserRequest({ policyType: 'Custom', policyName: `custom-${i}`, userName: 'holder' }));
    }
    const custom = await expectApiError(ram.attachPolicyToUser(new Ram.AttachPolicyToUserRequest({ policyType: 'Custom', policyName: 'custom-10', userName: 'holder' })));
    assert.equal(custom.code, 'LimitExceeded.User.Policy');
    assert.equal(await attachedToUser('holder', 'Custom'), 10);
    // A group is a principal of its own: the user's attachments do not count against it.
    await ram.createGroup(new Ram.CreateGroupRequest({ groupName: 'holders' }));
    await ram.attachPolicyToGroup(new Ram.AttachPolicyToGroupRequest({ policyType: 'Custom', policyName: 'custom-10', groupName: 'holders' }));
  });

  it('lets a user join at most 10 groups', async () => {
    await ram.createUser(new Ram.CreateUserRequest({ userName: 'joiner' }));
    for (let i = 0; i < 11; i++) await ram.createGroup(new Ram.CreateGroupRequest({ groupName: `team-${i}` }));
    for (let i = 0; i < 10; i++) await ram.addUserToGroup(new Ram.AddUserToGroupRequest({ userName: 'joiner', groupName: `team-${i}` }));
    const error = await expectApiError(ram.addUserToGroup(new Ram.AddUserToGroupRequest({ userName: 'joiner', groupName: 'team-10' })));
    assert.equal(error.code, 'LimitExceeded.User.Group');
    assert.equal(error.statusCode, 409);
    const groups = (await ram.listGroupsForUser(new Ram.ListGroupsForUserRequest({ userName: 'joiner' }))).body.groups.group;
    assert.equal(groups.length, 10);
  });

  it('creates at most 300 groups in an account', async () => {
    const db = server.gatehouse.services.store.db;
    const existing = (await ram.listGroups(new Ram.ListGroupsRequest({ maxItems: 1000 }))).body.groups.group.length;
    const now = new Date().toISOString();
    const rows = Array.from({ length: 300 - existing }, (_, i) => ({
      id: `9${String(i).padStart(16, '0')}`,
      account_id: server.accountId,
      name: `bulk-${i}`,
      name_key: `bulk-${i}`,
      display_name: '',
      comments: '',
      created_at: now,
      updated_at: now,
    }));
    try {
      for (let i = 0; i < rows.length; i += 100) await db.insertInto('ram_groups').values(rows.slice(i, i + 100)).execute();
      const error = await expectApiError(ram.createGroup(new Ram.CreateGroupRequest({ groupName: 'one-too-many' })));
      assert.equal(error.code, 'LimitExceeded.Group');
      assert.equal(error.statusCode, 409);
      assert.equal((await expectApiError(ram.getGroup(new Ram.GetGroupRequest({ groupName: 'one-too-many' })))).code, 'EntityNotExist.Group');
      assert.equal((await ims.getAccountSummary()).body.summaryMap.groups, 300);
    } finally {
      // A full account would refuse the groups the other tests create after this one.
      await db.deleteFrom('ram_groups').where('id', 'in', rows.map((row) => row.id)).execute();
    }
  });

  it('reports counts and quotas in GetAccountSummary', async () => {
    const counted = async () => (await ims.getAccountSummary()).body.summaryMap;
    const before = await counted();
    await ram.createUser(new Ram.CreateUserRequest({ userName: 'summary-user' }));
    for (const groupName of ['summary-1', 'summary-2']) await ram.createGroup(new Ram.CreateGroupRequest({ groupName }));
    const document = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'ecs:Describe*', Resource: '*' }] });
    for (const policyName of ['summary-1', 'summary-2', 'summary-3']) await ram.createPolicy(new Ram.CreatePolicyRequest({ policyName, policyDocument: document }));
    const summary = await counted();
    assert.deepEqual([summary.users - before.users, summary.groups - before.groups, summary.policies - before.policies], [1, 2, 3]);
    assert.equal(summary.users, (await ram.listUsers(new Ram.ListUsersRequest({ maxItems: 1000 }))).body.users.user.length);
    assert.equal(summary.groups, (await ram.listGroups(new Ram.ListGroupsRequest({ maxItems: 1000 }))).body.groups.group.length);
    assert.equal(summary.policies, (await ram.listPolicies(new Ram.ListPoliciesRequest({ policyType: 'Custom', maxItems: 1000 }))).body.policies.policy.length);
    assert.equal(summary.usersQuota, 5000);
    assert.equal(summary.groupsQuota, 300);
    assert.equal(summary.rolesQuota, 1000);
    assert.equal(summary.policiesQuota, 1500);
    assert.equal(summary.groupsPerUserQuota, 10);
    assert.equal(summary.attachedSystemPoliciesPerUserQuota, 20);
    assert.equal(summary.attachedPoliciesPerUserQuota, 10);
    assert.equal(summary.accessKeysPerUserQuota, 2);
    assert.equal(summary.versionsPerPolicyQuota, 5);
  });
});
