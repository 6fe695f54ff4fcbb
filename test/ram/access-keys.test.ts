import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/server.js';
import { Ims, Ram, expectApiError, imsClient, ramClient } from '../support/sdk.js';

describe('AccessKeys', () => {
  let server: TestServer;
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

  // Each test makes the users whose keys it counts, so any test runs alone and in any order.
  const newUser = async (userName: string) => ram.createUser(new Ram.CreateUserRequest({ userName }));
  const list = async (userName?: string) => (await ram.listAccessKeys(new Ram.ListAccessKeysRequest({ userName }))).body.accessKeys.accessKey;

  it('creates a key for a user, shows its secret once and signs with it', async () => {
    await newUser('key-once');
    const key = (await ram.createAccessKey(new Ram.CreateAccessKeyRequest({ userName: 'key-once' }))).body.accessKey;
    assert.match(key.accessKeyId, /^LTAI[A-Za-z0-9]{20}$/);
    assert.equal(key.accessKeySecret.length, 30);
    assert.equal(key.status, 'Active');
    assert.match(key.createDate, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const listed = await list('key-once');
    assert.deepEqual(
      listed.map((k: any) => ({ ...k })),
      [{ accessKeyId: key.accessKeyId, status: 'Active', createDate: key.createDate }],
    );

    const asAlice = ramClient(server.url, { accessKeyId: key.accessKeyId, accessKeySecret: key.accessKeySecret });
    // Without a UserName, a user manages its own keys (authorized on its own ARN: no policy yet, so refused).
    const denied = await expectApiError(asAlice.listAccessKeys(new Ram.ListAccessKeysRequest({})));
    assert.equal(denied.code, 'NoPermission');
    assert.match(denied.message, /user\/key-once/);
    await ram.deleteAccessKey(new Ram.DeleteAccessKeyRequest({ userName: 'key-once', userAccessKeyId: key.accessKeyId }));
  });

  it('allows two keys per user and refuses a third with LimitExceeded.User.AccessKey', async () => {
    await newUser('rotator');
    await ram.createAccessKey(new Ram.CreateAccessKeyRequest({ userName: 'rotator' }));
    await ram.createAccessKey(new Ram.CreateAccessKeyRequest({ userName: 'rotator' }));
    const error = await expectApiError(ram.createAccessKey(new Ram.CreateAccessKeyRequest({ userName: 'rotator' })));
    assert.equal(error.code, 'LimitExceeded.User.AccessKey');
    assert.equal(error.statusCode, 409);
    assert.equal((await list('rotator')).length, 2);
  });

  it('refuses an Inactive key from the next call, and takes it back when Active again', async () => {
    await newUser('key-inactive');
    const key = (await ram.createAccessKey(new Ram.CreateAccessKeyRequest({ userName: 'key-inactive' }))).body.accessKey;
    await ram.attachPolicyToUser(new Ram.AttachPolicyToUserRequest({ policyType: 'System', policyName: 'AliyunRAMReadOnlyAccess', userName: 'key-inactive' }));
    const asAlice = ramClient(server.url, { accessKeyId: key.accessKeyId, accessKeySecret: key.accessKeySecret });
    assert.equal((await asAlice.getUser(new Ram.GetUserRequest({ userName: 'key-inactive' }))).body.user.userName, 'key-inactive');

    await ram.updateAccessKey(new Ram.UpdateAccessKeyRequest({ userName: 'key-inactive', userAccessKeyId: key.accessKeyId, status: 'Inactive' }));
    assert.equal((await list('key-inactive'))[0].status, 'Inactive');
    const error = await expectApiError(asAlice.getUser(new Ram.GetUserRequest({ userName: 'key-inactive' })));
    assert.equal(error.code, 'InvalidAccessKeyId.Inactive');

    await ram.updateAccessKey(new Ram.UpdateAccessKeyRequest({ userName: 'key-inactive', userAccessKeyId: key.accessKeyId, status: 'Active' }));
    assert.equal((await asAlice.getUser(new Ram.GetUserRequest({ userName: 'key-inactive' }))).body.user.userName, 'key-inactive');

    await ram.deleteAccessKey(new Ram.DeleteAccessKeyRequest({ userName: 'key-inactive', userAccessKeyId: key.accessKeyId }));
    const gone = await expectApiError(asAlice.getUser(new Ram.GetUserRequest({ userName: 'key-inactive' })));
    assert.equal(gone.code, 'InvalidAccessKeyId.NotFound');
    assert.equal(gone.statusCode, 404);
    await ram.detachPolicyFromUser(new Ram.DetachPolicyFromUserRequest({ policyType: 'System', policyName: 'AliyunRAMReadOnlyAccess', userName: 'key-inactive' }));
  });

  it('answers the documented errors and changes nothing on failure', async () => {
    await newUser('key-errors');
    await newUser('key-errors-other');
    const key = (await ram.createAccessKey(new Ram.CreateAccessKeyRequest({ userName: 'key-errors' }))).body.accessKey;
    let error = await expectApiError(ram.updateAccessKey(new Ram.UpdateAccessKeyRequest({ userName: 'key-errors', userAccessKeyId: key.accessKeyId, status: 'Paused' })));
    assert.equal(error.code, 'InvalidParameter.Status');
    assert.equal(error.statusCode, 400);
    error = await expectApiError(ram.updateAccessKey(new Ram.UpdateAccessKeyRequest({ userName: 'key-errors', userAccessKeyId: key.accessKeyId })));
    assert.equal(error.code, 'MissingParameter.Status');
    error = await expectApiError(ram.updateAccessKey(new Ram.UpdateAccessKeyRequest({ userName: 'key-errors', userAccessKeyId: 'LTAInotakey', status: 'Inactive' })));
    assert.equal(error.code, 'EntityNotExist.User.AccessKey');
    assert.equal(error.statusCode, 404);
    // A key is only found under its own user.
    error = await expectApiError(ram.deleteAccessKey(new Ram.DeleteAccessKeyRequest({ userName: 'key-errors-other', userAccessKeyId: key.accessKeyId })));
    assert.equal(error.code, 'EntityNotExist.User.AccessKey');
    error = await expectApiError(ram.createAccessKey(new Ram.CreateAccessKeyRequest({ userName: 'ghost' })));
    assert.equal(error.code, 'EntityNotExist.User');
    assert.deepEqual((await list('key-errors')).map((k: any) => [k.accessKeyId, k.status]), [[key.accessKeyId, 'Active']]);
    await ram.deleteAccessKey(new Ram.DeleteAccessKeyRequest({ userName: 'key-errors', userAccessKeyId: key.accessKeyId }));
  });

  it('gives the root identity its own keys when no user is named', async () => {
    await newUser('key-root');
    const before = await list();
    assert.ok(before.some((k: any) => k.accessKeyId === server.root.accessKeyId));
    const key = (await ram.createAccessKey(new Ram.CreateAccessKeyRequest({}))).body.accessKey;
    const asRoot = ramClient(server.url, { accessKeyId: key.accessKeyId, accessKeySecret: key.accessKeySecret });
    assert.equal((await asRoot.getUser(new Ram.GetUserRequest({ userName: 'key-root' }))).body.user.userName, 'key-root');
    assert.equal((await list()).length, before.length + 1);
    assert.ok(!(await list('key-root')).some((k: any) => k.accessKeyId === key.accessKeyId));
    await asRoot.deleteAccessKey(new Ram.DeleteAccessKeyRequest({ userAccessKeyId: key.accessKeyId }));
    assert.equal((await expectApiError(asRoot.getUser(new Ram.GetUserRequest({ userName: 'key-root' })))).code, 'InvalidAccessKeyId.NotFound');
  });

  describe('IMS', () => {
    it('manages a user\'s keys by UserPrincipalName and reports the last use', async () => {
      await newUser('key-ims');
      const upn = `key-ims@${domain}`;
      const key = (await ims.createAccessKey(new Ims.CreateAccessKeyRequest({ userPrincipalName: upn }))).body.accessKey;
      assert.equal(key.status, 'Active');
      assert.ok(key.accessKeySecret);
      let lastUsed = (await ims.getAccessKeyLastUsed(new Ims.GetAccessKeyLastUsedRequest({ userPrincipalName: upn, userAccessKeyId: key.accessKeyId }))).body;
      assert.equal(lastUsed.accessKeyLastUsed.lastUsedDate, '');

      const asAlice = ramClient(server.url, { accessKeyId: key.accessKeyId, accessKeySecret: key.accessKeySecret });
      await expectApiError(asAlice.getUser(new Ram.GetUserRequest({ userName: 'key-ims' }))); // authenticated, then refused: still a use
      lastUsed = (await ims.getAccessKeyLastUsed(new Ims.GetAccessKeyLastUsedRequest({ userPrincipalName: upn, userAccessKeyId: key.accessKeyId }))).body;
      assert.match(lastUsed.accessKeyLastUsed.lastUsedDate, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

      await ims.updateAccessKey(new Ims.UpdateAccessKeyRequest({ userPrincipalName: upn, userAccessKeyId: key.accessKeyId, status: 'Inactive' }));
      const listed = (await ims.listAccessKeys(new Ims.ListAccessKeysRequest({ userPrincipalName: upn }))).body.accessKeys.accessKey;
      assert.deepEqual(listed.map((k: any) => [k.accessKeyId, k.status]), [[key.accessKeyId, 'Inactive']]);
      assert.equal((await expectApiError(asAlice.getUser(new Ram.GetUserRequest({ userName: 'key-ims' })))).code, 'InvalidAccessKeyId.Inactive');

      await ims.deleteAccessKey(new Ims.DeleteAccessKeyRequest({ userPrincipalName: upn, userAccessKeyId: key.accessKeyId }));
      assert.equal((await expectApiError(asAlice.getUser(new Ram.GetUserRequest({ userName: 'key-ims' })))).code, 'InvalidAccessKeyId.NotFound');
      const error = await expectApiError(
        ims.getAccessKeyLastUsed(new Ims.GetAccessKeyLastUsedRequest({ userPrincipalName: upn, userAccessKeyId: key.accessKeyId })),
      );
      assert.equal(error.code, 'EntityNotExist.User.AccessKey');
      const noUser = await expectApiError(ims.listAccessKeys(new Ims.ListAccessKeysRequest({ userPrincipalName: `ghost@${domain}` })));
      assert.equal(noUser.code, 'EntityNotExist.User');
    });
  });
});
