// Seed 002 and 003's RAM user logon journeys that need no script on the page, over plain HTTP as the browser's forms
// would send them: what the user sees is the answer's status, where it sends them, and the page's alert. The browser
// keeps one logon journey, MFA binding and passkeys (test/e2e/ram-logon.test.ts); these run on both databases.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/server.js';
import { FormSession } from '../support/form-session.js';
import { Ims, Ram, imsClient, ramClient } from '../support/sdk.js';

const PASSWORD = 'Initial-Passw0rd!';

/** The text of the page's alert (what a screen reader announces), or undefined when there is none. */
const alertOf = (page: string): string | undefined => /role="alert">([^<]*)</.exec(page)?.[1];

describe('RAM user logon forms', () => {
  let server: TestServer;
  let domain: string;
  let ram: any;
  let ims: any;

  async function createLogonUser(name: string, options: { resetRequired?: boolean } = {}): Promise<void> {
    await ram.createUser(new Ram.CreateUserRequest({ userName: name }));
    await ram.createLoginProfile(
      new Ram.CreateLoginProfileRequest({ userName: name, password: PASSWORD, passwordResetRequired: options.resetRequired ?? false }),
    );
  }

  /** Opens the logon page (at `path`), names the user and submits the password; returns the answer to the password. */
  async function enterPassword(session: FormSession, name: string, password = PASSWORD, path = '/login.htm'): Promise<Response> {
    await session.open(path);
    const identified = await session.post('/login/identify', { username: `${name}@${domain}` });
    assert.equal(identified.status, 303);
    assert.equal(identified.headers.get('location'), '/login/password');
    return session.post('/login/password', { password });
  }

  /** Password accepted: the optional MFA binding is offered, and skipping it goes on to `next`. */
  async function skipBinding(session: FormSession, answer: Response, next: string): Promise<Response> {
    assert.equal(answer.status, 303);
    assert.equal(answer.headers.get('location'), '/login/mfa-bind');
    const offer = await session.get('/login/mfa-bind');
    assert.match(await offer.text(), /Skip for Now/);
    const skipped = await session.post('/login/mfa-bind/skip', {});
    assert.equal(skipped.status, 303);
    assert.equal(skipped.headers.get('location'), next);
    return skipped;
  }

  before(async () => {
    server = await startServer();
    domain = `${server.gatehouse.bootstrap.account.alias}.onaliyun.com`;
    ram = ramClient(server.url, server.root);
    ims = imsClient(server.url, server.root);
    await createLogonUser('alice');
  });
  after(async () => server?.close());

  it('gives the same answer for an unknown user and a wrong password', async () => {
    const wrong = await enterPassword(new FormSession(server.url), 'alice', 'wrong-password-1');
    const unknown = await enterPassword(new FormSession(server.url), 'nobody-here', 'wrong-password-1');
    assert.equal(wrong.status, 400);
    assert.equal(unknown.status, 400);
    const wrongText = alertOf(await wrong.text());
    assert.match(wrongText ?? '', /incorrect/);
    assert.equal(alertOf(await unknown.text()), wrongText);
  });

  it('forces a password change at next logon when the administrator asks for it', async () => {
    await createLogonUser('dave', { resetRequired: true });
    const session = new FormSession(server.url);
    await skipBinding(session, await enterPassword(session, 'dave'), '/login/password-change');
    const form = await session.get('/login/password-change');
    assert.match(await form.text(), /You must change your password before you continue/);
    const short = await session.post('/login/password-change', { newPassword: 'short', confirmPassword: 'short' });
    assert.equal(short.status, 400);
    assert.match(alertOf(await short.text()) ?? '', /at least 8 characters/);
    const changed = await session.post('/login/password-change', { newPassword: 'Changed-Passw0rd!', confirmPassword: 'Changed-Passw0rd!' });
    assert.equal(changed.status, 303);
    assert.equal(changed.headers.get('location'), '/console');
    const profile = await ram.getLoginProfile(new Ram.GetLoginProfileRequest({ userName: 'dave' }));
    assert.equal(profile.body.loginProfile.passwordResetRequired, false);
  });

  it('ends an open session at once when console access is disabled, and refuses the next logon', async () => {
    await createLogonUser('erin');
    const session = new FormSession(server.url);
    await skipBinding(session, await enterPassword(session, 'erin'), '/console');
    const console = await session.get('/console');
    assert.equal(console.status, 200);
    assert.match(await console.text(), /erin@/);
    await ims.updateLoginProfile(new Ims.UpdateLoginProfileRequest({ userPrincipalName: `erin@${domain}`, status: 'Inactive' }));
    const after = await session.get('/console');
    assert.equal(after.status, 303);
    assert.match(after.headers.get('location') ?? '', /\/login\.htm$/, 'the old session cookie no longer works');
    const refused = await enterPassword(session, 'erin');
    assert.equal(refused.status, 403);
    assert.match(alertOf(await refused.text()) ?? '', /disabled/);
  });

  it('refuses an initial password after its 14-day validity, with a message to ask the administrator', async () => {
    await createLogonUser('frank');
    const fifteenDays = 15 * 24 * 3600 * 1000;
    server.clock.advance(fifteenDays);
    try {
      const refused = await enterPassword(new FormSession(server.url), 'frank');
      assert.match(alertOf(await refused.text()) ?? '', /initial password has expired.*administrator/i);
    } finally {
      server.clock.advance(-fifteenDays); // the SDK signs with the real time
    }
  });

  it('locks a user for an hour after MaxLoginAttemps failures, even with the right password, answered as a wrong password', async () => {
    await ims.setPasswordPolicy(new Ims.SetPasswordPolicyRequest({ maxLoginAttemps: 3, minimumPasswordLength: 8 }));
    const anHour = 61 * 60 * 1000;
    try {
      await createLogonUser('grace');
      const session = new FormSession(server.url);
      for (let i = 0; i < 3; i++) assert.equal((await enterPassword(session, 'grace', `wrong-${i}-password`)).status, 400);
      const locked = await enterPassword(session, 'grace');
      assert.equal(locked.status, 400);
      assert.equal(alertOf(await locked.text()), 'The user name or password is incorrect.');
      server.clock.advance(anHour);
      const later = new FormSession(server.url);
      await skipBinding(later, await enterPassword(later, 'grace'), '/console');
    } finally {
      server.clock.advance(-anHour);
      await ims.setPasswordPolicy(new Ims.SetPasswordPolicyRequest({ maxLoginAttemps: 0 }));
    }
  });

  it('never redirects off the allow-list after logon', async () => {
    await createLogonUser('ivan');
    const session = new FormSession(server.url);
    const answer = await enterPassword(session, 'ivan', PASSWORD, `/login.htm?returnTo=${encodeURIComponent('https://evil.example/phish')}`);
    await skipBinding(session, answer, '/console');
  });

  it('refuses a form post without the CSRF pair', async () => {
    const res = await fetch(`${server.url}/login/identify`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
      body: 'username=alice%40x.onaliyun.com',
      redirect: 'manual',
    });
    assert.equal(res.status, 403);
  });

  it('answers 404 with a plain message for a dedicated page of an unknown domain', async () => {
    const res = await fetch(`${server.url}/nobody.onaliyun.com/login.htm`);
    assert.equal(res.status, 404);
    assert.match(await res.text(), /no RAM user logon page at this address/);
  });
});

