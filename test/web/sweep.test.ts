// Ended sign-in flows past their lifetime and expired portal sessions do not pile up: the periodic sweep removes them (and keeps live ones).
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

  it('removes ended sign-in flows past their lifetime and expired portal sessions, and only those', async () => {
    const db = server.gatehouse.services.store.db;
    // Ended flows are kept until they would have expired (and a few minutes more, for clocks that differ between
    // nodes): one still within its lifetime, one ten minutes past it.
    const past = new Date(server.clock.now().getTime() - 10 * 60_000).toISOString();
    const future = new Date(server.clock.now().getTime() + 60_000).toISOString();
    const flow = { kind: 'ram-user' as const, step: 'done' as const, fixed_domain: null, account_id: null, user_id: null, login_name: null, return_to: null, mfa_done: 0, pending_secret: null, challenge: null, created_at: past };
    await db.insertInto('login_flows').values({ ...flow, id: 'ended-flow', expires_at: future }).execute();
    await db.insertInto('login_flows').values({ ...flow, id: 'expired-flow', expires_at: past }).execute();
    await db
      .insertInto('portal_sessions')
      .values({ id: 'expired-portal', directory_id: 'd-x', user_id: 'u-x', mfa_present: 0, created_at: past, expires_at: past })
      .execute();
    const ours = ['ended-flow', 'expired-flow'];
    assert.equal((await db.selectFrom('login_flows').select('id').where('id', 'in', ours).execute()).length, 2);

    await sweepExpired(server.gatehouse.services);

    const flows = await db.selectFrom('login_flows').select('id').where('id', 'in', ours).execute();
    assert.deepEqual(flows.map((f) => f.id), ['ended-flow']);
    assert.equal((await db.selectFrom('portal_sessions').select('id').where('id', '=', 'expired-portal').execute()).length, 0);
  });
});
