// Password attempts are capped per source address across the logon pages, on top of the per-user lockout.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/server.js';

async function rootAttempt(server: TestServer, password: string): Promise<Response> {
  const page = await fetch(`${server.url}/root/login`);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
  const cookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return fetch(`${server.url}/root/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams({ _csrf: csrf, identifier: server.accountId, password }),
  });
}

describe('logon attempts per source address', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ env: { GATEHOUSE_LOGON_RATE_LIMIT: '3' } });
  });
  after(async () => server.close());

  it('refuses further attempts for the rest of the minute, even with the right password, then lets them through', async () => {
    // The limit counts per minute of the clock: start the attempts at the beginning of one, so they all fall in it.
    const toNextMinute = 60_000 - (server.clock.now().getTime() % 60_000) + 1_000;
    server.clock.advance(toNextMinute);
    try {
      await attemptsInOneMinute();
    } finally {
      server.clock.advance(-toNextMinute);
    }
  });

  async function attemptsInOneMinute(): Promise<void> {
    for (let i = 0; i < 3; i++) assert.equal((await rootAttempt(server, `wrong-${i}`)).status, 401);
    const blocked = await rootAttempt(server, server.rootPassword);
    assert.equal(blocked.status, 429);
    assert.match(await blocked.text(), /Too many logon attempts from your network/);
    assert.equal(blocked.headers.getSetCookie().some((c) => c.startsWith('gh_session=')), false);

    const aMinute = 61_000;
    server.clock.advance(aMinute);
    try {
      const allowed = await rootAttempt(server, server.rootPassword);
      assert.equal(allowed.status, 303);
    } finally {
      server.clock.advance(-aMinute);
    }
  }
});

describe('logon attempts per source address, counted in Redis', () => {
  const env = { GATEHOUSE_LOGON_RATE_LIMIT: '3' };
  let first: TestServer;
  let firstAgain: TestServer;
  let other: TestServer;
  before(async () => {
    first = await startServer({ env, redis: true });
    firstAgain = await startServer({ env, shareWith: first });
    other = await startServer({ env, redis: true });
  });
  after(async () => {
    await firstAgain.stop();
    await first.close();
    await other.close();
  });

  it('shares the count between the nodes of one deployment, and keeps another deployment on the same Redis apart', async () => {
    assert.ok(first.gatehouse.services.redis, 'the server asked for Redis and got it');
    assert.notEqual(first.config.redisKeyPrefix, other.config.redisKeyPrefix);
    assert.equal(firstAgain.config.redisKeyPrefix, first.config.redisKeyPrefix);
    // Both clocks held at the same instant, one second into a minute, so every attempt falls in the same window.
    const start = first.clock.freeze().getTime();
    first.clock.advance(60_000 - (start % 60_000) + 1_000);
    other.clock.freeze();
    other.clock.advance(first.clock.now().getTime() - other.clock.now().getTime());
    assert.equal(other.clock.now().getTime(), first.clock.now().getTime());
    try {
      for (let i = 0; i < 3; i++) assert.equal((await rootAttempt(first, `wrong-${i}`)).status, 401);
      assert.equal((await rootAttempt(firstAgain, first.rootPassword)).status, 429, 'the other node of the deployment sees the count');
      assert.equal((await rootAttempt(other, other.rootPassword)).status, 303, 'another deployment counts on its own');
      const keys = await first.gatehouse.services.redis!.keys(`${first.config.redisKeyPrefix}rate:*`);
      assert.ok(keys.length > 0, 'the count is in Redis under the deployment’s prefix');
    } finally {
      first.clock.restore(0);
      other.clock.restore(0);
    }
  });
});
