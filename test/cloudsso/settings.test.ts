import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/server.js';
import { callApi, expectApiError, Ram, ramClient, type Credentials } from '../support/sdk.js';
import { createAccount } from '../../src/accounts/accounts.js';
import { issueAccessKey } from '../../src/ram/access-keys-store.js';
import { createDirectory, sso as ssoAs } from './access-support.js';

const V = '2021-05-15';
type Query = Record<string, string | number | boolean | undefined>;

describe('CloudSSO directory settings', () => {
  let server: TestServer;
  let dir = '';
  const sso = (action: string, query: Query = {}) => callApi(server.url, server.root, action, V, query);

  before(async () => {
    server = await startServer();
    dir = (await sso('CreateDirectory', { DirectoryName: 'settings-test' })).Directory.DirectoryId;
  });
  after(async () => server.close());

  it('sets and reads the login preference; refuses bad network masks', async () => {
    assert.deepEqual((await sso('GetLoginPreference', { DirectoryId: dir })).LoginPreference, { LoginNetworkMasks: '', AllowUserToGetCredentials: true });
    await sso('SetLoginPreference', { DirectoryId: dir, LoginNetworkMasks: '10.0.0.0/8; 192.168.1.7', AllowUserToGetCredentials: false });
    const set = { LoginNetworkMasks: '10.0.0.0/8;192.168.1.7', AllowUserToGetCredentials: false };
    assert.deepEqual((await sso('GetLoginPreference', { DirectoryId: dir })).LoginPreference, set);
    const tooMany = Array.from({ length: 101 }, (_, i) => `10.0.${i}.0/24`).join(';');
    for (const masks of ['10.0.0.0/33', '300.1.1.1', 'example.com', tooMany]) {
      const error = await expectApiError(sso('SetLoginPreference', { DirectoryId: dir, LoginNetworkMasks: masks }));
      assert.equal(error.statusCode, 400);
      assert.equal(error.code, 'InvalidParameter.LoginNetworkMasks');
    }
    await sso('SetLoginPreference', { DirectoryId: dir, LoginNetworkMasks: Array.from({ length: 100 }, (_, i) => `10.0.${i}.0/24`).join(';') });
    assert.equal((await sso('GetLoginPreference', { DirectoryId: dir })).LoginPreference.AllowUserToGetCredentials, false);
  });

  it('sets the password policy within the CloudSSO ranges', async () => {
    const initial = (await sso('GetPasswordPolicy', { DirectoryId: dir })).PasswordPolicy;
    assert.deepEqual(initial, {
      MinPasswordLength: 8,
      MaxPasswordLength: 32,
      MinPasswordDifferentChars: 0,
      PasswordNotContainUsername: true,
      MaxPasswordAge: 90,
      HardExpire: false,
      PasswordReusePrevention: 1,
      MaxLoginAttempts: 5,
      RequireLowerCaseChars: true,
      RequireUpperCaseChars: true,
      RequireNumbers: true,
      RequireSymbols: true,
    });
    await sso('SetPasswordPolicy', { DirectoryId: dir, MinPasswordLength: 12, MinPasswordDifferentChars: 6, MaxPasswordAge: 120, PasswordReusePrevention: 24, MaxLoginAttempts: 0, PasswordNotContainUsername: false });
    const set = (await sso('GetPasswordPolicy', { DirectoryId: dir })).PasswordPolicy;
    assert.equal(set.MinPasswordLength, 12);
    assert.equal(set.MinPasswordDifferentChars, 6);
    assert.equal(set.MaxPasswordAge, 120);
    assert.equal(set.PasswordReusePrevention, 24);
    assert.equal(set.MaxLoginAttempts, 0);
    assert.equal(set.PasswordNotContainUsername, false);
    for (const [query, code] of [
      [{ MinPasswordLength: 7 }, 'InvalidParameter.MinPasswordLength'],
      [{ MinPasswordLength: 33 }, 'InvalidParameter.MinPasswordLength'],
      [{ MaxPasswordAge: 0 }, 'InvalidParameter.MaxPasswordAge'],
      [{ MaxPasswordAge: 121 }, 'InvalidParameter.MaxPasswordAge'],
      [{ PasswordReusePrevention: 25 }, 'InvalidParameter.PasswordReusePrevention'],
      [{ MaxLoginAttempts: 33 }, 'InvalidParameter.MaxLoginAttempts'],
      [{ MinPasswordDifferentChars: 13 }, 'InvalidParameter.MinPasswordDifferentChars'],
      [{ MinPasswordLength: 8, MinPasswordDifferentChars: 9 }, 'InvalidParameter.MinPasswordDifferentChars'],
    ] as Array<[Query, string]>) {
      const error = await expectApiError(sso('SetPasswordPolicy', { DirectoryId: dir, ...query }));
      assert.equal(error.statusCode, 400);
      assert.equal(error.code, code);
    }
    assert.deepEqual((await sso('GetPasswordPolicy', { DirectoryId: dir })).PasswordPolicy, set);
  });

  it('applies the password policy to ResetUserPassword', async () => {
    const previous = (await sso('GetPasswordPolicy', { DirectoryId: dir })).PasswordPolicy.MinPasswordLength;
    await sso('SetPasswordPolicy', { DirectoryId: dir, MinPasswordLength: 12 });
    try {
      const user = (await sso('CreateUser', { DirectoryId: dir, UserName: 'carol' })).User;
      const short = await expectApiError(sso('ResetUserPassword', { DirectoryId: dir, UserId: user.UserId, Password: 'Abcdef1!x' }));
      assert.equal(short.code, 'InvalidParameter.Password.PolicyViolation');
      await sso('ResetUserPassword', { DirectoryId: dir, UserId: user.UserId, Password: 'Abcdefgh12!x' });
    } finally {
      await sso('SetPasswordPolicy', { DirectoryId: dir, MinPasswordLength: previous });
    }
  });

  it('switches MFA with the status and the three-way setting kept in step', async () => {
    assert.equal((await sso('GetMFAAuthenticationStatus', { DirectoryId: dir })).MFAAuthenticationStatus, 'Enabled');
    assert.equal((await sso('GetMFAAuthenticationSettings', { DirectoryId: dir })).MFAAuthenticationAdvanceSettings, 'Enabled');
    await sso('UpdateMFAAuthenticationSettings', { DirectoryId: dir, MFAAuthenticationSettings: 'Byuser', OperationForRiskLogin: 'EnforceVerify' });
    assert.deepEqual((await sso('GetMFAAuthenticationSettingInfo', { DirectoryId: dir })).MFAAuthenticationSettingInfo, {
      MfaAuthenticationAdvanceSettings: 'Byuser',
      OperationForRiskLogin: 'EnforceVerify',
    });
    assert.equal((await sso('GetMFAAuthenticationStatus', { DirectoryId: dir })).MFAAuthenticationStatus, 'Enabled');
    await sso('SetMFAAuthenticationStatus', { DirectoryId: dir, MFAAuthenticationStatus: 'Disabled' });
    assert.equal((await sso('GetMFAAuthenticationSettings', { DirectoryId: dir })).MFAAuthenticationAdvanceSettings, 'Disabled');
    await sso('SetMFAAuthenticationStatus', { DirectoryId: dir, MFAAuthenticationStatus: 'Enabled' });
    assert.equal((await sso('GetMFAAuthenticationSettings', { DirectoryId: dir })).MFAAuthenticationAdvanceSettings, 'Enabled');
    for (const [action, query, code] of [
      ['SetMFAAuthenticationStatus', { MFAAuthenticationStatus: 'On' }, 'InvalidParameter.MFAAuthenticationStatus'],
      ['SetMFAAuthenticationStatus', {}, 'MissingParameter.MFAAuthenticationStatus'],
      ['UpdateMFAAuthenticationSettings', { MFAAuthenticationSettings: 'Sometimes' }, 'InvalidParameter.MFAAuthenticationSettings'],
      ['UpdateMFAAuthenticationSettings', { MFAAuthenticationSettings: 'Enabled', OperationForRiskLogin: 'Ignore' }, 'InvalidParameter.OperationForRiskLogin'],
    ] as Array<[string, Query, string]>) {
      const error = await expectApiError(sso(action, { DirectoryId: dir, ...query }));
      assert.equal(error.statusCode, 400);
      assert.equal(error.code, code);
    }
    assert.equal((await sso('GetMFAAuthenticationSettingInfo', { DirectoryId: dir })).MFAAuthenticationSettingInfo.OperationForRiskLogin, 'EnforceVerify');
  });

  it('answers 404 for another directory id', async () => {
    const error = await expectApiError(sso('GetPasswordPolicy', { DirectoryId: 'd-other' }));
    assert.equal(error.statusCode, 404);
    assert.equal(error.code, 'EntityNotExists.Directory');
  });
});

// Get/UpdateAttributePassingSetting: what SAML sign-in may pass on to role sessions as SourceIdentity (spec §1.2).
describe('CloudSSO attribute passing setting', () => {
  let server: TestServer;
  let dir = '';
  const passing = async (creds: Credentials = server.root) =>
    (await ssoAs(server, 'GetAttributePassingSetting', { DirectoryId: dir }, creds)).AttributePassingSetting.SourceIdentityPassing;
  const update = (value: string | undefined, creds: Credentials = server.root) =>
    ssoAs(server, 'UpdateAttributePassingSetting', { DirectoryId: dir, SourceIdentityPassing: value }, creds);

  before(async () => {
    server = await startServer();
    dir = await createDirectory(server);
  });
  after(async () => server.close());

  it('passes nothing on until set, then keeps what was set', async () => {
    const body = await ssoAs(server, 'GetAttributePassingSetting', { DirectoryId: dir });
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
