import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/server.js';
import { expectApiError } from '../support/sdk.js';
import { Ram, createDirectory, createMember, createUser, memberRam, sso, waitTask } from './access-support.js';

describe('CloudSSO access assignments', () => {
  let s: TestServer;
  let dir: string;
  let member: string;
  let acId: string;
  let userId: string;
  let groupId: string;

  before(async () => {
    s = await startServer();
    dir = await createDirectory(s);
    member = await createMember(s, 'assign-account');
    userId = await createUser(s, dir, 'gina');
    groupId = (await sso(s, 'CreateGroup', { DirectoryId: dir, GroupName: 'ops' })).Group.GroupId;
    acId = (await sso(s, 'CreateAccessConfiguration', { DirectoryId: dir, AccessConfigurationName: 'Shared' })).AccessConfiguration.AccessConfigurationId;
  });
  after(async () => s?.close());

  const q = (principalType: 'User' | 'Group', principalId: string) => ({
    DirectoryId: dir,
    AccessConfigurationId: acId,
    TargetType: 'RD-Account',
    TargetId: member,
    PrincipalType: principalType,
    PrincipalId: principalId,
  });
  const roleExists = async (): Promise<boolean> => {
    const ram = await memberRam(s, member);
    return ram.getRole(new Ram.GetRoleRequest({ roleName: 'AliyunReservedSSO-Shared' })).then(
      () => true,
      (e: any) => (e.code === 'EntityNotExist.Role' ? false : Promise.reject(e)),
    );
  };

  it('a user and a group share the role; it stays until the last assignment goes with the deprovision strategy', async () => {
    const t1 = (await sso(s, 'CreateAccessAssignment', q('User', userId))).Task;
    assert.equal((await waitTask(s, dir, t1.TaskId)).Status, 'Success');
    const t2 = (await sso(s, 'CreateAccessAssignment', q('Group', groupId))).Task;
    assert.equal(t2.PrincipalName, 'ops');
    assert.equal((await waitTask(s, dir, t2.TaskId)).Status, 'Success');

    const page1 = await sso(s, 'ListAccessAssignments', { DirectoryId: dir, AccessConfigurationId: acId, MaxResults: 1 });
    assert.equal(page1.TotalCounts, 2);
    assert.equal(page1.IsTruncated, true);
    const page2 = await sso(s, 'ListAccessAssignments', { DirectoryId: dir, AccessConfigurationId: acId, MaxResults: 1, NextToken: page1.NextToken });
    assert.equal(page2.IsTruncated, false);
    assert.deepEqual([page1.AccessAssignments[0].PrincipalType, page2.AccessAssignments[0].PrincipalType].sort(), ['Group', 'User']);
    assert.equal(page1.AccessAssignments[0].TargetPathName.endsWith('/assign-account'), true);
    const byGroup = await sso(s, 'ListAccessAssignments', { DirectoryId: dir, PrincipalType: 'Group', PrincipalId: groupId });
    assert.equal(byGroup.TotalCounts, 1);
    const tooMany = await expectApiError(sso(s, 'ListAccessAssignments', { DirectoryId: dir, MaxResults: 21 }));
    assert.equal(tooMany.code, 'InvalidParameter.MaxResults');

    const d1 = (await sso(s, 'DeleteAccessAssignment', { ...q('User', userId), DeprovisionStrategy: 'DeprovisionForLastAccessAssignmentOnAccount' })).Task;
    assert.equal((await waitTask(s, dir, d1.TaskId)).Status, 'Success');
    assert.equal(await roleExists(), true, 'the group still uses the role');

    const d2 = (await sso(s, 'DeleteAccessAssignment', q('Group', groupId))).Task;
    assert.equal((await waitTask(s, dir, d2.TaskId)).Status, 'Success');
    assert.equal(await roleExists(), true, 'DeprovisionStrategy None leaves the role');
    const prov = await sso(s, 'ListAccessConfigurationProvisionings', { DirectoryId: dir, TargetType: 'RD-Account', TargetId: member });
    assert.equal(prov.AccessConfigurationProvisionings[0].Status, 'Provisioned');
    assert.equal((await sso(s, 'ListAccessAssignments', { DirectoryId: dir, AccessConfigurationId: acId })).TotalCounts, 0);

    const dep = (await sso(s, 'DeprovisionAccessConfiguration', { DirectoryId: dir, AccessConfigurationId: acId, TargetType: 'RD-Account', TargetId: member })).Tasks[0];
    assert.equal(dep.TaskType, 'DeprovisionAccessConfiguration');
    assert.equal((await waitTask(s, dir, dep.TaskId)).Status, 'Success');
    assert.equal(await roleExists(), false);
    await sso(s, 'DeleteAccessConfiguration', { DirectoryId: dir, AccessConfigurationId: acId });
  });

  it('refuses bad parameters before anything happens', async () => {
    const taskCount = async () => (await sso(s, 'ListTasks', { DirectoryId: dir })).TotalCounts as number;
    const tasksBefore = await taskCount();
    const cases: Array<[Record<string, string>, string]> = [
      [{ TargetType: 'Account' }, 'InvalidParameter.TargetType'],
      [{ PrincipalType: 'Role' }, 'InvalidParameter.PrincipalType'],
      [{ DeprovisionStrategy: 'Always' }, 'InvalidParameter.DeprovisionStrategy'],
    ];
    for (const [over, code] of cases) {
      const e = await expectApiError(sso(s, 'DeleteAccessAssignment', { ...q('User', userId), ...over }));
      assert.equal(e.code, code);
      assert.equal(e.statusCode, 400);
    }
    const missing = await expectApiError(sso(s, 'CreateAccessAssignment', { DirectoryId: dir, AccessConfigurationId: 'ac-x' }));
    assert.equal(missing.code, 'MissingParameter.TargetType');
    const other = await expectApiError(sso(s, 'CreateAccessAssignment', { ...q('User', userId), AccessConfigurationId: 'ac-nothere' }));
    assert.equal(other.code, 'EntityNotExists.AccessConfiguration');
    assert.equal(await taskCount(), tasksBefore, 'no task was created');
  });
});
