import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer, restoreClockAfterEach } from '../support/server.js';
import { Ims, Ram, expectApiError, imsClient, ramClient } from '../support/sdk.js';

describe('RAM and IMS users', () => {
  let server: TestServer;
  restoreClockAfterEach(() => server);
  let ram: any;
  let ims: any;
  let domain: string;
  before(async () => {
    server = await startServer();
    ram = ramClient(server.url, server.root);
    ims = imsClient(server.url, server.root);
    domain = (await ims.getDefaultDomain()).body.defaultDomainName;
  });
  after(async () => server.close());

  const get = (userName: string) => ram.getUser(new Ram.GetUserRequest({ userName }));

  it('updates every field of a user and renames it', async () => {
    await ram.createUser(new Ram.CreateUserRequest({ userName: 'upd', displayName: 'Before' }));
    server.clock.advance(2000);
    const res = await ram.updateUser(
      new Ram.UpdateUserRequest({
        userName: 'upd',
        newUserName: 'upd2',
        newDisplayName: 'After',
        newMobilePhone: '86-18600000000',
        newEmail: 'a@example.com',
        newComments: 'moved',
      }),
    );
    const user = res.body.user;
    assert.equal(user.userName, 'upd2');
    assert.equal(user.displayName, 'After');
    assert.equal(user.mobilePhone, '86-18600000000');
    assert.equal(user.email, 'a@example.com');
    assert.equal(user.comments, 'moved');
    assert.match(user.userId, /^\d+$/);
    assert.ok(user.updateDate > user.createDate, `${user.updateDate} > ${user.createDate}`);
    assert.equal((await get('upd2')).body.user.userId, user.userId);
    assert.equal((await expectApiError(get('upd'))).code, 'EntityNotExist.User');
  });

  it('refuses to rename onto an existing name (any case) and changes nothing', async () => {
    await ram.createUser(new Ram.CreateUserRequest({ userName: 'taken' }));
    await ram.createUser(new Ram.CreateUserRequest({ userName: 'mover', comments: 'keep' }));
    const error = await expectApiError(ram.updateUser(new Ram.UpdateUserRequest({ userName: 'mover', newUserName: 'TAKEN', newComments: 'lost' })));
    assert.equal(error.code, 'EntityAlreadyExists.User');
    assert.equal(error.statusCode, 409);
    assert.equal((await get('mover')).body.user.comments, 'keep');
  });

  it('answers EntityNotExist.User for unknown users and InvalidParameter for bad names', async () => {
    // Started one at a time: a second call already under way would reject before anyone awaits it.
    for (const call of [
      () => ram.updateUser(new Ram.UpdateUserRequest({ userName: 'ghost', newComments: 'x' })),
      () => ram.deleteUser(new Ram.DeleteUserRequest({ userName: 'ghost' })),
    ]) {
      const error = await expectApiError(call());
      assert.equal(error.code, 'EntityNotExist.User');
      assert.equal(error.statusCode, 404);
    }
    const bad = await expectApiError(ram.updateUser(new Ram.UpdateUserRequest({ userName: 'mover', newUserName: 'bad name' })));
    assert.equal(bad.code, 'InvalidParameter.NewUserName.InvalidChars');
    const long = await expectApiError(ram.updateUser(new Ram.UpdateUserRequest({ userName: 'mover', newUserName: 'a'.repeat(65) })));
    assert.equal(long.code, 'InvalidParameter.NewUserName.Length');
  });

  it('deletes a user only once its keys, groups and policies are gone, changing nothing on refusal', async () => {
    await ram.createUser(new Ram.CreateUserRequest({ userName: 'tied' }));
    const key = (await ram.createAccessKey(new Ram.CreateAccessKeyRequest({ userName: 'tied' }))).body.accessKey;
    await ram.createGroup(new Ram.CreateGroupRequest({ groupName: 'tied-group' }));
    await ram.addUserToGroup(new Ram.AddUserToGroupRequest({ groupName: 'tied-group', userName: 'tied' }));
    await ram.attachPolicyToUser(new Ram.AttachPolicyToUserRequest({ policyType: 'System', policyName: 'AliyunRAMReadOnlyAccess', userName: 'tied' }));
    const del = () => ram.deleteUser(new Ram.DeleteUserRequest({ userName: 'tied' }));

    let error = await expectApiError(del());
    assert.equal(error.code, 'DeleteConflict.User.AccessKey');
    assert.equal(error.statusCode, 409);
    // The refused call left the key working.
    const asTied = ramClient(server.url, { accessKeyId: key.accessKeyId, accessKeySecret: key.accessKeySecret });
    assert.equal((await asTied.getUser(new Ram.GetUserRequest({ userName: 'tied' }))).body.user.userName, 'tied');

    await ram.deleteAccessKey(new Ram.DeleteAccessKeyRequest({ userName: 'tied', userAccessKeyId: key.accessKeyId }));
    error = await expectApiError(del());
    assert.equal(error.code, 'DeleteConflict.User.Group');
    await ram.removeUserFromGroup(new Ram.RemoveUserFromGroupRequest({ groupName: 'tied-group', userName: 'tied' }));
    error = await expectApiError(del());
    assert.equal(error.code, 'DeleteConflict.User.Policy');
    await ram.detachPolicyFromUser(new Ram.DetachPolicyFromUserRequest({ policyType: 'System', policyName: 'AliyunRAMReadOnlyAccess', userName: 'tied' }));
    await del();
    assert.equal((await expectApiError(get('tied'))).code, 'EntityNotExist.User');
  });

  it('IMS DeleteUser takes the AccessKeys with the user, and they stop working at once', async () => {
    await ram.createUser(new Ram.CreateUserRequest({ userName: 'gone' }));
    const key = (await ram.createAccessKey(new Ram.CreateAccessKeyRequest({ userName: 'gone' }))).body.accessKey;
    await ram.attachPolicyToUser(new Ram.AttachPolicyToUserRequest({ policyType: 'System', policyName: 'AliyunRAMReadOnlyAccess', userName: 'gone' }));
    const asGone = ramClient(server.url, { accessKeyId: key.accessKeyId, accessKeySecret: key.accessKeySecret });
    assert.equal((await asGone.getUser(new Ram.GetUserRequest({ userName: 'gone' }))).body.user.userName, 'gone');

    const refused = await expectApiError(ims.deleteUser(new Ims.DeleteUserRequest({ userPrincipalName: `gone@${domain}` })));
    assert.equal(refused.code, 'DeleteConflict.User.Policy');
    await ram.detachPolicyFromUser(new Ram.DetachPolicyFromUserRequest({ policyType: 'System', policyName: 'AliyunRAMReadOnlyAccess', userName: 'gone' }));
    await ims.deleteUser(new Ims.DeleteUserRequest({ userPrincipalName: `gone@${domain}` }));
    const error = await expectApiError(asGone.getUser(new Ram.GetUserRequest({ userName: 'gone' })));
    assert.equal(error.code, 'InvalidAccessKeyId.NotFound');
    assert.equal(error.statusCode, 404);
  });

  it('walks every user through ListUsers markers without duplicates or omissions', async () => {
    // ListUsers has no filter: the walk covers the users other tests left too, so the test knows them beforehand.
    const existing = (await ram.listUsers(new Ram.ListUsersRequest({ maxItems: 1000 }))).body.users.user.map((u: any) => u.userName);
    const names = Array.from({ length: 23 }, (_, i) => `page-${String(i).padStart(2, '0')}`);
    for (const userName of names) await ram.createUser(new Ram.CreateUserRequest({ userName }));
    const all = (await ram.listUsers(new Ram.ListUsersRequest({ maxItems: 1000 }))).body;
    assert.equal(all.isTruncated, false);
    assert.equal(all.marker, undefined);
    const expected = all.users.user.map((u: any) => u.userName);
    assert.deepEqual([...expected].sort(), [...existing, ...names].sort());
    assert.deepEqual(expected, [...expected].sort((a: string, b: string) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1)));

    const seen: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const body = (await ram.listUsers(new Ram.ListUsersRequest({ maxItems: 5, marker }))).body;
      assert.ok(body.users.user.length <= 5);
      for (const u of body.users.user) {
        assert.match(u.userId, /^\d+$/);
        assert.ok(u.createDate && u.updateDate);
        seen.push(u.userName);
      }
      marker = body.isTruncated ? body.marker : undefined;
      if (body.isTruncated) assert.ok(body.marker);
      pages++;
    } while (marker);
    assert.deepEqual(seen, expected);
    assert.equal(pages, Math.ceil(expected.length / 5));

    // IMS lists the same users by UserPrincipalName, with the same paging.
    const imsSeen: string[] = [];
    marker = undefined;
    do {
      const body: any = (await ims.listUsers(new Ims.ListUsersRequest({ maxItems: 7, marker }))).body;
      for (const u of body.users.user) imsSeen.push(u.userPrincipalName);
      marker = body.isTruncated ? body.marker : undefined;
    } while (marker);
    assert.deepEqual(imsSeen, expected.map((n: string) => `${n}@${domain}`));
    const basic = (await ims.listUserBasicInfos(new Ims.ListUserBasicInfosRequest({ maxItems: 3 }))).body;
    assert.equal(basic.isTruncated, true);
    assert.deepEqual(basic.userBasicInfos.userBasicInfo.map((u: any) => u.userPrincipalName), imsSeen.slice(0, 3));
  });

  it('refuses a marker it did not issue and MaxItems out of range', async () => {
    const bad = await expectApiError(ram.listUsers(new Ram.ListUsersRequest({ marker: 'not a marker!' })));
    assert.equal(bad.code, 'InvalidParameter.Marker');
    assert.equal(bad.statusCode, 400);
    for (const maxItems of [0, 1001]) {
      const error = await expectApiError(ram.listUsers(new Ram.ListUsersRequest({ maxItems })));
      assert.equal(error.code, 'InvalidParameter.MaxItems');
    }
  });

  describe('IMS by UserPrincipalName', () => {
    it('creates, reads (by UPN, UserId or AccessKeyId), updates and deletes a user', async () => {
      const created = (
        await ims.createUser(
          new Ims.CreateUserRequest({ userPrincipalName: `carol@${domain}`, displayName: 'Carol', email: 'c@example.com', comments: 'hi' }),
        )
      ).body.user;
      assert.equal(created.userPrincipalName, `carol@${domain}`);
      assert.equal(created.displayName, 'Carol');
      assert.equal(created.provisionType, 'Manual');
      assert.match(created.createDate, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

      const byUpn = (await ims.getUser(new Ims.GetUserRequest({ userPrincipalName: `Carol@${domain.toUpperCase()}` }))).body.user;
      assert.equal(byUpn.userId, created.userId);
      const byId = (await ims.getUser(new Ims.GetUserRequest({ userId: created.userId }))).body.user;
      assert.equal(byId.userPrincipalName, `carol@${domain}`);
      const key = (await ims.createAccessKey(new Ims.CreateAccessKeyRequest({ userPrincipalName: `carol@${domain}` }))).body.accessKey;
      const byKey = (await ims.getUser(new Ims.GetUserRequest({ userAccessKeyId: key.accessKeyId }))).body.user;
      assert.equal(byKey.userId, created.userId);

      const updated = (
        await ims.updateUser(new Ims.UpdateUserRequest({ userPrincipalName: `carol@${domain}`, newUserPrincipalName: `carla@${domain}`, newDisplayName: 'Carla' }))
      ).body.user;
      assert.equal(updated.userPrincipalName, `carla@${domain}`);
      assert.equal((await get('carla')).body.user.displayName, 'Carla');

      await ims.deleteUser(new Ims.DeleteUserRequest({ userId: created.userId }));
      const error = await expectApiError(ims.getUser(new Ims.GetUserRequest({ userPrincipalName: `carla@${domain}` })));
      assert.equal(error.code, 'EntityNotExist.User');
      assert.equal(error.statusCode, 404);
    });

    it('refuses a UPN off the account domains, a bad form, a long DisplayName and a duplicate', async () => {
      let error = await expectApiError(ims.createUser(new Ims.CreateUserRequest({ userPrincipalName: 'dave@elsewhere.onaliyun.com', displayName: 'D' })));
      assert.equal(error.code, 'InvalidParameter.UserPrincipalName.Domain');
      assert.equal(error.statusCode, 400);
      error = await expectApiError(ims.createUser(new Ims.CreateUserRequest({ userPrincipalName: 'no-domain', displayName: 'D' })));
      assert.equal(error.code, 'InvalidParameter.UserPrincipalName.Format');
      error = await expectApiError(ims.createUser(new Ims.CreateUserRequest({ userPrincipalName: `dave@${domain}`, displayName: 'x'.repeat(25) })));
      assert.equal(error.code, 'InvalidParameter.DisplayName.Length');
      error = await expectApiError(ims.createUser(new Ims.CreateUserRequest({ userPrincipalName: `dave@${domain}` })));
      assert.equal(error.code, 'MissingParameter.DisplayName');
      assert.equal((await expectApiError(get('dave'))).code, 'EntityNotExist.User');

      await ims.createUser(new Ims.CreateUserRequest({ userPrincipalName: `dave@${domain}`, displayName: 'Dave' }));
      error = await expectApiError(ims.createUser(new Ims.CreateUserRequest({ userPrincipalName: `DAVE@${domain}`, displayName: 'Dave' })));
      assert.equal(error.code, 'EntityAlreadyExists.User');
      assert.equal(error.statusCode, 409);
      error = await expectApiError(ims.getUser(new Ims.GetUserRequest({ userPrincipalName: 'dave@elsewhere.onaliyun.com' })));
      assert.equal(error.code, 'EntityNotExist.User');
      error = await expectApiError(ims.getUser(new Ims.GetUserRequest({})));
      assert.equal(error.code, 'MissingParameter.UserPrincipalName');
    });

    it('authorizes lookups by UserId on the user found, and answers NoPermission rather than 404 to the unauthorized', async () => {
      await ram.createUser(new Ram.CreateUserRequest({ userName: 'reader' }));
      const key = (await ram.createAccessKey(new Ram.CreateAccessKeyRequest({ userName: 'reader' }))).body.accessKey;
      const asReader = imsClient(server.url, { accessKeyId: key.accessKeyId, accessKeySecret: key.accessKeySecret });
      const dave = (await ims.createUser(new Ims.CreateUserRequest({ userPrincipalName: `looked-up@${domain}`, displayName: 'Looked up' }))).body.user;
      for (const userId of [dave.userId, '12345678901234567']) {
        const error = await expectApiError(asReader.getUser(new Ims.GetUserRequest({ userId })));
        assert.equal(error.code, 'NoPermission');
        assert.equal(error.statusCode, 403);
      }
      await ram.attachPolicyToUser(new Ram.AttachPolicyToUserRequest({ policyType: 'System', policyName: 'AliyunRAMReadOnlyAccess', userName: 'reader' }));
      assert.equal((await asReader.getUser(new Ims.GetUserRequest({ userId: dave.userId }))).body.user.userPrincipalName, `looked-up@${domain}`);
      const error = await expectApiError(asReader.getUser(new Ims.GetUserRequest({ userId: '12345678901234567' })));
      assert.equal(error.code, 'EntityNotExist.User');
    });
  });
});
