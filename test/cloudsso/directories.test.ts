import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer, restoreClockAfterEach } from '../support/server.js';
import { callApi, expectApiError } from '../support/sdk.js';
import { createDirectory } from '../../src/cloudsso/directories.js';

const V = '2021-05-15';
const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

// A sequential journey: an account holds one directory, and the tests walk the service and that directory from
// disabled through created, renamed and counted to deleted; they run in this order only.
describe('CloudSSO service and directory', () => {
  let server: TestServer;
  restoreClockAfterEach(() => server);
  const sso = (action: string, query: Record<string, string | number | boolean | undefined> = {}) => callApi(server.url, server.root, action, V, query);

  before(async () => {
    server = await startServer();
  });
  after(async () => server.close());

  it('reports the service disabled, then enabled', async () => {
    const before = await sso('GetServiceStatus');
    assert.deepEqual(before.ServiceStatus, { AccountId: server.accountId, Status: 'Disabled', PrerequisiteCheckResult: 'Success', RegionsInUse: [] });
    assert.match(before.RequestId, /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
    await sso('EnableService');
    const after = await sso('GetServiceStatus');
    assert.equal(after.ServiceStatus.Status, 'Enabled');
    assert.equal(after.ServiceStatus.PrerequisiteCheckResult, undefined);
  });

  it('refuses bad directory names with nothing created', async () => {
    for (const name of ['a', 'a'.repeat(65), 'Upper', 'd-abc', '-abc', 'abc-', 'ab--c', 'a_b', 'a b']) {
      const error = await expectApiError(sso('CreateDirectory', { DirectoryName: name }));
      assert.equal(error.statusCode, 400, name);
      assert.equal(error.code, 'InvalidParameter.DirectoryName', name);
    }
    assert.deepEqual((await sso('ListDirectories')).Directories, []);
  });

  let directoryId = '';
  it('creates one directory per management account and reads it back', async () => {
    const created = await sso('CreateDirectory', { DirectoryName: 'acme-sso-1' });
    const d = created.Directory;
    assert.match(d.DirectoryId, /^d-[a-z0-9]+$/);
    assert.equal(d.DirectoryName, 'acme-sso-1');
    assert.equal(d.Region, server.config.region);
    assert.match(d.CreateTime, TIME);
    assert.match(d.UpdateTime, TIME);
    directoryId = d.DirectoryId;
    assert.deepEqual((await sso('GetDirectory', { DirectoryId: directoryId })).Directory, d);
    const list = await sso('ListDirectories');
    assert.deepEqual(list.Directories, [d]);
    assert.equal(list.TotalCounts, 1);
    const second = await expectApiError(sso('CreateDirectory', { DirectoryName: 'acme-sso-2' }));
    assert.equal(second.statusCode, 409);
    assert.equal(second.code, 'QuotaExceeded.Directory');
    assert.deepEqual((await sso('GetServiceStatus')).ServiceStatus.RegionsInUse, [server.config.region]);
  });

  it('renames the directory; refuses bad names and unknown directories', async () => {
    server.clock.advance(2000);
    const renamed = (await sso('UpdateDirectory', { DirectoryId: directoryId, NewDirectoryName: 'acme-renamed' })).Directory;
    assert.equal(renamed.DirectoryName, 'acme-renamed');
    assert.notEqual(renamed.UpdateTime, renamed.CreateTime);
    const bad = await expectApiError(sso('UpdateDirectory', { DirectoryId: directoryId, NewDirectoryName: 'd-nope' }));
    assert.equal(bad.code, 'InvalidParameter.NewDirectoryName');
    const missing = await expectApiError(sso('UpdateDirectory', { DirectoryId: directoryId }));
    assert.equal(missing.code, 'MissingParameter.NewDirectoryName');
    const unknown = await expectApiError(sso('GetDirectory', { DirectoryId: 'd-doesnotexist' }));
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.code, 'EntityNotExists.Directory');
    assert.equal((await sso('GetDirectory', { DirectoryId: directoryId })).Directory.DirectoryName, 'acme-renamed');
  });

  it('counts users, groups and credentials in the statistics', async () => {
    await sso('CreateUser', { DirectoryId: directoryId, UserName: 'alice' });
    await sso('CreateGroup', { DirectoryId: directoryId, GroupName: 'admins' });
    const s = (await sso('GetDirectoryStatistics', { DirectoryId: directoryId })).DirectoryStatistics;
    assert.equal(s.DirectoryId, directoryId);
    assert.equal(s.DirectoryName, 'acme-renamed');
    assert.equal(s.UserCount, 1);
    assert.equal(s.GroupCount, 1);
    assert.equal(s.AccessConfigurationCount, 0);
    assert.equal(s.AccessAssignmentCount, 0);
    assert.equal(s.InProgressTaskCount, 0);
    assert.equal(s.SCIMServerCredentialCount, 0);
    assert.equal(s.SCIMSyncEnabled, false);
    assert.equal(s.SystemPolicyPerAccessConfigurationQuota, 20);
    assert.equal(s.InlinePolicyPerAccessConfigurationQuota, 1);
    assert.ok(s.UserQuota >= 10000);
  });

  it('refuses to delete a directory that still has users or groups, and the service while a directory exists', async () => {
    const withUsers = await expectApiError(sso('DeleteDirectory', { DirectoryId: directoryId }));
    assert.equal(withUsers.statusCode, 409);
    assert.equal(withUsers.code, 'DeletionConflict.Directory.User');
    const users = (await sso('ListUsers', { DirectoryId: directoryId })).Users;
    for (const u of users) await sso('DeleteUser', { DirectoryId: directoryId, UserId: u.UserId });
    const withGroups = await expectApiError(sso('DeleteDirectory', { DirectoryId: directoryId }));
    assert.equal(withGroups.code, 'DeletionConflict.Directory.Group');
    const service = await expectApiError(sso('DisableService'));
    assert.equal(service.statusCode, 409);
    assert.equal((await sso('GetServiceStatus')).ServiceStatus.Status, 'Enabled');
    for (const g of (await sso('ListGroups', { DirectoryId: directoryId })).Groups) await sso('DeleteGroup', { DirectoryId: directoryId, GroupId: g.GroupId });
    const ac = (await sso('CreateAccessConfiguration', { DirectoryId: directoryId, AccessConfigurationName: 'Holder' })).AccessConfiguration;
    const withConfigurations = await expectApiError(sso('DeleteDirectory', { DirectoryId: directoryId }));
    assert.equal(withConfigurations.code, 'DeletionConflict.Directory.AccessConfiguration');
    await sso('DeleteAccessConfiguration', { DirectoryId: directoryId, AccessConfigurationId: ac.AccessConfigurationId });
    await sso('DeleteDirectory', { DirectoryId: directoryId });
    assert.deepEqual((await sso('ListDirectories')).Directories, []);
    await sso('DisableService');
    assert.equal((await sso('GetServiceStatus')).ServiceStatus.Status, 'Disabled');
  });

  it('gives a default name when none is given; names are globally unique', async () => {
    const d = (await sso('CreateDirectory')).Directory;
    assert.match(d.DirectoryName, /^[a-z0-9-]{2,64}$/);
    // Another management account (another organization on this Gatehouse) holds a name already.
    const db = server.gatehouse.services.store.db;
    const now = new Date().toISOString();
    await db.insertInto('accounts').values({ id: '1999000011112222', display_name: 'other', alias: 'other-org', type: 'management', root_password_hash: null, created_at: now }).execute();
    await createDirectory(db, '1999000011112222', 'cn-shanghai', 'taken-name', now);
    const taken = await expectApiError(sso('UpdateDirectory', { DirectoryId: d.DirectoryId, NewDirectoryName: 'taken-name' }));
    assert.equal(taken.statusCode, 409);
    assert.equal(taken.code, 'EntityAlreadyExists.DirectoryName');
    assert.equal((await sso('GetDirectory', { DirectoryId: d.DirectoryId })).Directory.DirectoryName, d.DirectoryName);
    // The other organization's directory is not visible here.
    const other = await db.selectFrom('cloudsso_directories').select('id').where('name', '=', 'taken-name').executeTakeFirstOrThrow();
    const hidden = await expectApiError(sso('GetDirectory', { DirectoryId: other.id }));
    assert.equal(hidden.code, 'EntityNotExists.Directory');
  });
});
