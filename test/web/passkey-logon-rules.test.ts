// Passkey logon's rules over plain HTTP, with assertions signed by a software authenticator (ES256): malformed input,
// passkey logon switched off or console logon disabled, and the password's state.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/server.js';
import { FormSession } from '../support/form-session.js';
import { Ims, Ram, imsClient, ramClient } from '../support/sdk.js';
import { ramUserWithPasskey, type SoftAuthenticator } from '../support/soft-authenticator.js';

const PASSWORD = 'Passkey-Passw0rd!';
const DAY_MS = 24 * 3600 * 1000;
const message = (body: string): string => /role="alert">([^<]*)</.exec(body)?.[1] ?? '';

// The passkey logon endpoint answers malformed assertions with a plain refusal, never a server error.
describe('passkey logon with malformed input', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => server.close());

  it('refuses assertions whose fields have the wrong types, and each challenge is used once', async () => {
    const session = new FormSession(server.url);
    await session.open();
    await session.post('/login/identify', { username: `someone@${server.gatehouse.bootstrap.account.alias}.onaliyun.com` });
    for (const response of [{ id: { $ne: 1 } }, { id: 42 }, { id: 'x'.repeat(5000) }, 'not-an-object', null]) {
      const options = await session.postJson('/login/passkey/options', {});
      assert.equal(options.status, 200);
      assert.ok((await options.json()).challenge);
      const verify = await session.postJson('/login/passkey/verify', { response });
      assert.equal(verify.status, 400, JSON.stringify(response));
      assert.match((await verify.json()).message, /could not be verified/);
    }
    const replay = await session.postJson('/login/passkey/verify', { response: { id: 'abc' } });
    assert.equal(replay.status, 400);
    assert.match((await replay.json()).message, /Start the logon again/);
  });
});

