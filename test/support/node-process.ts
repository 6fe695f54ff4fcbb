// Gatehouse nodes in separate processes on one PostgreSQL schema and one Redis, for the multi-node tests. Nodes in one
// process could share memory by accident and so prove nothing about what nodes share; child processes cannot.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { nodeArgs } from './paths.js';
import { dropSchema, schemasDroppedByRunner, testSchemaName } from './server.js';

/** Why the multi-node tests cannot run here, or false when they can. */
export const multiNodeSkip: string | false = process.env.DATABASE_URL?.startsWith('postgres')
  ? false
  : 'needs PostgreSQL (DATABASE_URL): separate processes cannot share an SQLite data directory';

export interface NodeProcess {
  url: string;
  /** The cluster's root AccessKey, the same on every node. */
  root: { accessKeyId: string; accessKeySecret: string };
  pid: number;
  accountId: string;
  alias: string;
  /** Whether this node's start created the management account. */
  created: boolean;
  /** Requests this process has answered (its own count, read over HTTP). */
  served(): Promise<number>;
  stop(): Promise<void>;
}

export interface NodeOptions {
  /** Sets this node's clock off the real one by this much. */
  clockOffsetMs?: number;
  env?: Record<string, string>;
}

export interface Cluster {
  schema: string;
  root: { accessKeyId: string; accessKeySecret: string };
  rootPassword: string;
  startNode(options?: NodeOptions): Promise<NodeProcess>;
  /** Starts `count` nodes whose code is loaded, then lets them open the store at the same moment. */
  startNodesTogether(count: number, options?: NodeOptions): Promise<NodeProcess[]>;
  /** Reads the shared schema directly, as an operator would. */
  query<T>(text: string, values?: unknown[]): Promise<T[]>;
  /** Kills every node still running and drops the schema; call it in after(), it never throws for a dead node. */
  close(): Promise<void>;
}

const START_TIMEOUT_MS = 60_000;

// Whatever happens to the tests, no node outlives this process: killed here on exit, and each node also exits when
// its stdin (a pipe from us) closes, which covers this process being killed outright.
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** A fresh schema on DATABASE_URL, a Redis key prefix of its own, and the settings every node of it shares. */
export function newCluster(): Cluster {
  const databaseUrl = process.env.DATABASE_URL!;
  const schema = testSchemaName();
  const root = { accessKeyId: `LTAItest${randomBytes(8).toString('hex')}`, accessKeySecret: randomBytes(15).toString('hex') };
  const rootPassword = `Root-${randomBytes(6).toString('hex')}-9a!`;
  const shared: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    GATEHOUSE_DATABASE_SCHEMA: schema,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    GATEHOUSE_REDIS_PREFIX: `gatehouse:${schema}:`,
    GATEHOUSE_SECRET_KEY: randomBytes(32).toString('base64'),
    GATEHOUSE_ROOT_ACCESS_KEY_ID: root.accessKeyId,
    GATEHOUSE_ROOT_ACCESS_KEY_SECRET: root.accessKeySecret,
    GATEHOUSE_ROOT_PASSWORD: rootPassword,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
  };
  const stops: Array<() => Promise<void>> = [];
  let client: pg.Client | undefined;

  return {
    schema,
    root,
    rootPassword,
    async startNode(options = {}) {
      const node = spawnNode({ ...shared, ...options.env }, options.clockOffsetMs ?? 0, root, { held: false });
      stops.push(node.stop);
      return node.ready;
    },
    async startNodesTogether(count, options = {}) {
      const spawned = Array.from({ length: count }, () => spawnNode({ ...shared, ...options.env }, options.clockOffsetMs ?? 0, root, { held: true }));
      stops.push(...spawned.map((node) => node.stop));
      await Promise.all(spawned.map((node) => node.loaded));
      for (const node of spawned) node.go();
      return Promise.all(spawned.map((node) => node.ready));
    },
    async query<T>(text: string, values: unknown[] = []) {
      if (!client) {
        client = new pg.Client({ connectionString: databaseUrl, options: `-c search_path=${schema}` });
        await client.connect();
      }
      return (await client.query(text, values)).rows as T[];
    },
    async close() {
      await Promise.allSettled(stops.map((stop) => stop()));
      await client?.end().catch(() => undefined);
      if (!schemasDroppedByRunner) await dropSchema(databaseUrl, schema);
    },
  };
}

