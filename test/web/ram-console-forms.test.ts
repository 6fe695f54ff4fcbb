// Seed 003's RAM console forms that need no script on the page, posted over plain HTTP as the browser would: the root
// administrator's logon settings dialog and what it does to a RAM user's open session. The browser keeps the pages'
// journeys (test/e2e/ram-console.test.ts); these run on both databases.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/server.js';
import { FormSession } from '../support/form-session.js';
import { Ram, expectApiError, ramClient } from '../support/sdk.js';

const PASSWORD = 'Console-Passw0rd!';

const alertOf = (page: string): string | undefined => /role="alert">([^<]*)</.exec(page)?.[1];

describe('RAM console forms', () => {
  let server: TestServer;
  let domain: string;
  let ram: any;
  let admin: FormSession;

  /** A RAM user's logon through the forms, skipping the optional MFA binding; the session ends on /console. */
  async function userLogon(name: string, password: string): Promise<FormSession> {
    const session = new FormSession(server.url);
    await session.open();
    assert.equal((await session.post('/login/identify', { username: `${name}@${domain}` })).headers.get('location'), '/login/password');
    assert.equal((await session.post('/login/password', { password })).headers.get('location'), '/login/mfa-bind');
    assert.equal((await session.post('/login/mfa-bind/skip', {})).headers.get('location'), '/console');
    assert.equal((await session.get('/console')).status, 200);
    return session;
  }

  before(async () => {
    server = await startServer();
    domain = `${server.gatehouse.bootstrap.account.alias}.onaliyun.com`;
    ram = ramClient(server.url, server.root);
    admin = new FormSession(server.url);
    await admin.open('/root/login');
    const signedIn = await admin.post('/root/login', { identifier: server.accountId, password: server.rootPassword });
    assert.equal(signedIn.headers.get('location'), '/console');
  });
  after(async () => server?.close());

  it('ends the session when the administrator resets the password', async () => {
    await ram.createUser(new Ram.CreateUserRequest({ userName: 'chuck' }));
    await ram.createLoginProfile(new Ram.CreateLoginProfileRequest({ userName: 'chuck', password: PASSWORD }));
    const user = await userLogon('chuck', PASSWORD);
    const dialog = await admin.get('/ram/users/chuck/login-profile/edit');
    assert.match(await dialog.text(), /Reset Custom Password/);
    const saved = await admin.post('/ram/users/chuck/login-profile/edit', { status: 'Active', passwordMode: 'custom', password: 'Chucks-Reset-Passw0rd!' });
    assert.equal(saved.status, 303);
    assert.equal(saved.headers.get('location'), '/ram/users/chuck');
    const ended = await user.get('/console');
    assert.equal(ended.status, 303);
    assert.match(ended.headers.get('location') ?? '', /\/login\.htm$/);
    await userLogon('chuck', 'Chucks-Reset-Passw0rd!');
  });

  it('refuses a weak custom password with the violations, and changes nothing', async () => {
    await ram.createUser(new Ram.CreateUserRequest({ userName: 'erin' }));
    await admin.get('/ram/users/erin/login-profile/new');
    const refused = await admin.post('/ram/users/erin/login-profile', { status: 'Active', passwordMode: 'custom', password: 'short' });
    assert.equal(refused.status, 400);
    assert.match(alertOf(await refused.text()) ?? '', /at least 8 characters/);
    const error = await expectApiError(ram.getLoginProfile(new Ram.GetLoginProfileRequest({ userName: 'erin' })));
    assert.equal(error.code, 'EntityNotExist.User.LoginProfile');
    assert.equal(error.statusCode, 404);
  });

  it('refuses a POST without the CSRF token with 403, and one without a session is sent to the logon page', async () => {
    await ram.createUser(new Ram.CreateUserRequest({ userName: 'grace' }));
    const response = await fetch(`${server.url}/ram/users/grace/login-profile`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: admin.cookieHeader() },
      body: new URLSearchParams({ status: 'Active', passwordMode: 'custom', password: PASSWORD }),
    });
    assert.equal(response.status, 403);
    await expectApiError(ram.getLoginProfile(new Ram.GetLoginProfileRequest({ userName: 'grace' })));

    const anonymous = await fetch(`${server.url}/ram/users`, { redirect: 'manual' });
    assert.equal(anonymous.status, 303);
    assert.match(anonymous.headers.get('location') ?? '', /\/login\.htm$/);
  });
});
