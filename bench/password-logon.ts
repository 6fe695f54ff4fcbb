// Issue 3, figure: password logons per second through the real HTTP flow (logon page → name step → password step
// → skip the optional MFA prompt → session cookie), with concurrent clients, as a ratio of the raw argon2id
// verification rate (19 MiB, t=2, p=1) measured in the same run on the same machine. Target ≥ 0.85.
// Run: npx tsx bench/password-logon.ts   (BENCH_ROUNDS, BENCH_SECONDS per measurement, BENCH_WARMUP_SECONDS, BENCH_CLIENTS, BENCH_CLIENT=js|wrk,
// BENCH_ONLY=gatehouse,floor,store; DATABASE_URL=postgres://… for PostgreSQL)
import { hash, verify } from '@node-rs/argon2';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { spawn, spawnSync } from 'node:child_process';
import { Ram, ramClient } from '../test/support/sdk.js';
import { postgresCpuSeconds, processCpuSeconds, startBenchServer, threadCpuMsPer, threadCpuSeconds } from './support.js';
import { FLOOR_PASSWORD } from './floor.js';
import { headerValues, HttpConnection, rawRequest, type RawResponse } from './load.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 8);
const USERS = 16;
const PASSWORD = 'Bench-Passw0rd!';

// The raw rate is the best of three ways to run the hashes, nothing else running: one thread per core verifying in a
// loop (no event loop between two hashes), and through libuv's pool with one hash per core or with as many as the pool
// takes (four threads; on two cores they evict each other's 19 MiB from the caches).
async function rawVerifyRate(): Promise<{ threadPerCore: number; libuvPerCore: number; libuvPool: number; best: number }> {
  const threadPerCore = await rawVerifyRateOnThreads(availableParallelism());
  const libuvPerCore = await rawVerifyRateWith(availableParallelism());
  const libuvPool = await rawVerifyRateWith(CLIENTS);
  return { threadPerCore, libuvPerCore, libuvPool, best: Math.max(threadPerCore, libuvPerCore, libuvPool) };
}

const VERIFY_LOOP = `
  const { parentPort, workerData } = require('node:worker_threads');
  const { verifySync } = require(workerData.argon2);
  let count = 0;
  while (Date.now() < workerData.deadline) {
    verifySync(workerData.phc, workerData.password);
    count++;
  }
  parentPort.postMessage(count);
`;

async function rawVerifyRateOnThreads(threads: number): Promise<number> {
  const phc = await hash(PASSWORD, { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 });
  const deadline = Date.now() + (SECONDS / 2) * 1000;
  const argon2 = createRequire(import.meta.url).resolve('@node-rs/argon2');
  const counts = await Promise.all(
    Array.from(
      { length: threads },
      () =>
        new Promise<number>((resolve, reject) => {
          const worker = new Worker(VERIFY_LOOP, { eval: true, workerData: { phc, password: PASSWORD, deadline, argon2 } });
          worker.once('message', (count: number) => void worker.terminate().then(() => resolve(count)));
          worker.once('error', reject);
        }),
    ),
  );
  return counts.reduce((a, b) => a + b, 0) / (SECONDS / 2);
}

async function rawVerifyRateWith(concurrency: number): Promise<number> {
  const phc = await hash(PASSWORD, { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 });
  const deadline = Date.now() + (SECONDS / 2) * 1000;
  let count = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < deadline) {
        await verify(phc, PASSWORD);
        count++;
      }
    }),
  );
  return count / (SECONDS / 2);
}

// A light client (raw keep-alive sockets, requests written as bytes): the load generator shares the machine's two
// cores with the server, so every microsecond it spends is taken from hashing.
const FORM = 'application/x-www-form-urlencoded';

