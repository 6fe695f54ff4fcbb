import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/server.js';

function cookiesOf(res: Response): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const [name, value] = (pair ?? '').split('=');
    if (name) out[name] = value ?? '';
  }
  return out;
}

async function loginForm(server: TestServer): Promise<{ csrf: string; cookie: string }> {
  const res = await fetch(`${server.url}/root/login`);
  const html = await res.text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  return { csrf, cookie: `gh_csrf=${cookiesOf(res).gh_csrf}` };
}

async function submit(server: TestServer, form: { csrf: string; cookie: string }, fields: Record<string, string>): Promise<Response> {
  return fetch(`${server.url}/root/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: form.cookie },
    body: new URLSearchParams({ _csrf: form.csrf, ...fields }),
  });
}

describe('root sign-in page', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => server.close());

  it('signs the root identity in with the account ID and lands on the console home', async () => {
    const form = await loginForm(server);
    const res = await submit(server, form, { identifier: server.accountId, password: server.rootPassword });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/console');
    const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('gh_session='));
    assert.ok(setCookie);
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /SameSite=Lax/);
    const home = await fetch(`${server.url}/console`, { headers: { cookie: `gh_session=${cookiesOf(res).gh_session}` } });
    const page = await home.text();
    assert.match(page, new RegExp(server.accountId));
    assert.match(page, /Root account/);
  });

  it('gives the same answer for an unknown account and a wrong password', async () => {
    const form = await loginForm(server);
    const unknown = await submit(server, form, { identifier: '9999999999999999', password: 'whatever' });
    const wrong = await submit(server, form, { identifier: server.accountId, password: 'wrong-password' });
    assert.equal(unknown.status, 401);
    assert.equal(wrong.status, 401);
    const strip = (s: string): string => s.replace(/value="[^"]*"/g, '');
    assert.equal(strip(await unknown.text()), strip(await wrong.text()));
  });

  it('refuses a form without the CSRF token', async () => {
    const form = await loginForm(server);
    const res = await submit(server, { csrf: 'forged', cookie: form.cookie }, { identifier: server.accountId, password: server.rootPassword });
    assert.equal(res.status, 403);
    assert.equal(res.headers.getSetCookie().some((c) => c.startsWith('gh_session=')), false);
  });

  it('refuses a form posted from another origin', async () => {
    const form = await loginForm(server);
    const res = await fetch(`${server.url}/root/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: form.cookie, origin: 'https://evil.example' },
      body: new URLSearchParams({ _csrf: form.csrf, identifier: server.accountId, password: server.rootPassword }),
    });
    assert.equal(res.status, 403);
  });

  it('ends the session at logout, so the old cookie no longer opens the console', async () => {
    const form = await loginForm(server);
    const res = await submit(server, form, { identifier: server.accountId, password: server.rootPassword });
    const session = `gh_session=${cookiesOf(res).gh_session}`;
    // The console's Log Out form carries the session's token (the sign-in page's one ended with the logon).
    const console = await (await fetch(`${server.url}/console`, { headers: { cookie: session } })).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(console)![1]!;
    const out = await fetch(`${server.url}/logout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `${session}; ${form.cookie}` },
      body: new URLSearchParams({ _csrf: csrf }),
    });
    assert.equal(out.status, 303);
    assert.equal(out.headers.get('location'), '/root/login', 'a root identity goes back to its own sign-in page');
    const home = await fetch(`${server.url}/console`, { redirect: 'manual', headers: { cookie: session } });
    assert.equal(home.status, 303);
    assert.equal(home.headers.get('location'), '/login.htm');
  });
});

describe('root sign-in lockout', () => {
  let server: TestServer;
  const MINUTE = 60_000;
  // The lock's state is stamped with the times each test moves the clock to, so putting the clock back would leave
  // it in the future: each test gets a server of its own instead, and none depends on what another left.
  beforeEach(async () => {
    server = await startServer();
  });
  afterEach(async () => server.close());

  /** The page's text without the per-request values (CSRF token, the identifier typed back). */
  const strip = (s: string): string => s.replace(/value="[^"]*"/g, '');
  const attempt = async (password: string, node: TestServer = server): Promise<{ status: number; page: string; session: boolean }> => {
    const form = await loginForm(node);
    const res = await submit(node, form, { identifier: server.accountId, password });
    return { status: res.status, page: strip(await res.text()), session: res.headers.getSetCookie().some((c) => c.startsWith('gh_session=')) };
  };
  const fail = async (times: number): Promise<void> => {
    for (let i = 0; i < times; i++) assert.equal((await attempt(`wrong-${i}`)).status, 401);
  };

  it('locks the root identity after five failures, refuses even the right password, and answers exactly as a wrong password does', async () => {
    const wrong = await attempt('wrong-before');
    await fail(4);
    const locked = await attempt(server.rootPassword);
    assert.equal(locked.session, false, 'the right password opens no session while locked');
    assert.deepEqual({ status: locked.status, page: locked.page }, { status: wrong.status, page: wrong.page }, 'locked reads as a wrong password');
    const lockedWrong = await attempt('wrong-while-locked');
    assert.deepEqual({ status: lockedWrong.status, page: lockedWrong.page }, { status: wrong.status, page: wrong.page });

    // Every node sees the lock: the state is in the database.
    const other = await startServer({ shareWith: server });
    try {
      assert.equal((await attempt(server.rootPassword, other)).session, false);
    } finally {
      await other.stop();
    }

    server.clock.advance(14 * MINUTE);
    assert.equal((await attempt(server.rootPassword)).session, false, 'still locked before the period ends');
    server.clock.advance(2 * MINUTE);
    assert.equal((await attempt(server.rootPassword)).session, true, 'unlocked after the period');
  });

  it('locks for longer each time the lock comes back, until a sign-in succeeds', async () => {
    await fail(5);
    server.clock.advance(16 * MINUTE);
    await fail(5); // the second lock in a row: 30 minutes
    server.clock.advance(16 * MINUTE);
    assert.equal((await attempt(server.rootPassword)).session, false, 'the second lock lasts longer than the first');
    server.clock.advance(15 * MINUTE);
    assert.equal((await attempt(server.rootPassword)).session, true);
    // The sign-in started the backoff over: the next lock lasts 15 minutes again.
    await fail(5);
    server.clock.advance(16 * MINUTE);
    assert.equal((await attempt(server.rootPassword)).session, true);
  });

  it('counts failures within an hour, and a sign-in clears them', async () => {
    await fail(4);
    assert.equal((await attempt(server.rootPassword)).session, true);
    await fail(4);
    server.clock.advance(61 * MINUTE);
    await fail(4);
    assert.equal((await attempt(server.rootPassword)).session, true, 'four failures now and four an hour ago do not lock');
  });
});
