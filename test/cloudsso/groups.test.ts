import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer, restoreClockAfterEach } from '../support/server.js';
import { callApi, expectApiError } from '../support/sdk.js';

const V = '2021-05-15';
const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
type Query = Record<string, string | number | boolean | undefined>;

describe('CloudSSO groups and membership', () => {
  let server: TestServer;
  restoreClockAfterEach(() => server);
  let dir = '';
  const sso = (action: string, query: Query = {}) => callApi(server.url, server.root, action, V, query);
  const groupCount = async () => (await sso('ListGroups', { DirectoryId: dir })).TotalCounts as number;
  // Each test makes the groups and users it needs, named after the test, so any test runs alone and in any order.
  const newGroup = async (name: string) => (await sso('CreateGroup', { DirectoryId: dir, GroupName: name })).Group;
  const newUser = async (name: string) => (await sso('CreateUser', { DirectoryId: dir, UserName: name })).User;

  before(async () => {
    server = await startServer();
    dir = (await sso('CreateDirectory', { DirectoryName: 'groups-test' })).Directory.DirectoryId;
  });
  after(async () => server.close());

  it('creates, reads and updates a group', async () => {
    let devs = (await sso('CreateGroup', { DirectoryId: dir, GroupName: 'Developers', Description: 'All developers' })).Group;
    assert.match(devs.GroupId, /^g-[a-z0-9]+$/);
    assert.equal(devs.GroupName, 'Developers');
    assert.equal(devs.Description, 'All developers');
    assert.equal(devs.ProvisionType, 'Manual');
    assert.match(devs.CreateTime, TIME);
    assert.match(devs.UpdateTime, TIME);
    assert.deepEqual((await sso('GetGroup', { DirectoryId: dir, GroupId: devs.GroupId })).Group, devs);
    server.clock.advance(1000);
    const renamed = (await sso('UpdateGroup', { DirectoryId: dir, GroupId: devs.GroupId, NewGroupName: 'devs', NewDescription: 'Renamed' })).Group;
    assert.equal(renamed.GroupName, 'devs');
    assert.equal(renamed.Description, 'Renamed');
    assert.notEqual(renamed.UpdateTime, devs.UpdateTime);
    devs = renamed;
  });

  it('refuses every documented limit with nothing changed', async () => {
    await newGroup('limits-devs');
    const before = await groupCount();
    for (const [query, code] of [
      [{ GroupName: 'g'.repeat(129) }, 'InvalidParameter.GroupName'],
      [{ GroupName: 'has space' }, 'InvalidParameter.GroupName'],
      [{ GroupName: 'ok', Description: 'd'.repeat(1025) }, 'InvalidParameter.Description'],
      [{}, 'MissingParameter.GroupName'],
    ] as Array<[Query, string]>) {
      const error = await expectApiError(sso('CreateGroup', { DirectoryId: dir, ...query }));
      assert.equal(error.statusCode, 400);
      assert.equal(error.code, code);
    }
    const dup = await expectApiError(sso('CreateGroup', { DirectoryId: dir, GroupName: 'LIMITS-DEVS' }));
    assert.equal(dup.statusCode, 409);
    assert.equal(dup.code, 'EntityAlreadyExists.Group');
    await sso('CreateGroup', { DirectoryId: dir, GroupName: 'g'.repeat(128), Description: 'd'.repeat(1024) });
    assert.equal(await groupCount(), before + 1);
    const other = await newGroup('limits-ops');
    const clash = await expectApiError(sso('UpdateGroup', { DirectoryId: dir, GroupId: other.GroupId, NewGroupName: 'Limits-Devs' }));
    assert.equal(clash.code, 'EntityAlreadyExists.Group');
    const long = await expectApiError(sso('UpdateGroup', { DirectoryId: dir, GroupId: other.GroupId, NewDescription: 'd'.repeat(1025) }));
    assert.equal(long.code, 'InvalidParameter.NewDescription');
    assert.equal((await sso('GetGroup', { DirectoryId: dir, GroupId: other.GroupId })).Group.GroupName, 'limits-ops');
    const unknown = await expectApiError(sso('GetGroup', { DirectoryId: dir, GroupId: 'g-none' }));
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.code, 'EntityNotExists.Group');
  });

  it('filters and pages groups', async () => {
    for (let i = 0; i < 12; i++) await sso('CreateGroup', { DirectoryId: dir, GroupName: `team-${String(i).padStart(2, '0')}` });
    await newGroup('filter-ops');
    const total = 12;
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = await sso('ListGroups', { DirectoryId: dir, Filter: 'GroupName sw team-', MaxResults: 5, NextToken: token });
      assert.equal(page.TotalCounts, total);
      names.push(...page.Groups.map((g: any) => g.GroupName));
      token = page.NextToken;
    } while (token);
    assert.deepEqual(names, Array.from({ length: total }, (_, i) => `team-${String(i).padStart(2, '0')}`));
    const sw = await sso('ListGroups', { DirectoryId: dir, Filter: 'GroupName sw TEAM-0' });
    assert.equal(sw.TotalCounts, 10);
    assert.equal(sw.Groups.length, 10);
    assert.equal(sw.IsTruncated, false);
    assert.deepEqual((await sso('ListGroups', { DirectoryId: dir, Filter: 'groupname eq Filter-Ops' })).Groups.map((g: any) => g.GroupName), ['filter-ops']);
    const bad = await expectApiError(sso('ListGroups', { DirectoryId: dir, Filter: 'UserName eq ops' }));
    assert.equal(bad.code, 'InvalidParameter.Filter');
  });

  it('adds and removes members; lists members and joined groups with paging', async () => {
    const devs = await newGroup('members-devs');
    const ops = await newGroup('members-ops');
    const users: any[] = [];
    for (let i = 0; i < 13; i++) users.push((await sso('CreateUser', { DirectoryId: dir, UserName: `member${String(i).padStart(2, '0')}`, DisplayName: `M ${i}` })).User);
    server.clock.advance(1000);
    for (const u of users) await sso('AddUserToGroup', { DirectoryId: dir, GroupId: devs.GroupId, UserId: u.UserId });
    const again = await expectApiError(sso('AddUserToGroup', { DirectoryId: dir, GroupId: devs.GroupId, UserId: users[0].UserId }));
    assert.equal(again.statusCode, 409);
    const noUser = await expectApiError(sso('AddUserToGroup', { DirectoryId: dir, GroupId: devs.GroupId, UserId: 'u-none' }));
    assert.equal(noUser.code, 'EntityNotExists.User');
    const noGroup = await expectApiError(sso('AddUserToGroup', { DirectoryId: dir, GroupId: 'g-none', UserId: users[0].UserId }));
    assert.equal(noGroup.code, 'EntityNotExists.Group');

    const first = await sso('ListGroupMembers', { DirectoryId: dir, GroupId: devs.GroupId, MaxResults: 10 });
    assert.equal(first.TotalCounts, 13);
    assert.equal(first.IsTruncated, true);
    assert.equal(first.MaxResults, 10);
    const m = first.GroupMembers[0];
    assert.deepEqual({ ...m, JoinTime: undefined }, {
      UserId: users[0].UserId,
      UserName: 'member00',
      DisplayName: 'M 0',
      Email: '',
      Status: 'Enabled',
      ProvisionType: 'Manual',
      GroupId: devs.GroupId,
      JoinTime: undefined,
    });
    assert.match(m.JoinTime, TIME);
    const second = await sso('ListGroupMembers', { DirectoryId: dir, GroupId: devs.GroupId, MaxResults: 10, NextToken: first.NextToken });
    assert.equal(second.GroupMembers.length, 3);
    assert.equal(second.IsTruncated, false);
    assert.equal(second.NextToken, undefined);

    await sso('AddUserToGroup', { DirectoryId: dir, GroupId: ops.GroupId, UserId: users[0].UserId });
    const joined = await sso('ListJoinedGroupsForUser', { DirectoryId: dir, UserId: users[0].UserId });
    assert.equal(joined.TotalCounts, 2);
    assert.deepEqual(joined.JoinedGroups.map((g: any) => g.GroupName), ['members-devs', 'members-ops']);
    assert.equal(joined.JoinedGroups[0].UserId, users[0].UserId);
    assert.match(joined.JoinedGroups[0].JoinTime, TIME);

    await sso('RemoveUserFromGroup', { DirectoryId: dir, GroupId: devs.GroupId, UserId: users[0].UserId });
    const notMember = await expectApiError(sso('RemoveUserFromGroup', { DirectoryId: dir, GroupId: devs.GroupId, UserId: users[0].UserId }));
    assert.equal(notMember.statusCode, 404);
    assert.equal((await sso('ListGroupMembers', { DirectoryId: dir, GroupId: devs.GroupId })).TotalCounts, 12);
  });

  it('refuses to delete a user or group that still has access assignments', async () => {
    const db = server.gatehouse.services.store.db;
    const devs = await newGroup('assigned-group');
    const user = await newUser('assigned-user');
    await sso('AddUserToGroup', { DirectoryId: dir, GroupId: devs.GroupId, UserId: user.UserId });
    const now = new Date().toISOString();
    // An assignment as the access module stores it once its task has run.
    const row = { directory_id: dir, access_configuration_id: 'ac-x', target_type: 'RD-Account', target_id: '1000000000000001', created_at: now };
    await db.insertInto('cloudsso_assignments').values({ ...row, id: 'as-1', principal_type: 'User', principal_id: user.UserId }).execute();
    await db.insertInto('cloudsso_assignments').values({ ...row, id: 'as-2', principal_type: 'Group', principal_id: devs.GroupId }).execute();
    const u = await expectApiError(sso('DeleteUser', { DirectoryId: dir, UserId: user.UserId }));
    assert.equal(u.statusCode, 409);
    assert.equal(u.code, 'DeletionConflict.User.AccessAssigment');
    const g = await expectApiError(sso('DeleteGroup', { DirectoryId: dir, GroupId: devs.GroupId }));
    assert.equal(g.statusCode, 409);
    assert.equal(g.code, 'DeletionConflict.Group.AccessAssigment');
    assert.equal((await sso('GetUser', { DirectoryId: dir, UserId: user.UserId })).User.UserId, user.UserId);
    assert.equal((await sso('ListGroupMembers', { DirectoryId: dir, GroupId: devs.GroupId })).TotalCounts, 1);
    await db.deleteFrom('cloudsso_assignments').where('id', 'in', ['as-1', 'as-2']).execute();
  });

  it('deletes a group with its memberships', async () => {
    const devs = await newGroup('deleted-group');
    const member = await newUser('deleted-group-member');
    await sso('AddUserToGroup', { DirectoryId: dir, GroupId: devs.GroupId, UserId: member.UserId });
    assert.equal((await sso('ListJoinedGroupsForUser', { DirectoryId: dir, UserId: member.UserId })).TotalCounts, 1);
    await sso('DeleteGroup', { DirectoryId: dir, GroupId: devs.GroupId });
    const gone = await expectApiError(sso('GetGroup', { DirectoryId: dir, GroupId: devs.GroupId }));
    assert.equal(gone.code, 'EntityNotExists.Group');
    assert.equal((await sso('ListJoinedGroupsForUser', { DirectoryId: dir, UserId: member.UserId })).TotalCounts, 0);
  });
});
