import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/server.js';
import { Ims, expectApiError, imsClient } from '../support/sdk.js';
import { Ram, createDirectory, createMember, createUser, memberCredentials, memberRam, sso, waitTask } from './access-support.js';

const INLINE = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'ecs:Describe*', Resource: '*' }] });

// A sequential journey: one assignment is provisioned, changed and reprovisioned, then removed; each test continues
// from the state the one before left, so they run in this order only.
describe('CloudSSO provisioning, assignments and tasks', () => {
  let s: TestServer;
  let dir: string;
  let member: string;
  let userId: string;
  let acId: string;
  const acName = 'EcsOps';

  before(async () => {
    s = await startServer();
    dir = await createDirectory(s);
    member = await createMember(s, 'dev-account');
    userId = await createUser(s, dir, 'alice');
    const ac = await sso(s, 'CreateAccessConfiguration', { DirectoryId: dir, AccessConfigurationName: acName, SessionDuration: 7200 });
    acId = ac.AccessConfiguration.AccessConfigurationId;
    const ref = { DirectoryId: dir, AccessConfigurationId: acId };
    await sso(s, 'AddPermissionPolicyToAccessConfiguration', { ...ref, PermissionPolicyType: 'System', PermissionPolicyName: 'AliyunECSReadOnlyAccess' });
    await sso(s, 'AddPermissionPolicyToAccessConfiguration', { ...ref, PermissionPolicyType: 'Inline', PermissionPolicyName: 'ecs-describe', InlinePolicyDocument: INLINE });
  });
  after(async () => s?.close());

  const assignment = () => ({ DirectoryId: dir, AccessConfigurationId: acId, TargetType: 'RD-Account', TargetId: member, PrincipalType: 'User', PrincipalId: userId });

  it('an assignment provisions the role and its policies in the member account', async () => {
    const { Task: task } = await sso(s, 'CreateAccessAssignment', assignment());
    assert.match(task.TaskId, /^t-/);
    assert.equal(task.TaskType, 'CreateAccessAssignment');
    assert.equal(task.PrincipalName, 'alice');
    assert.equal(task.TargetId, member);
    const status = await waitTask(s, dir, task.TaskId);
    assert.equal(status.Status, 'Success', JSON.stringify(status));
    assert.match(status.EndTime, /Z$/);

    const ram = await memberRam(s, member);
    const role = (await ram.getRole(new Ram.GetRoleRequest({ roleName: `AliyunReservedSSO-${acName}` }))).body.role;
    assert.equal(role.maxSessionDuration, 7200);
    const trust = JSON.parse(role.assumeRolePolicyDocument);
    assert.deepEqual(trust.Statement[0].Principal, { Federated: [`acs:ram::${member}:saml-provider/AliyunReservedSSO-${dir}`] });
    assert.equal(trust.Statement[0].Action, 'sts:AssumeRole');
    // The member account's administrator sees the directory's SAML provider (IMS).
    const providers = (await imsClient(s.url, await memberCredentials(s, member)).listSAMLProviders(new Ims.ListSAMLProvidersRequest({}))).body.SAMLProviders.SAMLProvider;
    assert.deepEqual(providers.map((p: any) => p.arn), [`acs:ram::${member}:saml-provider/AliyunReservedSSO-${dir}`]);
    const policies = (await ram.listPoliciesForRole(new Ram.ListPoliciesForRoleRequest({ roleName: role.roleName }))).body.policies.policy;
    assert.deepEqual(
      policies.map((p: any) => `${p.policyType}:${p.policyName}`).sort(),
      [`Custom:AliyunReservedSSO-${acName}-Inline`, 'System:AliyunECSReadOnlyAccess'],
    );
    const inline = await ram.getPolicy(new Ram.GetPolicyRequest({ policyType: 'Custom', policyName: `AliyunReservedSSO-${acName}-Inline` }));
    assert.equal(inline.body.defaultPolicyVersion.policyDocument, INLINE);

    const listed = await sso(s, 'ListAccessAssignments', { DirectoryId: dir, TargetType: 'RD-Account', TargetId: member });
    assert.equal(listed.TotalCounts, 1);
    assert.equal(listed.AccessAssignments[0].PrincipalName, 'alice');
    assert.equal(listed.AccessAssignments[0].AccessConfigurationName, acName);
    const prov = await sso(s, 'ListAccessConfigurationProvisionings', { DirectoryId: dir, AccessConfigurationId: acId });
    assert.equal(prov.AccessConfigurationProvisionings[0].Status, 'Provisioned');
    const dup = await expectApiError(sso(s, 'CreateAccessAssignment', assignment()));
    assert.equal(dup.code, 'EntityAlreadyExists.AccessAssignment');

    const got = await sso(s, 'GetTask', { DirectoryId: dir, TaskId: task.TaskId });
    assert.equal(got.Task.Status, 'Success');
    assert.equal(got.Task.FailureReason, undefined);
    const tasks = await sso(s, 'ListTasks', { DirectoryId: dir, TaskType: 'CreateAccessAssignment' });
    assert.equal(tasks.TotalCounts, 1);
  });

  it('a change turns ReprovisionRequired until the configuration is provisioned again', async () => {
    const ref = { DirectoryId: dir, AccessConfigurationId: acId };
    // A description is not provisioned into the member account: changing only it leaves the provisioning current.
    const described = await sso(s, 'UpdateAccessConfiguration', { ...ref, NewDescription: 'ECS operators' });
    assert.equal(described.AccessConfiguration.Description, 'ECS operators');
    assert.deepEqual(described.AccessConfiguration.StatusNotifications, []);
    const still = await sso(s, 'ListAccessConfigurationProvisionings', { DirectoryId: dir, AccessConfigurationId: acId });
    assert.equal(still.AccessConfigurationProvisionings[0].Status, 'Provisioned');
    const none = await sso(s, 'ListAccessConfigurations', { DirectoryId: dir, StatusNotifications: 'ReprovisionRequired' });
    assert.equal(none.TotalCounts, 0);

    const upd = await sso(s, 'UpdateAccessConfiguration', { ...ref, NewSessionDuration: 14400 });
    assert.deepEqual(upd.AccessConfiguration.StatusNotifications, ['ReprovisionRequired']);
    const flagged = await sso(s, 'ListAccessConfigurations', { DirectoryId: dir, StatusNotifications: 'ReprovisionRequired' });
    assert.deepEqual(flagged.AccessConfigurations.map((a: any) => a.AccessConfigurationId), [acId]);
    const prov = await sso(s, 'ListAccessConfigurationProvisionings', { DirectoryId: dir, AccessConfigurationId: acId });
    assert.equal(prov.AccessConfigurationProvisionings[0].Status, 'ReprovisionRequired');
    await sso(s, 'AddPermissionPolicyToAccessConfiguration', { ...ref, PermissionPolicyType: 'System', PermissionPolicyName: 'AliyunOSSReadOnlyAccess' });

    const { Tasks } = await sso(s, 'ProvisionAccessConfiguration', { ...ref, TargetType: 'RD-Account', TargetId: member });
    assert.equal(Tasks.length, 1);
    assert.equal((await waitTask(s, dir, Tasks[0].TaskId)).Status, 'Success');
    const cleared = await sso(s, 'GetAccessConfiguration', ref);
    assert.deepEqual(cleared.AccessConfiguration.StatusNotifications, []);

    const relay = await sso(s, 'UpdateAccessConfiguration', { ...ref, NewRelayState: 'https://ecs.console.aliyun.com/#/server' });
    assert.deepEqual(relay.AccessConfiguration.StatusNotifications, ['ReprovisionRequired']);
    const again = await sso(s, 'ProvisionAccessConfiguration', { ...ref, TargetType: 'RD-Account', TargetId: member });
    assert.equal((await waitTask(s, dir, again.Tasks[0].TaskId)).Status, 'Success');
    assert.deepEqual((await sso(s, 'GetAccessConfiguration', ref)).AccessConfiguration.StatusNotifications, []);

    const ram = await memberRam(s, member);
    const role = (await ram.getRole(new Ram.GetRoleRequest({ roleName: `AliyunReservedSSO-${acName}` }))).body.role;
    assert.equal(role.maxSessionDuration, 14400);
    const policies = (await ram.listPoliciesForRole(new Ram.ListPoliciesForRoleRequest({ roleName: role.roleName }))).body.policies.policy;
    assert.ok(policies.some((p: any) => p.policyName === 'AliyunOSSReadOnlyAccess'));

    const refused = await expectApiError(sso(s, 'DeprovisionAccessConfiguration', { ...ref, TargetType: 'RD-Account', TargetId: member }));
    assert.equal(refused.code, 'DeletionConflict.AccessConfigurationProvisioning.AccessAssignment');
    const del = await expectApiError(sso(s, 'DeleteAccessConfiguration', { ...ref, ForceRemovePermissionPolicies: true }));
    assert.equal(del.code, 'DeletionConflict.AccessConfiguration.AccessAssignment');
  });

  it('removing the last assignment with DeprovisionForLastAccessAssignmentOnAccount removes the role', async () => {
    const { Task } = await sso(s, 'DeleteAccessAssignment', { ...assignment(), DeprovisionStrategy: 'DeprovisionForLastAccessAssignmentOnAccount' });
    assert.equal(Task.TaskType, 'DeleteAccessAssignment');
    assert.equal((await waitTask(s, dir, Task.TaskId)).Status, 'Success');
    const ram = await memberRam(s, member);
    const gone = await expectApiError(ram.getRole(new Ram.GetRoleRequest({ roleName: `AliyunReservedSSO-${acName}` })));
    assert.equal(gone.code, 'EntityNotExist.Role');
    const policy = await expectApiError(ram.getPolicy(new Ram.GetPolicyRequest({ policyType: 'Custom', policyName: `AliyunReservedSSO-${acName}-Inline` })));
    assert.equal(policy.code, 'EntityNotExist.Policy');
    const prov = await sso(s, 'ListAccessConfigurationProvisionings', { DirectoryId: dir, AccessConfigurationId: acId });
    assert.equal(prov.TotalCounts, 0);
    const missing = await expectApiError(sso(s, 'DeleteAccessAssignment', assignment()));
    assert.equal(missing.code, 'EntityNotExists.AccessAssignment');
    const noProv = await expectApiError(sso(s, 'DeprovisionAccessConfiguration', { DirectoryId: dir, AccessConfigurationId: acId, TargetType: 'RD-Account', TargetId: member }));
    assert.equal(noProv.code, 'EntityNotExists.AccessConfigurationProvisioning');
  });

  it('refuses unknown targets and principals', async () => {
    const noTarget = await expectApiError(sso(s, 'CreateAccessAssignment', { ...assignment(), TargetId: '1234567890123456' }));
    assert.equal(noTarget.statusCode, 404);
    const noUser = await expectApiError(sso(s, 'CreateAccessAssignment', { ...assignment(), PrincipalId: 'u-doesnotexist' }));
    assert.equal(noUser.code, 'EntityNotExists.User');
    const noTask = await expectApiError(sso(s, 'GetTaskStatus', { DirectoryId: dir, TaskId: 't-nothere' }));
    assert.equal(noTask.code, 'EntityNotExists.Task');
  });
});

