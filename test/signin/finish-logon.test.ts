// The end of a RAM user's console logon has two implementations: one transaction of small writes (SQLite) and one
// data-modifying statement (PostgreSQL). They must write the same rows. On SQLite the transaction is checked against
// the rows a logon's end must leave; on PostgreSQL both paths run, each for its own user, and their rows are compared.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/server.js';
import { Ram, ramClient } from '../support/sdk.js';
import { isPostgres } from '../../src/store/db.js';
import { newSession } from '../../src/sessions/sessions.js';
import { readLogonState } from '../../src/ram/logon-state.js';
import { newFlow, updateFlow } from '../../src/signin/flow.js';
import { finishLogonInOneStatement, finishLogonInTransaction, type FinishingLogon, type Finished } from '../../src/signin/finish-logon.js';

type Path = (tx: any, logon: FinishingLogon) => Promise<Finished>;

describe('the end of a RAM user logon', () => {
  let server: TestServer;
  let ram: any;
  let users = 0;
  /** One moment for every logon, so rows written by two paths can be compared whole. */
  let now: Date;
  const db = () => server.gatehouse.services.store.db;
  const paths = (): Array<[string, Path]> =>
    isPostgres(db())
      ? [
          ['one statement', finishLogonInOneStatement],
          ['transaction', finishLogonInTransaction],
        ]
      : [['transaction', finishLogonInTransaction]];

  before(async () => {
    server = await startServer();
    ram = ramClient(server.url, server.root);
    now = server.clock.now();
  });
  after(async () => server?.close());

  /** A user with console logon, an initial password and two failed attempts: what a logon's end clears. */
  async function user(): Promise<string> {
    const name = `finisher${++users}`;
    const { userId } = (await ram.createUser(new Ram.CreateUserRequest({ userName: name }))).body.user;
    await ram.createLoginProfile(new Ram.CreateLoginProfileRequest({ userName: name, password: 'Finish-Passw0rd!' }));
    await db().updateTable('login_profiles').set({ failed_attempts: 2 }).where('user_id', '=', userId).execute();
    return userId;
  }

  async function logon(userId: string, generation?: number): Promise<FinishingLogon> {
    const state = await readLogonState(db(), userId);
    const flow = updateFlow(newFlow({ kind: 'ram-user', now }), {
      step: 'mfa',
      account_id: server.accountId,
      user_id: userId,
      mfa_done: 1,
      logon_generation: generation ?? state!.generation,
    });
    const { session } = newSession({ accountId: server.accountId, principalType: 'user', userId, mfaPresent: true, lifetimeSeconds: 3600, now });
    return { flow, userId, session, now };
  }

  /** Every row a logon's end may write, with the ids that differ between two logons replaced by their part. */
  async function rowsOf(logon: FinishingLogon): Promise<unknown> {
    const { userId, flow, session } = logon;
    const mask = <T extends Record<string, unknown>>(row: T | undefined) =>
      row && Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === userId ? '<user>' : v === flow.id ? '<flow>' : v === session.id ? '<session>' : v]));
    return {
      flows: (await db().selectFrom('login_flows').selectAll().where('id', '=', flow.id).execute()).map(mask),
      profile: mask(await db().selectFrom('login_profiles').select(['user_id', 'status', 'last_login_at', 'password_is_initial', 'failed_attempts', 'locked_until']).where('user_id', '=', userId).executeTakeFirst()),
      user: mask(await db().selectFrom('ram_users').select(['id', 'last_login_at', 'logon_generation']).where('id', '=', userId).executeTakeFirst()),
      sessions: (await db().selectFrom('console_sessions').selectAll().where('user_id', '=', userId).execute()).map(mask),
    };
  }

  /** Runs `scenario` on every path of this database and returns the rows each left, after checking their outcome. */
  async function onEveryPath(scenario: (path: Path) => Promise<{ outcomes: Finished[]; logon: FinishingLogon }>, expected: Finished[]): Promise<unknown[]> {
    const rows: unknown[] = [];
    for (const [name, path] of paths()) {
      const { outcomes, logon } = await scenario(path);
      assert.deepEqual(outcomes, expected, name);
      rows.push(await rowsOf(logon));
    }
    return rows;
  }

  it('opens the session, records the logon and ends the flow, the same on every path', async () => {
    const rows = await onEveryPath(async (path) => {
      const ending = await logon(await user());
      return { outcomes: [await path(db(), ending)], logon: ending };
    }, ['opened']);
    const at = now.toISOString();
    const [first] = rows as Array<any>;
    assert.equal(first.flows.length, 1);
    assert.equal(first.flows[0].id, '<flow>');
    assert.equal(first.flows[0].user_id, '<user>');
    assert.equal(first.flows[0].step, 'mfa');
    assert.deepEqual(first.profile, { user_id: '<user>', status: 'Active', last_login_at: at, password_is_initial: 0, failed_attempts: 0, locked_until: null });
    assert.equal(first.user.last_login_at, at);
    assert.equal(first.sessions.length, 1);
    assert.equal(first.sessions[0].id, '<session>');
    assert.equal(first.sessions[0].mfa_present, 1);
    for (const other of rows.slice(1)) assert.deepEqual(other, first);
  });

  it('writes nothing more for a flow that ended already', async () => {
    const rows = await onEveryPath(async (path) => {
      const ending = await logon(await user());
      const outcomes = [await path(db(), ending), await path(db(), { ...ending, session: newSession({ ...ending.session, accountId: server.accountId, principalType: 'user', userId: ending.userId, mfaPresent: true, lifetimeSeconds: 3600, now: ending.now }).session })];
      return { outcomes, logon: ending };
    }, ['opened', 'ended']);
    for (const found of rows as Array<any>) assert.equal(found.sessions.length, 1);
    for (const other of rows.slice(1)) assert.deepEqual(other, rows[0]);
  });

  it('ends only the flow when console logon was disabled after the password was checked', async () => {
    const rows = await onEveryPath(async (path) => {
      const userId = await user();
      const ending = await logon(userId);
      await db().updateTable('login_profiles').set({ status: 'Inactive' }).where('user_id', '=', userId).execute();
      return { outcomes: [await path(db(), ending)], logon: ending };
    }, ['overtaken']);
    const [first] = rows as Array<any>;
    assert.equal(first.flows.length, 1);
    assert.deepEqual(first.profile, { user_id: '<user>', status: 'Inactive', last_login_at: null, password_is_initial: 1, failed_attempts: 2, locked_until: null });
    assert.equal(first.user.last_login_at, null);
    assert.deepEqual(first.sessions, []);
    for (const other of rows.slice(1)) assert.deepEqual(other, first);
  });

  it('ends only the flow when the user\'s logons were ended after the password was checked', async () => {
    const rows = await onEveryPath(async (path) => {
      const userId = await user();
      const state = await readLogonState(db(), userId);
      const ending = await logon(userId, state!.generation - 1);
      return { outcomes: [await path(db(), ending)], logon: ending };
    }, ['overtaken']);
    const [first] = rows as Array<any>;
    assert.equal(first.flows.length, 1);
    assert.equal(first.profile.last_login_at, null);
    assert.equal(first.profile.password_is_initial, 1);
    assert.equal(first.profile.failed_attempts, 2);
    assert.equal(first.user.last_login_at, null);
    assert.deepEqual(first.sessions, []);
    for (const other of rows.slice(1)) assert.deepEqual(other, first);
  });
});