/** The paths of a logon: Gatehouse's own, or the floor routes of bench/server.ts that only check the password. */
interface LogonPaths {
  page: string;
  identify: string;
  password: string;
  mfaBind: string;
  skip: string;
  sessionCookie: string;
  secret: string;
}
const GATEHOUSE: LogonPaths = {
  page: '/login.htm',
  identify: '/login/identify',
  password: '/login/password',
  mfaBind: '/login/mfa-bind',
  skip: '/login/mfa-bind/skip',
  sessionCookie: 'gh_session',
  secret: PASSWORD,
};
const FLOOR: LogonPaths = {
  page: '/bench/floor/logon',
  identify: '/bench/floor/logon/identify',
  password: '/bench/floor/logon/password',
  mfaBind: '/bench/floor/logon/mfa-bind',
  skip: '/bench/floor/logon/skip',
  sessionCookie: 'floor_session',
  secret: FLOOR_PASSWORD,
};

/** The floor plus the statements of Gatehouse's logon on the bench users (see bench/server.ts). */
const STORE_FLOOR: LogonPaths = {
  page: '/bench/floor/logon',
  identify: '/bench/floor/store-logon/identify',
  password: '/bench/floor/store-logon/password',
  mfaBind: '/bench/floor/store-logon/mfa-bind',
  skip: '/bench/floor/store-logon/skip',
  sessionCookie: 'floor_session',
  secret: PASSWORD,
};

