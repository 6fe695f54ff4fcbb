import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer, restoreClockAfterEach } from '../support/server.js';
import { callApi, expectApiError, Ram, ramClient, type Credentials } from '../support/sdk.js';
import { createAccount } from '../../src/accounts/accounts.js';
import { issueAccessKey } from '../../src/ram/access-keys-store.js';
import { verifyPassword } from '../../src/crypto/passwords.js';

const V = '2021-05-15';
const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
type Query = Record<string, string | number | boolean | undefined>;

describe('CloudSSO users', () => {
  let server: TestServer;
  restoreClockAfterEach(() => server);
  let dir = '';
  const as = (creds: Credentials) => (action: string, query: Query = {}) => callApi(server.url, creds, action, V, query);
  let sso: ReturnType<typeof as>;
  const userCount = async () => (await sso('ListUsers', { DirectoryId: dir })).TotalCounts as number;
  // Each test makes the users it needs, named after the test, so any test runs alone and in any order.
  const newUser = async (name: string, query: Query = {}) => (await sso('CreateUser', { DirectoryId: dir, UserName: name, ...query })).User;

  before(async () => {
    server = await startServer();
    sso = as(server.root);
    dir = (await sso('CreateDirectory', { DirectoryName: 'users-test' })).Directory.DirectoryId;
  });
  after(async () => server.close());

  it('creates a user with every field and reads it back', async () => {
    const created = await sso('CreateUser', {
      DirectoryId: dir,
      UserName: 'alice@example.com',
      FirstName: 'Alice',
      LastName: 'Liddell',
      DisplayName: 'Alice L.',
      Description: 'First user',
      Email: 'alice@example.com',
    });
    const alice = created.User;
    assert.match(alice.UserId, /^u-[a-z0-9]+$/);
    assert.deepEqual({ ...alice, UserId: undefined, CreateTime: undefined, UpdateTime: undefined }, {
      UserId: undefined,
      UserName: 'alice@example.com',
      FirstName: 'Alice',
      LastName: 'Liddell',
      DisplayName: 'Alice L.',
      Email: 'alice@example.com',
      Description: 'First user',
      Status: 'Enabled',
      ProvisionType: 'Manual',
      CreateTime: undefined,
      UpdateTime: undefined,
    });
    assert.match(alice.CreateTime, TIME);
    assert.deepEqual((await sso('GetUser', { DirectoryId: dir, UserId: alice.UserId })).User, alice);
    const disabled = (await sso('CreateUser', { DirectoryId: dir, UserName: 'bob', Status: 'Disabled' })).User;
    assert.equal(disabled.Status, 'Disabled');
    assert.equal(disabled.Email, '');
  });

  it('refuses every documented limit with nothing created', async () => {
    await newUser('limits-taken', { Email: 'limits-taken@example.com' });
    const before = await userCount();
    const cases: Array<[Query, string]> = [
      [{ UserName: 'u'.repeat(65) }, 'InvalidParameter.UserName'],
      [{ UserName: 'bad name' }, 'InvalidParameter.UserName'],
      [{ UserName: 'ok1', FirstName: 'f'.repeat(65) }, 'InvalidParameter.FirstName'],
      [{ UserName: 'ok1', LastName: 'l'.repeat(65) }, 'InvalidParameter.LastName'],
      [{ UserName: 'ok1', DisplayName: 'd'.repeat(257) }, 'InvalidParameter.DisplayName'],
      [{ UserName: 'ok1', Description: 'd'.repeat(1025) }, 'InvalidParameter.Description'],
      [{ UserName: 'ok1', Email: `${'e'.repeat(120)}@example.com` }, 'InvalidParameter.Email'],
      [{ UserName: 'ok1', Email: 'not-an-email' }, 'InvalidParameter.Email'],
      [{ UserName: 'ok1', Status: 'Paused' }, 'InvalidParameter.Status'],
    ];
    for (const [query, code] of cases) {
      const error = await expectApiError(sso('CreateUser', { DirectoryId: dir, ...query }));
      assert.equal(error.statusCode, 400, code);
      assert.equal(error.code, code);
    }
    const missing = await expectApiError(sso('CreateUser', { DirectoryId: dir }));
    assert.equal(missing.code, 'MissingParameter.UserName');
    const dup = await expectApiError(sso('CreateUser', { DirectoryId: dir, UserName: 'LIMITS-TAKEN' }));
    assert.equal(dup.statusCode, 409);
    assert.equal(dup.code, 'EntityAlreadyExists.User');
    const dupEmail = await expectApiError(sso('CreateUser', { DirectoryId: dir, UserName: 'limits-other', Email: 'Limits-Taken@Example.com' }));
    assert.equal(dupEmail.statusCode, 409);
    assert.equal(dupEmail.code, 'EntityAlreadyExists.Email');
    // The longest allowed values pass.
    const max = await sso('CreateUser', {
      DirectoryId: dir,
      UserName: 'm'.repeat(64),
      FirstName: 'f'.repeat(64),
      LastName: 'l'.repeat(64),
      DisplayName: 'd'.repeat(256),
      Description: 'x'.repeat(1024),
    });
    assert.equal(await userCount(), before + 1);
    await sso('DeleteUser', { DirectoryId: dir, UserId: max.User.UserId });
    const unknownDir = await expectApiError(sso('CreateUser', { DirectoryId: 'd-unknown', UserName: 'x' }));
    assert.equal(unknownDir.code, 'EntityNotExists.Directory');
    assert.equal(unknownDir.statusCode, 404);
  });

  it('updates a user and its status; refuses bad values with nothing changed', async () => {
    const alice = await newUser('update-me', { FirstName: 'Alice' });
    server.clock.advance(1000);
    const updated = (await sso('UpdateUser', { DirectoryId: dir, UserId: alice.UserId, NewDisplayName: 'Alice Liddell', NewEmail: 'al@example.com' })).User;
    assert.equal(updated.DisplayName, 'Alice Liddell');
    assert.equal(updated.Email, 'al@example.com');
    assert.equal(updated.FirstName, 'Alice');
    assert.notEqual(updated.UpdateTime, alice.UpdateTime);
    for (const [query, code] of [
      [{ NewDisplayName: 'd'.repeat(257) }, 'InvalidParameter.NewDisplayName'],
      [{ NewDescription: 'd'.repeat(1025) }, 'InvalidParameter.NewDescription'],
      [{ NewFirstName: 'd'.repeat(65) }, 'InvalidParameter.NewFirstName'],
      [{ NewEmail: 'x' }, 'InvalidParameter.NewEmail'],
    ] as Array<[Query, string]>) {
      const error = await expectApiError(sso('UpdateUser', { DirectoryId: dir, UserId: alice.UserId, ...query }));
      assert.equal(error.code, code);
    }
    const unknown = await expectApiError(sso('UpdateUser', { DirectoryId: dir, UserId: 'u-nobody', NewDisplayName: 'x' }));
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.code, 'EntityNotExists.User');
    assert.deepEqual((await sso('GetUser', { DirectoryId: dir, UserId: alice.UserId })).User, updated);

    await sso('UpdateUserStatus', { DirectoryId: dir, UserId: alice.UserId, NewStatus: 'Disabled' });
    assert.equal((await sso('GetUser', { DirectoryId: dir, UserId: alice.UserId })).User.Status, 'Disabled');
    const bad = await expectApiError(sso('UpdateUserStatus', { DirectoryId: dir, UserId: alice.UserId, NewStatus: 'Locked' }));
    assert.equal(bad.code, 'InvalidParameter.NewStatus');
    await sso('UpdateUserStatus', { DirectoryId: dir, UserId: alice.UserId, NewStatus: 'Enabled' });
  });

  it('lists with Filter eq/sw (case-insensitive), Status, and pages over more than MaxResults', async () => {
    for (let i = 0; i < 23; i++) await sso('CreateUser', { DirectoryId: dir, UserName: `Pager_${String(i).padStart(2, '0')}` });
    await sso('UpdateUserStatus', { DirectoryId: dir, UserId: (await sso('ListUsers', { DirectoryId: dir, Filter: 'UserName eq Pager_07' })).Users[0].UserId, NewStatus: 'Disabled' });
    const total = 23;
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await sso('ListUsers', { DirectoryId: dir, Filter: 'UserName sw pager_', MaxResults: 7, NextToken: token });
      assert.equal(page.MaxResults, 7);
      assert.equal(page.TotalCounts, total);
      assert.ok(page.Users.length <= 7);
      assert.equal(page.IsTruncated, page.NextToken !== undefined);
      seen.push(...page.Users.map((u: any) => u.UserName));
      token = page.NextToken;
      pages++;
    } while (token);
    assert.equal(seen.length, total);
    assert.equal(new Set(seen).size, total);
    assert.equal(pages, Math.ceil(total / 7));
    assert.deepEqual(seen, [...seen].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));

    const sw = await sso('ListUsers', { DirectoryId: dir, Filter: 'UserName sw pager_1', MaxResults: 100 });
    assert.deepEqual(sw.Users.map((u: any) => u.UserName), Array.from({ length: 10 }, (_, i) => `Pager_1${i}`));
    assert.equal(sw.TotalCounts, 10);
    // `_` is literal, not a wildcard.
    assert.equal((await sso('ListUsers', { DirectoryId: dir, Filter: 'username sw pager__' })).TotalCounts, 0);
    const eq = await sso('ListUsers', { DirectoryId: dir, Filter: 'UserName eq PAGER_05' });
    assert.deepEqual(eq.Users.map((u: any) => u.UserName), ['Pager_05']);
    assert.equal((await sso('ListUsers', { DirectoryId: dir, Filter: 'UserName sw pager_', Status: 'Disabled' })).Users.map((u: any) => u.UserName).join(), 'Pager_07');
    assert.equal((await sso('ListUsers', { DirectoryId: dir, Filter: 'UserName sw pager_', ProvisionType: 'Synchronized' })).TotalCounts, 0);

    for (const [query, code] of [
      [{ Filter: 'Email eq x' }, 'InvalidParameter.Filter'],
      [{ Filter: 'UserName contains x' }, 'InvalidParameter.Filter'],
      [{ MaxResults: 101 }, 'InvalidParameter.MaxResults'],
      [{ MaxResults: 0 }, 'InvalidParameter.MaxResults'],
      [{ NextToken: 'forged' }, 'InvalidParameter.NextToken'],
      [{ Status: 'Gone' }, 'InvalidParameter.Status'],
    ] as Array<[Query, string]>) {
      const error = await expectApiError(sso('ListUsers', { DirectoryId: dir, ...query }));
      assert.equal(error.statusCode, 400);
      assert.equal(error.code, code);
    }
    const defaults = await sso('ListUsers', { DirectoryId: dir });
    assert.equal(defaults.MaxResults, 10);
    assert.equal(defaults.Users.length, 10);
  });

  it('resets passwords: given, generated, refused by the rules', async () => {
    const bob = await newUser('resetbob');
    const given = await sso('ResetUserPassword', { DirectoryId: dir, UserId: bob.UserId, Password: 'Gatehouse-2026!', RequirePasswordResetForNextLogin: true });
    assert.equal(given.NewPassword, undefined);
    const db = server.gatehouse.services.store.db;
    const row = await db.selectFrom('cloudsso_users').selectAll().where('id', '=', bob.UserId).executeTakeFirstOrThrow();
    assert.match(row.password_hash ?? '', /^\$argon2id\$/);
    assert.equal(await verifyPassword(row.password_hash as string, 'Gatehouse-2026!'), true);
    assert.equal(row.password_reset_required, 1);

    const generated = await sso('ResetUserPassword', { DirectoryId: dir, UserId: bob.UserId, GenerateRandomPassword: true });
    assert.equal(typeof generated.NewPassword, 'string');
    assert.ok(generated.NewPassword.length >= 8 && generated.NewPassword.length <= 32);
    for (const re of [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/]) assert.match(generated.NewPassword, re);
    const after = await db.selectFrom('cloudsso_users').selectAll().where('id', '=', bob.UserId).executeTakeFirstOrThrow();
    assert.equal(await verifyPassword(after.password_hash as string, generated.NewPassword), true);
    assert.equal(after.password_reset_required, 0);

    for (const [query, code] of [
      [{}, 'MissingParameter.Password'],
      [{ Password: 'Short1!' }, 'InvalidParameter.Password'],
      [{ Password: 'Aa1!'.repeat(8) + 'x' }, 'InvalidParameter.Password'],
      [{ Password: 'alllowercase1!' }, 'InvalidParameter.Password.PolicyViolation'],
      [{ Password: 'NoDigitsHere!' }, 'InvalidParameter.Password.PolicyViolation'],
      [{ Password: 'NoSymbols123' }, 'InvalidParameter.Password.PolicyViolation'],
      [{ Password: 'Xresetbob-2026!' }, 'InvalidParameter.Password.PolicyViolation'],
      [{ Password: generated.NewPassword }, 'InvalidParameter.Password.Reused'],
      [{ Password: 'Gatehouse-2026!', GenerateRandomPassword: true }, 'InvalidParameter.Password'],
    ] as Array<[Query, string]>) {
      const error = await expectApiError(sso('ResetUserPassword', { DirectoryId: dir, UserId: bob.UserId, ...query }));
      assert.equal(error.statusCode, 400, code);
      assert.equal(error.code, code);
    }
    const still = await db.selectFrom('cloudsso_users').select('password_hash').where('id', '=', bob.UserId).executeTakeFirstOrThrow();
    assert.equal(still.password_hash, after.password_hash);
  });

  it('lists and deletes MFA devices and per-user MFA settings', async () => {
    const alice = await newUser('mfa-devices');
    const db = server.gatehouse.services.store.db;
    const { addMfaDevice } = await import('../../src/cloudsso/mfa.js');
    const user = await db.selectFrom('cloudsso_users').selectAll().where('id', '=', alice.UserId).executeTakeFirstOrThrow();
    const device = await addMfaDevice(db, user, { name: 'phone', secretSealed: server.gatehouse.services.secrets.seal('JBSWY3DPEHPK3PXP'), lastUsedStep: 0 }, new Date().toISOString());
    const list = await sso('ListMFADevicesForUser', { DirectoryId: dir, UserId: alice.UserId });
    assert.equal(list.TotalCounts, 1);
    assert.deepEqual({ ...list.MFADevices[0], EffectiveTime: undefined }, { DeviceId: device.id, DeviceName: 'phone', DeviceType: 'TOTP', EffectiveTime: undefined, UserId: alice.UserId });
    assert.match(list.MFADevices[0].EffectiveTime, TIME);
    const unknown = await expectApiError(sso('DeleteMFADeviceForUser', { DirectoryId: dir, UserId: alice.UserId, MFADeviceId: 'mfa-nothere' }));
    assert.equal(unknown.statusCode, 404);
    await sso('DeleteMFADeviceForUser', { DirectoryId: dir, UserId: alice.UserId, MFADeviceId: device.id });
    assert.deepEqual((await sso('ListMFADevicesForUser', { DirectoryId: dir, UserId: alice.UserId })).MFADevices, []);

    assert.equal((await sso('GetUserMFAAuthenticationSettings', { DirectoryId: dir, UserId: alice.UserId })).UserMFAAuthenticationSettings, 'Enabled');
    await sso('UpdateUserMFAAuthenticationSettings', { DirectoryId: dir, UserId: alice.UserId, UserMFAAuthenticationSettings: 'Disabled' });
    assert.equal((await sso('GetUserMFAAuthenticationSettings', { DirectoryId: dir, UserId: alice.UserId })).UserMFAAuthenticationSettings, 'Disabled');
    const bad = await expectApiError(sso('UpdateUserMFAAuthenticationSettings', { DirectoryId: dir, UserId: alice.UserId, UserMFAAuthenticationSettings: 'Byuser' }));
    assert.equal(bad.code, 'InvalidParameter.UserMFAAuthenticationSettings');
  });

  it('finds a user by its SCIM external ID', async () => {
    const alice = await newUser('external-id');
    const db = server.gatehouse.services.store.db;
    await db.updateTable('cloudsso_users').set({ external_id: 'ext-42', external_issuer: 'SCIM' }).where('id', '=', alice.UserId).execute();
    assert.equal((await sso('GetUserId', { DirectoryId: dir, ExternalId: JSON.stringify({ Id: 'ext-42', Issuer: 'SCIM' }) })).UserId, alice.UserId);
    assert.deepEqual((await sso('GetUser', { DirectoryId: dir, UserId: alice.UserId })).User.ExternalId, { Id: 'ext-42', Issuer: 'SCIM' });
    const none = await expectApiError(sso('GetUserId', { DirectoryId: dir, ExternalId: JSON.stringify({ Id: 'ext-43' }) }));
    assert.equal(none.code, 'EntityNotExists.User');
    const bad = await expectApiError(sso('GetUserId', { DirectoryId: dir, ExternalId: 'not json' }));
    assert.equal(bad.code, 'InvalidParameter.ExternalId');
  });

  it('lets a RAM user with AliyunCloudSSOReadOnlyAccess read but not write; denies one without policy', async () => {
    const alice = await newUser('read-by-reader');
    const ram = ramClient(server.url, server.root);
    await ram.createUser(new Ram.CreateUserRequest({ userName: 'sso-reader' }));
    await ram.attachPolicyToUser(new Ram.AttachPolicyToUserRequest({ policyType: 'System', policyName: 'AliyunCloudSSOReadOnlyAccess', userName: 'sso-reader' }));
    const rk = (await ram.createAccessKey(new Ram.CreateAccessKeyRequest({ userName: 'sso-reader' }))).body.accessKey;
    const reader = as({ accessKeyId: rk.accessKeyId, accessKeySecret: rk.accessKeySecret });
    assert.equal((await reader('GetUser', { DirectoryId: dir, UserId: alice.UserId })).User.UserId, alice.UserId);
    assert.deepEqual((await reader('ListUsers', { DirectoryId: dir, Filter: 'UserName eq read-by-reader' })).Users.map((u: any) => u.UserId), [alice.UserId]);
    assert.equal((await reader('ListDirectories')).Directories.length, 1);
    const before = await userCount();
    const write = await expectApiError(reader('CreateUser', { DirectoryId: dir, UserName: 'sneaky' }));
    assert.equal(write.statusCode, 403);
    assert.equal(write.code, 'NoPermission');
    const del = await expectApiError(reader('DeleteUser', { DirectoryId: dir, UserId: alice.UserId }));
    assert.equal(del.statusCode, 403);
    assert.equal(await userCount(), before);

    await ram.createUser(new Ram.CreateUserRequest({ userName: 'nobody' }));
    const nk = (await ram.createAccessKey(new Ram.CreateAccessKeyRequest({ userName: 'nobody' }))).body.accessKey;
    const nobody = as({ accessKeyId: nk.accessKeyId, accessKeySecret: nk.accessKeySecret });
    const read = await expectApiError(nobody('GetUser', { DirectoryId: dir, UserId: alice.UserId }));
    assert.equal(read.statusCode, 403);
    assert.equal(read.code, 'NoPermission');

    await ram.createUser(new Ram.CreateUserRequest({ userName: 'sso-admin' }));
    await ram.attachPolicyToUser(new Ram.AttachPolicyToUserRequest({ policyType: 'System', policyName: 'AliyunCloudSSOFullAccess', userName: 'sso-admin' }));
    const ak = (await ram.createAccessKey(new Ram.CreateAccessKeyRequest({ userName: 'sso-admin' }))).body.accessKey;
    const admin = as({ accessKeyId: ak.accessKeyId, accessKeySecret: ak.accessKeySecret });
    const made = (await admin('CreateUser', { DirectoryId: dir, UserName: 'by-admin' })).User;
    await admin('DeleteUser', { DirectoryId: dir, UserId: made.UserId });
  });

  it('refuses another account, even its root', async () => {
    const db = server.gatehouse.services.store.db;
    const now = new Date().toISOString();
    const member = await createAccount(db, { displayName: 'member', alias: 'member-x', type: 'member', rootPasswordHash: null, now });
    const key = await issueAccessKey(db, server.gatehouse.services.secrets, { accountId: member.id, userId: null, now });
    const memberRoot = as({ accessKeyId: key.row.id, accessKeySecret: key.secret });
    for (const [action, query] of [
      ['ListDirectories', {}],
      ['CreateDirectory', { DirectoryName: 'member-dir' }],
      ['EnableService', {}],
      ['GetDirectory', { DirectoryId: dir }],
      ['ListUsers', { DirectoryId: dir }],
    ] as Array<[string, Query]>) {
      const error = await expectApiError(memberRoot(action, query));
      assert.equal(error.statusCode, 403, action);
    }
    assert.equal((await memberRoot('GetServiceStatus')).ServiceStatus.PrerequisiteCheckResult, 'Failed');
  });

  it('deletes a user with its memberships', async () => {
    const alice = await newUser('deleted-member');
    const group = (await sso('CreateGroup', { DirectoryId: dir, GroupName: 'g1' })).Group;
    await sso('AddUserToGroup', { DirectoryId: dir, GroupId: group.GroupId, UserId: alice.UserId });
    await sso('DeleteUser', { DirectoryId: dir, UserId: alice.UserId });
    const gone = await expectApiError(sso('GetUser', { DirectoryId: dir, UserId: alice.UserId }));
    assert.equal(gone.code, 'EntityNotExists.User');
    assert.equal((await sso('ListGroupMembers', { DirectoryId: dir, GroupId: group.GroupId })).TotalCounts, 0);
  });
});
