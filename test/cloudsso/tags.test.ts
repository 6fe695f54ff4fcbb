// Tags on CloudSSO users and access configurations (2021-05-15): `Tags` on CreateUser and CreateAccessConfiguration,
// shown on Get and List, and the `Tags` filter of ListUsers and ListAccessConfigurations. Sent flat, as the RPC
// style flattens them (`Tags.1.Key`).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/server.js';
import { expectApiError } from '../support/sdk.js';
import { createDirectory, sso } from './access-support.js';

const tags = (...pairs: Array<[string, string?]>): Record<string, string> =>
  Object.fromEntries(pairs.flatMap(([key, value], i) => [[`Tags.${i + 1}.Key`, key], ...(value === undefined ? [] : [[`Tags.${i + 1}.Value`, value]])]));
const shown = (item: { Tags?: Array<{ Key: string; Value: string }> }): string[] => (item.Tags ?? []).map((t) => `${t.Key}=${t.Value}`);

describe('CloudSSO tags', () => {
  let server: TestServer;
  let dir: string;
  before(async () => {
    server = await startServer();
    dir = await createDirectory(server);
  });
  after(async () => server.close());

  it('keeps users’ tags, shows them on Create, Get and List, and filters ListUsers by them', async () => {
    const alice = (await sso(server, 'CreateUser', { DirectoryId: dir, UserName: 'alice', ...tags(['dept', 'finance'], ['site', 'hz']) })).User;
    assert.deepEqual(shown(alice), ['dept=finance', 'site=hz']);
    const bob = (await sso(server, 'CreateUser', { DirectoryId: dir, UserName: 'bob', ...tags(['dept', 'sales']) })).User;
    await sso(server, 'CreateUser', { DirectoryId: dir, UserName: 'carol' });
    assert.deepEqual(shown((await sso(server, 'GetUser', { DirectoryId: dir, UserId: bob.UserId })).User), ['dept=sales']);

    const list = async (filter: Record<string, string>) => (await sso(server, 'ListUsers', { DirectoryId: dir, ...filter })).Users;
    assert.deepEqual((await list(tags(['dept']))).map((u: any) => u.UserName), ['alice', 'bob']);
    const finance = await list(tags(['dept', 'finance']));
    assert.deepEqual(finance.map((u: any) => u.UserName), ['alice']);
    assert.deepEqual(shown(finance[0]), ['dept=finance', 'site=hz']);
    assert.equal((await sso(server, 'ListUsers', { DirectoryId: dir, ...tags(['dept']) })).TotalCounts, 2, 'the total counts the filtered users');
    const all = await list({});
    assert.equal(all.length, 3);
    assert.equal(all.find((u: any) => u.UserName === 'carol').Tags, undefined);
  });

  it('keeps access configurations’ tags and filters ListAccessConfigurations by them', async () => {
    const ac = (await sso(server, 'CreateAccessConfiguration', { DirectoryId: dir, AccessConfigurationName: 'Admins', ...tags(['tier', 'gold']) })).AccessConfiguration;
    assert.deepEqual(shown(ac), ['tier=gold']);
    await sso(server, 'CreateAccessConfiguration', { DirectoryId: dir, AccessConfigurationName: 'Readers' });
    const got = (await sso(server, 'GetAccessConfiguration', { DirectoryId: dir, AccessConfigurationId: ac.AccessConfigurationId })).AccessConfiguration;
    assert.deepEqual(shown(got), ['tier=gold']);
    const listed = (await sso(server, 'ListAccessConfigurations', { DirectoryId: dir, ...tags(['tier', 'gold']) })).AccessConfigurations;
    assert.deepEqual(listed.map((a: any) => a.AccessConfigurationName), ['Admins']);

    // Deleting drops the tags: a new configuration of the same name starts bare.
    await sso(server, 'DeleteAccessConfiguration', { DirectoryId: dir, AccessConfigurationId: ac.AccessConfigurationId });
    const again = (await sso(server, 'CreateAccessConfiguration', { DirectoryId: dir, AccessConfigurationName: 'Admins' })).AccessConfiguration;
    assert.equal(again.Tags, undefined);
    assert.deepEqual((await sso(server, 'ListAccessConfigurations', { DirectoryId: dir, ...tags(['tier']) })).AccessConfigurations, []);
  });

  it('refuses a reserved tag key or too many tags, and creates nothing', async () => {
    const reserved = await expectApiError(sso(server, 'CreateUser', { DirectoryId: dir, UserName: 'dave', ...tags(['aliyun:owner', 'x']) }));
    assert.equal(reserved.code, 'InvalidParameter.Tags.Key');
    const many = await expectApiError(
      sso(server, 'CreateUser', { DirectoryId: dir, UserName: 'dave', ...tags(...Array.from({ length: 21 }, (_, i): [string, string] => [`k${i}`, 'v'])) }),
    );
    assert.equal(many.code, 'InvalidParameter.Tags');
    const users = (await sso(server, 'ListUsers', { DirectoryId: dir, Filter: 'UserName eq dave' })).Users;
    assert.deepEqual(users, []);
  });
});
