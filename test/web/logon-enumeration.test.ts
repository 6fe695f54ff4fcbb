// An unknown user and a known user with a wrong password must get the same answer in about the same time: both pay
// for one argon2id verification. Timings are noisy, so the test compares medians with a wide margin.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/server.js';
import { FormSession } from '../support/form-session.js';
import { Ram, ramClient } from '../support/sdk.js';
import { sso } from '../cloudsso/access-support.js';

async function passwordStep(server: TestServer, userPrincipalName: string, password: string): Promise<{ ms: number; status: number; body: string }> {
  const session = new FormSession(server.url);
  await session.open();
  await session.post('/login/identify', { username: userPrincipalName });
  const start = performance.now();
  const res = await session.post('/login/password', { password });
  const body = await res.text();
  return { ms: performance.now() - start, status: res.status, body };
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const message = (body: string): string => /role="alert">([^<]*)</.exec(body)?.[1] ?? '';

describe('RAM user logon enumeration', () => {
  let server: TestServer;
  let domain: string;
  before(async () => {
    server = await startServer();
    domain = `${server.gatehouse.bootstrap.account.alias}.onaliyun.com`;
    const ram = ramClient(server.url, server.root);
    await ram.createUser(new Ram.CreateUserRequest({ userName: 'known' }));
    await ram.createLoginProfile(new Ram.CreateLoginProfileRequest({ userName: 'known', password: 'Known-Passw0rd!' }));
    await ram.createUser(new Ram.CreateUserRequest({ userName: 'noprofile' }));
  });
  after(async () => server.close());

  it('answers an unknown user, a user without console logon and a wrong password alike, in similar time', async () => {
    const known: number[] = [];
    const unknown: number[] = [];
    const answers = new Set<string>();
    for (let i = 0; i < 8; i++) {
      const a = await passwordStep(server, `known@${domain}`, `wrong-${i}`);
      const b = await passwordStep(server, `nobody-${i}@${domain}`, `wrong-${i}`);
      const c = await passwordStep(server, `noprofile@${domain}`, `wrong-${i}`);
      const d = await passwordStep(server, `someone@unknown-${i}.onaliyun.com`, `wrong-${i}`);
      for (const r of [a, b, c, d]) answers.add(`${r.status} ${message(r.body)}`);
      known.push(a.ms);
      unknown.push(b.ms, c.ms, d.ms);
    }
    assert.deepEqual([...answers], ['400 The user name or password is incorrect.']);
    const ratio = median(unknown) / median(known);
    assert.ok(ratio > 0.5 && ratio < 2, `unknown/known median time ratio ${ratio.toFixed(2)} (${median(unknown).toFixed(1)} ms vs ${median(known).toFixed(1)} ms)`);
  });
});

// A lockout must not tell who exists either: a locked user is answered as a wrong password (also with the right one),
// after an argon2id verification like any other answer. The attempt rate limit is off here: the lockout is the point.
interface Answer {
  status: number;
  /** The page with the echoed user name and the session's CSRF token taken out. */
  page: string;
  /** The cookies set, names and attributes without their values. */
  cookies: string[];
  ms: number;
}

async function answerOf(res: Response, start: number, echoed: string, csrf: string): Promise<Answer> {
  const body = await res.text();
  return {
    status: res.status,
    page: body.split(echoed).join('{user}').split(csrf).join('{csrf}'),
    cookies: res.headers.getSetCookie().map((line) => line.replace(/^([^=]+)=[^;]*/, '$1=')).sort(),
    ms: performance.now() - start,
  };
}

function assertAlike(answers: Record<string, Answer>, reference: string): void {
  const expected = answers[reference]!;
  assert.equal(expected.status, 400);
  assert.equal(message(expected.page), 'The user name or password is incorrect.');
  for (const [name, answer] of Object.entries(answers)) {
    assert.equal(answer.status, expected.status, `${name}: status`);
    assert.equal(message(answer.page), message(expected.page), `${name}: message`);
    assert.equal(answer.page, expected.page, `${name}: page`);
    assert.deepEqual(answer.cookies, expected.cookies, `${name}: cookies`);
  }
}

function assertComparableTime(locked: number[], wrong: number[]): void {
  // Without a verification a locked answer takes a few ms against tens for argon2id: a wide margin still tells.
  const ratio = median(locked) / median(wrong);
  assert.ok(ratio > 0.4, `locked/wrong median time ratio ${ratio.toFixed(2)} (${median(locked).toFixed(1)} ms vs ${median(wrong).toFixed(1)} ms)`);
}

/** A page of the console as the root identity sees it. */
async function consolePage(server: TestServer, path: string): Promise<string> {
  const root = new FormSession(server.url);
  await root.open('/root/login');
  assert.equal((await root.post('/root/login', { identifier: server.accountId, password: server.rootPassword })).status, 303);
  const res = await root.get(path);
  assert.equal(res.status, 200, path);
  return res.text();
}

const field = (page: string, name: string): string => new RegExp(`data-field="${name}">([^<]*)<`).exec(page)?.[1] ?? '';

/** The bystander's wrong passwords (four in all) stay below it. */
const MAX_ATTEMPTS = 5;

describe('logon lockout enumeration', () => {
  let server: TestServer;
  let domain: string;
  before(async () => {
    server = await startServer({ env: { GATEHOUSE_LOGON_RATE_LIMIT: '0' } });
    domain = `${server.gatehouse.bootstrap.account.alias}.onaliyun.com`;
  });
  after(async () => server.close());

  it('answers a locked RAM user, also with the right password, as a wrong password and an unknown user', async () => {
    const ram = ramClient(server.url, server.root);
    await ram.setPasswordPolicy(new Ram.SetPasswordPolicyRequest({ maxLoginAttemps: MAX_ATTEMPTS }));
    for (const name of ['victim', 'bystander']) {
      await ram.createUser(new Ram.CreateUserRequest({ userName: name }));
      await ram.createLoginProfile(new Ram.CreateLoginProfileRequest({ userName: name, password: 'Right-Passw0rd!' }));
    }
    const attempt = async (name: string, password: string): Promise<Answer> => {
      const session = new FormSession(server.url);
      await session.open();
      const upn = `${name}@${domain}`;
      await session.post('/login/identify', { username: upn });
      const start = performance.now();
      return answerOf(await session.post('/login/password', { password }), start, upn, session.csrfToken);
    };
    for (let i = 1; i < MAX_ATTEMPTS; i++) await attempt('victim', `wrong-${i}`);
    const answers: Record<string, Answer> = {
      wrong: await attempt('bystander', 'wrong-1'),
      unknown: await attempt('nobody', 'wrong-1'),
      locking: await attempt('victim', 'wrong-last'),
      lockedWrong: await attempt('victim', 'wrong-after'),
      lockedRight: await attempt('victim', 'Right-Passw0rd!'),
    };
    assertAlike(answers, 'wrong');
    const locked = [answers.lockedWrong!.ms, answers.lockedRight!.ms];
    const wrong = [answers.wrong!.ms, answers.unknown!.ms];
    for (let i = 0; i < 3; i++) {
      locked.push((await attempt('victim', i % 2 ? 'Right-Passw0rd!' : `wrong-again-${i}`)).ms);
      wrong.push((await attempt('bystander', `wrong-again-${i}`)).ms);
    }
    assertComparableTime(locked, wrong);
    // Administrators still see the lock, on the user's page in the RAM console.
    assert.match(field(await consolePage(server, '/ram/users/victim'), 'logon-lock'), /^Locked until \S+Z after too many failed logon attempts/);
    assert.equal(field(await consolePage(server, '/ram/users/bystander'), 'logon-lock'), 'Not locked');
    // The lock was real: after its hour the same password goes on to the next step.
    server.clock.advance(61 * 60_000);
    try {
      const session = new FormSession(server.url);
      await session.open();
      await session.post('/login/identify', { username: `victim@${domain}` });
      assert.equal((await session.post('/login/password', { password: 'Right-Passw0rd!' })).status, 303);
    } finally {
      server.clock.advance(-61 * 60_000); // the SDK signs with the real time
    }
  });

  it('answers a locked portal user, also with the right password, as a wrong password and an unknown user', async () => {
    const dirName = `lock-${Math.random().toString(36).slice(2, 8)}`;
    const dirId = (await sso(server, 'CreateDirectory', { DirectoryName: dirName })).Directory.DirectoryId;
    await sso(server, 'SetMFAAuthenticationStatus', { DirectoryId: dirId, MFAAuthenticationStatus: 'Disabled' });
    await sso(server, 'SetPasswordPolicy', { DirectoryId: dirId, MaxLoginAttempts: MAX_ATTEMPTS });
    const ids: Record<string, string> = {};
    for (const name of ['victim', 'bystander']) {
      const userId = (await sso(server, 'CreateUser', { DirectoryId: dirId, UserName: name })).User.UserId;
      await sso(server, 'ResetUserPassword', { DirectoryId: dirId, UserId: userId, Password: 'Right-Passw0rd!' });
      ids[name] = userId;
    }
    const attempt = async (name: string, password: string): Promise<Answer> => {
      const session = new FormSession(server.url);
      await session.open(`/sso/${dirName}/login`);
      const start = performance.now();
      return answerOf(await session.post(`/sso/${dirName}/login`, { username: name, password }), start, name, session.csrfToken);
    };
    for (let i = 1; i < MAX_ATTEMPTS; i++) await attempt('victim', `wrong-${i}`);
    const answers: Record<string, Answer> = {
      wrong: await attempt('bystander', 'wrong-1'),
      unknown: await attempt('nobody', 'wrong-1'),
      locking: await attempt('victim', 'wrong-last'),
      lockedWrong: await attempt('victim', 'wrong-after'),
      lockedRight: await attempt('victim', 'Right-Passw0rd!'),
    };
    assertAlike(answers, 'wrong');
    const locked = [answers.lockedWrong!.ms, answers.lockedRight!.ms];
    const wrong = [answers.wrong!.ms, answers.unknown!.ms];
    for (let i = 0; i < 3; i++) {
      locked.push((await attempt('victim', i % 2 ? 'Right-Passw0rd!' : `wrong-again-${i}`)).ms);
      wrong.push((await attempt('bystander', `wrong-again-${i}`)).ms);
    }
    assertComparableTime(locked, wrong);
    // Administrators still see the lock, on the user's page in the CloudSSO console.
    assert.match(field(await consolePage(server, `/cloudsso/users/${ids.victim}`), 'sign-in-lock'), /^Locked until \S+Z after too many failed sign-in attempts/);
    assert.equal(field(await consolePage(server, `/cloudsso/users/${ids.bystander}`), 'sign-in-lock'), 'Not locked');
    server.clock.advance(61 * 60_000);
    try {
      const session = new FormSession(server.url);
      await session.open(`/sso/${dirName}/login`);
      assert.equal((await session.post(`/sso/${dirName}/login`, { username: 'victim', password: 'Right-Passw0rd!' })).status, 303);
    } finally {
      server.clock.advance(-61 * 60_000);
    }
  });
});