// When the account does not allow passkey logon, the passkey endpoints refuse direct POSTs and change nothing, and
// the RAM console refuses to add a passkey; when console logon is disabled for the user, a passkey is refused with
// the password path's message. Assertions are real ES256 signatures from a software authenticator, over plain HTTP.
describe('passkey endpoints when passkey logon is off or console logon is disabled', () => {
  let server: TestServer;
  let ram: any;
  let ims: any;
  let domain: string;

  async function userWithPasskey(name: string): Promise<SoftAuthenticator> {
    return ramUserWithPasskey(server, ram, { name, password: PASSWORD });
  }

  const passkeysOf = async (name: string): Promise<any[]> =>
    (await ims.listPasskeys(new Ims.ListPasskeysRequest({ userPrincipalName: `${name}@${domain}` }))).body.passkeys ?? [];

  async function atPasswordStep(name: string): Promise<FormSession> {
    const session = new FormSession(server.url);
    await session.open();
    await session.post('/login/identify', { username: `${name}@${domain}` });
    return session;
  }

  const setPasskeyLogon = (allowed: boolean) =>
    ims.setSecurityPreference(new Ims.SetSecurityPreferenceRequest({ allowUserToLoginWithPasskey: allowed }));

  before(async () => {
    server = await startServer();
    ram = ramClient(server.url, server.root);
    ims = imsClient(server.url, server.root);
    domain = `${server.gatehouse.bootstrap.account.alias}.onaliyun.com`;
  });
  after(async () => server?.close());

  it('refuses direct POSTs to the passkey logon endpoints while passkey logon is off, and changes nothing', async () => {
    const authenticator = await userWithPasskey('pk-off');
    // Options obtained while allowed; then the administrator turns passkey logon off.
    const early = await atPasswordStep('pk-off');
    const { challenge } = await (await early.postJson('/login/passkey/options', {})).json();
    await setPasskeyLogon(false);
    try {
      const verify = await early.postJson('/login/passkey/verify', { response: authenticator.assert(challenge, server.url) });
      assert.equal(verify.status, 403);
      assert.equal((await verify.json()).message, 'Logon with passkeys is not allowed for this account.');
      assert.equal(early.cookieValue('gh_session'), undefined);

      const late = await atPasswordStep('pk-off');
      const options = await late.postJson('/login/passkey/options', {});
      assert.equal(options.status, 403);
      assert.equal((await options.json()).message, 'Logon with passkeys is not allowed for this account.');
      assert.equal(late.cookieValue('gh_session'), undefined);
      // The password page offers no passkey button either.
      const page = await late.get('/login/password');
      assert.doesNotMatch(await page.text(), /Log on with Passkey/);

      // The refused assertion was not recorded as a use of the passkey.
      const [passkey] = await passkeysOf('pk-off');
      assert.equal(passkey.lastUseDate, '');
    } finally {
      await setPasskeyLogon(true);
    }
    // Allowed again, the same authenticator logs on: the refusals above came from the setting.
    const again = await atPasswordStep('pk-off');
    const fresh = await (await again.postJson('/login/passkey/options', {})).json();
    const ok = await again.postJson('/login/passkey/verify', { response: authenticator.assert(fresh.challenge, server.url) });
    assert.equal(ok.status, 200);
    assert.ok(again.cookieValue('gh_session'));
    assert.notEqual((await passkeysOf('pk-off'))[0].lastUseDate, '');
  });

  it('refuses to add a passkey in the RAM console while passkey logon is off', async () => {
    await ram.createUser(new Ram.CreateUserRequest({ userName: 'pk-reg' }));
    await ram.createLoginProfile(new Ram.CreateLoginProfileRequest({ userName: 'pk-reg', password: PASSWORD }));
    const session = await atPasswordStep('pk-reg');
    await session.post('/login/password', { password: PASSWORD });
    assert.equal((await session.post('/login/mfa-bind/skip', {})).headers.get('location'), '/console');
    // The page's scripts send the token the Add button carries; the token belongs to the session, not to the page.
    const _csrf = /data-csrf="([^"]+)"/.exec(await (await session.get('/console/security')).text())![1]!;
    await setPasskeyLogon(false);
    try {
      const page = await session.get('/console/security');
      assert.equal(page.status, 200);
      const html = await page.text();
      assert.match(html, /does not allow logon with passkeys/);
      assert.doesNotMatch(html, /Add Passkey/);
      const options = await session.postJson('/console/security/passkeys/options', { _csrf });
      assert.equal(options.status, 403);
      assert.match((await options.json()).message, /does not allow logon with passkeys/);
      const register = await session.postJson('/console/security/passkeys', { _csrf, name: 'sneaky', response: { id: 'x', rawId: 'x', type: 'public-key', response: {} } });
      assert.equal(register.status, 403);
      assert.deepEqual(await passkeysOf('pk-reg'), []);
    } finally {
      await setPasskeyLogon(true);
    }
    // Allowed, the same session gets registration options: the 403s above came from the setting.
    const allowed = await session.postJson('/console/security/passkeys/options', { _csrf });
    assert.equal(allowed.status, 200);
    assert.ok((await allowed.json()).challenge);
  });

  it('refuses a passkey with the password path\'s message once console logon is disabled for the user', async () => {
    const authenticator = await userWithPasskey('pk-disabled');
    await ims.updateLoginProfile(new Ims.UpdateLoginProfileRequest({ userPrincipalName: `pk-disabled@${domain}`, status: 'Inactive' }));
    const byPassword = await atPasswordStep('pk-disabled');
    const refused = await byPassword.post('/login/password', { password: PASSWORD });
    const passwordMessage = message(await refused.text());
    assert.equal(passwordMessage, 'Console logon is disabled for this user. Contact your RAM administrator.');

    const byPasskey = await atPasswordStep('pk-disabled');
    const { challenge } = await (await byPasskey.postJson('/login/passkey/options', {})).json();
    const res = await byPasskey.postJson('/login/passkey/verify', { response: authenticator.assert(challenge, server.url) });
    assert.equal(res.status, 403);
    assert.equal((await res.json()).message, passwordMessage);
    assert.equal(byPasskey.cookieValue('gh_session'), undefined);
  });
});

