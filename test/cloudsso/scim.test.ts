import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { startServer, type TestServer } from '../support/server.js';
import { callApi, expectApiError } from '../support/sdk.js';
import { credentialOfBearerToken } from '../../src/cloudsso/scim-credentials.js';

const V = '2021-05-15';
const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
type Query = Record<string, string | number | boolean | undefined>;

describe('CloudSSO SCIM credentials and synchronization status', () => {
  let server: TestServer;
  let dir = '';
  const sso = (action: string, query: Query = {}) => callApi(server.url, server.root, action, V, query);

  before(async () => {
    server = await startServer();
    dir = (await sso('CreateDirectory', { DirectoryName: 'scim-test' })).Directory.DirectoryId;
  });
  after(async () => server.close());

  it('shows the secret once and stores only its hash', async () => {
    const created = (await sso('CreateSCIMServerCredential', { DirectoryId: dir })).SCIMServerCredential;
    assert.match(created.CredentialId, /^scimcred-[a-z0-9]+$/);
    assert.equal(created.CredentialType, 'BearerToken');
    assert.equal(created.Status, 'Enabled');
    assert.equal(created.DirectoryId, dir);
    assert.match(created.CreateTime, TIME);
    assert.match(created.ExpireTime, TIME);
    const days = (Date.parse(created.ExpireTime) - Date.parse(created.CreateTime)) / 86400000;
    assert.ok(days >= 364 && days <= 366, String(days));
    assert.ok(created.CredentialSecret.length >= 32);

    const listed = await sso('ListSCIMServerCredentials', { DirectoryId: dir });
    assert.equal(listed.TotalCounts, 1);
    const { CredentialSecret: _secret, ...withoutSecret } = created;
    assert.deepEqual(listed.SCIMServerCredentials, [withoutSecret]);

    const db = server.gatehouse.services.store.db;
    const row = await db.selectFrom('cloudsso_scim_credentials').selectAll().where('id', '=', created.CredentialId).executeTakeFirstOrThrow();
    assert.equal(row.secret_hash, createHash('sha256').update(created.CredentialSecret).digest('hex'));
    assert.equal((await credentialOfBearerToken(db, created.CredentialSecret, server.clock.now()))?.id, created.CredentialId);
    assert.equal(await credentialOfBearerToken(db, 'scim-wrong', server.clock.now()), undefined);

    await sso('UpdateSCIMServerCredentialStatus', { DirectoryId: dir, CredentialId: created.CredentialId, NewStatus: 'Disabled' });
    assert.equal((await sso('ListSCIMServerCredentials', { DirectoryId: dir })).SCIMServerCredentials[0].Status, 'Disabled');
    assert.equal(await credentialOfBearerToken(db, created.CredentialSecret, server.clock.now()), undefined);
    const bad = await expectApiError(sso('UpdateSCIMServerCredentialStatus', { DirectoryId: dir, CredentialId: created.CredentialId, NewStatus: 'Paused' }));
    assert.equal(bad.code, 'InvalidParameter.NewStatus');

    await sso('CreateSCIMServerCredential', { DirectoryId: dir });
    const third = await expectApiError(sso('CreateSCIMServerCredential', { DirectoryId: dir }));
    assert.equal(third.statusCode, 409);
    assert.equal(third.code, 'QuotaExceeded.SCIMServerCredential');
    assert.equal((await sso('ListSCIMServerCredentials', { DirectoryId: dir })).TotalCounts, 2);

    await sso('DeleteSCIMServerCredential', { DirectoryId: dir, CredentialId: created.CredentialId });
    const gone = await expectApiError(sso('DeleteSCIMServerCredential', { DirectoryId: dir, CredentialId: created.CredentialId }));
    assert.equal(gone.statusCode, 404);
    assert.equal(gone.code, 'EntityNotExists.SCIMServerCredential');
    assert.equal((await sso('ListSCIMServerCredentials', { DirectoryId: dir })).TotalCounts, 1);
  });

  it('switches SCIM synchronization', async () => {
    assert.equal((await sso('GetSCIMSynchronizationStatus', { DirectoryId: dir })).SCIMSynchronizationStatus, 'Disabled');
    await sso('SetSCIMSynchronizationStatus', { DirectoryId: dir, SCIMSynchronizationStatus: 'Enabled' });
    assert.equal((await sso('GetSCIMSynchronizationStatus', { DirectoryId: dir })).SCIMSynchronizationStatus, 'Enabled');
    assert.equal((await sso('GetDirectoryStatistics', { DirectoryId: dir })).DirectoryStatistics.SCIMSyncEnabled, true);
    const bad = await expectApiError(sso('SetSCIMSynchronizationStatus', { DirectoryId: dir, SCIMSynchronizationStatus: 'On' }));
    assert.equal(bad.code, 'InvalidParameter.SCIMSynchronizationStatus');
    assert.equal((await sso('GetSCIMSynchronizationStatus', { DirectoryId: dir })).SCIMSynchronizationStatus, 'Enabled');
  });
});
