// Expired sign-in flows and portal sessions do not pile up: the periodic sweep removes them (and keeps live ones).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/server.js';
import { sweepExpired } from '../../src/app.js';

describe('sweeping expired rows', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => server.close());

  it('removes expired sign-in flows and portal sessions, and only those', async () => {
    const db = server.gatehouse.services.store.db;
    await fetch(`${server.url}/login.htm`); // a live flow
    const past = new Date(server.clock.now().getTime() - 60_000).toISOString();
    const flow = { kind: 'ram-user' as const, step: 'identify' as const, fixed_domain: null, account_id: null, user_id: null, login_name: null, return_to: null, mfa_done: 0, pending_secret: null, challenge: null, created_at: past };
    await db.insertInto('login_flows').values({ ...flow, id: 'expired-flow', expires_at: past }).execute();
    await db
      .insertInto('portal_sessions')
      .values({ id: 'expired-portal', directory_id: 'd-x', user_id: 'u-x', mfa_present: 0, created_at: past, expires_at: past })
      .execute();
    assert.equal((await db.selectFrom('login_flows').select('id').execute()).length, 2);

    await sweepExpired(server.gatehouse.services);

    const flows = await db.selectFrom('login_flows').select('id').execute();
    assert.equal(flows.length, 1);
    assert.notEqual(flows[0]!.id, 'expired-flow');
    assert.equal((await db.selectFrom('portal_sessions').select('id').execute()).length, 0);
  });
});