interface Spawned {
  /** Resolves once the node has loaded its code and waits for `go` (only when held). */
  loaded: Promise<void>;
  go(): void;
  ready: Promise<NodeProcess>;
  stop(): Promise<void>;
}

function spawnNode(env: Record<string, string>, clockOffsetMs: number, root: NodeProcess['root'], options: { held: boolean }): Spawned {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-node-'));
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    ...env,
    GATEHOUSE_DATA_DIR: dataDir,
    GATEHOUSE_TEST_CLOCK_OFFSET_MS: String(clockOffsetMs),
    GATEHOUSE_TEST_HOLD: options.held ? '1' : '',
  };
  // A node is no test process: it must not report to the parent's test runner.
  delete childEnv.NODE_TEST_CONTEXT;
  const child = spawn(process.execPath, nodeArgs('test/support/node-main.ts'), { env: childEnv, stdio: ['pipe', 'pipe', 'pipe'] });
  running.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => {
    running.delete(child);
    rmSync(dataDir, { recursive: true, force: true });
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });

  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };

  const lines = readStatusLines(child, exited, () => stderr);
  const ready = (async (): Promise<NodeProcess> => {
    try {
      const status = (await lines.ready) as ReadyLine;
      const url = `http://127.0.0.1:${status.port}`;
      await waitHealthy(url);
      return {
        url,
        root,
        pid: status.pid,
        accountId: status.accountId,
        alias: status.alias,
        created: status.created,
        async served() {
          return ((await (await fetch(`${url}/test/node`)).json()) as { served: number }).served;
        },
        stop,
      };
    } catch (error) {
      await stop();
      throw error;
    }
  })();
  return { loaded: lines.loaded, go: () => child.stdin!.write('go\n'), ready, stop };
}

interface ReadyLine {
  state: 'ready';
  port: number;
  pid: number;
  accountId: string;
  alias: string;
  created: boolean;
}

/** The node's status lines on stdout: `{"state":"loaded"}` when held, then `{"state":"ready",…}`. */
function readStatusLines(child: ChildProcess, exited: Promise<void>, stderr: () => string): { loaded: Promise<void>; ready: Promise<ReadyLine> } {
  let loaded!: () => void;
  let ready!: (line: ReadyLine) => void;
  let fail!: (error: Error) => void;
  const loadedPromise = new Promise<void>((resolve, reject) => {
    loaded = resolve;
    void exited.then(() => reject(new Error(`node exited before it loaded (code ${child.exitCode}):\n${stderr()}`)));
  });
  const readyPromise = new Promise<ReadyLine>((resolve, reject) => {
    ready = resolve;
    fail = reject;
  });
  // Whichever of the two nobody waits for must not turn into an unhandled rejection.
  loadedPromise.catch(() => undefined);
  const timer = setTimeout(() => fail(new Error(`node did not start in ${START_TIMEOUT_MS} ms:\n${stderr()}`)), START_TIMEOUT_MS);
  void exited.then(() => {
    clearTimeout(timer);
    fail(new Error(`node exited before it was ready (code ${child.exitCode}):\n${stderr()}`));
  });
  createInterface({ input: child.stdout! }).on('line', (text) => {
    if (!text.startsWith('{')) return;
    const line = JSON.parse(text) as ReadyLine | { state: 'loaded' };
    if (line.state === 'loaded') return loaded();
    clearTimeout(timer);
    ready(line);
  });
  return { loaded: loadedPromise, ready: readyPromise };
}

async function waitHealthy(url: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const status = await fetch(`${url}/healthz`).then((r) => r.status, () => 0);
    if (status === 200) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url}/healthz never answered 200`);
}
