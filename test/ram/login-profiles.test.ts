// Console logon settings of a RAM user (seed 003) through the official IMS and RAM SDKs.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSession } from '../../src/sessions/sessions.js';
import { checkLogonPassword, findLoginProfile, recordLogon } from '../../src/ram/login-profiles.js';
import { readLogonState } from '../../src/ram/logon-state.js';
import { getPasswordPolicy } from '../../src/ram/password-policy.js';
import { findUserByName } from '../../src/ram/users.js';
import { startServer, type TestServer } from '../support/server.js';
import { signedV1Query } from '../support/raw-client.js';
import { Ims, Ram, callApi, expectApiError, imsClient, ramClient } from '../support/sdk.js';

const DAY = 24 * 60 * 60 * 1000;
const IMS = '2019-08-15';

describe('login profiles', () => {
  let server: TestServer;
  let ims: any;
  let ram: any;
  let domain: string;
  const upn = (name: string): string => `${name}@${domain}`;

  /** A V1-signed call stamped with the server's (possibly advanced) clock, for time-dependent checks. */
  async function imsAt(action: string, params: Record<string, string>): Promise<any> {
    const query = signedV1Query(server.root, { Action: action, Version: IMS, ...params }, { timestamp: server.clock.now() });
    const res = await fetch(`${server.url}/?${query}`);
    const body = await res.json();
    if (res.status !== 200) throw new Error(`${action}: ${res.status} ${body.Code}`);
    return body;
  }
  const statusOf = async (name: string): Promise<string> => (await imsAt('GetLoginProfile', { UserPrincipalName: upn(name) })).LoginProfile.PasswordStatus;

  /** Runs `body` with the server clock `ms` ahead, then puts it back. */
  async function later(ms: number, body: () => Promise<void>): Promise<void> {
    server.clock.advance(ms);
    try {
      await body();
    } finally {
      server.clock.advance(-ms);
    }
  }

  async function newUser(name: string): Promise<string> {
    await ram.createUser(new Ram.CreateUserRequest({ userName: name }));
    return (await findUserByName(server.gatehouse.services.store.db, server.accountId, name))!.id;
  }

  async function sessionCount(userId: string): Promise<number> {
    const rows = await server.gatehouse.services.store.db.selectFrom('console_sessions').select('id').where('user_id', '=', userId).execute();
    return rows.length;
  }

  async function openSession(userId: string): Promise<void> {
    await createSession(server.gatehouse.services.store.db, {
      accountId: server.accountId,
      principalType: 'user',
      userId,
      mfaPresent: false,
      lifetimeSeconds: 3600,
      now: server.clock.now(),
    });
  }

  before(async () => {
    server = await startServer();
    ims = imsClient(server.url, server.root);
    ram = ramClient(server.url, server.root);
    domain = (await ims.getDefaultDomain()).body.defaultDomainName;
  });
  after(async () => server.close());

  it('IMS CreateLoginProfile enables console logon with an initial password', async () => {
    await newUser('alice');
    const created = await ims.createLoginProfile(
      new Ims.CreateLoginProfileRequest({ userPrincipalName: upn('alice'), password: 'Alice-pass-1', passwordResetRequired: true }),
    );
    const profile = created.body.loginProfile;
    assert.equal(profile.userPrincipalName, upn('alice'));
    assert.equal(profile.status, 'Active');
    assert.equal(profile.passwordResetRequired, true);
    assert.equal(profile.MFABindRequired, false);
    assert.match(profile.updateDate, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const raw = await callApi(server.url, server.root, 'GetLoginProfile', IMS, { UserPrincipalName: upn('alice') });
    assert.equal(raw.LoginProfile.PasswordStatus, 'InitialValid');
    assert.equal(raw.LoginProfile.LastLoginTime, '');
    const got = (await ims.getLoginProfile(new Ims.GetLoginProfileRequest({ userPrincipalName: upn('alice') }))).body.loginProfile;
    assert.equal(got.status, 'Active');
    assert.equal(got.passwordResetRequired, true);
  });

  it('refuses a second profile (409) and a missing one (404), on IMS and RAM', async () => {
    await newUser('twice');
    await ims.createLoginProfile(new Ims.CreateLoginProfileRequest({ userPrincipalName: upn('twice'), password: 'Twice-pass-1' }));
    let error = await expectApiError(ims.createLoginProfile(new Ims.CreateLoginProfileRequest({ userPrincipalName: upn('twice'), password: 'Another-pass-2' })));
    assert.equal(error.statusCode, 409);
    assert.equal(error.code, 'EntityAlreadyExists.User.LoginProfile');

    await newUser('nobody');
    error = await expectApiError(ims.getLoginProfile(new Ims.GetLoginProfileRequest({ userPrincipalName: upn('nobody') })));
    assert.equal(error.statusCode, 404);
    assert.equal(error.code, 'EntityNotExist.User.LoginProfile');
    error = await expectApiError(ram.getLoginProfile(new Ram.GetLoginProfileRequest({ userName: 'nobody' })));
    assert.equal(error.code, 'EntityNotExist.User.LoginProfile');
    error = await expectApiError(ram.deleteLoginProfile(new Ram.DeleteLoginProfileRequest({ userName: 'nobody' })));
    assert.equal(error.code, 'EntityNotExist.User.LoginProfile');
    error = await expectApiError(ram.getLoginProfile(new Ram.GetLoginProfileRequest({ userName: 'ghost' })));
    assert.equal(error.code, 'EntityNotExist.User');
    error = await expectApiError(ims.getLoginProfile(new Ims.GetLoginProfileRequest({ userPrincipalName: 'alice@elsewhere.onaliyun.com' })));
    assert.equal(error.code, 'EntityNotExist.User');
  });

  it('refuses a weak password with TooWeak listing the broken rules, and creates nothing', async () => {
    await ims.setPasswordPolicy(new Ims.SetPasswordPolicyRequest({ requireNumbers: true, requireSymbols: true }));
    try {
      await newUser('weak');
      const error = await expectApiError(ram.createLoginProfile(new Ram.CreateLoginProfileRequest({ userName: 'weak', password: 'short' })));
      assert.equal(error.statusCode, 400);
      assert.equal(error.code, 'InvalidParameter.Password.TooWeak');
      assert.match(error.message, /at least 8 characters/);
      assert.match(error.message, /digit/);
      assert.match(error.message, /symbol/);
      const missing = await expectApiError(ram.getLoginProfile(new Ram.GetLoginProfileRequest({ userName: 'weak' })));
      assert.equal(missing.code, 'EntityNotExist.User.LoginProfile');
      const tooLong = await expectApiError(ram.createLoginProfile(new Ram.CreateLoginProfileRequest({ userName: 'weak', password: 'Aa1!'.repeat(9) })));
      assert.equal(tooLong.code, 'InvalidParameter.Password.TooWeak');
    } finally {
      await ims.setPasswordPolicy(new Ims.SetPasswordPolicyRequest({ requireNumbers: false, requireSymbols: false }));
    }
  });

  it('RAM twins: create, get, update and delete by UserName', async () => {
    await newUser('bob');
    const created = (await ram.createLoginProfile(new Ram.CreateLoginProfileRequest({ userName: 'bob', password: 'Bob-pass-123', MFABindRequired: true }))).body
      .loginProfile;
    assert.equal(created.userName, 'bob');
    assert.equal(created.passwordResetRequired, false);
    assert.equal(created.MFABindRequired, true);
    assert.match(created.createDate, /Z$/);
    await ram.updateLoginProfile(new Ram.UpdateLoginProfileRequest({ userName: 'bob', passwordResetRequired: true, MFABindRequired: false }));
    const got = (await ram.getLoginProfile(new Ram.GetLoginProfileRequest({ userName: 'bob' }))).body.loginProfile;
    assert.equal(got.passwordResetRequired, true);
    assert.equal(got.MFABindRequired, false);
    assert.equal(got.createDate, created.createDate);
    await ram.deleteLoginProfile(new Ram.DeleteLoginProfileRequest({ userName: 'bob' }));
    const error = await expectApiError(ram.getLoginProfile(new Ram.GetLoginProfileRequest({ userName: 'bob' })));
    assert.equal(error.code, 'EntityNotExist.User.LoginProfile');
    // Re-enabling after clearing gives a new profile.
    await ram.createLoginProfile(new Ram.CreateLoginProfileRequest({ userName: 'bob', password: 'Bob-pass-456' }));
  });

  it('IMS UpdateLoginProfile turns console access off and on', async () => {
    await newUser('switched');
    await ims.createLoginProfile(new Ims.CreateLoginProfileRequest({ userPrincipalName: upn('switched'), password: 'Switched-pass-1' }));
    let profile = (await ims.updateLoginProfile(new Ims.UpdateLoginProfileRequest({ userPrincipalName: upn('switched'), status: 'Inactive' }))).body.loginProfile;
    assert.equal(profile.status, 'Inactive');
    profile = (await ims.updateLoginProfile(new Ims.UpdateLoginProfileRequest({ userPrincipalName: upn('switched'), status: 'Active' }))).body.loginProfile;
    assert.equal(profile.status, 'Active');
    const error = await expectApiError(ims.updateLoginProfile(new Ims.UpdateLoginProfileRequest({ userPrincipalName: upn('switched'), status: 'Paused' })));
    assert.equal(error.code, 'InvalidParameter.Status');
  });

  it('ends the console sessions at once on Inactive, a new password, or deletion', async () => {
    const id = await newUser('carol');
    await ims.createLoginProfile(new Ims.CreateLoginProfileRequest({ userPrincipalName: upn('carol'), password: 'Carol-pass-1' }));

    await openSession(id);
    await ims.updateLoginProfile(new Ims.UpdateLoginProfileRequest({ userPrincipalName: upn('carol'), MFABindRequired: true }));
    assert.equal(await sessionCount(id), 1, 'other changes keep the session');
    await ims.updateLoginProfile(new Ims.UpdateLoginProfileRequest({ userPrincipalName: upn('carol'), status: 'Inactive' }));
    assert.equal(await sessionCount(id), 0);

    await openSession(id);
    await ram.updateLoginProfile(new Ram.UpdateLoginProfileRequest({ userName: 'carol', password: 'Carol-pass-2' }));
    assert.equal(await sessionCount(id), 0);

    await openSession(id);
    await ims.deleteLoginProfile(new Ims.DeleteLoginProfileRequest({ userPrincipalName: upn('carol') }));
    assert.equal(await sessionCount(id), 0);
  });

  it('records a logon only while the profile is as the logon read it (active, no reset or disable since)', async () => {
    const db = server.gatehouse.services.store.db;
    const id = await newUser('heidi');
    await ims.createLoginProfile(new Ims.CreateLoginProfileRequest({ userPrincipalName: upn('heidi'), password: 'Heidi-pass-1' }));
    const lastLogin = async (): Promise<unknown> => (await ims.getLoginProfile(new Ims.GetLoginProfileRequest({ userPrincipalName: upn('heidi') }))).body.loginProfile.lastLoginTime;
    // What a logon reads when it checks the password: the user's logon generation.
    const read = async () => ({ user_id: id, logon_generation: (await readLogonState(db, id))!.generation });

    // Read by a logon, then reset by an administrator before the logon completes.
    const readBeforeReset = await read();
    await ims.updateLoginProfile(new Ims.UpdateLoginProfileRequest({ userPrincipalName: upn('heidi'), password: 'Heidi-pass-2' }));
    assert.equal(await recordLogon(db, readBeforeReset, server.clock.now()), false);
    assert.ok(!(await lastLogin()), 'nothing recorded');

    // Read, then disabled.
    const readBeforeDisable = await read();
    await ims.updateLoginProfile(new Ims.UpdateLoginProfileRequest({ userPrincipalName: upn('heidi'), status: 'Inactive' }));
    assert.equal(await recordLogon(db, readBeforeDisable, server.clock.now()), false);
    assert.ok(!(await lastLogin()), 'nothing recorded');

    // Enabled again: a logon that read the profile before it was disabled still does not finish.
    await ims.updateLoginProfile(new Ims.UpdateLoginProfileRequest({ userPrincipalName: upn('heidi'), status: 'Active' }));
    assert.equal(await recordLogon(db, readBeforeDisable, server.clock.now()), false);
    assert.ok(!(await lastLogin()), 'nothing recorded');
    // A change that ends no logon (the MFA requirement) leaves one read before it going.
    // Removed and enabled again with a new password: the count is the user's, so it does not start over.
    const readBeforeRemoval = await read();
    await ims.deleteLoginProfile(new Ims.DeleteLoginProfileRequest({ userPrincipalName: upn('heidi') }));
    await ims.createLoginProfile(new Ims.CreateLoginProfileRequest({ userPrincipalName: upn('heidi'), password: 'Heidi-pass-3' }));
    assert.equal(await recordLogon(db, readBeforeRemoval, server.clock.now()), false);
    assert.ok(!(await lastLogin()), 'nothing recorded');
    // A change that ends no logon (the MFA requirement) leaves one read before it going.
    const readBeforeMfaChange = await read();
    await ims.updateLoginProfile(new Ims.UpdateLoginProfileRequest({ userPrincipalName: upn('heidi'), MFABindRequired: true }));
    assert.equal(await recordLogon(db, readBeforeMfaChange, server.clock.now()), true);
    assert.ok(await lastLogin());
  });

  it('IMS allows a profile without a password; the password can be set later', async () => {
    const id = await newUser('passkeyonly');
    await ims.createLoginProfile(new Ims.CreateLoginProfileRequest({ userPrincipalName: upn('passkeyonly') }));
    const db = server.gatehouse.services.store.db;
    const policy = await getPasswordPolicy(db, server.accountId);
    assert.deepEqual(await checkLogonPassword(db, await findLoginProfile(db, id), '', policy, server.clock.now()), { ok: false, reason: 'wrong' });
    await ims.updateLoginProfile(new Ims.UpdateLoginProfileRequest({ userPrincipalName: upn('passkeyonly'), password: 'Later-pass-1' }));
    assert.deepEqual(await checkLogonPassword(db, await findLoginProfile(db, id), 'Later-pass-1', policy, server.clock.now()), { ok: true });
    assert.equal(await statusOf('passkeyonly'), 'InitialValid');
  });

  // A sequential journey: dave's initial password is followed through resets and the first logon, test by test.
  describe('PasswordStatus (initial passwords, seed 003)', () => {
    it('expires an initial password after 14 days', async () => {
      await newUser('dave');
      await ims.createLoginProfile(new Ims.CreateLoginProfileRequest({ userPrincipalName: upn('dave'), password: 'Dave-pass-1' }));
      await later(14 * DAY - 60_000, async () => assert.equal(await statusOf('dave'), 'InitialValid'));
      await later(14 * DAY, async () => assert.equal(await statusOf('dave'), 'InitialExpired'));
    });

    it('restarts the validity when an administrator resets it before the first logon', async () => {
      await later(10 * DAY, async () => {
        await imsAt('UpdateLoginProfile', { UserPrincipalName: upn('dave'), Password: 'Dave-pass-2' });
      });
      await later(20 * DAY, async () => assert.equal(await statusOf('dave'), 'InitialValid'));
      await later(24 * DAY, async () => assert.equal(await statusOf('dave'), 'InitialExpired'));
    });

    it('is NotInitial after the first logon, and an admin reset then is not initial', async () => {
      const db = server.gatehouse.services.store.db;
      const user = (await findUserByName(db, server.accountId, 'dave'))!;
      assert.equal(await recordLogon(db, { user_id: user.id, logon_generation: (await readLogonState(db, user.id))!.generation }, server.clock.now()), true);
      assert.equal(await statusOf('dave'), 'NotInitial');
      const got = await callApi(server.url, server.root, 'GetLoginProfile', IMS, { UserPrincipalName: upn('dave') });
      assert.match(got.LoginProfile.LastLoginTime, /Z$/);
      await ims.updateLoginProfile(new Ims.UpdateLoginProfileRequest({ userPrincipalName: upn('dave'), password: 'Dave-pass-3' }));
      await later(100 * DAY, async () => assert.equal(await statusOf('dave'), 'NotInitial'));
      const ramUser = (await ram.getUser(new Ram.GetUserRequest({ userName: 'dave' }))).body.user;
      assert.equal(ramUser.lastLoginDate, got.LoginProfile.LastLoginTime);
    });

    it('lets a shorter MaxPasswordAge win, and InitialPasswordAge 0 lift the limit', async () => {
      await newUser('erin');
      await ims.createLoginProfile(new Ims.CreateLoginProfileRequest({ userPrincipalName: upn('erin'), password: 'Erin-pass-1' }));
      await callApi(server.url, server.root, 'SetPasswordPolicy', IMS, { MaxPasswordAge: 3 });
      try {
        await later(3 * DAY - 60_000, async () => assert.equal(await statusOf('erin'), 'InitialValid'));
        await later(3 * DAY, async () => assert.equal(await statusOf('erin'), 'InitialExpired'));
        await callApi(server.url, server.root, 'SetPasswordPolicy', IMS, { MaxPasswordAge: 0, InitialPasswordAge: 0 });
        await later(365 * DAY, async () => assert.equal(await statusOf('erin'), 'InitialValid'));
        await callApi(server.url, server.root, 'SetPasswordPolicy', IMS, { InitialPasswordAge: 2 });
        await later(2 * DAY, async () => assert.equal(await statusOf('erin'), 'InitialExpired'));
      } finally {
        await callApi(server.url, server.root, 'SetPasswordPolicy', IMS, { MaxPasswordAge: 0, InitialPasswordAge: 14 });
      }
    });
  });

  // A sequential journey: frank changes his own password test by test, each starting from the one the test before set.
  describe('ChangePassword (a RAM user, for themself)', () => {
    let frank: any;
    let frankId: string;
    before(async () => {
      frankId = await newUser('frank');
      await ram.createLoginProfile(new Ram.CreateLoginProfileRequest({ userName: 'frank', password: 'Frank-pass-1', passwordResetRequired: true }));
      const key = (await ram.createAccessKey(new Ram.CreateAccessKeyRequest({ userName: 'frank' }))).body.accessKey;
      frank = ramClient(server.url, { accessKeyId: key.accessKeyId, accessKeySecret: key.accessKeySecret });
    });

    it('needs the old password', async () => {
      const error = await expectApiError(frank.changePassword(new Ram.ChangePasswordRequest({ oldPassword: 'wrong-one-1', newPassword: 'Frank-pass-2' })));
      assert.equal(error.statusCode, 400);
      assert.equal(error.code, 'InvalidParameter.OldPassword.Incorrect');
    });

    it('sets it, clears PasswordResetRequired, makes it not initial and ends the sessions', async () => {
      await openSession(frankId);
      await frank.changePassword(new Ram.ChangePasswordRequest({ oldPassword: 'Frank-pass-1', newPassword: 'Frank-pass-2' }));
      assert.equal(await sessionCount(frankId), 0);
      const got = (await ram.getLoginProfile(new Ram.GetLoginProfileRequest({ userName: 'frank' }))).body.loginProfile;
      assert.equal(got.passwordResetRequired, false);
      assert.equal(await statusOf('frank'), 'NotInitial');
      const db = server.gatehouse.services.store.db;
      const policy = await getPasswordPolicy(db, server.accountId);
      assert.deepEqual(await checkLogonPassword(db, await findLoginProfile(db, frankId), 'Frank-pass-2', policy, server.clock.now()), { ok: true });
    });

    it('refuses a weak or a recently used password', async () => {
      let error = await expectApiError(frank.changePassword(new Ram.ChangePasswordRequest({ oldPassword: 'Frank-pass-2', newPassword: 'short' })));
      assert.equal(error.code, 'InvalidParameter.NewPassword.TooWeak');
      await ims.setPasswordPolicy(new Ims.SetPasswordPolicyRequest({ passwordReusePrevention: 2 }));
      try {
        error = await expectApiError(frank.changePassword(new Ram.ChangePasswordRequest({ oldPassword: 'Frank-pass-2', newPassword: 'Frank-pass-1' })));
        assert.equal(error.code, 'InvalidParameter.NewPassword.ReusePrevention');
        await frank.changePassword(new Ram.ChangePasswordRequest({ oldPassword: 'Frank-pass-2', newPassword: 'Frank-pass-3' }));
        // Now the last two are -2 and -3: -1 may come back.
        await frank.changePassword(new Ram.ChangePasswordRequest({ oldPassword: 'Frank-pass-3', newPassword: 'Frank-pass-1' }));
      } finally {
        await ims.setPasswordPolicy(new Ims.SetPasswordPolicyRequest({ passwordReusePrevention: 0 }));
      }
    });

    it('is for RAM users only, and follows AllowUserToChangePassword', async () => {
      let error = await expectApiError(ram.changePassword(new Ram.ChangePasswordRequest({ oldPassword: 'x', newPassword: 'Root-pass-123' })));
      assert.equal(error.code, 'NotSupport.Account');
      await ims.setSecurityPreference(new Ims.SetSecurityPreferenceRequest({ allowUserToChangePassword: false }));
      try {
        error = await expectApiError(frank.changePassword(new Ram.ChangePasswordRequest({ oldPassword: 'Frank-pass-1', newPassword: 'Frank-pass-9' })));
        assert.equal(error.statusCode, 403);
        assert.equal(error.code, 'NoPermission');
      } finally {
        await ims.setSecurityPreference(new Ims.SetSecurityPreferenceRequest({ allowUserToChangePassword: true }));
      }
    });
  });

  describe('logon password checks and lockout (checkLogonPassword)', () => {
    // Each test has a user of its own and sets the policy it needs, so no test depends on what another left behind.
    let id: string;
    let name: string;
    let made = 0;
    const db = () => server.gatehouse.services.store.db;
    const check = async (password: string) => checkLogonPassword(db(), await findLoginProfile(db(), id), password, await getPasswordPolicy(db(), server.accountId), server.clock.now());

    beforeEach(async () => {
      name = `grace-${++made}`;
      id = await newUser(name);
      await ram.createLoginProfile(new Ram.CreateLoginProfileRequest({ userName: name, password: 'Grace-pass-1' }));
      await ram.setPasswordPolicy(new Ram.SetPasswordPolicyRequest({ maxLoginAttemps: 3 }));
    });
    after(async () => {
      await ram.setPasswordPolicy(new Ram.SetPasswordPolicyRequest({ maxLoginAttemps: 0 }));
    });

    it('tells a right password from a wrong one', async () => {
      assert.deepEqual(await check('Grace-pass-1'), { ok: true });
      assert.deepEqual(await check('Grace-pass-2'), { ok: false, reason: 'wrong' });
    });

    it('resets the count on success', async () => {
      // Four failures against a limit of three: only a count reset by the success between them keeps the user unlocked.
      assert.deepEqual(await check('nope-1'), { ok: false, reason: 'wrong' });
      assert.deepEqual(await check('nope-2'), { ok: false, reason: 'wrong' });
      assert.deepEqual(await check('Grace-pass-1'), { ok: true });
      assert.deepEqual(await check('nope-3'), { ok: false, reason: 'wrong' });
      assert.deepEqual(await check('nope-4'), { ok: false, reason: 'wrong' });
      assert.deepEqual(await check('Grace-pass-1'), { ok: true });
    });

    it('locks for one hour after MaxLoginAttemps failures, even against the right password', async () => {
      for (let i = 0; i < 3; i++) assert.deepEqual(await check(`bad-${i}`), { ok: false, reason: 'wrong' });
      assert.deepEqual(await check('Grace-pass-1'), { ok: false, reason: 'locked' });
      await later(59 * 60_000, async () => assert.deepEqual(await check('Grace-pass-1'), { ok: false, reason: 'locked' }));
      await later(60 * 60_000, async () => {
        assert.deepEqual(await check('bad-again'), { ok: false, reason: 'wrong' }); // a fresh count after the lock
        assert.deepEqual(await check('Grace-pass-1'), { ok: true });
      });
    });

    it('says disabled only to someone who knows the password of an Inactive profile', async () => {
      await ram.setPasswordPolicy(new Ram.SetPasswordPolicyRequest({ maxLoginAttemps: 0 }));
      await ims.updateLoginProfile(new Ims.UpdateLoginProfileRequest({ userPrincipalName: upn(name), status: 'Inactive' }));
      assert.deepEqual(await check('bad'), { ok: false, reason: 'wrong' });
      assert.deepEqual(await check('Grace-pass-1'), { ok: false, reason: 'disabled' });
      await ims.updateLoginProfile(new Ims.UpdateLoginProfileRequest({ userPrincipalName: upn(name), status: 'Active' }));
    });

    it('never locks with MaxLoginAttemps 0', async () => {
      await ram.setPasswordPolicy(new Ram.SetPasswordPolicyRequest({ maxLoginAttemps: 0 }));
      for (let i = 0; i < 6; i++) await check(`bad-${i}`);
      assert.deepEqual(await check('Grace-pass-1'), { ok: true });
    });

    it('an administrator reset lifts a lock', async () => {
      await ram.setPasswordPolicy(new Ram.SetPasswordPolicyRequest({ maxLoginAttemps: 1 }));
      await check('bad');
      assert.deepEqual(await check('Grace-pass-1'), { ok: false, reason: 'locked' });
      await ram.updateLoginProfile(new Ram.UpdateLoginProfileRequest({ userName: name, password: 'Grace-pass-2' }));
      assert.deepEqual(await check('Grace-pass-2'), { ok: true });
    });
  });
});
