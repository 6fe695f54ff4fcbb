import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/server.js';
import { Ims, Ram, expectApiError, imsClient, ramClient } from '../support/sdk.js';

// IMS 2019-08-15's group actions, through the official IMS SDK: the same groups as RAM's, with a DisplayName and
// users named by UserPrincipalName.
describe('IMS groups', () => {
  let server: TestServer;
  let ims: any;
  let ram: any;
  let domain: string;
  before(async () => {
    server = await startServer();
    ims = imsClient(server.url, server.root);
    ram = ramClient(server.url, server.root);
    domain = `${server.gatehouse.bootstrap.account.alias}.onaliyun.com`;
  });
  after(async () => server.close());

  it('creates, reads, renames and deletes a group with a display name; RAM sees the same group', async () => {
    const existing = (await ims.listGroups(new Ims.ListGroupsRequest({ maxItems: 100 }))).body.groups.group.map((g: any) => g.groupName);
    const created = (await ims.createGroup(new Ims.CreateGroupRequest({ groupName: 'platform', displayName: 'Platform Team', comments: 'infra' }))).body.group;
    assert.equal(created.displayName, 'Platform Team');
    assert.equal(created.comments, 'infra');
    assert.ok(created.createDate && created.updateDate && created.groupId);
    assert.equal((await ram.getGroup(new Ram.GetGroupRequest({ groupName: 'platform' }))).body.group.groupId, created.groupId);

    const updated = (await ims.updateGroup(new Ims.UpdateGroupRequest({ groupName: 'platform', newGroupName: 'platform-eng', newDisplayName: 'Platform Engineering' })))
      .body.group;
    assert.equal(updated.groupName, 'platform-eng');
    assert.equal(updated.displayName, 'Platform Engineering');
    assert.equal(updated.comments, 'infra');
    assert.equal((await ims.getGroup(new Ims.GetGroupRequest({ groupName: 'platform-eng' }))).body.group.displayName, 'Platform Engineering');

    // A group made through RAM shows its name as the display name.
    await ram.createGroup(new Ram.CreateGroupRequest({ groupName: 'ram-made' }));
    const listed = (await ims.listGroups(new Ims.ListGroupsRequest({ maxItems: 1 }))).body;
    assert.equal(listed.isTruncated, true);
    const rest = (await ims.listGroups(new Ims.ListGroupsRequest({ marker: listed.marker, maxItems: 10 }))).body;
    // ListGroups has no filter: the pages hold the groups other tests made too, known beforehand.
    const all = [...listed.groups.group, ...rest.groups.group].filter((g: any) => !existing.includes(g.groupName));
    assert.equal(listed.groups.group.length + rest.groups.group.length, existing.length + 2);
    assert.deepEqual(all.map((g: any) => [g.groupName, g.displayName]), [['platform-eng', 'Platform Engineering'], ['ram-made', 'ram-made']]);

    const tooLong = await expectApiError(ims.createGroup(new Ims.CreateGroupRequest({ groupName: 'long', displayName: 'd'.repeat(129) })));
    assert.equal(tooLong.code, 'InvalidParameter.DisplayName.Length');
    assert.equal((await expectApiError(ims.getGroup(new Ims.GetGroupRequest({ groupName: 'long' })))).code, 'EntityNotExist.Group');

    await ims.deleteGroup(new Ims.DeleteGroupRequest({ groupName: 'ram-made' }));
    assert.equal((await expectApiError(ram.getGroup(new Ram.GetGroupRequest({ groupName: 'ram-made' })))).code, 'EntityNotExist.Group');
  });

  it('adds and removes members by UserPrincipalName and lists both ways', async () => {
    await ims.createGroup(new Ims.CreateGroupRequest({ groupName: 'members-eng', displayName: 'Members Engineering' }));
    for (const name of ['ivy', 'hal']) {
      await ims.createUser(new Ims.CreateUserRequest({ userPrincipalName: `${name}@${domain}`, displayName: name.toUpperCase() }));
      await ims.addUserToGroup(new Ims.AddUserToGroupRequest({ groupName: 'members-eng', userPrincipalName: `${name}@${domain}` }));
    }
    const again = await expectApiError(ims.addUserToGroup(new Ims.AddUserToGroupRequest({ groupName: 'members-eng', userPrincipalName: `ivy@${domain}` })));
    assert.equal(again.code, 'EntityAlreadyExists.User.Group');

    const members = (await ims.listUsersForGroup(new Ims.ListUsersForGroupRequest({ groupName: 'members-eng' }))).body.users.user;
    assert.deepEqual(members.map((u: any) => [u.userPrincipalName, u.displayName]), [[`hal@${domain}`, 'HAL'], [`ivy@${domain}`, 'IVY']]);
    assert.ok(members[0].userId && members[0].joinDate);

    const groups = (await ims.listGroupsForUser(new Ims.ListGroupsForUserRequest({ userPrincipalName: `ivy@${domain}` }))).body.groups.group;
    assert.deepEqual(groups.map((g: any) => [g.groupName, g.displayName]), [['members-eng', 'Members Engineering']]);
    assert.ok(groups[0].joinDate);

    await ims.removeUserFromGroup(new Ims.RemoveUserFromGroupRequest({ groupName: 'members-eng', userPrincipalName: `ivy@${domain}` }));
    const left = (await ram.listUsersForGroup(new Ram.ListUsersForGroupRequest({ groupName: 'members-eng' }))).body.users.user;
    assert.deepEqual(left.map((u: any) => u.userName), ['hal']);
    const unknown = await expectApiError(ims.addUserToGroup(new Ims.AddUserToGroupRequest({ groupName: 'members-eng', userPrincipalName: `nobody@${domain}` })));
    assert.equal(unknown.code, 'EntityNotExist.User');
  });
});
