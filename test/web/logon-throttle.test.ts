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
