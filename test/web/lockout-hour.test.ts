// The lock after MaxLoginAttemps failures lasts exactly one hour: still refused a second before it ends, lifted at
// the hour. The server's clock is frozen so each attempt happens at the instant the test names.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/server.js';
import { FormSession } from '../support/form-session.js';
import { Ims, Ram, imsClient, ramClient } from '../support/sdk.js';

const PASSWORD = 'Locked-Passw0rd!';
const message = (body: string): string => /role="alert">([^<]*)</.exec(body)?.[1] ?? '';

describe('RAM user lockout across the hour', () => {
  let server: TestServer;
  let upn: string;
  before(async () => {
    server = await startServer({ env: { GATEHOUSE_LOGON_RATE_LIMIT: '0' } });
    upn = `ivan@${server.gatehouse.bootstrap.account.alias}.onaliyun.com`;
    const ram = ramClient(server.url, server.root);
    await ram.createUser(new Ram.CreateUserRequest({ userName: 'ivan' }));
    await ram.createLoginProfile(new Ram.CreateLoginProfileRequest({ userName: 'ivan', password: PASSWORD }));
    await imsClient(server.url, server.root).setPasswordPolicy(new Ims.SetPasswordPolicyRequest({ maxLoginAttemps: 3, minimumPasswordLength: 8 }));
  });
  after(async () => server?.close());

  async function attempt(password: string): Promise<{ status: number; alert: string; location: string | null }> {
    const session = new FormSession(server.url);
    await session.open();
    await session.post('/login/identify', { username: upn });
    const res = await session.post('/login/password', { password });
    return { status: res.status, alert: message(await res.text()), location: res.headers.get('location') };
  }

  it('refuses the right password at 59:59 after the lock and accepts it at 60:00', async () => {
    server.clock.freeze();
    try {
      for (let i = 0; i < 3; i++) assert.equal((await attempt(`wrong-${i}-password`)).status, 400);
      // The third failure locked the profile at this frozen instant.
      const justBefore = 59 * 60 * 1000 + 59 * 1000;
      server.clock.advance(justBefore);
      const refused = await attempt(PASSWORD);
      assert.equal(refused.status, 400);
      assert.equal(refused.alert, 'The user name or password is incorrect.');

      server.clock.advance(60 * 60 * 1000 - justBefore);
      const allowed = await attempt(PASSWORD);
      assert.equal(allowed.alert, '');
      assert.equal(allowed.status, 303, JSON.stringify(allowed));
    } finally {
      server.clock.resume();
    }
  });
});
