// The account's password policy through the IMS and RAM SDKs.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/server.js';
import { Ims, Ram, callApi, expectApiError, imsClient, ramClient } from '../support/sdk.js';

const IMS = '2019-08-15';

// A sequential journey: the account has one password policy, which the tests walk from the defaults through IMS and RAM
// changes to the policy new passwords must meet; each test starts from the policy the one before left.
describe('password policy', () => {
  let server: TestServer;
  let ims: any;
  let ram: any;
  before(async () => {
    server = await startServer();
    ims = imsClient(server.url, server.root);
    ram = ramClient(server.url, server.root);
  });
  after(async () => server.close());

  it('starts with the documented defaults', async () => {
    const policy = (await ims.getPasswordPolicy()).body.passwordPolicy;
    assert.deepEqual(
      { ...policy },
      {
        minimumPasswordLength: 8,
        requireLowercaseCharacters: false,
        requireUppercaseCharacters: false,
        requireNumbers: false,
        requireSymbols: false,
        minimumPasswordDifferentCharacter: 0,
        passwordNotContainUserName: false,
        hardExpire: false,
        maxPasswordAge: 0,
        passwordReusePrevention: 0,
        maxLoginAttemps: 0,
      },
    );
    const raw = await callApi(server.url, server.root, 'GetPasswordPolicy', IMS, {});
    assert.equal(raw.PasswordPolicy.InitialPasswordAge, 14);
    assert.equal(raw.PasswordPolicy.InterceptRiskPasswordOnApi, false);
    const viaRam = (await ram.getPasswordPolicy()).body.passwordPolicy;
    assert.equal(viaRam.hardExpiry, false);
    assert.equal(viaRam.minimumPasswordLength, 8);
  });

  it('IMS sets it (HardExpire) and RAM reads it (HardExpiry)', async () => {
    const set = (
      await ims.setPasswordPolicy(
        new Ims.SetPasswordPolicyRequest({
          minimumPasswordLength: 12,
          requireLowercaseCharacters: true,
          requireUppercaseCharacters: true,
          requireNumbers: true,
          requireSymbols: true,
          minimumPasswordDifferentCharacter: 6,
          passwordNotContainUserName: true,
          hardExpire: true,
          maxPasswordAge: 90,
          passwordReusePrevention: 5,
          maxLoginAttemps: 5,
        }),
      )
    ).body.passwordPolicy;
    assert.equal(set.minimumPasswordLength, 12);
    assert.equal(set.hardExpire, true);
    assert.equal(set.maxLoginAttemps, 5);
    const viaRam = (await ram.getPasswordPolicy()).body.passwordPolicy;
    assert.deepEqual(
      { ...viaRam },
      {
        minimumPasswordLength: 12,
        requireLowercaseCharacters: true,
        requireUppercaseCharacters: true,
        requireNumbers: true,
        requireSymbols: true,
        hardExpiry: true,
        maxPasswordAge: 90,
        passwordReusePrevention: 5,
        maxLoginAttemps: 5,
      },
    );
  });

  it('changes only the fields given; RAM keeps the fields it does not know', async () => {
    await ram.setPasswordPolicy(new Ram.SetPasswordPolicyRequest({ hardExpiry: false, minimumPasswordLength: 10 }));
    const raw = (await callApi(server.url, server.root, 'GetPasswordPolicy', IMS, {})).PasswordPolicy;
    assert.equal(raw.HardExpire, false);
    assert.equal(raw.MinimumPasswordLength, 10);
    assert.equal(raw.MinimumPasswordDifferentCharacter, 6);
    assert.equal(raw.PasswordNotContainUserName, true);
    assert.equal(raw.MaxPasswordAge, 90);
    await callApi(server.url, server.root, 'SetPasswordPolicy', IMS, { InitialPasswordAge: 30, InterceptRiskPasswordOnApi: true });
    const after = (await callApi(server.url, server.root, 'GetPasswordPolicy', IMS, {})).PasswordPolicy;
    assert.equal(after.InitialPasswordAge, 30);
    assert.equal(after.InterceptRiskPasswordOnApi, true);
    assert.equal(after.MinimumPasswordLength, 10);
  });

  const outOfRange: Array<[string, number]> = [
    ['MinimumPasswordLength', 7],
    ['MinimumPasswordLength', 33],
    ['MinimumPasswordDifferentCharacter', -1],
    ['MinimumPasswordDifferentCharacter', 9],
    ['MaxPasswordAge', -1],
    ['MaxPasswordAge', 1096],
    ['PasswordReusePrevention', 25],
    ['InitialPasswordAge', 91],
    ['MaxLoginAttemps', 33],
  ];
  for (const [field, value] of outOfRange) {
    it(`refuses ${field}=${value} with InvalidParameter.${field}.Range and changes nothing`, async () => {
      const before = await callApi(server.url, server.root, 'GetPasswordPolicy', IMS, {});
      const error = await expectApiError(callApi(server.url, server.root, 'SetPasswordPolicy', IMS, { RequireNumbers: false, [field]: value }));
      assert.equal(error.statusCode, 400);
      assert.equal(error.code, `InvalidParameter.${field}.Range`);
      const after = await callApi(server.url, server.root, 'GetPasswordPolicy', IMS, {});
      assert.deepEqual(after.PasswordPolicy, before.PasswordPolicy);
    });
  }

  it('refuses out-of-range values through the RAM SDK too', async () => {
    const error = await expectApiError(ram.setPasswordPolicy(new Ram.SetPasswordPolicyRequest({ minimumPasswordLength: 40 })));
    assert.equal(error.code, 'InvalidParameter.MinimumPasswordLength.Range');
    const notBool = await expectApiError(callApi(server.url, server.root, 'SetPasswordPolicy', IMS, { HardExpire: 'sometimes' }));
    assert.equal(notBool.code, 'InvalidParameter.HardExpire');
  });

  it('applies the policy to new passwords', async () => {
    await ram.createUser(new Ram.CreateUserRequest({ userName: 'henry' }));
    // Policy now: ≥10 chars, all four classes, 6 different characters, no user name.
    for (const weak of ['Henry-pass-1', 'aB1!aB1!aB1!', 'abcdefgh1!']) {
      const error = await expectApiError(ram.createLoginProfile(new Ram.CreateLoginProfileRequest({ userName: 'henry', password: weak })));
      assert.equal(error.code, 'InvalidParameter.Password.TooWeak', weak);
    }
    await ram.createLoginProfile(new Ram.CreateLoginProfileRequest({ userName: 'henry', password: 'Strong-pass-42' }));
  });
});
