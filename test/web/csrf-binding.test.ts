// A form's CSRF token is bound to what the browser is signed in with (its console session, its portal session, or
// before sign-in its pre-sign-in cookie) by a MAC only the servers can compute. An attacker who can plant cookies
// (a sibling subdomain, a plain-HTTP hop) can no longer choose a matching cookie and field, nor carry their own
// session's token over to the victim's session; and a logon gives a new token.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/server.js';
import { FormSession } from '../support/form-session.js';
import { Ram, ramClient } from '../support/sdk.js';
import { sso } from '../cloudsso/access-support.js';

const PASSWORD = 'Csrf-Binding-Passw0rd!';
const tokenOf = async (res: Response): Promise<string> => /name="_csrf" value="([^"]+)"/.exec(await res.text())![1]!;
const chosen = 'A'.repeat(43);

function formPost(url: string, cookie: string, fields: Record<string, string>): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams(fields),
  });
}

describe('CSRF tokens bound to the session', () => {
  let server: TestServer;
  let ram: any;

  before(async () => {
    server = await startServer();
    ram = ramClient(server.url, server.root);
  });
  after(async () => server.close());

  async function rootSession(): Promise<{ session: FormSession; token: string; preSignIn: string }> {
    const session = new FormSession(server.url);
    await session.open('/root/login');
    const preSignIn = session.csrfToken;
    const signedIn = await session.post('/root/login', { identifier: server.accountId, password: server.rootPassword });
    assert.equal(signedIn.status, 303);
    return { session, token: await tokenOf(await session.get('/console')), preSignIn };
  }

  const isAlive = async (session: FormSession): Promise<boolean> => (await session.get('/console')).status === 200;

  it('refuses a cookie and field the attacker chose to match, before sign-in and after', async () => {
    const identify = await formPost(`${server.url}/login/identify`, `gh_csrf=${chosen}`, { _csrf: chosen, username: 'someone@example.onaliyun.com' });
    assert.equal(identify.status, 403);
    assert.doesNotMatch(identify.headers.get('set-cookie') ?? '', /gh_flow=/);

    const { session } = await rootSession();
    const cookie = `gh_session=${session.cookieValue('gh_session')}; gh_csrf=${chosen}`;
    const create = await formPost(`${server.url}/ram/users`, cookie, { _csrf: chosen, userName: 'planted' });
    assert.equal(create.status, 403);
    await assert.rejects(ram.getUser(new Ram.GetUserRequest({ userName: 'planted' })), (error: any) => error.code === 'EntityNotExist.User');
    const logout = await formPost(`${server.url}/logout`, cookie, { _csrf: chosen });
    assert.equal(logout.status, 403);
    assert.ok(await isAlive(session), 'the planted pair must not sign the victim out');
  });

  it('refuses a token from another session, even with that session\'s CSRF cookie planted beside the victim\'s session', async () => {
    const victim = await rootSession();
    const attacker = await rootSession();
    const cookie = `gh_session=${victim.session.cookieValue('gh_session')}; gh_csrf=${attacker.session.cookieValue('gh_csrf')}`;
    const create = await formPost(`${server.url}/ram/users`, cookie, { _csrf: attacker.token, userName: 'carried' });
    assert.equal(create.status, 403);
    await assert.rejects(ram.getUser(new Ram.GetUserRequest({ userName: 'carried' })), (error: any) => error.code === 'EntityNotExist.User');
    assert.equal((await formPost(`${server.url}/logout`, cookie, { _csrf: attacker.token })).status, 403);
    assert.ok(await isAlive(victim.session));
    assert.ok(await isAlive(attacker.session));
  });

  it('gives a new token at logon: the sign-in page\'s token no longer works, the console\'s does', async () => {
    const { session, token, preSignIn } = await rootSession();
    assert.notEqual(token, preSignIn);
    assert.match(token, /^[A-Za-z0-9_-]{43}$/);
    const stale = await session.post('/logout', { _csrf: preSignIn });
    assert.equal(stale.status, 403);
    assert.ok(await isAlive(session));
    // The token stays the same for the whole session (several tabs), and is the one that works.
    assert.equal(await tokenOf(await session.get('/ram/users')), token);
    const created = await session.post('/ram/users', { _csrf: token, userName: 'made-with-token', displayName: 'Made' });
    assert.equal(created.status, 303, await created.text());
    assert.equal((await ram.getUser(new Ram.GetUserRequest({ userName: 'made-with-token' }))).body.user?.displayName, 'Made');
    const logout = await session.post('/logout', { _csrf: token });
    assert.equal(logout.status, 303);
    assert.equal((await session.get('/console')).status, 303);
  });

  it('binds the portal\'s forms to the portal session, new at each sign-in', async () => {
    const dirName = `csrf-${Math.random().toString(36).slice(2, 8)}`;
    const dirId = (await sso(server, 'CreateDirectory', { DirectoryName: dirName })).Directory.DirectoryId;
    const userId = (await sso(server, 'CreateUser', { DirectoryId: dirId, UserName: 'alice' })).User.UserId;
    await sso(server, 'ResetUserPassword', { DirectoryId: dirId, UserId: userId, Password: PASSWORD });
    await sso(server, 'SetMFAAuthenticationStatus', { DirectoryId: dirId, MFAAuthenticationStatus: 'Disabled' });
    const base = `/sso/${dirName}`;

    const signIn = async (): Promise<{ portal: FormSession; before: string; after: string }> => {
      const portal = new FormSession(server.url);
      await portal.open(`${base}/login`);
      const before = portal.csrfToken;
      const res = await portal.post(`${base}/login`, { username: 'alice', password: PASSWORD });
      assert.equal(res.status, 303);
      assert.ok(portal.cookieValue('gh_portal'));
      return { portal, before, after: await tokenOf(await portal.get(`${base}/portal`)) };
    };
    const first = await signIn();
    const second = await signIn();
    assert.notEqual(first.after, first.before);
    assert.notEqual(second.after, first.after);
    // The first sign-in's token does not sign the second session out; the sign-in page's token does not either.
    for (const token of [first.after, second.before]) {
      const res = await formPost(`${server.url}${base}/logout`, `gh_portal=${second.portal.cookieValue('gh_portal')}; gh_csrf=${second.portal.cookieValue('gh_csrf')}`, { _csrf: token });
      assert.equal(res.status, 403);
    }
    assert.equal((await second.portal.get(`${base}/portal`)).status, 200);
    const out = await second.portal.post(`${base}/logout`, { _csrf: second.after });
    assert.equal(out.status, 303);
    assert.equal((await second.portal.get(`${base}/portal`)).status, 303);
  });

  it('checks the token on every POST of the pages, in one place, JSON ones included', async () => {
    const { session } = await rootSession();
    const cookie = `gh_session=${session.cookieValue('gh_session')}; gh_csrf=${chosen}`;
    for (const path of ['/console/security/passkeys/options', '/login/passkey/options', '/sso/no-such-directory/logout', '/no-such-page']) {
      const res = await fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify({ _csrf: chosen }),
      });
      assert.equal(res.status, path === '/no-such-page' ? 404 : 403, path);
    }
  });
});
