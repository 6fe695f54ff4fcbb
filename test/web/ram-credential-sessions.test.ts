// A RAM user's console sessions end when a second factor is withdrawn, as they do when the password changes: an
// administrator unbinding the MFA device or deleting a passkey ends every session of the user; the user deleting a
// passkey from the console's security settings ends the user's other sessions and keeps the one that did it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, type TestServer } from '../support/server.js';
import { FormSession } from '../support/form-session.js';
import { Ims, Ram, imsClient, ramClient } from '../support/sdk.js';
import { addPasskey } from '../../src/ram/passkeys.js';

const PASSWORD = 'Session-Passw0rd!';

// oathtool is an independent TOTP implementation.
const oathtool = (secret: string, unixSeconds: number): string =>
  execFileSync('oathtool', ['--totp', '-b', '-N', `@${unixSeconds}`, secret], { encoding: 'utf8' }).trim();

describe('RAM user sessions when a second factor is withdrawn', () => {
  let server: TestServer;
  let domain: string;
  let ram: any;
  let ims: any;

  before(async () => {
    server = await startServer();
    domain = `${server.gatehouse.bootstrap.account.alias}.onaliyun.com`;
    ram = ramClient(server.url, server.root);
    ims = imsClient(server.url, server.root);
  });
  after(async () => server?.close());

  async function userWithConsoleLogon(name: string): Promise<string> {
    const user = (await ram.createUser(new Ram.CreateUserRequest({ userName: name }))).body.user;
    await ram.createLoginProfile(new Ram.CreateLoginProfileRequest({ userName: name, password: PASSWORD }));
    return user.userId;
  }

  /** A console session of the user (no MFA asked: the user skips binding a device). */
  async function signedIn(name: string): Promise<FormSession> {
    const session = new FormSession(server.url);
    await session.open();
    await session.post('/login/identify', { username: `${name}@${domain}` });
    assert.equal((await session.post('/login/password', { password: PASSWORD })).headers.get('location'), '/login/mfa-bind');
    assert.equal((await session.post('/login/mfa-bind/skip', {})).headers.get('location'), '/console');
    assert.equal((await session.get('/console')).status, 200);
    return session;
  }

  const consoleStatus = async (session: FormSession): Promise<number> =>
    (await fetch(`${server.url}/console`, { redirect: 'manual', headers: { cookie: session.cookieHeader() } })).status;

  async function passkeyOf(name: string, userId: string): Promise<string> {
    const account = server.gatehouse.bootstrap.account.id;
    const passkey = await addPasskey(server.gatehouse.services.store.db, {
      userId,
      accountId: account,
      credentialId: `credential-of-${name}`,
      publicKey: 'pQECAyYgASFYIA',
      counter: 0,
      name: `${name}'s key`,
      now: server.clock.now(),
    });
    return passkey.id;
  }

  it('ends every session of the user when an administrator unbinds the MFA device', async () => {
    await userWithConsoleLogon('mfa-lost');
    await userWithConsoleLogon('bystander');
    const before = await signedIn('mfa-lost');
    const bystander = await signedIn('bystander');
    const device = (await ram.createVirtualMFADevice(new Ram.CreateVirtualMFADeviceRequest({ virtualMFADeviceName: 'mfa-lost-phone' }))).body.virtualMFADevice;
    const step = Math.floor(server.clock.now().getTime() / 30_000) * 30;
    await ram.bindMFADevice(
      new Ram.BindMFADeviceRequest({
        userName: 'mfa-lost',
        serialNumber: device.serialNumber,
        authenticationCode1: oathtool(device.base32StringSeed, step - 30),
        authenticationCode2: oathtool(device.base32StringSeed, step),
      }),
    );
    assert.equal(await consoleStatus(before), 200, 'binding a device ends nothing');
    await ram.unbindMFADevice(new Ram.UnbindMFADeviceRequest({ userName: 'mfa-lost' }));
    assert.equal(await consoleStatus(before), 303, 'the session ended with the device');
    assert.equal(await consoleStatus(bystander), 200, "another user's session goes on");
  });

  it('ends every session of the user when an administrator deletes one of the passkeys', async () => {
    const userId = await userWithConsoleLogon('key-lost');
    const passkeyId = await passkeyOf('key-lost', userId);
    const sessions = [await signedIn('key-lost'), await signedIn('key-lost')];
    await ims.deletePasskey(new Ims.DeletePasskeyRequest({ userPrincipalName: `key-lost@${domain}`, passkeyId }));
    for (const session of sessions) assert.equal(await consoleStatus(session), 303);
  });

  it("keeps the session that deleted its own passkey in the console, and ends the user's others", async () => {
    const userId = await userWithConsoleLogon('key-owner');
    const passkeyId = await passkeyOf('key-owner', userId);
    const elsewhere = await signedIn('key-owner');
    const here = await signedIn('key-owner');
    assert.match(await (await here.get('/console/security')).text(), /key-owner&#39;s key|key-owner's key/);
    const res = await here.post('/console/security/passkeys/delete', { id: passkeyId });
    assert.equal(res.headers.get('location'), '/console/security');
    assert.doesNotMatch(await (await here.get('/console/security')).text(), /key-owner&#39;s key|key-owner's key/);
    assert.equal(await consoleStatus(here), 200);
    assert.equal(await consoleStatus(elsewhere), 303, 'the session on another device ended');
  });
});
