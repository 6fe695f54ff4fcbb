import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/server.js';
import { expectApiError } from '../support/sdk.js';
import { Ims, Ram, createDirectory, createMember, createUser, imsClient, memberCredentials, memberRam, sso } from './access-support.js';

// A sequential journey: the tests share one member account, whose RAM users they list whole, and the deletion test
// removes the provisioning the first test made; they run in this order only.
describe('CloudSSO RAM user provisioning', () => {
  let s: TestServer;
  let dir: string;
  let member: string;
  let ram: any;
  const ids: Record<string, string> = {};

  const ramUserNames = async (): Promise<string[]> =>
    (await ram.listUsers(new Ram.ListUsersRequest({ maxItems: 100 }))).body.users.user.map((u: any) => u.userName).sort();

  before(async () => {
    s = await startServer();
    dir = await createDirectory(s);
    member = await createMember(s, 'prov-account');
    ram = await memberRam(s, member);
    for (const name of ['carol', 'dave', 'erin', 'frank']) ids[name] = await createUser(s, dir, name);
    ids.group = (await sso(s, 'CreateGroup', { DirectoryId: dir, GroupName: 'devs' })).Group.GroupId;
    for (const name of ['carol', 'dave', 'erin']) await sso(s, 'AddUserToGroup', { DirectoryId: dir, GroupId: ids.group, UserId: ids[name] });
    // Already in the member account: dave (KeepBoth gives dave_sso) and erin plus erin_sso (nothing left to fall back on).
    for (const name of ['dave', 'erin', 'erin_sso']) await ram.createUser(new Ram.CreateUserRequest({ userName: name }));
  });
  after(async () => s?.close());

  it("provisions a group's members, keeps both on a clash, and records what could not be done", async () => {
    const created = await sso(s, 'CreateUserProvisioning', {
      DirectoryId: dir,
      PrincipalType: 'Group',
      PrincipalId: ids.group,
      TargetType: 'RD-Account',
      TargetId: member,
      DeletionStrategy: 'Delete',
      DuplicationStrategy: 'KeepBoth',
      Description: 'devs into prov-account',
    });
    const up = created.UserProvisioning;
    assert.match(up.UserProvisioningId, /^up-/);
    assert.equal(up.PrincipalName, 'devs');
    assert.equal(up.OwnerPk, s.accountId);
    ids.up = up.UserProvisioningId;
    assert.deepEqual(await ramUserNames(), ['carol', 'dave', 'dave_sso', 'erin', 'erin_sso']);
    const ims = imsClient(s.url, await memberCredentials(s, member));
    const carol = (await ram.getUser(new Ram.GetUserRequest({ userName: 'carol' }))).body.user;
    const viaIms = (await ims.getUser(new Ims.GetUserRequest({ userId: carol.userId }))).body.user;
    assert.equal(viaIms.provisionType, 'CloudSSO');
    const daveOwn = (await ram.getUser(new Ram.GetUserRequest({ userName: 'dave' }))).body.user;
    assert.equal((await ims.getUser(new Ims.GetUserRequest({ userId: daveOwn.userId }))).body.user.provisionType, 'Manual');

    const events = await sso(s, 'ListUserProvisioningEvents', { DirectoryId: dir, UserProvisioningId: ids.up });
    assert.equal(events.TotalCounts, 1);
    const event = events.UserProvisioningEvents[0];
    assert.equal(event.UserId, ids.erin);
    assert.match(event.ErrorInfo, /^OperationConflict\.UserProvisioning\.Process\.fail\.ImsUserExists/);
    assert.equal(event.ErrorCount, 1);
    const again = await sso(s, 'RetryUserProvisioningEvent', { DirectoryId: dir, EventId: event.EventId });
    assert.ok(again.RequestId);
    assert.equal((await sso(s, 'GetUserProvisioningEvent', { DirectoryId: dir, EventId: event.EventId })).UserProvisioningEvent.ErrorCount, 2);

    await sso(s, 'RetryUserProvisioningEvent', { DirectoryId: dir, EventId: event.EventId, DuplicationStrategy: 'TakeOver' });
    const gone = await expectApiError(sso(s, 'GetUserProvisioningEvent', { DirectoryId: dir, EventId: event.EventId }));
    assert.equal(gone.statusCode, 404);
    const got = await sso(s, 'GetUserProvisioning', { DirectoryId: dir, UserProvisioningId: ids.up });
    assert.equal(got.UserProvisioning.DuplicationStrategy, 'TakeOver');

    const dup = await expectApiError(
      sso(s, 'CreateUserProvisioning', {
        DirectoryId: dir,
        PrincipalType: 'Group',
        PrincipalId: ids.group,
        TargetType: 'RD-Account',
        TargetId: member,
        DeletionStrategy: 'Delete',
        DuplicationStrategy: 'KeepBoth',
      }),
    );
    assert.equal(dup.code, 'EntityAlreadyExists.UserProvisioning');
    const bad = await expectApiError(
      sso(s, 'CreateUserProvisioning', {
        DirectoryId: dir,
        PrincipalType: 'User',
        PrincipalId: ids.frank,
        TargetType: 'RD-Account',
        TargetId: member,
        DeletionStrategy: 'Remove',
        DuplicationStrategy: 'KeepBoth',
      }),
    );
    assert.equal(bad.code, 'InvalidParameter.DeletionStrategy');
  });

  it('DeletionStrategy Delete removes the RAM users it made or took over; Keep leaves them', async () => {
    const keep = await sso(s, 'CreateUserProvisioning', {
      DirectoryId: dir,
      PrincipalType: 'User',
      PrincipalId: ids.frank,
      TargetType: 'RD-Account',
      TargetId: member,
      DeletionStrategy: 'Keep',
      DuplicationStrategy: 'KeepBoth',
    });
    assert.ok((await ramUserNames()).includes('frank'));
    const list = await sso(s, 'ListUserProvisionings', { DirectoryId: dir, TargetId: member });
    assert.equal(list.TotalCounts, 2);

    await sso(s, 'DeleteUserProvisioning', { DirectoryId: dir, UserProvisioningId: ids.up });
    assert.deepEqual(await ramUserNames(), ['dave', 'erin_sso', 'frank']);
    await sso(s, 'DeleteUserProvisioning', { DirectoryId: dir, UserProvisioningId: keep.UserProvisioning.UserProvisioningId });
    assert.deepEqual(await ramUserNames(), ['dave', 'erin_sso', 'frank']);
    const missing = await expectApiError(sso(s, 'GetUserProvisioning', { DirectoryId: dir, UserProvisioningId: ids.up }));
    assert.equal(missing.code, 'EntityNotExists.UserProvisioning');
  });
  it("a user who joins a provisioned group later gets a RAM user; leaving applies the DeletionStrategy", async () => {
    for (const name of ['gina', 'hank', 'ivy']) ids[name] = await createUser(s, dir, name);
    const ops = (await sso(s, 'CreateGroup', { DirectoryId: dir, GroupName: 'ops' })).Group.GroupId;
    const oncall = (await sso(s, 'CreateGroup', { DirectoryId: dir, GroupName: 'oncall' })).Group.GroupId;
    const provision = async (group: string, duplication: string): Promise<string> =>
      (
        await sso(s, 'CreateUserProvisioning', {
          DirectoryId: dir,
          PrincipalType: 'Group',
          PrincipalId: group,
          TargetType: 'RD-Account',
          TargetId: member,
          DeletionStrategy: 'Delete',
          DuplicationStrategy: duplication,
        })
      ).UserProvisioning.UserProvisioningId;
    const opsUp = await provision(ops, 'KeepBoth');
    const oncallUp = await provision(oncall, 'TakeOver');
    for (const name of ['hank', 'hank_sso']) await ram.createUser(new Ram.CreateUserRequest({ userName: name }));
    const before = await ramUserNames();

    await sso(s, 'AddUserToGroup', { DirectoryId: dir, GroupId: ops, UserId: ids.gina });
    assert.deepEqual(await ramUserNames(), [...before, 'gina'].sort());
    const ims = imsClient(s.url, await memberCredentials(s, member));
    const gina = (await ram.getUser(new Ram.GetUserRequest({ userName: 'gina' }))).body.user;
    assert.equal((await ims.getUser(new Ims.GetUserRequest({ userId: gina.userId }))).body.user.provisionType, 'CloudSSO');

    // KeepBoth with hank and hank_sso both taken: the join succeeds, the provisioning records an event.
    await sso(s, 'AddUserToGroup', { DirectoryId: dir, GroupId: ops, UserId: ids.hank });
    const events = await sso(s, 'ListUserProvisioningEvents', { DirectoryId: dir, UserProvisioningId: opsUp });
    assert.equal(events.TotalCounts, 1);
    assert.equal(events.UserProvisioningEvents[0].UserId, ids.hank);
    assert.match(events.UserProvisioningEvents[0].ErrorInfo, /^OperationConflict\.UserProvisioning\.Process\.fail\.ImsUserExists/);

    // ivy in both groups: oncall (TakeOver) takes the RAM user ops made, so leaving ops alone keeps it.
    await sso(s, 'AddUserToGroup', { DirectoryId: dir, GroupId: ops, UserId: ids.ivy });
    await sso(s, 'AddUserToGroup', { DirectoryId: dir, GroupId: oncall, UserId: ids.ivy });
    assert.equal((await ramUserNames()).filter((n) => n.startsWith('ivy')).join(), 'ivy');
    await sso(s, 'RemoveUserFromGroup', { DirectoryId: dir, GroupId: ops, UserId: ids.ivy });
    assert.ok((await ramUserNames()).includes('ivy'));
    await sso(s, 'RemoveUserFromGroup', { DirectoryId: dir, GroupId: oncall, UserId: ids.ivy });
    assert.ok(!(await ramUserNames()).includes('ivy'));

    await sso(s, 'RemoveUserFromGroup', { DirectoryId: dir, GroupId: ops, UserId: ids.gina });
    await sso(s, 'RemoveUserFromGroup', { DirectoryId: dir, GroupId: ops, UserId: ids.hank });
    assert.deepEqual(await ramUserNames(), before);
    assert.equal((await sso(s, 'ListUserProvisioningEvents', { DirectoryId: dir, UserProvisioningId: opsUp })).TotalCounts, 0);
    for (const up of [opsUp, oncallUp]) await sso(s, 'DeleteUserProvisioning', { DirectoryId: dir, UserProvisioningId: up });
  });
});