// The lock after MaxLoginAttemps failures lasts exactly one hour: still refused a second before it ends, lifted at
// the hour. The server's clock is frozen so each attempt happens at the instant the test names.
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
    return { status: res.status, alert: alertOf(await res.text()) ?? '', location: res.headers.get('location') };
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

// Seed 002's prefilled logon links: `?username=` fills the user name field, on the general page and on an account's
// dedicated page (which asks only for the short name). The value comes from the URL, so it must arrive escaped.
/** The value attribute of the user name field, as served (still escaped). */
const fieldValue = (page: string): string | undefined => /<input type="text" id="username" name="username" value="([^"]*)"/.exec(page)?.[1];

describe('prefilled RAM user logon pages', () => {
  let server: TestServer;
  let domain: string;
  before(async () => {
    server = await startServer();
    domain = `${server.gatehouse.bootstrap.account.alias}.onaliyun.com`;
  });
  after(async () => server?.close());

  const page = async (path: string): Promise<string> => {
    const res = await fetch(`${server.url}${path}`);
    assert.equal(res.status, 200, path);
    return res.text();
  };

  it('holds the user name from the URL on the dedicated page (short name) and on the general page (full name)', async () => {
    const dedicated = await page(`/${domain}/login.htm?username=${encodeURIComponent(`bob@${domain}`)}`);
    assert.equal(fieldValue(dedicated), 'bob');
    assert.match(dedicated, new RegExp(`<span>@${domain.replace(/\./g, '\\.')}</span>`));
    const shortOnly = await page(`/${domain}/login.htm?username=carol`);
    assert.equal(fieldValue(shortOnly), 'carol');
    const general = await page(`/login.htm?username=${encodeURIComponent(`bob@${domain}`)}`);
    assert.equal(fieldValue(general), `bob@${domain}`);
  });

  it('escapes a hostile value instead of letting it out of the attribute', async () => {
    const hostile = `x"><script>alert(1)</script><input value="`;
    for (const path of [`/${domain}/login.htm`, '/login.htm']) {
      const body = await page(`${path}?username=${encodeURIComponent(hostile)}`);
      assert.doesNotMatch(body, /<script>alert\(1\)<\/script>/, path);
      assert.equal(fieldValue(body), 'x&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;input value=&quot;', path);
    }
  });
});
