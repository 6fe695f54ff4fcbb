import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, type TestServer } from '../support/server.js';
import { FormSession } from '../support/form-session.js';

// oathtool is an independent TOTP implementation: the server's codes are checked against it, not against itself.
const oathtool = (secret: string, unixSeconds: number): string =>
  execFileSync('oathtool', ['--totp', '-b', '-N', `@${unixSeconds}`, secret], { encoding: 'utf8' }).trim();

const SECURITY = '/console/root-security';

// A sequential journey: the root identity has one MFA device, bound by the first test; the next ones sign in with it,
// and one removes it; they run in this order only.
describe('root MFA', () => {
  let server: TestServer;
  let password: string;
  /** The seed the first test binds. */
  let boundSecret = '';

  /** Seconds of the server clock, at the start of its current TOTP step. */
  const stepStart = (): number => Math.floor(server.clock.now().getTime() / 30_000) * 30;
  const codeNow = (secret: string): string => oathtool(secret, stepStart());
  /**
   * The next step's code, after moving the clock on to it (a code is accepted once). The clock only ever moves forward
   * in this file: the server remembers the last step each device used, so a clock put back would refuse every next
   * code. The server is this file's own, so no other file sees the moved clock.
   */
  const nextCode = (secret: string): string => {
    server.clock.advance(30_000);
    return codeNow(secret);
  };
  const wrongCode = (secret: string): string => String((Number(codeNow(secret)) + 1) % 1_000_000).padStart(6, '0');

  /** The password step; answers the response (303 to the console, or to the MFA step). */
  const signIn = async (typed = password): Promise<{ session: FormSession; res: Response }> => {
    const session = new FormSession(server.url);
    await session.open('/root/login');
    const res = await session.post('/root/login', { identifier: server.accountId, password: typed });
    return { session, res };
  };
  const signedIn = async (code?: string): Promise<FormSession> => {
    const { session, res } = await signIn();
    if (code === undefined) {
      assert.equal(res.headers.get('location'), '/console');
    } else {
      assert.equal(res.headers.get('location'), '/root/login/mfa');
      assert.equal((await session.post('/root/login/mfa', { code })).headers.get('location'), '/console');
    }
    assert.equal((await session.get(SECURITY)).status, 200);
    return session;
  };
  const isSignedIn = async (session: FormSession): Promise<boolean> => (await session.get('/console')).status === 200;
  const secretOn = async (session: FormSession): Promise<string> => {
    const page = await (await session.get(SECURITY)).text();
    return /id="mfa-secret">([A-Z2-7]+)</.exec(page)![1]!;
  };
  const bind = async (session: FormSession): Promise<string> => {
    const secret = await secretOn(session);
    const res = await session.post(`${SECURITY}/mfa`, { code1: oathtool(secret, stepStart() - 30), code2: codeNow(secret) });
    assert.equal(res.status, 303);
    assert.match(await (await session.get(SECURITY)).text(), /MFA device is bound/);
    return secret;
  };

  before(async () => {
    server = await startServer();
    password = server.rootPassword;
  });
  after(async () => server.close());

  it('binds a virtual MFA device from the console with two consecutive codes, refusing wrong ones, and ends root\'s other sessions', async () => {
    const other = await signedIn();
    const console = await signedIn();
    const page = await (await console.get(SECURITY)).text();
    assert.match(page, /<img src="data:image\/png;base64,/, 'a QR code');
    const secret = await secretOn(console);
    const refused = await console.post(`${SECURITY}/mfa`, { code1: codeNow(secret), code2: oathtool(secret, stepStart() - 30) });
    assert.equal(refused.status, 400, 'codes out of order are refused');
    assert.doesNotMatch(await refused.text(), /MFA device is bound/);
    assert.equal(await isSignedIn(other), true, 'a refused binding changes nothing');

    assert.equal(await secretOn(console), secret, 'the page keeps offering the same seed');
    boundSecret = await bind(console);
    assert.equal(await isSignedIn(console), true, 'the session that bound the device goes on');
    assert.equal(await isSignedIn(other), false, 'the other root session ended');

    // Sign-in now asks for the code after the password, and opens no session before it.
    const { session, res } = await signIn();
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/root/login/mfa');
    assert.equal(session.cookieValue('gh_session'), undefined);
    assert.equal(await isSignedIn(session), false);
    const wrong = await session.post('/root/login/mfa', { code: wrongCode(secret) });
    assert.equal(wrong.status, 400);
    assert.match(await wrong.text(), /verification code is incorrect/);
    const code = nextCode(secret);
    const ok = await session.post('/root/login/mfa', { code });
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.get('location'), '/console');
    assert.equal(await isSignedIn(session), true);

    // The same code again, in another sign-in, is refused: a code is accepted once.
    const replay = await signIn();
    const again = await replay.session.post('/root/login/mfa', { code });
    assert.equal(again.status, 400);
    assert.equal(await isSignedIn(replay.session), false);
  });

  it('refuses the MFA step\'s cookie sent again after the sign-in finished', async () => {
    const { session } = await signIn();
    const flowCookie = session.cookieHeader();
    assert.equal((await session.post('/root/login/mfa', { code: nextCode(boundSecret) })).headers.get('location'), '/console');
    const replayed = await fetch(`${server.url}/root/login/mfa`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: flowCookie },
      body: new URLSearchParams({ _csrf: session.csrfToken, code: nextCode(boundSecret) }),
    });
    assert.equal(replayed.headers.getSetCookie().some((c) => c.startsWith('gh_session=')), false, 'no second session');
  });

  it('caps the codes typed for the root identity, even across sign-in attempts', async () => {
    const secret = boundSecret;
    // A minute into a new 15-minute window: the codes typed so far no longer count, and the 30 s step the right
    // code needs cannot carry the count over into the next window.
    const window = 15 * 60_000;
    server.clock.advance(window - (server.clock.now().getTime() % window) + 60_000);
    for (let i = 0; i < 5; i++) {
      const { session } = await signIn();
      assert.equal((await session.post('/root/login/mfa', { code: wrongCode(secret) })).status, 400);
    }
    const { session } = await signIn();
    const right = await session.post('/root/login/mfa', { code: nextCode(secret) });
    assert.equal(right.headers.getSetCookie().some((c) => c.startsWith('gh_session=')), false, 'past the cap even the right code is refused');
    server.clock.advance(15 * 60_000);
  });

  it('removes the device only with a current code, ending root\'s other sessions and sign-ins in progress', async () => {
    const secret = boundSecret;
    const other = await signedIn(nextCode(secret));
    const console = await signedIn(nextCode(secret));
    const pending = await signIn(); // past the password, at the MFA step
    assert.equal(pending.res.headers.get('location'), '/root/login/mfa');

    const wrong = await console.post(`${SECURITY}/mfa/remove`, { code: wrongCode(secret) });
    assert.equal(wrong.status, 400);
    assert.match(await (await console.get(SECURITY)).text(), /MFA device is bound/);
    assert.equal(await isSignedIn(other), true);

    const removed = await console.post(`${SECURITY}/mfa/remove`, { code: nextCode(secret) });
    assert.equal(removed.status, 303);
    assert.doesNotMatch(await (await console.get(SECURITY)).text(), /MFA device is bound/);
    assert.equal(await isSignedIn(console), true);
    assert.equal(await isSignedIn(other), false, 'the other root session ended');
    const late = await pending.session.post('/root/login/mfa', { code: nextCode(secret) });
    assert.equal(late.headers.getSetCookie().some((c) => c.startsWith('gh_session=')), false, 'a sign-in that started before the change cannot finish');

    await signedIn(); // no code asked any more
  });

  it('changes the root password with the current one, ending root\'s other sessions', async () => {
    const other = await signedIn();
    const console = await signedIn();
    const newPassword = 'New-Root-Password-42!';
    const refused = await console.post(`${SECURITY}/password`, { currentPassword: 'not-it', newPassword, confirmPassword: newPassword });
    assert.equal(refused.status, 400);
    assert.equal(await isSignedIn(other), true);
    const changed = await console.post(`${SECURITY}/password`, { currentPassword: password, newPassword, confirmPassword: newPassword });
    assert.equal(changed.status, 303);
    assert.equal(await isSignedIn(console), true);
    assert.equal(await isSignedIn(other), false, 'the other root session ended');
    assert.equal((await signIn(password)).res.status, 401, 'the old password no longer works');
    password = newPassword;
    await signedIn();
  });

  it('offers the root security page to the root identity only', async () => {
    const res = await fetch(`${server.url}${SECURITY}`, { redirect: 'manual' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/root/login');
  });
});

describe('root security forms', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => server.close());

  it('refuses a forged POST on each of its routes and the MFA step: no token, or another origin', async () => {
    const root = new FormSession(server.url);
    await root.open('/root/login');
    assert.equal((await root.post('/root/login', { identifier: server.accountId, password: server.rootPassword })).status, 303);
    const cookie = root.cookieHeader();
    for (const route of ['/root/login/mfa', `${SECURITY}/mfa`, `${SECURITY}/mfa/remove`, `${SECURITY}/password`]) {
      for (const headers of [{}, { origin: 'https://evil.example' }] as Array<Record<string, string>>) {
        const body = 'origin' in headers ? `_csrf=${root.csrfToken}&code=123456` : 'code=123456';
        const res = await fetch(`${server.url}${route}`, {
          method: 'POST',
          redirect: 'manual',
          headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', ...headers },
          body,
        });
        assert.equal(res.status, 403, `${route}: ${res.status}`);
      }
    }
  });
});
