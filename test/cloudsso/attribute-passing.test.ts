import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/server.js';
import { expectApiError, Ram, ramClient, type Credentials } from '../support/sdk.js';
import { createAccount } from '../../src/accounts/accounts.js';
import { issueAccessKey } from '../../src/ram/access-keys-store.js';
import { createDirectory, sso } from './access-support.js';

// Get/UpdateAttributePassingSetting: what SAML sign-in may pass on to role sessions as SourceIdentity (spec §1.2).
describe('CloudSSO attribute passing setting', () => {
  let server: TestServer;
  let dir = '';
  const passing = async (creds: Credentials = server.root) =>
    (await sso(server, 'GetAttributePassingSetting', { DirectoryId: dir }, creds)).AttributePassingSetting.SourceIdentityPassing;
  const update = (value: string | undefined, creds: Credentials = server.root) =>
    sso(server, 'UpdateAttributePassingSetting', { DirectoryId: dir, SourceIdentityPassing: value }, creds);

  before(async () => {
    server = await startServer();
    dir = await createDirectory(server);
  });
  after(async () => server.close());

  it('passes nothing on until set, then keeps what was set', async () => {
    const body = await sso(server, 'GetAttributePassingSetting', { DirectoryId: dir });
    assert.deepEqual(body.AttributePassingSetting, { SourceIdentityPassing: 'Disabled' });
    for (const value of ['UserName', 'IdP', 'Disabled', 'IdP']) {
      await update(value);
      assert.equal(await passing(), value);
    }
    await update(undefined);
    assert.equal(await passing(), 'IdP', 'an absent SourceIdentityPassing leaves the setting as it is');
  });

  it('refuses a value outside IdP, UserName and Disabled and changes nothing', async () => {
    await update('UserName');
    for (const value of ['Enabled', 'username', 'idp', 'acs:sso:alice']) {
      const error = await expectApiError(update(value));
      assert.equal(error.statusCode, 400, value);
      assert.equal(error.code, 'InvalidParameter.SourceIdentityPassing', value);
      assert.equal(await passing(), 'UserName', value);
    }
  });

  it('lets a CloudSSO reader read but not update; refuses a RAM user without permission', async () => {
    await update('IdP');
    const ram = ramClient(server.url, server.root);
    const userWith = async (userName: string, policyName?: string): Promise<Credentials> => {
      await ram.createUser(new Ram.CreateUserRequest({ userName }));
      if (policyName) await ram.attachPolicyToUser(new Ram.AttachPolicyToUserRequest({ policyType: 'System', policyName, userName }));
      const key = (await ram.createAccessKey(new Ram.CreateAccessKeyRequest({ userName }))).body.accessKey;
      return { accessKeyId: key.accessKeyId, accessKeySecret: key.accessKeySecret };
    };
    const reader = await userWith('passing-reader', 'AliyunCloudSSOReadOnlyAccess');
    assert.equal(await passing(reader), 'IdP');
    const write = await expectApiError(update('Disabled', reader));
    assert.equal(write.statusCode, 403);
    assert.equal(write.code, 'NoPermission');

    const nobody = await userWith('passing-nobody');
    // One call at a time: a refusal started before its expectApiError would be an unhandled rejection.
    for (const call of [() => passing(nobody), () => update('Disabled', nobody)]) {
      const error = await expectApiError(call());
      assert.equal(error.statusCode, 403);
      assert.equal(error.code, 'NoPermission');
    }
    assert.equal(await passing(), 'IdP');
  });

  it("does not reach another account's directory, even as that account's root", async () => {
    await update('UserName');
    const db = server.gatehouse.services.store.db;
    const other = await createAccount(db, { displayName: 'other', alias: 'other-passing', type: 'member', rootPasswordHash: null, now: new Date().toISOString() });
    const key = await issueAccessKey(db, server.gatehouse.services.secrets, { accountId: other.id, userId: null, now: new Date().toISOString() });
    const otherRoot = { accessKeyId: key.row.id, accessKeySecret: key.secret };
    for (const call of [() => passing(otherRoot), () => update('Disabled', otherRoot)]) {
      const error = await expectApiError(call());
      assert.equal(error.statusCode, 403);
      assert.equal(error.code, 'NoPermission');
    }
    assert.equal(await passing(), 'UserName');
  });
});
