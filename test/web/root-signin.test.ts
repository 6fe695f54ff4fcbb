import { after, before, describe, it } from 'node:test';
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
