// The data directory holds the database and the key that seals secrets: only Gatehouse's own user may read them, and
// an acknowledged write on SQLite must survive a power loss (synchronous=FULL), not only a killed process.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { buildGatehouse, type Gatehouse } from '../../src/app.js';
import { ManualClock } from '../../src/clock.js';
import { loadConfig, type Config } from '../../src/config.js';

const onPostgres = process.env.DATABASE_URL?.startsWith('postgres') ?? false;
const TEST_RUN = /^[a-f0-9]{6}$/.test(process.env.GATEHOUSE_TEST_RUN ?? '') ? process.env.GATEHOUSE_TEST_RUN : undefined;

const modeOf = (path: string): string => (statSync(path).mode & 0o777).toString(8).padStart(4, '0');

describe('data directory', () => {
  const parent = mkdtempSync(join(tmpdir(), 'gatehouse-data-'));
  after(() => rmSync(parent, { recursive: true, force: true }));

  // Started as an operator would: no GATEHOUSE_SECRET_KEY, so the key is kept in the data directory.
  const dataDir = join(parent, 'data');
  const config: Config = {
    ...loadConfig({ ...process.env, PORT: '0', GATEHOUSE_DATA_DIR: dataDir, GATEHOUSE_SECRET_KEY: '', LOG_LEVEL: 'error' }),
    databaseSchema: onPostgres ? `t_${TEST_RUN ? `${TEST_RUN}_` : ''}${randomBytes(6).toString('hex')}` : undefined,
  };
  const start = (): Promise<Gatehouse> => buildGatehouse(config, { clock: new ManualClock() });
  const files = (): string[] =>
    ['secret.key', ...(onPostgres ? [] : ['gatehouse.sqlite', 'gatehouse.sqlite-wal', 'gatehouse.sqlite-shm'])]
      .map((name) => join(dataDir, name))
      .filter((path) => existsSync(path));

  it('is created for its owner only, with the database and key files owner-only', async () => {
    const gatehouse = await start();
    try {
      assert.equal(modeOf(dataDir), '0700');
      assert.ok(files().includes(join(dataDir, 'secret.key')));
      if (!onPostgres) assert.ok(files().includes(join(dataDir, 'gatehouse.sqlite-wal')), 'the WAL is there while the server runs');
      for (const path of files()) assert.equal(modeOf(path), '0600', path);
    } finally {
      await gatehouse.close();
    }
  });

  it('is made owner-only again at start-up when an earlier version left it readable by everyone', async () => {
    chmodSync(dataDir, 0o755);
    if (!onPostgres) writeFileSync(join(dataDir, 'gatehouse.sqlite-wal'), '', { mode: 0o644 });
    for (const path of files()) chmodSync(path, 0o644);
    const gatehouse = await start();
    try {
      assert.equal(modeOf(dataDir), '0700');
      for (const path of files()) assert.equal(modeOf(path), '0600', path);
    } finally {
      await gatehouse.close();
    }
  });

  it('syncs every SQLite commit to disk (synchronous = FULL)', { skip: onPostgres && 'SQLite only' }, async () => {
    const gatehouse = await start();
    try {
      const { rows } = await sql<{ synchronous: number }>`pragma synchronous`.execute(gatehouse.services.store.db);
      assert.equal(rows[0]?.synchronous, 2);
    } finally {
      await gatehouse.close();
    }
  });
});
