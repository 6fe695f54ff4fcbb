// An unknown user and a known user with a wrong password must get the same answer, and pay for the same work: one
// argon2id verification each (the server counts the verifications it starts). Their timing is measured in
// bench/logon-enumeration.ts, not here: on two shared cores no time ratio is a reliable assertion.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { passwordVerificationsStarted } from '../../src/crypto/passwords.js';
import { startServer, type TestServer } from '../support/server.js';
import { FormSession } from '../support/form-session.js';
import { Ram, ramClient } from '../support/sdk.js';
import { sso } from '../cloudsso/access-support.js';

interface Answer {
  status: number;
  /** The page with the echoed user name and the session's CSRF token taken out. */
  page: string;
  /** Every header but the date, the length (the echoed names differ in length) and the cookies' values. */
  headers: Array<[string, string]>;
  /** The cookies set, names and attributes without their values. */
  cookies: string[];
  /** Password verifications the server started while answering. */
  verifications: number;
}

/** Sends `request` and reads its answer, counting the password verifications the server started meanwhile. */
async function answerOf(request: () => Promise<Response>, echoed: string, csrf: string): Promise<Answer> {
  const before = passwordVerificationsStarted();
  const res = await request();
  const body = await res.text();
  return {
    status: res.status,
    page: body.split(echoed).join('{user}').split(csrf).join('{csrf}'),
    headers: [...res.headers].filter(([name]) => !['date', 'content-length', 'set-cookie'].includes(name)),
    cookies: res.headers.getSetCookie().map((line) => line.replace(/^([^=]+)=[^;]*/, '$1=')).sort(),
    verifications: passwordVerificationsStarted() - before,
  };
}

const message = (body: string): string => /role="alert">([^<]*)</.exec(body)?.[1] ?? '';

/** Every answer reads as `reference` does, byte for byte but for what differs per request, and cost one verification. */
function assertAlike(answers: Record<string, Answer>, reference: string): void {
  const expected = answers[reference]!;
  assert.equal(expected.status, 400);
  assert.equal(message(expected.page), 'The user name or password is incorrect.');
  for (const [name, answer] of Object.entries(answers)) {
    assert.equal(answer.status, expected.status, `${name}: status`);
    assert.equal(message(answer.page), message(expected.page), `${name}: message`);
    assert.equal(answer.page, expected.page, `${name}: page`);
    assert.deepEqual(answer.headers, expected.headers, `${name}: headers`);
    assert.deepEqual(answer.cookies, expected.cookies, `${name}: cookies`);
    assert.equal(answer.verifications, 1, `${name}: one argon2id verification`);
  }
}

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

  const passwordStep = async (userPrincipalName: string, password: string): Promise<Answer> => {
    const session = new FormSession(server.url);
    await session.open();
    await session.post('/login/identify', { username: userPrincipalName });
    return answerOf(() => session.post('/login/password', { password }), userPrincipalName, session.csrfToken);
  };

  it('answers an unknown user, a user without console logon and a wrong password alike, each after one verification', async () => {
    const answers: Record<string, Answer> = {
      wrong: await passwordStep(`known@${domain}`, 'wrong-1'),
      unknown: await passwordStep(`nobody@${domain}`, 'wrong-1'),
      noProfile: await passwordStep(`noprofile@${domain}`, 'wrong-1'),
      unknownDomain: await passwordStep('someone@unknown-1.onaliyun.com', 'wrong-1'),
    };
    assertAlike(answers, 'wrong');
    // The count is the server's own: the right password costs one verification too, and goes on to the next step.
    const right = await passwordStep(`known@${domain}`, 'Known-Passw0rd!');
    assert.deepEqual([right.status, right.verifications], [303, 1]);
  });
});

// A lockout must not tell who exists either: a locked user is answered as a wrong password (also with the right one),
// after an argon2id verification like any other answer. The attempt rate limit is off here: the lockout is the point.

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

  it('answers a locked RAM user, also with the right password, as a wrong password and an unknown user', async (t) => {
    const ram = ramClient(server.url, server.root);
    await ram.setPasswordPolicy(new Ram.SetPasswordPolicyRequest({ maxLoginAttemps: MAX_ATTEMPTS }));
    // The policy is the account's, which the portal test beside this one shares.
    t.after(async () => {
      await ram.setPasswordPolicy(new Ram.SetPasswordPolicyRequest({ maxLoginAttemps: 0 }));
    });
    for (const name of ['victim', 'bystander']) {
      await ram.createUser(new Ram.CreateUserRequest({ userName: name }));
      await ram.createLoginProfile(new Ram.CreateLoginProfileRequest({ userName: name, password: 'Right-Passw0rd!' }));
    }
    const attempt = async (name: string, password: string): Promise<Answer> => {
      const session = new FormSession(server.url);
      await session.open();
      const upn = `${name}@${domain}`;
      await session.post('/login/identify', { username: upn });
      return answerOf(() => session.post('/login/password', { password }), upn, session.csrfToken);
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
      return answerOf(() => session.post(`/sso/${dirName}/login`, { username: name, password }), name, session.csrfToken);
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
