import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createAccount } from '../../src/accounts/accounts.js';
import { startServer, type TestServer } from '../support/server.js';
import { Ims, Ram, expectApiError, imsClient, ramClient } from '../support/sdk.js';

// A sequential journey: the account has one alias, and the tests move it and the default domain from the bootstrap value
// through new ones back to the account ID; each test starts from the alias the one before set.
describe('account alias and default domain', () => {
  let server: TestServer;
  let ram: any;
  let ims: any;
  before(async () => {
    server = await startServer();
    ram = ramClient(server.url, server.root);
    ims = imsClient(server.url, server.root);
    // A second account, as the resource directory would make one, holding an alias of its own.
    await createAccount(server.gatehouse.services.store.db, {
      displayName: 'Member',
      alias: 'member-one',
      type: 'member',
      rootPasswordHash: null,
      now: new Date().toISOString(),
    });
    await ram.createUser(new Ram.CreateUserRequest({ userName: 'erin' }));
  });
  after(async () => server.close());

  const alias = async () => (await ram.getAccountAlias()).body.accountAlias;
  const defaultDomain = async () => (await ims.getDefaultDomain()).body.defaultDomainName;
  const byUpn = (upn: string) => ims.getUser(new Ims.GetUserRequest({ userPrincipalName: upn }));

  it('starts with the default domain <alias>.onaliyun.com', async () => {
    const current = await alias();
    assert.match(current, /^[a-z0-9-]{3,32}$/);
    assert.equal(await defaultDomain(), `${current}.onaliyun.com`);
    assert.equal((await byUpn(`erin@${current}.onaliyun.com`)).body.user.userPrincipalName, `erin@${current}.onaliyun.com`);
  });

  it('moves the default domain with the alias, and UPNs with it', async () => {
    const old = await defaultDomain();
    await ram.setAccountAlias(new Ram.SetAccountAliasRequest({ accountAlias: 'acme-corp' }));
    assert.equal(await alias(), 'acme-corp');
    assert.equal(await defaultDomain(), 'acme-corp.onaliyun.com');
    assert.equal((await byUpn('erin@acme-corp.onaliyun.com')).body.user.userPrincipalName, 'erin@acme-corp.onaliyun.com');
    assert.equal((await expectApiError(byUpn(`erin@${old}`))).code, 'EntityNotExist.User');
    const listed = (await ims.listUsers(new Ims.ListUsersRequest({}))).body.users.user;
    assert.deepEqual(listed.map((u: any) => u.userPrincipalName), ['erin@acme-corp.onaliyun.com']);
  });

  it('sets the default domain through IMS, and the alias follows', async () => {
    const res = (await ims.setDefaultDomain(new Ims.SetDefaultDomainRequest({ defaultDomainName: 'Acme2.onaliyun.com' }))).body;
    assert.equal(res.defaultDomainName, 'acme2.onaliyun.com');
    assert.equal(await defaultDomain(), 'acme2.onaliyun.com');
    assert.equal(await alias(), 'acme2');
  });

  it('refuses an alias another account holds, and changes nothing', async () => {
    let error = await expectApiError(ram.setAccountAlias(new Ram.SetAccountAliasRequest({ accountAlias: 'member-one' })));
    assert.equal(error.code, 'EntityAlreadyExists.AccountAlias');
    assert.equal(error.statusCode, 409);
    error = await expectApiError(ims.setDefaultDomain(new Ims.SetDefaultDomainRequest({ defaultDomainName: 'member-one.onaliyun.com' })));
    assert.equal(error.code, 'EntityAlreadyExists.DefaultDomain');
    assert.equal(error.statusCode, 409);
    assert.equal(await alias(), 'acme2');
    assert.equal(await defaultDomain(), 'acme2.onaliyun.com');
    // Setting the alias the account already has is fine.
    await ram.setAccountAlias(new Ram.SetAccountAliasRequest({ accountAlias: 'acme2' }));
  });

  it('refuses malformed aliases and domains', async () => {
    const cases: Array<[string, string]> = [
      ['ab', 'InvalidParameter.AccountAlias.Length'],
      ['a'.repeat(33), 'InvalidParameter.AccountAlias.Length'],
      ['-acme', 'InvalidParameter.AccountAlias.InvalidChars'],
      ['acme-', 'InvalidParameter.AccountAlias.InvalidChars'],
      ['Acme', 'InvalidParameter.AccountAlias.InvalidChars'],
      ['ac_me', 'InvalidParameter.AccountAlias.InvalidChars'],
    ];
    for (const [accountAlias, code] of cases) {
      const error = await expectApiError(ram.setAccountAlias(new Ram.SetAccountAliasRequest({ accountAlias })));
      assert.equal(error.code, code, accountAlias);
      assert.equal(error.statusCode, 400);
    }
    for (const defaultDomainName of ['acme.example.com', '-x-.onaliyun.com', 'ab.onaliyun.com']) {
      const error = await expectApiError(ims.setDefaultDomain(new Ims.SetDefaultDomainRequest({ defaultDomainName })));
      assert.match(error.code, /^InvalidParameter\.DefaultDomainName\./, defaultDomainName);
    }
    assert.equal((await expectApiError(ram.setAccountAlias(new Ram.SetAccountAliasRequest({})))).code, 'MissingParameter.AccountAlias');
    assert.equal(await alias(), 'acme2');
  });

  it('clears the alias back to the account ID', async () => {
    await ram.clearAccountAlias();
    assert.equal(await alias(), server.accountId);
    assert.equal(await defaultDomain(), `${server.accountId}.onaliyun.com`);
    assert.ok((await byUpn(`erin@${server.accountId}.onaliyun.com`)).body.user.userId);
    // The cleared alias is free again.
    await ims.setDefaultDomain(new Ims.SetDefaultDomainRequest({ defaultDomainName: 'acme2.onaliyun.com' }));
    assert.equal(await alias(), 'acme2');
  });

  it('is the root\'s or an authorized user\'s business only', async () => {
    await ram.createUser(new Ram.CreateUserRequest({ userName: 'nosy' }));
    const key = (await ram.createAccessKey(new Ram.CreateAccessKeyRequest({ userName: 'nosy' }))).body.accessKey;
    const asNosy = ramClient(server.url, { accessKeyId: key.accessKeyId, accessKeySecret: key.accessKeySecret });
    const error = await expectApiError(asNosy.setAccountAlias(new Ram.SetAccountAliasRequest({ accountAlias: 'stolen' })));
    assert.equal(error.code, 'NoPermission');
    assert.equal(error.statusCode, 403);
    assert.equal(await alias(), 'acme2');
  });
});
