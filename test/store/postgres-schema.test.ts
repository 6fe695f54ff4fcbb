// Nodes started at once on a schema that does not exist yet all open it: CREATE SCHEMA IF NOT EXISTS is not atomic,
// and the one that loses the race must carry on, not fail to start.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openStore } from '../../src/store/db.js';
import { dropSchema, schemasDroppedByRunner, testSchemaName } from '../support/server.js';

const databaseUrl = process.env.DATABASE_URL;
const onPostgres = databaseUrl?.startsWith('postgres') ?? false;

describe('a PostgreSQL schema opened by several nodes at once', { skip: !onPostgres && 'PostgreSQL only: SQLite has no schemas' }, () => {
  it('opens for every one of twelve stores created at the same moment, in each of ten rounds', async () => {
    for (let round = 0; round < 10; round++) {
      const schema = testSchemaName();
      const opened = await Promise.allSettled(Array.from({ length: 12 }, () => openStore({ databaseUrl, databaseSchema: schema, dataDir: '' })));
      const failures = opened.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
      await Promise.all(opened.map((r) => (r.status === 'fulfilled' ? r.value.close() : undefined)));
      if (!schemasDroppedByRunner) await dropSchema(databaseUrl!, schema);
      assert.deepEqual(failures, [], `round ${round}`);
    }
  });
});
