// Attacks on the browser side, over plain HTTP as an attacker would send them: guessing MFA codes, forged POSTs,
// open redirects through returnTo and the portal's landing pages, cookies without their flags, and sessions that
// outlive what ended them.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer, restoreClockAfterEach } from '../support/server.js';
import { FormSession } from '../support/form-session.js';
import { oathtoolCode } from '../support/browser.js';
import { Ims, Ram, callApi, imsClient, ramClient } from '../support/sdk.js';
import { sso } from '../cloudsso/access-support.js';
import { randomBytes } from 'node:crypto';
import { createSealer } from '../../src/crypto/secrets.js';

const PASSWORD = 'Attack-Passw0rd!';

/** A code for the server's clock that is certainly not the right one (the right one ± one step is accepted). */
function wrongCode(secret: string, at: Date): string {
  const valid = new Set([-30_000, 0, 30_000].map((d) => oathtoolCode(secret, new Date(at.getTime() + d))));
  for (let n = 0; ; n++) {
    const code = String(n).padStart(6, '0');
    if (!valid.has(code)) return code;
  }
}

const secretOf = async (res: Response): Promise<string> => /id="mfa-secret">([A-Z2-7]+)</.exec(await res.text())![1]!;

describe('browser attacks', () => {
  let server: TestServer;
  restoreClockAfterEach(() => server);
  let domain: string;
  let ram: any;
  let dirName: string;
  let dirId: string;

  before(async () => {
    server = await startServer();
    domain = `${server.gatehouse.bootstrap.account.alias}.onaliyun.com`;
    ram = ramClient(server.url, server.root);
    for (const name of ['mfauser', 'plain']) {
      await ram.createUser(new Ram.CreateUserRequest({ userName: name }));
      await ram.createLoginProfile(new Ram.CreateLoginProfileRequest({ userName: name, password: PASSWORD, MFABindRequired: name === 'mfauser' }));
    }
    dirName = `atk-${Math.random().toString(36).slice(2, 8)}`;
    dirId = (await sso(server, 'CreateDirectory', { DirectoryName: dirName })).Directory.DirectoryId;
  });
  after(async () => server.close());

  async function toPasswordStep(user: string, path = '/login.htm'): Promise<{ session: FormSession; res: Response }> {
    const session = new FormSession(server.url);
    await session.open(path);
    await session.post('/login/identify', { username: `${user}@${domain}` });
    return { session, res: await session.post('/login/password', { password: PASSWORD }) };
  }

  it('caps MFA codes per user across logon flows, so six digits cannot be guessed', async () => {
    // First logon binds the device (the secret is shown on the binding step).
    const first = await toPasswordStep('mfauser');
    assert.equal(first.res.headers.get('location'), '/login/mfa-bind');
    const bindPage = await first.session.get('/login/mfa-bind');
    const secret = await secretOf(bindPage);
    const now = server.clock.now();
    const bound = await first.session.post('/login/mfa-bind', {
      code1: oathtoolCode(secret, new Date(now.getTime() - 30_000)),
      code2: oathtoolCode(secret, now),
    });
    assert.equal(bound.status, 303);
    assert.ok(first.session.cookieValue('gh_session'));
    // A minute into a new 15-minute window of the code count, so these few seconds of guessing cannot straddle two.
    const window = 15 * 60_000;
    const skip = window - (server.clock.now().getTime() % window) + 60_000;
    server.clock.advance(skip);

    // An attacker who has the password guesses codes; a new flow does not start a new count.
    let tried = 0;
    for (const flowAttempts of [3, 2]) {
      const { session, res } = await toPasswordStep('mfauser');
      assert.equal(res.headers.get('location'), '/login/mfa');
      for (let i = 0; i < flowAttempts; i++, tried++) {
        const guess = await session.post('/login/mfa', { code: wrongCode(secret, server.clock.now()) });
        assert.equal(guess.status, 400);
      }
    }
    assert.equal(tried, 5);
    const { session, res } = await toPasswordStep('mfauser');
    assert.equal(res.headers.get('location'), '/login/mfa');
    const lucky = await session.post('/login/mfa', { code: oathtoolCode(secret, server.clock.now()) });
    assert.equal(lucky.status, 403, 'the right code after the cap must not open a session');
    assert.equal(session.cookieValue('gh_session'), undefined);
    assert.match(await lucky.text(), /Too many verification codes/);

    // After the window the user logs on normally.
    server.clock.advance(16 * 60_000);
    const later = await toPasswordStep('mfauser');
    const ok = await later.session.post('/login/mfa', { code: oathtoolCode(secret, server.clock.now()) });
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.get('location'), '/console');
  });

  it('refuses a forged POST on every state-changing route: no token, a wrong token, or another origin', async () => {
    const root = new FormSession(server.url);
    await root.open('/root/login');
    const signedIn = await root.post('/root/login', { identifier: server.accountId, password: server.rootPassword });
    assert.equal(signedIn.status, 303);
    const cookie = `gh_session=${root.cookieValue('gh_session')}; gh_csrf=${root.cookieValue('gh_csrf')}`;
    // The session's own token, so that the other-origin forgeries are refused for their origin alone.
    assert.equal((await root.get('/console')).status, 200);
    const token = root.csrfToken;
    const routes = [
      '/root/login', '/logout', '/login/identify', '/login/password', '/login/mfa', '/login/mfa-bind', '/login/mfa-bind/skip',
      '/login/password-change', '/login/passkey/options', '/login/passkey/verify', '/console/security/passkeys/options',
      '/console/security/passkeys', '/console/security/passkeys/delete', '/ram/users', '/ram/users/plain/login-profile',
      '/ram/users/plain/login-profile/edit', '/ram/users/plain/login-profile/delete', '/ram/settings/security',
      '/ram/settings/password-policy', '/ram/settings/logon-domains', '/ram/settings/logon-domains/remove',
      '/cloudsso/directory', '/cloudsso/users', '/cloudsso/groups', '/cloudsso/access-configurations', '/cloudsso/permissions',
      '/cloudsso/permissions/waiting',
      '/cloudsso/users/u-1/delete', '/cloudsso/groups/g-1/delete', '/cloudsso/access-configurations/ac-1/delete',
    ];
    const forgeries: Array<{ name: string; headers: Record<string, string>; body: string; type: string }> = [
      { name: 'no token', headers: {}, body: 'userName=forged', type: 'application/x-www-form-urlencoded' },
      { name: 'wrong token', headers: {}, body: `_csrf=${'A'.repeat(43)}&userName=forged`, type: 'application/x-www-form-urlencoded' },
      { name: 'other origin', headers: { origin: 'https://evil.example' }, body: `_csrf=${token}&userName=forged`, type: 'application/x-www-form-urlencoded' },
      { name: 'null origin', headers: { origin: 'null' }, body: `_csrf=${token}&userName=forged`, type: 'application/x-www-form-urlencoded' },
      { name: 'JSON without token', headers: {}, body: '{"userName":"forged"}', type: 'application/json' },
    ];
    for (const route of routes) {
      for (const f of forgeries) {
        const res = await fetch(`${server.url}${route}`, {
          method: 'POST',
          redirect: 'manual',
          headers: { cookie, 'content-type': f.type, ...f.headers },
          body: f.body,
        });
        assert.equal(res.status, 403, `${route} with ${f.name}: ${res.status}`);
      }
    }
    // The root session is still alive (the forged logout did nothing) and nothing was created.
    const home = await fetch(`${server.url}/console`, { headers: { cookie }, redirect: 'manual' });
    assert.equal(home.status, 200);
    await assert.rejects(ram.getUser(new Ram.GetUserRequest({ userName: 'forged' })), (error: any) => error.code === 'EntityNotExist.User');
  });

  it('never lands a RAM user logon on a returnTo outside the allow-list', async () => {
    const refused = [
      'https://evil.example/', 'https://aliyun.com.evil.example/', 'https://evilaliyun.com/', 'https://aliyun.com@evil.example/',
      'https://user:pw@ram.console.aliyun.com/', 'http://ram.console.aliyun.com/', '//evil.example/', '/\\evil.example', '\\\\evil.example',
      '/%2F%2Fevil.example', '/%252F%252Fevil.example', 'javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,hi',
      'https:evil.example', 'https:/evil.example', ' https://ram.console.aliyun.com', 'https://ram.console.aliyun.com\\@evil.example',
      'https://evil.example%2F.aliyun.com/', 'https://evil.example%252F@aliyun.com/', '/console\r\nSet-Cookie: x=1', 'ftp://aliyun.com/',
    ];
    const cases: Array<[string, string, string]> = [
      ...refused.map((v): [string, string, string] => ['returnTo', v, '/console']),
      ...refused.slice(0, 4).map((v): [string, string, string] => ['redirect', v, '/console']),
      ['returnTo', 'https://ram.console.aliyun.com/users', 'https://ram.console.aliyun.com/users'],
      ['redirect', '/ram/users', '/ram/users'],
    ];
    for (const [param, value, expected] of cases) {
      const { session, res } = await toPasswordStep('plain', `/login.htm?${new URLSearchParams({ [param]: value })}`);
      assert.equal(res.headers.get('location'), '/login/mfa-bind');
      const done = await session.post('/login/mfa-bind/skip', {});
      assert.equal(done.status, 303);
      assert.equal(done.headers.get('location'), expected, `${param}=${JSON.stringify(value)}`);
    }
  });

  it('refuses a portal direct link whose landingPage is outside the allow-list', async () => {
    for (const landing of ['https://evil.example/', '//evil.example', 'javascript:alert(1)', 'http://ram.console.aliyun.com/', '/\\evil.example']) {
      const query = new URLSearchParams({ quickLogin: 'true', accountId: server.accountId, accessConfigurationName: 'x', landingPage: landing });
      const res = await fetch(`${server.url}/sso/${dirName}/login?${query}`, { redirect: 'manual' });
      assert.equal(res.status, 400, landing);
    }
  });

  it('keeps portal flows and sessions to their own kind, and single-use', async () => {
    const dir = dirName;
    const userId = (await sso(server, 'CreateUser', { DirectoryId: dirId, UserName: 'alice' })).User.UserId;
    await sso(server, 'ResetUserPassword', { DirectoryId: dirId, UserId: userId, Password: PASSWORD });
    await sso(server, 'SetMFAAuthenticationStatus', { DirectoryId: dirId, MFAAuthenticationStatus: 'Disabled' });
    const portal = new FormSession(server.url);
    await portal.open(`/sso/${dir}/login`);
    const portalFlow = portal.cookieValue('gh_pflow');
    assert.ok(portalFlow);
    // The portal's flow presented to the RAM user logon is not a flow there.
    const csrf = portal.csrfToken;
    const crossed = await fetch(`${server.url}/login/password`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `gh_flow=${portalFlow}; gh_csrf=${portal.cookieValue('gh_csrf')}` },
      body: new URLSearchParams({ _csrf: csrf, password: PASSWORD }),
    });
    assert.equal(crossed.status, 303);
    assert.equal(crossed.headers.get('location'), '/login.htm');
    const signedIn = await portal.post(`/sso/${dir}/login`, { username: 'alice', password: PASSWORD });
    assert.equal(signedIn.status, 303);
    const token = portal.cookieValue('gh_portal');
    assert.ok(token, `${signedIn.headers.get('location')} ${signedIn.headers.getSetCookie()}`);
    // A portal session is not a console session.
    const console = await fetch(`${server.url}/console`, { headers: { cookie: `gh_session=${token}` }, redirect: 'manual' });
    assert.equal(console.headers.get('location'), '/login.htm');
    // The flow was single-use: replaying its cookie after the sign-in starts over.
    const replay = await fetch(`${server.url}/sso/${dir}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `gh_pflow=${portalFlow}; gh_csrf=${portal.cookieValue('gh_csrf')}` },
      body: new URLSearchParams({ _csrf: csrf, username: 'alice', password: PASSWORD }),
    });
    assert.equal(replay.status, 303);
    assert.equal(replay.headers.get('location'), `/sso/${dir}/login`);
    assert.ok(!replay.headers.getSetCookie().some((c) => c.startsWith('gh_portal=')));
  });

  it('serves only its own scripts and stylesheet under /static', async () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const res = await fetch(`${server.url}/static/${name}`);
      assert.equal(res.status, 404, name);
    }
    // Every page links the one stylesheet, which browsers may keep.
    assert.match(await (await fetch(`${server.url}/login.htm`)).text(), /<link rel="stylesheet" href="\/static\/gatehouse.css">/);
    const css = await fetch(`${server.url}/static/gatehouse.css`);
    assert.equal(css.status, 200);
    assert.match(css.headers.get('content-type') ?? '', /^text\/css/);
    assert.match(css.headers.get('cache-control') ?? '', /max-age=/);
    assert.match(await css.text(), /button\{/);
  });

  it('ends a RAM user session at once when the administrator removes its console logon', async () => {
    const { session } = await toPasswordStep('plain');
    await session.post('/login/mfa-bind/skip', {});
    const cookie = `gh_session=${session.cookieValue('gh_session')}`;
    assert.equal((await fetch(`${server.url}/console`, { headers: { cookie }, redirect: 'manual' })).status, 200);
    await ram.deleteLoginProfile(new Ram.DeleteLoginProfileRequest({ userName: 'plain' }));
    for (const path of ['/console', '/console/security', '/ram/users']) {
      const res = await fetch(`${server.url}${path}`, { headers: { cookie }, redirect: 'manual' });
      assert.equal(res.status, 303, path);
      assert.equal(res.headers.get('location'), '/login.htm');
    }
    await ram.createLoginProfile(new Ram.CreateLoginProfileRequest({ userName: 'plain', password: PASSWORD }));
  });

  it('ends a refused logon on the server: its flow cookie cannot be sent again once the refusal is lifted', async () => {
    const { session, res } = await toPasswordStep('plain');
    assert.equal(res.headers.get('location'), '/login/mfa-bind');
    const kept = `gh_flow=${session.cookieValue('gh_flow')}; gh_csrf=${session.cookieValue('gh_csrf')}`;
    // The administrator allows console logon only from a network the tests are not on, then lifts that again.
    await ram.setSecurityPreference(new Ram.SetSecurityPreferenceRequest({ loginNetworkMasks: '10.0.0.0/8' }));
    try {
      const refused = await session.post('/login/mfa-bind/skip', {});
      assert.equal(refused.status, 403);
      assert.match(await refused.text(), /network address/);
    } finally {
      await ram.setSecurityPreference(new Ram.SetSecurityPreferenceRequest({ loginNetworkMasks: '' }));
    }
    // Whoever kept the flow cookie sends it again: the flow ended on the server, so the logon starts over.
    const replay = await fetch(`${server.url}/login/mfa-bind/skip`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: kept },
      body: new URLSearchParams({ _csrf: session.csrfToken }),
    });
    assert.equal(replay.status, 303);
    assert.equal(replay.headers.get('location'), '/login.htm');
    assert.doesNotMatch(replay.headers.get('set-cookie') ?? '', /gh_session=/);
  });

  it('answers the name step alike for a user who exists and one who does not, down to the cookie\'s length', async () => {
    const flowAfterName = async (username: string): Promise<string> => {
      const session = new FormSession(server.url);
      await session.open();
      const res = await session.post('/login/identify', { username });
      assert.equal(res.headers.get('location'), '/login/password');
      return session.cookieValue('gh_flow')!;
    };
    const known = await flowAfterName(`plain@${domain}`);
    const unknown = await flowAfterName(`plaix@${domain}`);
    const elsewhere = await flowAfterName(`plain@${'x'.repeat(domain.length - '.onaliyun.com'.length)}.onaliyun.com`);
    assert.equal(unknown.length, known.length);
    assert.equal(elsewhere.length, known.length);
  });

  it('treats a flow cookie that was tampered with, or sealed by another server, as no logon at all', async () => {
    const { session, res } = await toPasswordStep('plain');
    assert.equal(res.headers.get('location'), '/login/mfa-bind');
    const sealed = session.cookieValue('gh_flow')!;
    const flipped = `${sealed.slice(0, 40)}${sealed[40] === 'A' ? 'B' : 'A'}${sealed.slice(41)}`;
    const foreign = createSealer(randomBytes(32), 'login flow').seal({ id: 'x', kind: 'ram-user', step: 'mfa-bind', expires_at: '2999-01-01T00:00:00.000Z' });
    for (const cookie of [flipped, foreign, sealed.slice(0, -4), 'not-a-flow']) {
      const skip = await fetch(`${server.url}/login/mfa-bind/skip`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `gh_flow=${cookie}; gh_csrf=${session.cookieValue('gh_csrf')}` },
        body: new URLSearchParams({ _csrf: session.csrfToken }),
      });
      assert.equal(skip.status, 303, cookie);
      assert.equal(skip.headers.get('location'), '/login.htm', cookie);
      assert.doesNotMatch(skip.headers.get('set-cookie') ?? '', /gh_session=/);
    }
    // The untouched cookie still finishes its logon, once: sent again, it starts over without a session.
    const done = await session.post('/login/mfa-bind/skip', {});
    assert.equal(done.headers.get('location'), '/console');
    const replay = await fetch(`${server.url}/login/mfa-bind/skip`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `gh_flow=${sealed}; gh_csrf=${session.cookieValue('gh_csrf')}` },
      body: new URLSearchParams({ _csrf: session.csrfToken }),
    });
    assert.equal(replay.headers.get('location'), '/login.htm');
    assert.doesNotMatch(replay.headers.get('set-cookie') ?? '', /gh_session=/);
  });

  it('does not finish a logon whose password step came before an administrator reset, disabled or removed its console logon', async () => {
    await ram.createUser(new Ram.CreateUserRequest({ userName: 'overtaken' }));
    await ram.createLoginProfile(new Ram.CreateLoginProfileRequest({ userName: 'overtaken', password: PASSWORD }));
    const ims = imsClient(server.url, server.root);
    const upn = `overtaken@${domain}`;
    const cases: Array<[string, () => Promise<unknown>, () => Promise<unknown>]> = [
      // A reset to the very same password still ends the logons in progress: the reset is what counts.
      ['a password reset', () => ram.updateLoginProfile(new Ram.UpdateLoginProfileRequest({ userName: 'overtaken', password: PASSWORD })), async () => {}],
      [
        'console logon disabled',
        () => ims.updateLoginProfile(new Ims.UpdateLoginProfileRequest({ userPrincipalName: upn, status: 'Inactive' })),
        () => ims.updateLoginProfile(new Ims.UpdateLoginProfileRequest({ userPrincipalName: upn, status: 'Active' })),
      ],
      [
        // Its flow lives in the browser's cookie now: the change is what counts, not the state it left behind.
        'console logon disabled and enabled again',
        async () => {
          await ims.updateLoginProfile(new Ims.UpdateLoginProfileRequest({ userPrincipalName: upn, status: 'Inactive' }));
          await ims.updateLoginProfile(new Ims.UpdateLoginProfileRequest({ userPrincipalName: upn, status: 'Active' }));
        },
        async () => {},
      ],
      [
        // Removed and enabled again: the new profile must not revive logons begun under the old one.
        'console logon removed and enabled again',
        async () => {
          await ram.deleteLoginProfile(new Ram.DeleteLoginProfileRequest({ userName: 'overtaken' }));
          await ram.createLoginProfile(new Ram.CreateLoginProfileRequest({ userName: 'overtaken', password: PASSWORD }));
        },
        async () => {},
      ],
      [
        'console logon removed',
        () => ram.deleteLoginProfile(new Ram.DeleteLoginProfileRequest({ userName: 'overtaken' })),
        () => ram.createLoginProfile(new Ram.CreateLoginProfileRequest({ userName: 'overtaken', password: PASSWORD })),
      ],
    ];
    for (const [what, change, undo] of cases) {
      const { session, res } = await toPasswordStep('overtaken');
      assert.equal(res.headers.get('location'), '/login/mfa-bind', what);
      await change();
      const skip = await session.post('/login/mfa-bind/skip', {});
      assert.notEqual(skip.headers.get('location'), '/console', what);
      assert.equal(session.cookieValue('gh_session'), undefined, what);
      await undo();
    }
    // The same logon with nothing changed in between goes through.
    const { session } = await toPasswordStep('overtaken');
    const skip = await session.post('/login/mfa-bind/skip', {});
    assert.equal(skip.headers.get('location'), '/console');
    assert.ok(session.cookieValue('gh_session'));
  });

  it('lets a logon that finishes while an administrator resets the password either be refused untouched or lose its session', async () => {
    // The reset hashes the new password before it writes, so the last step is sent after a delay that sweeps the
    // moment the reset commits: some logons come first, some after.
    const delays = [0, 4, 8, 12, 16, 20, 25, 30, 40, 60];
    for (const [i, delay] of delays.entries()) {
      const userName = `racer${i}`;
      await ram.createUser(new Ram.CreateUserRequest({ userName }));
      await ram.createLoginProfile(new Ram.CreateLoginProfileRequest({ userName, password: PASSWORD }));
      const { session } = await toPasswordStep(userName);
      const [skip] = await Promise.all([
        new Promise((resolve) => setTimeout(resolve, delay)).then(() => session.post('/login/mfa-bind/skip', {})),
        ram.updateLoginProfile(new Ram.UpdateLoginProfileRequest({ userName, password: PASSWORD })),
      ]);
      // The IMS SDK model has no PasswordStatus field, so the raw answer is read.
      const profile = (await callApi(server.url, server.root, 'GetLoginProfile', '2019-08-15', { UserPrincipalName: `${userName}@${domain}` })).LoginProfile;
      if (skip.headers.get('location') === '/console') {
        // The logon came first: the reset that followed ended its session.
        const console = await fetch(`${server.url}/console`, { headers: { cookie: `gh_session=${session.cookieValue('gh_session')}` }, redirect: 'manual' });
        assert.equal(console.status, 303);
        assert.equal(profile.PasswordStatus, 'NotInitial');
      } else {
        // The reset came first: the refused logon wrote nothing, so the password was never used.
        assert.equal(session.cookieValue('gh_session'), undefined);
        assert.equal(profile.PasswordStatus, 'InitialValid');
        assert.equal(profile.LastLoginTime ?? '', '');
      }
    }
  });

  it('opens one session at most when the last step of one logon is sent twice at once', async () => {
    const { session } = await toPasswordStep('plain');
    const cookie = session.cookieHeader();
    const sends = await Promise.all(
      Array.from({ length: 4 }, () =>
        fetch(`${server.url}/login/mfa-bind/skip`, {
          method: 'POST',
          redirect: 'manual',
          headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
          body: new URLSearchParams({ _csrf: session.csrfToken }),
        }),
      ),
    );
    const opened = sends.filter((res) => /gh_session=[^;]/.test(res.headers.get('set-cookie') ?? ''));
    assert.equal(opened.length, 1);
    for (const res of sends) if (!opened.includes(res)) assert.equal(res.headers.get('location'), '/login.htm');
  });
});

describe('cookies behind https', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ env: { GATEHOUSE_PUBLIC_URL: 'https://gatehouse.example' } });
  });
  after(async () => server.close());

  it('sets every cookie HttpOnly, SameSite and Secure', async () => {
    const session = new FormSession(server.url);
    await session.open('/root/login');
    const res = await fetch(`${server.url}/root/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `gh_csrf=${session.cookieValue('gh_csrf')}` },
      body: new URLSearchParams({ _csrf: session.csrfToken, identifier: server.accountId, password: server.rootPassword }),
    });
    assert.equal(res.status, 303);
    const login = await fetch(`${server.url}/login.htm`);
    const csrf = login.headers.getSetCookie()[0]!.split(';')[0]!.split('=')[1]!;
    const token = /name="_csrf" value="([^"]+)"/.exec(await login.text())![1]!;
    const identify = await fetch(`${server.url}/login/identify`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `gh_csrf=${csrf}` },
      body: new URLSearchParams({ _csrf: token, username: 'someone@example.onaliyun.com' }),
    });
    assert.equal(identify.headers.get('location'), '/login/password', `${identify.status} ${await identify.text()}`);
    const cookies = [...res.headers.getSetCookie(), ...login.headers.getSetCookie(), ...identify.headers.getSetCookie()];
    assert.deepEqual(cookies.map((c) => c.split('=')[0]).sort(), ['gh_csrf', 'gh_flow', 'gh_session']);
    for (const c of cookies) {
      assert.match(c, /; HttpOnly/i, c);
      assert.match(c, /; Secure/i, c);
      assert.match(c, /; SameSite=(Lax|Strict)/i, c);
      assert.match(c, /; Path=\//i, c);
    }
  });
});