// Passkey logon stands for both factors, not for the password's state: a password an administrator marked for reset
// (or that reached MaxPasswordAge) still has to be changed before the session, and a hard-expired one still refuses
// the logon, exactly as on the password path. A software authenticator signs the assertions (ES256), over plain HTTP.
describe('passkey logon and the password state', () => {
  let server: TestServer;
  let ram: any;
  let domain: string;

  async function userWithPasskey(name: string, options: { resetRequired?: boolean } = {}): Promise<SoftAuthenticator> {
    return ramUserWithPasskey(server, ram, { name, password: PASSWORD, resetRequired: options.resetRequired });
  }

  async function passkeyLogon(name: string, authenticator: SoftAuthenticator): Promise<{ session: FormSession; res: Response; body: any }> {
    const session = new FormSession(server.url);
    await session.open();
    await session.post('/login/identify', { username: `${name}@${domain}` });
    const options = await session.postJson('/login/passkey/options', {});
    assert.equal(options.status, 200);
    const { challenge } = await options.json();
    const res = await session.postJson('/login/passkey/verify', { response: authenticator.assert(challenge, server.url) });
    return { session, res, body: await res.json() };
  }

  before(async () => {
    server = await startServer();
    ram = ramClient(server.url, server.root);
    domain = `${server.gatehouse.bootstrap.account.alias}.onaliyun.com`;
  });
  after(async () => server?.close());

  it('logs on with a passkey when the password needs nothing', async () => {
    const authenticator = await userWithPasskey('pk-plain');
    const { session, res, body } = await passkeyLogon('pk-plain', authenticator);
    assert.equal(res.status, 200, JSON.stringify(body));
    assert.equal(body.redirect, '/console');
    assert.ok(session.cookieValue('gh_session'));
  });

  it('goes on to the forced password change, not to the console, when the password must be reset', async () => {
    const authenticator = await userWithPasskey('pk-reset', { resetRequired: true });
    const { session, res, body } = await passkeyLogon('pk-reset', authenticator);
    assert.equal(res.status, 200, JSON.stringify(body));
    assert.equal(body.redirect, '/login/password-change');
    assert.equal(session.cookieValue('gh_session'), undefined, 'no console session before the change');
    const console = await fetch(`${server.url}/console`, { redirect: 'manual', headers: { cookie: session.cookieHeader() } });
    assert.equal(console.headers.get('location'), '/login.htm');
    const changed = await session.post('/login/password-change', { newPassword: 'Brand-New-Passw0rd!', confirmPassword: 'Brand-New-Passw0rd!' });
    assert.equal(changed.status, 303);
    assert.equal(changed.headers.get('location'), '/console');
    assert.ok(session.cookieValue('gh_session'));
  });

  it('is refused with the password path\'s message when the password has expired and only an administrator may reset it', async () => {
    const authenticator = await userWithPasskey('pk-expired');
    // A logon with the password uses the initial password up: what expires next is a password of the user's own.
    const first = new FormSession(server.url);
    await first.open();
    await first.post('/login/identify', { username: `pk-expired@${domain}` });
    await first.post('/login/password', { password: PASSWORD });
    assert.equal((await first.post('/login/mfa-bind/skip', {})).headers.get('location'), '/console');
    await ram.setPasswordPolicy(new Ram.SetPasswordPolicyRequest({ maxPasswordAge: 30, hardExpiry: true }));
    // API calls are signed with the real time, so the clock goes back before the next one.
    server.clock.advance(31 * DAY_MS);
    try {
      const { session, res, body } = await passkeyLogon('pk-expired', authenticator);
      assert.equal(res.status, 403, JSON.stringify(body));
      assert.match(body.message, /password has expired/);
      assert.equal(session.cookieValue('gh_session'), undefined);
    } finally {
      server.clock.advance(-31 * DAY_MS);
      await ram.setPasswordPolicy(new Ram.SetPasswordPolicyRequest({ maxPasswordAge: 0, hardExpiry: false }));
    }
  });
});
