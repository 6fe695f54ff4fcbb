import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer, restoreClockAfterEach } from '../support/server.js';
import { Ram, expectApiError, ramClient } from '../support/sdk.js';

describe('RAM groups', () => {
  let server: TestServer;
  restoreClockAfterEach(() => server);
  let ram: any;
  before(async () => {
    server = await startServer();
    ram = ramClient(server.url, server.root);
  });
  after(async () => server.close());

  const getGroup = (groupName: string) => ram.getGroup(new Ram.GetGroupRequest({ groupName }));

  it('creates, reads, updates (renames) and deletes a group', async () => {
    const created = (await ram.createGroup(new Ram.CreateGroupRequest({ groupName: 'dev.ops-1', comments: 'first' }))).body.group;
    assert.equal(created.groupName, 'dev.ops-1');
    assert.equal(created.comments, 'first');
    assert.match(created.groupId, /^\d+$/);
    assert.match(created.createDate, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const got = (await getGroup('DEV.OPS-1')).body.group;
    assert.equal(got.groupId, created.groupId);
    assert.ok(got.updateDate);

    server.clock.advance(1500);
    const updated = (await ram.updateGroup(new Ram.UpdateGroupRequest({ groupName: 'dev.ops-1', newGroupName: 'devops', newComments: 'second' }))).body.group;
    assert.equal(updated.groupName, 'devops');
    assert.equal(updated.comments, 'second');
    assert.ok(updated.updateDate > updated.createDate);
    assert.equal((await expectApiError(getGroup('dev.ops-1'))).code, 'EntityNotExist.Group');

    await ram.deleteGroup(new Ram.DeleteGroupRequest({ groupName: 'devops' }));
    const error = await expectApiError(getGroup('devops'));
    assert.equal(error.code, 'EntityNotExist.Group');
    assert.equal(error.statusCode, 404);
  });

  it('refuses bad names, long comments and duplicates, changing nothing', async () => {
    let error = await expectApiError(ram.createGroup(new Ram.CreateGroupRequest({ groupName: 'under_score' })));
    assert.equal(error.code, 'InvalidParameter.GroupName.InvalidChars');
    assert.equal(error.statusCode, 400);
    error = await expectApiError(ram.createGroup(new Ram.CreateGroupRequest({ groupName: 'g'.repeat(65) })));
    assert.equal(error.code, 'InvalidParameter.GroupName.Length');
    error = await expectApiError(ram.createGroup(new Ram.CreateGroupRequest({ groupName: 'ok', comments: 'c'.repeat(129) })));
    assert.equal(error.code, 'InvalidParameter.Comments.Length');
    assert.equal((await expectApiError(getGroup('ok'))).code, 'EntityNotExist.Group');

    await ram.createGroup(new Ram.CreateGroupRequest({ groupName: 'alpha', comments: 'a' }));
    await ram.createGroup(new Ram.CreateGroupRequest({ groupName: 'beta', comments: 'b' }));
    error = await expectApiError(ram.createGroup(new Ram.CreateGroupRequest({ groupName: 'ALPHA' })));
    assert.equal(error.code, 'EntityAlreadyExists.Group');
    assert.equal(error.statusCode, 409);
    error = await expectApiError(ram.updateGroup(new Ram.UpdateGroupRequest({ groupName: 'beta', newGroupName: 'alpha', newComments: 'lost' })));
    assert.equal(error.code, 'EntityAlreadyExists.Group');
    assert.equal((await getGroup('beta')).body.group.comments, 'b');
    error = await expectApiError(ram.updateGroup(new Ram.UpdateGroupRequest({ groupName: 'nope', newComments: 'x' })));
    assert.equal(error.code, 'EntityNotExist.Group');
  });

  it('adds and removes members, and lists both ways', async () => {
    await ram.createGroup(new Ram.CreateGroupRequest({ groupName: 'm-alpha' }));
    await ram.createGroup(new Ram.CreateGroupRequest({ groupName: 'm-beta', comments: 'b' }));
    for (const userName of ['m-carol', 'm-alice', 'm-bob']) {
      await ram.createUser(new Ram.CreateUserRequest({ userName, displayName: userName.toUpperCase() }));
      await ram.addUserToGroup(new Ram.AddUserToGroupRequest({ groupName: 'm-alpha', userName }));
    }
    await ram.addUserToGroup(new Ram.AddUserToGroupRequest({ groupName: 'm-beta', userName: 'm-alice' }));

    const groups = (await ram.listGroupsForUser(new Ram.ListGroupsForUserRequest({ userName: 'm-alice' }))).body.groups.group;
    assert.deepEqual(groups.map((g: any) => g.groupName), ['m-alpha', 'm-beta']);
    assert.ok(groups[0].joinDate && groups[0].groupId);
    assert.equal(groups[1].comments, 'b');

    const members = (await ram.listUsersForGroup(new Ram.ListUsersForGroupRequest({ groupName: 'm-alpha' }))).body;
    assert.equal(members.isTruncated, false);
    assert.deepEqual(members.users.user.map((u: any) => u.userName), ['m-alice', 'm-bob', 'm-carol']);
    assert.equal(members.users.user[0].displayName, 'M-ALICE');
    assert.ok(members.users.user[0].joinDate);

    const seen: string[] = [];
    let marker: string | undefined;
    do {
      const body = (await ram.listUsersForGroup(new Ram.ListUsersForGroupRequest({ groupName: 'm-alpha', maxItems: 2, marker }))).body;
      seen.push(...body.users.user.map((u: any) => u.userName));
      marker = body.isTruncated ? body.marker : undefined;
    } while (marker);
    assert.deepEqual(seen, ['m-alice', 'm-bob', 'm-carol']);

    let error = await expectApiError(ram.addUserToGroup(new Ram.AddUserToGroupRequest({ groupName: 'm-alpha', userName: 'm-bob' })));
    assert.equal(error.code, 'EntityAlreadyExists.User.Group');
    assert.equal(error.statusCode, 409);
    error = await expectApiError(ram.addUserToGroup(new Ram.AddUserToGroupRequest({ groupName: 'm-alpha', userName: 'ghost' })));
    assert.equal(error.code, 'EntityNotExist.User');
    error = await expectApiError(ram.addUserToGroup(new Ram.AddUserToGroupRequest({ groupName: 'ghost', userName: 'm-bob' })));
    assert.equal(error.code, 'EntityNotExist.Group');

    await ram.removeUserFromGroup(new Ram.RemoveUserFromGroupRequest({ groupName: 'm-alpha', userName: 'm-bob' }));
    error = await expectApiError(ram.removeUserFromGroup(new Ram.RemoveUserFromGroupRequest({ groupName: 'm-alpha', userName: 'm-bob' })));
    assert.equal(error.code, 'EntityNotExist.User.Group');
    assert.equal(error.statusCode, 404);
    const after = (await ram.listUsersForGroup(new Ram.ListUsersForGroupRequest({ groupName: 'm-alpha' }))).body.users.user;
    assert.deepEqual(after.map((u: any) => u.userName), ['m-alice', 'm-carol']);
    assert.deepEqual((await ram.listGroupsForUser(new Ram.ListGroupsForUserRequest({ userName: 'm-bob' }))).body.groups.group, []);
  });

  it('deletes a group only once it has no members and no policies', async () => {
    await ram.createGroup(new Ram.CreateGroupRequest({ groupName: 'busy' }));
    await ram.createUser(new Ram.CreateUserRequest({ userName: 'busy-user' }));
    await ram.addUserToGroup(new Ram.AddUserToGroupRequest({ groupName: 'busy', userName: 'busy-user' }));
    await ram.attachPolicyToGroup(new Ram.AttachPolicyToGroupRequest({ policyType: 'System', policyName: 'AliyunRAMReadOnlyAccess', groupName: 'busy' }));
    const del = () => ram.deleteGroup(new Ram.DeleteGroupRequest({ groupName: 'busy' }));

    let error = await expectApiError(del());
    assert.equal(error.code, 'DeleteConflict.Group.User');
    assert.equal(error.statusCode, 409);
    assert.equal((await ram.listUsersForGroup(new Ram.ListUsersForGroupRequest({ groupName: 'busy' }))).body.users.user.length, 1);
    await ram.removeUserFromGroup(new Ram.RemoveUserFromGroupRequest({ groupName: 'busy', userName: 'busy-user' }));
    error = await expectApiError(del());
    assert.equal(error.code, 'DeleteConflict.Group.Policy');
    await ram.detachPolicyFromGroup(new Ram.DetachPolicyFromGroupRequest({ policyType: 'System', policyName: 'AliyunRAMReadOnlyAccess', groupName: 'busy' }));
    await del();
    assert.equal((await expectApiError(getGroup('busy'))).code, 'EntityNotExist.Group');
  });

  it('walks every group through ListGroups markers', async () => {
    // ListGroups has no filter: the walk covers the groups other tests left too, so the test knows them beforehand.
    const existing = (await ram.listGroups(new Ram.ListGroupsRequest({}))).body.groups.group.map((g: any) => g.groupName);
    const created = Array.from({ length: 12 }, (_, i) => `pg-${String(i).padStart(2, '0')}`);
    for (const groupName of created) await ram.createGroup(new Ram.CreateGroupRequest({ groupName }));
    const all = (await ram.listGroups(new Ram.ListGroupsRequest({}))).body;
    assert.equal(all.isTruncated, false);
    const expected = all.groups.group.map((g: any) => g.groupName);
    assert.deepEqual([...expected].sort(), [...existing, ...created].sort());
    const seen: string[] = [];
    let marker: string | undefined;
    do {
      const body = (await ram.listGroups(new Ram.ListGroupsRequest({ maxItems: 4, marker }))).body;
      assert.ok(body.groups.group.length <= 4);
      seen.push(...body.groups.group.map((g: any) => g.groupName));
      marker = body.isTruncated ? body.marker : undefined;
    } while (marker);
    assert.deepEqual(seen, expected);
    assert.equal(new Set(seen).size, seen.length);
  });
});