describe('CloudSSO tasks across a restart', () => {
  it('a task accepted by a node that stops is finished by the next node; conflicting work meanwhile is refused', async () => {
    const a = await startServer({ env: { GATEHOUSE_TASK_WORKER: 'off' } });
    let b: TestServer | undefined;
    try {
      const dir = await createDirectory(a);
      const member = await createMember(a, 'restart-account');
      const userId = await createUser(a, dir, 'bob');
      const ac = (await sso(a, 'CreateAccessConfiguration', { DirectoryId: dir, AccessConfigurationName: 'Restart' })).AccessConfiguration;
      await sso(a, 'AddPermissionPolicyToAccessConfiguration', {
        DirectoryId: dir,
        AccessConfigurationId: ac.AccessConfigurationId,
        PermissionPolicyType: 'System',
        PermissionPolicyName: 'ReadOnlyAccess',
      });
      const q = { DirectoryId: dir, AccessConfigurationId: ac.AccessConfigurationId, TargetType: 'RD-Account', TargetId: member, PrincipalType: 'User', PrincipalId: userId };
      const { Task } = await sso(a, 'CreateAccessAssignment', q);
      assert.equal(Task.Status, 'InProgress');

      const conflict = await expectApiError(sso(a, 'ProvisionAccessConfiguration', { ...q, PrincipalType: undefined, PrincipalId: undefined }));
      assert.equal(conflict.code, 'OperationConflict.Task');
      assert.equal(conflict.statusCode, 409);
      const busy = await expectApiError(sso(a, 'DeleteAccessConfiguration', { DirectoryId: dir, AccessConfigurationId: ac.AccessConfigurationId, ForceRemovePermissionPolicies: true }));
      assert.equal(busy.code, 'DeletionConflict.AccessConfiguration.Task');
      assert.equal((await sso(a, 'GetTaskStatus', { DirectoryId: dir, TaskId: Task.TaskId })).TaskStatus.Status, 'InProgress');

      await a.stop();
      b = await startServer({ shareWith: a });
      const status = await waitTask(b, dir, Task.TaskId);
      assert.equal(status.Status, 'Success');
      const ram = await memberRam(b, member);
      const role = (await ram.getRole(new Ram.GetRoleRequest({ roleName: 'AliyunReservedSSO-Restart' }))).body.role;
      assert.equal(role.roleName, 'AliyunReservedSSO-Restart');
    } finally {
      await b?.close();
      await a.close();
    }
  });
});
