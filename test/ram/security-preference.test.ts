// The account's security preference through the IMS and RAM SDKs.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/server.js';
import { Ims, Ram, callApi, expectApiError, imsClient, ramClient } from '../support/sdk.js';

const IMS = '2019-08-15';

// A sequential journey: the account has one security preference; the tests set it field by field and each reads what
// the ones before set.
describe('security preference', () => {
  let server: TestServer;
  let ims: any;
  let ram: any;
  const current = async () => (await callApi(server.url, server.root, 'GetSecurityPreference', IMS, {})).SecurityPreference;
  before(async () => {
    server = await startServer();
    ims = imsClient(server.url, server.root);
    ram = ramClient(server.url, server.root);
  });
  after(async () => server.close());

  it('starts with the documented defaults, grouped as IMS groups them', async () => {
    const pref = (await ims.getSecurityPreference()).body.securityPreference;
    assert.deepEqual(
      { ...pref.loginProfilePreference },
      {
        allowUserToChangePassword: true,
        allowUserToLoginWithPasskey: true,
        enableSaveMFATicket: false,
        loginNetworkMasks: '',
        loginSessionDuration: 6,
        MFAOperationForLogin: 'independent',
        operationForRiskLogin: 'autonomous',
      },
    );
    assert.equal(pref.accessKeyPreference.allowUserToManageAccessKeys, false);
    assert.equal(pref.MFAPreference.allowUserToManageMFADevices, true);
    assert.equal(pref.personalInfoPreference.allowUserToManagePersonalDingTalk, true);
    assert.deepEqual({ ...pref.maxIdleDays }, { maxIdleDaysForAccessKeys: 730, maxIdleDaysForUsers: 730 });
    assert.deepEqual(pref.verificationPreference.verificationTypes, []);
    const raw = await current();
    assert.equal(raw.AccessKeyPreference.AllowUserToManageServiceCredentials, false);
  });

  it('round-trips every IMS field', async () => {
    const set = (
      await ims.setSecurityPreference(
        new Ims.SetSecurityPreferenceRequest({
          allowUserToChangePassword: false,
          allowUserToLoginWithPasskey: false,
          allowUserToManageAccessKeys: true,
          allowUserToManageMFADevices: false,
          allowUserToManagePersonalDingTalk: false,
          enableSaveMFATicket: true,
          loginNetworkMasks: '10.0.0.0/8;192.168.1.7',
          loginSessionDuration: 12,
          MFAOperationForLogin: 'mandatory',
          operationForRiskLogin: 'enforceVerify',
          verificationTypes: ['sms', 'email'],
        }),
      )
    ).body.securityPreference;
    assert.equal(set.loginProfilePreference.loginSessionDuration, 12);
    const got = (await ims.getSecurityPreference()).body.securityPreference;
    assert.deepEqual(
      { ...got.loginProfilePreference },
      {
        allowUserToChangePassword: false,
        allowUserToLoginWithPasskey: false,
        enableSaveMFATicket: true,
        loginNetworkMasks: '10.0.0.0/8;192.168.1.7',
        loginSessionDuration: 12,
        MFAOperationForLogin: 'mandatory',
        operationForRiskLogin: 'enforceVerify',
      },
    );
    assert.equal(got.accessKeyPreference.allowUserToManageAccessKeys, true);
    assert.equal(got.MFAPreference.allowUserToManageMFADevices, false);
    assert.equal(got.personalInfoPreference.allowUserToManagePersonalDingTalk, false);
    assert.deepEqual(got.verificationPreference.verificationTypes, ['sms', 'email']);

    await callApi(server.url, server.root, 'SetSecurityPreference', IMS, {
      AllowUserToManageServiceCredentials: true,
      MaxIdleDaysForAccessKeys: 90,
      MaxIdleDaysForUsers: 365,
    });
    const raw = await current();
    assert.equal(raw.AccessKeyPreference.AllowUserToManageServiceCredentials, true);
    assert.deepEqual(raw.MaxIdleDays, { MaxIdleDaysForAccessKeys: 90, MaxIdleDaysForUsers: 365 });
    assert.equal(raw.LoginProfilePreference.LoginSessionDuration, 12, 'fields not given keep their value');
  });

  it('RAM reads and sets its own subset, including public keys', async () => {
    await ram.setSecurityPreference(new Ram.SetSecurityPreferenceRequest({ allowUserToManagePublicKeys: true, loginSessionDuration: 3, allowUserToChangePassword: true }));
    const got = (await ram.getSecurityPreference()).body.securityPreference;
    assert.deepEqual(
      { ...got.loginProfilePreference },
      { allowUserToChangePassword: true, enableSaveMFATicket: true, loginNetworkMasks: '10.0.0.0/8;192.168.1.7', loginSessionDuration: 3 },
    );
    assert.equal(got.publicKeyPreference.allowUserToManagePublicKeys, true);
    assert.equal(got.accessKeyPreference.allowUserToManageAccessKeys, true);
    assert.equal((await current()).LoginProfilePreference.MFAOperationForLogin, 'mandatory');
  });

  it('maps the older EnforceMFAForLogin onto MFAOperationForLogin', async () => {
    await callApi(server.url, server.root, 'SetSecurityPreference', IMS, { EnforceMFAForLogin: false });
    assert.equal((await current()).LoginProfilePreference.MFAOperationForLogin, 'independent');
    await callApi(server.url, server.root, 'SetSecurityPreference', IMS, { MFAOperationForLogin: 'adaptive' });
    assert.equal((await current()).LoginProfilePreference.MFAOperationForLogin, 'adaptive');
  });

  it('clears LoginNetworkMasks with an empty value', async () => {
    await ims.setSecurityPreference(new Ims.SetSecurityPreferenceRequest({ loginNetworkMasks: '' }));
    assert.equal((await current()).LoginProfilePreference.LoginNetworkMasks, '');
    await ims.setSecurityPreference(new Ims.SetSecurityPreferenceRequest({ loginNetworkMasks: '172.16.0.0/12' }));
  });

  const refused: Array<[Record<string, string | number>, string]> = [
    [{ LoginSessionDuration: 0 }, 'InvalidParameter.LoginSessionDuration.Range'],
    [{ LoginSessionDuration: 25 }, 'InvalidParameter.LoginSessionDuration.Range'],
    [{ LoginNetworkMasks: '10.0.0.0/33' }, 'InvalidParameter.LoginNetworkMasks'],
    [{ LoginNetworkMasks: 'example.com' }, 'InvalidParameter.LoginNetworkMasks'],
    [{ LoginNetworkMasks: Array.from({ length: 41 }, (_, i) => `1.1.1.${i}`).join(';') }, 'InvalidParameter.LoginNetworkMasks'],
    [{ MFAOperationForLogin: 'always' }, 'InvalidParameter.MFAOperationForLogin'],
    [{ OperationForRiskLogin: 'maybe' }, 'InvalidParameter.OperationForRiskLogin'],
    [{ MaxIdleDaysForUsers: 100 }, 'InvalidParameter.MaxIdleDaysForUsers'],
    [{ VerificationTypes: '["sms","pigeon"]' }, 'InvalidParameter.VerificationTypes'],
  ];
  for (const [params, code] of refused) {
    it(`refuses ${JSON.stringify(params).slice(0, 60)} with ${code} and changes nothing`, async () => {
      const before = await current();
      const error = await expectApiError(callApi(server.url, server.root, 'SetSecurityPreference', IMS, { EnableSaveMFATicket: false, ...params }));
      assert.equal(error.statusCode, 400);
      assert.equal(error.code, code);
      assert.deepEqual(await current(), before);
    });
  }

  it('refuses bad values through the RAM SDK too', async () => {
    const error = await expectApiError(ram.setSecurityPreference(new Ram.SetSecurityPreferenceRequest({ loginSessionDuration: 48 })));
    assert.equal(error.code, 'InvalidParameter.LoginSessionDuration.Range');
  });
});
