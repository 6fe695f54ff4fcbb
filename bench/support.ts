import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

export interface BenchServer {
  url: string;
  readonly root: { accessKeyId: string; accessKeySecret: string };
  child: ChildProcess;
  /** The environment the server runs with, so a benchmark can open the same store to seed data. */
  env: NodeJS.ProcessEnv;
  stop(): void;
  /**
   * Stops the server, runs `work` (which may open the store: a running node holds SQLite's lock), and starts it
   * again on the same data; `url` and `child` then name the new process.
   */
  pause(work: () => Promise<void>): Promise<void>;
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
  const start = async (): Promise<{ child: ChildProcess; port: number }> => {
    const child = fork(new URL('./server.ts', import.meta.url).pathname, [], {
      execArgv: [
        '--import',
        'tsx',
        // BENCH_CPU_PROF=dir: a V8 CPU profile of the server; BENCH_PERF=1: a symbol map for Linux perf (/tmp/perf-<pid>.map).
        ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
        ...(process.env.BENCH_PERF ? ['--perf-basic-prof'] : []),
      ],
      env: serverEnv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const port = await new Promise<number>((resolve, reject) => {
      child.once('message', (m: { port: number }) => resolve(m.port));
      child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
    });
    return { child, port };
  };
  const first = await start();
  const server: BenchServer = {
    url: `http://127.0.0.1:${first.port}`,
    root,
    child: first.child,
    env: serverEnv,
    stop() {
      server.child.once('exit', () => void dropBenchSchema(serverEnv));
      server.child.kill('SIGTERM');
    },
    async pause(work) {
      await new Promise((resolve) => {
        server.child.once('exit', resolve);
        server.child.kill('SIGTERM');
      });
      await work();
      const next = await start();
      server.child = next.child;
      server.url = `http://127.0.0.1:${next.port}`;
    },
  };
  return server;
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

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
export function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of stat(5), counted from the state field (3) here.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** CPU seconds per thread of a process, summed by thread name; the main thread (the event loop) as "event loop". */
export function threadCpuSeconds(pid: number): Map<string, number> {
  const byName = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // the thread ended while we read
    }
    const name = Number(tid) === pid ? 'event loop' : stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    byName.set(name, (byName.get(name) ?? 0) + (Number(fields[11]) + Number(fields[12])) / 100);
  }
  return byName;
}

/** The difference of two threadCpuSeconds readings, per unit of work (e.g. per request), in milliseconds. */
export function threadCpuMsPer(before: Map<string, number>, after: Map<string, number>, units: number): Record<string, number> {
  const result: Record<string, number> = {};
  for (const [name, seconds] of after) {
    const spent = seconds - (before.get(name) ?? 0);
    if (spent > 0) result[name] = Number(((spent * 1000) / units).toFixed(3));
  }
  return result;
}

/** CPU seconds used so far by all PostgreSQL server processes on this machine (backends, WAL writer…), from /proc. */
export function postgresCpuSeconds(): number {
  let total = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'postgres') continue;
      total += processCpuSeconds(Number(pid));
    } catch {
      // the process ended while we read
    }
  }
  return total;
}
