import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

export interface BenchServer {
  url: string;
  root: { accessKeyId: string; accessKeySecret: string };
  child: ChildProcess;
  /** The environment the server runs with, so a benchmark can open the same store to seed data. */
  env: NodeJS.ProcessEnv;
  stop(): void;
}

/** Starts bench/server.ts in its own process (so the load generator does not share its event loop). */
export async function startBenchServer(env: Record<string, string> = {}): Promise<BenchServer> {
  const root = { accessKeyId: `LTAIbench${randomBytes(8).toString('hex')}`, accessKeySecret: randomBytes(15).toString('hex') };
  const serverEnv: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    GATEHOUSE_DATA_DIR: mkdtempSync(join(tmpdir(), 'gatehouse-bench-')),
    GATEHOUSE_ROOT_ACCESS_KEY_ID: root.accessKeyId,
    GATEHOUSE_ROOT_ACCESS_KEY_SECRET: root.accessKeySecret,
    LOG_LEVEL: 'error',
    // One load generator on one address: the per-address logon limit would measure itself.
    GATEHOUSE_LOGON_RATE_LIMIT: '0',
    ...(process.env.DATABASE_URL ? { GATEHOUSE_DATABASE_SCHEMA: `bench_${randomBytes(4).toString('hex')}` } : {}),
    ...env,
  };
  const child = fork(new URL('./server.ts', import.meta.url).pathname, [], {
    execArgv: ['--import', 'tsx', ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [])],
    env: serverEnv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m: { port: number }) => resolve(m.port));
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  const stop = (): void => {
    child.once('exit', () => void dropBenchSchema(serverEnv));
    child.kill('SIGTERM');
  };
  return { url: `http://127.0.0.1:${port}`, root, child, env: serverEnv, stop };
}

/** A PostgreSQL run leaves nothing behind: the server's schema goes once the server has stopped. */
async function dropBenchSchema(env: NodeJS.ProcessEnv): Promise<void> {
  const schema = env.GATEHOUSE_DATABASE_SCHEMA;
  if (!env.DATABASE_URL || !schema || !/^bench_[a-f0-9]+$/.test(schema)) return;
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: env.DATABASE_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}
