import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startServer, type TestServer, restoreClockAfterEach } from '../support/server.js';
import { Ims, Ram, expectApiError, imsClient, ramClient } from '../support/sdk.js';
import {
  MAX_PASSKEYS_PER_USER,
  addPasskey,
  deletePasskey,
  findPasskeyByCredentialId,
  listPasskeys,
  recordPasskeyUse,
  renamePasskey,
} from '../../src/ram/passkeys.js';

describe('passkeys', () => {
  let server: TestServer;
  restoreClockAfterEach(() => server);
  let ims: any;
  let domain: string;
  const db = () => server.gatehouse.services.store.db;
  const userId = async (name: string): Promise<string> =>
    (await db().selectFrom('ram_users').select('id').where('account_id', '=', server.accountId).where('name', '=', name).executeTakeFirstOrThrow()).id;
  const credential = () => randomBytes(32).toString('base64url');
  const add = async (user: string, name: string) =>
    addPasskey(db(), {
      userId: await userId(user),
      accountId: server.accountId,
      credentialId: credential(),
      publicKey: randomBytes(77).toString('base64url'),
      counter: 0,
      transports: ['internal', 'hybrid'],
      name,
      now: server.clock.now(),
    });

  // The tests that count or list passkeys make their own users, so any test runs alone and in any order.
  const newUser = (userName: string) => ramClient(server.url, server.root).createUser(new Ram.CreateUserRequest({ userName }));

  before(async () => {
    server = await startServer();
    ims = imsClient(server.url, server.root);
    await newUser('alice');
    domain = (await db().selectFrom('account_domains').select('domain_name').where('account_id', '=', server.accountId).where('kind', '=', 'default').executeTakeFirstOrThrow()).domain_name;
  });
  after(async () => server.close());

  it('stores a registered passkey and finds it by credential ID', async () => {
    const stored = await add('alice', 'MacBook');
    assert.match(stored.id, /^PASSKEY-[A-Za-z0-9]{20}$/);
    const found = await findPasskeyByCredentialId(db(), stored.credentialId);
    assert.deepEqual(found, stored);
    assert.deepEqual(found?.transports, ['internal', 'hybrid']);
    assert.equal(found?.lastUsedAt, null);
    assert.equal(await findPasskeyByCredentialId(db(), credential()), undefined);
  });

  it('refuses a credential registered twice', async () => {
    const stored = await add('alice', 'Phone');
    await assert.rejects(
      addPasskey(db(), { ...stored, credentialId: stored.credentialId, now: server.clock.now() }),
      (e: any) => e.code === 'EntityAlreadyExists.Passkey' && e.status === 409,
    );
  });

  it('records uses, accepting only an advancing counter', async () => {
    const stored = await add('alice', 'Key');
    server.clock.advance(1000);
    const usedAt = server.clock.now();
    assert.equal(await recordPasskeyUse(db(), stored.id, 5, usedAt), true);
    server.clock.advance(1000);
    assert.equal(await recordPasskeyUse(db(), stored.id, 5, server.clock.now()), false, 'a repeated counter is refused');
    assert.equal(await recordPasskeyUse(db(), stored.id, 4, server.clock.now()), false);
    const after = await findPasskeyByCredentialId(db(), stored.credentialId);
    assert.equal(after?.counter, 5);
    assert.equal(after?.lastUsedAt, usedAt.toISOString(), 'refused uses leave the record as it was');
    const counterless = await add('alice', 'Counterless');
    assert.equal(await recordPasskeyUse(db(), counterless.id, 0, server.clock.now()), true);
    assert.equal(await recordPasskeyUse(db(), counterless.id, 0, server.clock.now()), true, 'authenticators without a counter always send 0');
  });

  it('lists a user’s passkeys through IMS ListPasskeys', async () => {
    await newUser('list-bob');
    await newUser('list-carol');
    const first = await add('list-bob', 'YubiKey');
    server.clock.advance(1000);
    const second = await add('list-bob', 'iPhone');
    await recordPasskeyUse(db(), second.id, 1, server.clock.now());
    const body = (await ims.listPasskeys(new Ims.ListPasskeysRequest({ userPrincipalName: `list-bob@${domain}` }))).body;
    assert.deepEqual(
      body.passkeys.map((k: any) => [k.passkeyId, k.passkeyName]),
      [[first.id, 'YubiKey'], [second.id, 'iPhone']],
    );
    assert.equal(body.passkeys[0].createDate, String(Math.floor(Date.parse(first.createdAt) / 1000)));
    assert.equal(body.passkeys[0].lastUseDate, '');
    assert.match(body.passkeys[1].lastUseDate, /^\d{10}$/);
    const empty = (await ims.listPasskeys(new Ims.ListPasskeysRequest({ userPrincipalName: `list-carol@${domain}` }))).body;
    assert.deepEqual(empty.passkeys, []);
  });

  it('renames and deletes through IMS, only the named user’s passkeys', async () => {
    await newUser('rename-carol');
    await newUser('rename-bob');
    await add('rename-bob', 'YubiKey');
    const mine = await add('rename-carol', 'Old name');
    const bobs = (await listPasskeys(db(), await userId('rename-bob')))[0]!;
    await ims.updatePasskey(new Ims.UpdatePasskeyRequest({ userPrincipalName: `rename-carol@${domain}`, passkeyId: mine.id, passkeyName: 'Work laptop' }));
    assert.equal((await listPasskeys(db(), await userId('rename-carol')))[0]?.name, 'Work laptop');

    const foreign = await expectApiError(
      ims.updatePasskey(new Ims.UpdatePasskeyRequest({ userPrincipalName: `rename-carol@${domain}`, passkeyId: bobs.id, passkeyName: 'stolen' })),
    );
    assert.deepEqual([foreign.code, foreign.statusCode], ['EntityNotExist.Passkey', 404]);
    const foreignDelete = await expectApiError(ims.deletePasskey(new Ims.DeletePasskeyRequest({ userPrincipalName: `rename-carol@${domain}`, passkeyId: bobs.id })));
    assert.deepEqual([foreignDelete.code, foreignDelete.statusCode], ['EntityNotExist.Passkey', 404]);
    assert.equal((await listPasskeys(db(), await userId('rename-bob')))[0]?.name, bobs.name);

    const missingName = await expectApiError(ims.updatePasskey(new Ims.UpdatePasskeyRequest({ userPrincipalName: `rename-carol@${domain}`, passkeyId: mine.id })));
    assert.deepEqual([missingName.code, missingName.statusCode], ['MissingParameter.PasskeyName', 400]);
    const badUpn = await expectApiError(ims.listPasskeys(new Ims.ListPasskeysRequest({ userPrincipalName: 'rename-carol' })));
    assert.deepEqual([badUpn.code, badUpn.statusCode], ['InvalidParameter.UserPrincipalName.Format', 400]);
    const noUser = await expectApiError(ims.listPasskeys(new Ims.ListPasskeysRequest({ userPrincipalName: `nobody@${domain}` })));
    assert.deepEqual([noUser.code, noUser.statusCode], ['EntityNotExist.User', 404]);

    await ims.deletePasskey(new Ims.DeletePasskeyRequest({ userPrincipalName: `rename-carol@${domain}`, passkeyId: mine.id }));
    assert.deepEqual(await listPasskeys(db(), await userId('rename-carol')), []);
    const again = await expectApiError(ims.deletePasskey(new Ims.DeletePasskeyRequest({ userPrincipalName: `rename-carol@${domain}`, passkeyId: mine.id })));
    assert.deepEqual([again.code, again.statusCode], ['EntityNotExist.Passkey', 404]);
  });

  it(`allows at most ${MAX_PASSKEYS_PER_USER} passkeys per user`, async () => {
    await newUser('max-carol');
    for (let i = 0; i < MAX_PASSKEYS_PER_USER; i++) await add('max-carol', `key ${i}`);
    await assert.rejects(add('max-carol', 'one too many'), (e: any) => e.code === 'LimitExceeded.Passkey' && e.status === 409);
    const last = (await listPasskeys(db(), await userId('max-carol'))).at(-1)!;
    await deletePasskey(db(), await userId('max-carol'), last.id);
    await add('max-carol', 'fits again');
    await renamePasskey(db(), await userId('max-carol'), last.id, 'x').then(
      () => assert.fail('renaming a deleted passkey must fail'),
      (e: any) => assert.equal(e.code, 'EntityNotExist.Passkey'),
    );
  });
});
