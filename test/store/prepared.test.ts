// Prepared queries run on SQLite's connection directly, but never inside another request's open transaction: there
// they wait their turn, so they neither read what that transaction has not committed nor join it. (On PostgreSQL
// every query has a connection of its own.)
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/server.js';
import { preparedQuery, preparedRows } from '../../src/store/prepared.js';
import { sqliteLaneOf } from '../../src/store/db.js';

const nonceOf = preparedQuery((tx, p: { nonce: string }) => tx.selectFrom('nonces').select('nonce').where('nonce', '=', p.nonce));
const nonceRows = preparedRows((tx, p: { pattern: string }) =>
  tx.selectFrom('nonces').select(['expires_at as e', 'nonce as n']).where('nonce', 'like', p.pattern).orderBy('nonce'),
);
const addNonce = preparedQuery((tx, p: { nonce: string; expiresAt: string }) => tx.insertInto('nonces').values({ nonce: p.nonce, expires_at: p.expiresAt }));

describe('prepared queries', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => server.close());

  it("wait for another request's open transaction instead of reading into it", async () => {
    const db = server.gatehouse.services.store.db;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inserted!: () => void;
    const insertedInside = new Promise<void>((resolve) => (inserted = resolve));
    // A transaction that writes, then waits (as a request does between two statements), then rolls back.
    const transaction = db
      .transaction()
      .execute(async (tx) => {
        await addNonce(tx, { nonce: 'uncommitted', expiresAt: '2999-01-01T00:00:00.000Z' });
        assert.equal((await nonceOf(tx, { nonce: 'uncommitted' })).rows.length, 1, 'its own transaction sees its write');
        inserted();
        await held;
        throw new Error('rolled back');
      })
      .catch((error: Error) => error.message);
    await insertedInside;
    // Another request's read while the transaction is open.
    let answered = false;
    const read = nonceOf(db, { nonce: 'uncommitted' }).then((result) => {
      answered = true;
      return result.rows;
    });
    // On SQLite nothing in a read does I/O: a read that could run now finishes within microtasks, before one turn of
    // the event loop (setImmediate) is over. So after that turn an unanswered read is one that waits, not a slow one.
    await new Promise((resolve) => setImmediate(resolve));
    // SQLite has one connection: the read waits for the transaction. PostgreSQL reads on another connection at once,
    // and sees only what is committed.
    if (server.gatehouse.services.store.dialect === 'sqlite') assert.equal(answered, false, 'the read must wait for the open transaction');
    else assert.deepEqual(await read, []);
    release();
    assert.equal(await transaction, 'rolled back');
    assert.deepEqual(await read, [], 'the rolled-back write was never seen');
    // With no transaction open, the same query answers at once.
    await addNonce(db, { nonce: 'committed', expiresAt: '2999-01-01T00:00:00.000Z' });
    assert.equal((await nonceOf(db, { nonce: 'committed' })).rows.length, 1);
  });

  it('give rows as arrays in the select list\'s order, also when they had to wait for an open transaction', async () => {
    const db = server.gatehouse.services.store.db;
    await addNonce(db, { nonce: 'row-a', expiresAt: '2999-01-01T00:00:00.000Z' });
    await addNonce(db, { nonce: 'row-b', expiresAt: '2998-01-01T00:00:00.000Z' });
    const expected = [
      ['2999-01-01T00:00:00.000Z', 'row-a'],
      ['2998-01-01T00:00:00.000Z', 'row-b'],
    ];
    assert.deepEqual(await nonceRows(db, { pattern: 'row-%' }), expected);
    // Inside a transaction of its own, and from another request while that transaction is open (on SQLite that read
    // waits and goes through Kysely's queue, whose rows are objects).
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let opened!: () => void;
    const isOpen = new Promise<void>((resolve) => (opened = resolve));
    const transaction = db.transaction().execute(async (tx) => {
      assert.deepEqual(await nonceRows(tx, { pattern: 'row-%' }), expected);
      opened();
      await held;
    });
    await isOpen;
    // On SQLite the one connection is inside that transaction now, so this read must take the queued path.
    const lane = sqliteLaneOf(db);
    if (lane) assert.equal(lane.sqlite.inTransaction, true);
    const waiting = nonceRows(db, { pattern: 'row-%' });
    release();
    await transaction;
    assert.deepEqual(await waiting, expected);
  });
});
