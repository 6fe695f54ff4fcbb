// Passkey logon stands for both factors, not for the password's state: a password an administrator marked for reset
// (or that reached MaxPasswordAge) still has to be changed before the session, and a hard-expired one still refuses
// the logon, exactly as on the password path. A software authenticator signs the assertions (ES256), over plain HTTP.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/server.js';
import { FormSession } from '../support/form-session.js';
import { Ram, ramClient } from '../support/sdk.js';
import { ramUserWithPasskey, type SoftAuthenticator } from '../support/soft-authenticator.js';

const PASSWORD = 'Passkey-Passw0rd!';
const DAY_MS = 24 * 3600 * 1000;

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