async function logon(connection: HttpConnection, host: string, userPrincipalName: string, paths: LogonPaths): Promise<boolean> {
  const jar = new Map<string, string>();
  const keep = (response: RawResponse): RawResponse => {
    for (const line of headerValues(response, 'set-cookie')) {
      const pair = line.slice(0, line.indexOf(';'));
      const eq = pair.indexOf('=');
      jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    return response;
  };
  const cookie = (): string => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const post = async (path: string, form: Record<string, string>): Promise<RawResponse> =>
    keep(await connection.send(rawRequest('POST', path, { host, cookie: cookie(), 'content-type': FORM }, new URLSearchParams(form).toString())));

  const page = keep(await connection.send(rawRequest('GET', paths.page, { host })));
  const text = page.body.toString('latin1');
  const at = text.indexOf('name="_csrf" value="') + 20;
  const csrf = text.slice(at, text.indexOf('"', at));
  await post(paths.identify, { _csrf: csrf, username: userPrincipalName });
  const password = await post(paths.password, { _csrf: csrf, password: paths.secret });
  if (headerValues(password, 'location')[0] !== paths.mfaBind) return false;
  const skip = await post(paths.skip, { _csrf: csrf });
  return headerValues(skip, 'location')[0] === '/console' && jar.has(paths.sessionCookie);
}

// On PostgreSQL, the database server's processes share the two cores too: their CPU per logon is reported.
const databaseCpuSeconds = (): number => (process.env.DATABASE_URL ? postgresCpuSeconds() : 0);
function databaseCpuMsPer(before: number, logons: number): { databaseCpuMsPerLogon?: number } {
  if (!process.env.DATABASE_URL) return {};
  return { databaseCpuMsPerLogon: Number((((databaseCpuSeconds() - before) * 1000) / logons).toFixed(3)) };
}

function hasWrk(): boolean {
  return spawnSync('wrk', ['--version']).error === undefined;
}

const baselineBefore = await rawVerifyRate();
const server = await startBenchServer();
try {
  const ram = ramClient(server.url, server.root);
  const alias = (await ram.getAccountAlias()).body.accountAlias as string;
  const names: string[] = [];
  for (let i = 0; i < USERS; i++) {
    const userName = `bench-user-${i}`;
    await ram.createUser(new Ram.CreateUserRequest({ userName }));
    await ram.createLoginProfile(new Ram.CreateLoginProfileRequest({ userName, password: PASSWORD }));
    names.push(`${userName}@${alias}.onaliyun.com`);
  }
  const host = new URL(server.url).host;

  /** Logons through `paths` for the configured time, with the CPU each side spent. */
  async function measure(paths: LogonPaths, seconds = SECONDS) {
    const connections = Array.from({ length: CLIENTS }, () => new HttpConnection(server.url));
    // Warm-up, then the measured window.
    await Promise.all(connections.map((connection, c) => logon(connection, host, names[c]!, paths)));
    let ok = 0;
    let failed = 0;
    const serverCpuBefore = processCpuSeconds(server.child.pid!);
    const threadsBefore = threadCpuSeconds(server.child.pid!);
    const databaseCpuBefore = databaseCpuSeconds();
    const clientCpuBefore = process.cpuUsage();
    const deadline = Date.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, c) => {
        for (let i = c; Date.now() < deadline; i += CLIENTS) {
          if (await logon(connections[c]!, host, names[i % names.length]!, paths)) ok++;
          else failed++;
        }
      }),
    );
    for (const connection of connections) connection.close();
    const serverCpu = processCpuSeconds(server.child.pid!) - serverCpuBefore;
    const clientUsage = process.cpuUsage(clientCpuBefore);
    const clientCpu = (clientUsage.user + clientUsage.system) / 1e6;
    return {
      logonsPerSec: Number((ok / seconds).toFixed(1)),
      failed,
      // CPU seconds spent during the window: the server (event loop and hashing threads) and this load generator.
      cpuSeconds: { server: Number(serverCpu.toFixed(2)), loadGenerator: Number(clientCpu.toFixed(2)) },
      // The server's CPU per logon by thread: the event loop, and the threads that hash (libuv's pool).
      serverCpuMsPerLogon: threadCpuMsPer(threadsBefore, threadCpuSeconds(server.child.pid!), ok + failed),
      ...databaseCpuMsPer(databaseCpuBefore, ok + failed),
      loadGeneratorCpuMsPerLogon: Number(((clientCpu * 1000) / (ok + failed)).toFixed(3)),
    };
  }
  /**
   * The same logons driven by wrk (Debian's package) and bench/logon.lua: a load generator in C spends a fraction of
   * the JavaScript one's CPU, which on two shared cores is CPU taken from hashing, for Gatehouse and floor alike.
   */
  async function measureWithWrk(paths: LogonPaths, seconds = SECONDS) {
    const child = spawn(
      'wrk',
      ['-t', String(CLIENTS), '-c', String(CLIENTS), '-d', `${seconds}s`, '--timeout', '10s', '-s', new URL('./logon.lua', import.meta.url).pathname, server.url],
      {
        env: {
          ...process.env,
          BENCH_LOGON_PAGE: paths.page,
          BENCH_LOGON_IDENTIFY: paths.identify,
          BENCH_LOGON_PASSWORD: paths.password,
          BENCH_LOGON_MFA_BIND: paths.mfaBind,
          BENCH_LOGON_SKIP: paths.skip,
          BENCH_LOGON_SECRET: paths.secret,
          BENCH_LOGON_USERS: names.join(','),
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const serverCpuBefore = processCpuSeconds(server.child.pid!);
    const threadsBefore = threadCpuSeconds(server.child.pid!);
    const databaseCpuBefore = databaseCpuSeconds();
    // wrk's CPU is read from /proc while it runs (the last reading before it exits).
    let wrkCpu = 0;
    const sampler = setInterval(() => {
      try {
        wrkCpu = processCpuSeconds(child.pid!);
      } catch {
        // it has exited
      }
    }, 200);
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    clearInterval(sampler);
    const serverCpu = processCpuSeconds(server.child.pid!) - serverCpuBefore;
    const match = /LOGONS (\d+) (\d+) (\d+)/.exec(output);
    if (code !== 0 || !match) throw new Error(`wrk failed (${code}): ${output}`);
    const [ok, failed, micros] = [Number(match[1]), Number(match[2]), Number(match[3])];
    return {
      logonsPerSec: Number((ok / (micros / 1e6)).toFixed(1)),
      failed,
      cpuSeconds: { server: Number(serverCpu.toFixed(2)), loadGenerator: Number(wrkCpu.toFixed(2)) },
      serverCpuMsPerLogon: threadCpuMsPer(threadsBefore, threadCpuSeconds(server.child.pid!), ok + failed),
      ...databaseCpuMsPer(databaseCpuBefore, ok + failed),
      loadGeneratorCpuMsPerLogon: Number(((wrkCpu * 1000) / (ok + failed)).toFixed(3)),
    };
  }

  // The floor: the same four requests on the same Fastify, doing nothing but the password check; the store floor: the
  // floor plus the logon's statements. BENCH_ONLY=gatehouse, floor or store (a comma list) measures only those (to
  // profile one alone). BENCH_CLIENT=js|wrk picks the load generator; by default both run, wrk when it is installed.
  //
  // This machine's speed drifts by 10–20% within a minute (the raw rate measured before and after a long run differs
  // that much), so the measurements are interleaved in rounds, ROUNDS times over, and each logon measurement is set
  // against the raw rate measured right before and right after it (their mean): raw, Gatehouse, raw, floor, raw,
  // store floor, raw, and so on for the next client. The median of the rounds' ratios is the result.
  const SIDES = { gatehouse: GATEHOUSE, floor: FLOOR, store: STORE_FLOOR } as const;
  type Side = keyof typeof SIDES;
  const sides = (Object.keys(SIDES) as Side[]).filter((side) => !process.env.BENCH_ONLY || process.env.BENCH_ONLY.split(',').includes(side));
  const clients = (process.env.BENCH_CLIENT ?? 'js,wrk').split(',').filter((c) => c !== 'wrk' || hasWrk());
  type Measured = Awaited<ReturnType<typeof measure>> & { raw: number };
  // The first seconds of load run code V8 has not optimized yet and statements the database has not planned yet, on
  // every side: they are run once before the rounds and not counted.
  for (const client of clients) {
    const run = client === 'wrk' ? measureWithWrk : measure;
    for (const side of sides) await run(SIDES[side], WARMUP_SECONDS);
  }
  let lastRaw = await rawVerifyRateOnThreads(availableParallelism());
  async function betweenRaws(run: typeof measure, paths: LogonPaths): Promise<Measured> {
    const before = lastRaw;
    const measured = await run(paths);
    lastRaw = await rawVerifyRateOnThreads(availableParallelism());
    return { ...measured, raw: Number(((before + lastRaw) / 2).toFixed(1)) };
  }
  const rounds: Array<Record<string, Partial<Record<Side, Measured>>>> = [];
  for (let round = 0; round < ROUNDS; round++) {
    const entry: (typeof rounds)[number] = {};
    for (const client of clients) {
      const run = client === 'wrk' ? measureWithWrk : measure;
      entry[client] = {};
      for (const side of sides) entry[client][side] = await betweenRaws(run, SIDES[side]);
    }
    rounds.push(entry);
  }
  const median = (values: number[]): number => {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  };
  // Per side: the median ratio, and each round's. "floor" is the best a logon over these four requests can do on this
  // machine whatever the server does besides hashing; "store" the best one running the logon's statements can do.
  const RATIO_NAMES: Record<Side, string> = { gatehouse: 'ratio', floor: 'floorRatio', store: 'storeFloorRatio' };
  const summary: Record<string, unknown> = {};
  for (const client of clients) {
    const result: Record<string, unknown> = {};
    for (const side of sides) {
      const ratios = rounds.map((r) => r[client]![side]!.logonsPerSec / r[client]![side]!.raw);
      result[RATIO_NAMES[side]] = Number(median(ratios).toFixed(3));
      result[`${RATIO_NAMES[side]}s`] = ratios.map((r) => Number(r.toFixed(3)));
    }
    // Per round: logons/s, the raw rate around them, and CPU per logon by server thread and for the load generator.
    result.rounds = rounds.map((r) => r[client]);
    summary[client] = result;
  }
  console.log(
    JSON.stringify(
      {
        cores: availableParallelism(),
        clients: CLIENTS,
        secondsPerMeasurement: SECONDS,
        warmupSeconds: WARMUP_SECONDS,
        rounds: ROUNDS,
        database: process.env.DATABASE_URL ? 'postgres' : 'sqlite',
        // The three ways to hash, once before the rounds: the rounds use the strongest (one thread per core).
        rawArgon2idVerifiesPerSec: baselineBefore,
        ...summary,
      },
      null,
      2,
    ),
  );
} finally {
  server.stop();
}
