import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { afterEach, beforeEach } from 'node:test';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { buildGatehouse, type Gatehouse } from '../../src/app.js';
import { ManualClock } from '../../src/clock.js';
import { loadConfig, type Config } from '../../src/config.js';

/** Set by scripts/test.mjs: names this run's PostgreSQL schemas so the runner can drop them afterwards. */
const TEST_RUN = /^[a-f0-9]{6}$/.test(process.env.GATEHOUSE_TEST_RUN ?? '') ? process.env.GATEHOUSE_TEST_RUN : undefined;

/** A fresh PostgreSQL schema name; under scripts/test.mjs it carries the run's prefix, so the runner drops it. */
export function testSchemaName(): string {
  return `t_${TEST_RUN ? `${TEST_RUN}_` : ''}${randomBytes(6).toString('hex')}`;
}

/** SQLite files live in memory-backed /dev/shm when the machine has it: fsync there costs nothing. */
export const testDataRoot = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();

/** True when the runner drops this run's schemas itself; else whoever made a schema drops it. */
export const schemasDroppedByRunner = TEST_RUN !== undefined;

export interface TestServer {
  url: string;
  port: number;
  accountId: string;
  root: { accessKeyId: string; accessKeySecret: string };
  rootPassword: string;
  clock: ManualClock;
  gatehouse: Gatehouse;
  config: Config;
  /** Stops this node but keeps its data, so a node started with `shareWith` carries on where it stopped. */
  stop(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The environment a test server starts from: the runner's, without Redis. A server that inherited REDIS_URL would
 * share nonces and logon counters with every other test server on that Redis, so one test's attempts could lock
 * another's out; a test that wants Redis asks with `redis: true` and gets a key prefix of its own.
 */
function inheritedEnv(): Record<string, string | undefined> {
  const { REDIS_URL: _url, GATEHOUSE_REDIS_PREFIX: _prefix, ...rest } = process.env;
  return rest;
}

/**
 * A real Gatehouse on a random port: SQLite in a temp dir, or a fresh PostgreSQL schema when DATABASE_URL is set.
 * `shareWith` starts a second node on the same data (same database/schema, secret key and Redis keys). `redis: true`
 * keeps nonces and logon counters in Redis (REDIS_URL, else the local one) under a key prefix of this server's own.
 */
export async function startServer(options: { env?: Record<string, string>; shareWith?: TestServer; redis?: boolean } = {}): Promise<TestServer> {
  const shared = options.shareWith?.config;
  const onPostgres = Boolean((options.env?.DATABASE_URL ?? process.env.DATABASE_URL)?.startsWith('postgres'));
  // On PostgreSQL nothing is written to the data dir (the secret key is passed in), so none is created.
  const dataDir = shared?.dataDir ?? (onPostgres ? join(testDataRoot, 'gatehouse-test-unused') : mkdtempSync(join(testDataRoot, 'gatehouse-test-')));
  const root = shared
    ? options.shareWith!.root
    : { accessKeyId: `LTAItest${randomBytes(8).toString('hex')}`, accessKeySecret: randomBytes(15).toString('hex') };
  const rootPassword = options.shareWith?.rootPassword ?? `Root-${randomBytes(6).toString('hex')}-9a!`;
  const wantsRedis = options.redis ?? options.shareWith?.config.redisUrl !== undefined;
  const redis: Record<string, string> = wantsRedis
    ? {
        REDIS_URL: shared?.redisUrl ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
        GATEHOUSE_REDIS_PREFIX: shared?.redisKeyPrefix ?? `gatehouse-test:${randomBytes(6).toString('hex')}:`,
      }
    : {};
  const base = loadConfig({
    ...inheritedEnv(),
    ...redis,
    PORT: '0',
    HOST: '127.0.0.1',
    GATEHOUSE_DATA_DIR: dataDir,
    GATEHOUSE_ROOT_ACCESS_KEY_ID: root.accessKeyId,
    GATEHOUSE_ROOT_ACCESS_KEY_SECRET: root.accessKeySecret,
    GATEHOUSE_ROOT_PASSWORD: rootPassword,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
    ...options.env,
  });
  const config: Config = {
    ...base,
    databaseSchema: shared?.databaseSchema ?? (base.databaseUrl ? testSchemaName() : undefined),
    secretKey: shared?.secretKey ?? randomBytes(32).toString('base64'),
  };
  const clock = options.shareWith?.clock ?? new ManualClock();
  const gatehouse = await buildGatehouse(config, { clock });
  await gatehouse.app.listen({ port: 0, host: '127.0.0.1' });
  const address = gatehouse.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;
  config.publicUrl = url;
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await gatehouse.close();
  };
  return {
    url,
    port,
    accountId: gatehouse.bootstrap.account.id,
    root,
    rootPassword,
    clock,
    gatehouse,
    config,
    stop,
    async close() {
      await stop();
      if (!options.shareWith && !base.databaseUrl) rmSync(dataDir, { recursive: true, force: true });
      // Under `npm test` the runner drops this run's schemas at the end: dropping one while another test process
      // introspects the catalog (Kysely's migrator does) makes that process fail.
      if (!options.shareWith && !TEST_RUN && base.databaseUrl && config.databaseSchema) await dropSchema(base.databaseUrl, config.databaseSchema);
    },
  };
}

export async function dropSchema(url: string, schema: string): Promise<void> {
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
}

/**
 * Puts the server's clock back after each test of the enclosing `describe`, however the test moved it and however it
 * ended, so no test relies on (or is broken by) the time an earlier test left behind.
 */
export function restoreClockAfterEach(server: () => TestServer): void {
  let offset = 0;
  beforeEach(() => {
    offset = server().clock.offset();
  });
  afterEach(() => server().clock.restore(offset));
}
