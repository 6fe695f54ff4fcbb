// Issue 2, figure (a): a signed read (RAM GetUser, V3 signature, policy check, DB read) under concurrent load,
// as a ratio of a hello-world route on the same Fastify instance, measured in the same run.
// Run: npx tsx bench/signed-read.ts   (DATABASE_URL=postgres://… to measure on PostgreSQL)
//
// The two are measured in alternating rounds and the ratio is the median of the rounds' ratios, so a change of load
// on the machine during the run weighs on both. Requests are signed before the clock starts (each with its own
// nonce), so the load generator costs the same per request for both routes.
import { createHash, randomUUID } from 'node:crypto';
import { signV3 } from '../src/openapi/signature-v3.js';
import { ramClient, Ram } from '../test/support/sdk.js';
import { startBenchServer } from './support.js';
import { FLOOR_ACCESS_KEY } from './floor.js';
import { rawRequest, runLoad, type LoadResult } from './load.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
/** Signed requests prepared per round: more than the server can answer in a round. */
const PER_ROUND = Number(process.env.BENCH_PRESIGNED ?? 30_000) * SECONDS;
const EMPTY_SHA = createHash('sha256').update('').digest('hex');

const server = await startBenchServer();
try {
  const root = ramClient(server.url, server.root);
  // The caller is a RAM user with a realistic policy set, so the policy engine does real work.
  await root.createUser(new Ram.CreateUserRequest({ userName: 'bench-reader' }));
  await root.attachPolicyToUser(new Ram.AttachPolicyToUserRequest({ policyType: 'System', policyName: 'AliyunRAMReadOnlyAccess', userName: 'bench-reader' }));
  const key = (await root.createAccessKey(new Ram.CreateAccessKeyRequest({ userName: 'bench-reader' }))).body.accessKey;
  const host = new URL(server.url).host;

  function signedGetUser(): Buffer {
    return signed('/', key.accessKeyId, key.accessKeySecret);
  }
  // The same request to the floor route: what any implementation pays in process for a signed call, before storage.
  function signedFloor(): Buffer {
    return signed('/bench/floor/signed', FLOOR_ACCESS_KEY.accessKeyId, FLOOR_ACCESS_KEY.accessKeySecret);
  }
  function signed(pathname: string, accessKeyId: string, accessKeySecret: string): Buffer {
    const headers: Record<string, string> = {
      host,
      'x-acs-action': 'GetUser',
      'x-acs-version': '2015-05-01',
      'x-acs-date': new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      'x-acs-signature-nonce': randomUUID(),
      'x-acs-content-sha256': EMPTY_SHA,
      accept: 'application/json',
    };
    const query: Array<[string, string]> = [['UserName', 'bench-reader']];
    headers.authorization = signV3({ method: 'POST', pathname, query, headers, body: Buffer.alloc(0) }, accessKeyId, accessKeySecret);
    return rawRequest('POST', `${pathname}?UserName=bench-reader`, headers);
  }
  const hello = rawRequest('GET', '/bench/hello', { host });
  // Calibration: hello world after 10 µs of computation. Where it lands shows how little work per request a 0.5
  // ratio leaves on this machine.
  const BUSY_MICROS = 10;
  const busy = rawRequest('GET', `/bench/busy?us=${BUSY_MICROS}`, { host });

  // Each request carries its own nonce, so requests are made ahead of each round, more than a round can send.
  let signedOnTheFly = 0;
  function presigned(make: () => Buffer): { prepare(count: number): void; next(): Buffer } {
    let pool: Buffer[] = [];
    return {
      prepare: (count) => (pool = Array.from({ length: count }, make)),
      next: () => {
        const request = pool.pop();
        if (request) return request;
        signedOnTheFly++;
        return make();
      },
    };
  }
  const getUser = presigned(signedGetUser);
  const floor = presigned(signedFloor);
  const load = (next: () => Buffer, seconds = SECONDS) => runLoad({ url: server.url, connections: CONNECTIONS, seconds, next, serverPid: server.child.pid });

  // Warm up every path.
  getUser.prepare(20_000);
  floor.prepare(40_000);
  await load(() => hello, 1);
  await load(floor.next, 1);
  await load(getUser.next, 2);

  const rounds: Array<{ hello: LoadResult; busy: LoadResult; floor: LoadResult; signed: LoadResult; ratio: number; busyRatio: number; floorRatio: number }> = [];
  for (let i = 0; i < ROUNDS; i++) {
    getUser.prepare(PER_ROUND);
    floor.prepare(PER_ROUND * 3);
    // BENCH_ONLY=signed (or floor) keeps the other loads short, for profiling one path (BENCH_CPU_PROF=dir).
    const only = process.env.BENCH_ONLY;
    const h = await load(() => hello, only ? 0.2 : SECONDS);
    const b = await load(() => busy, only ? 0.2 : SECONDS);
    const f = await load(floor.next, only && only !== 'floor' ? 0.2 : SECONDS);
    const s = await load(getUser.next, only && only !== 'signed' ? 0.2 : SECONDS);
    if (s.non2xx > 0) throw new Error(`signed GetUser failed: ${s.sample}`);
    if (f.non2xx > 0) throw new Error(`the floor route failed: ${f.sample}`);
    rounds.push({ hello: h, busy: b, floor: f, signed: s, ratio: s.reqPerSec / h.reqPerSec, busyRatio: b.reqPerSec / h.reqPerSec, floorRatio: f.reqPerSec / h.reqPerSec });
  }
  const median = <T>(items: T[], by: (t: T) => number): number => {
    const sorted = items.map(by).sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)] as number;
  };
  const summary = (results: LoadResult[]) => ({
    reqPerSec: median(results, (r) => r.reqPerSec),
    p99ms: median(results, (r) => r.p99ms),
    // CPU per request, median over the rounds: where the time goes when the two cores are shared.
    serverCpuMicros: median(results, (r) => r.cpuMicrosPerRequest.server ?? NaN),
    loadGeneratorCpuMicros: median(results, (r) => r.cpuMicrosPerRequest.loadGenerator),
  });
  console.log(
    JSON.stringify(
      {
        database: process.env.DATABASE_URL ? 'postgres' : 'sqlite',
        connections: CONNECTIONS,
        rounds: ROUNDS,
        secondsPerRound: SECONDS,
        hello: summary(rounds.map((r) => r.hello)),
        busy: summary(rounds.map((r) => r.busy)),
        floor: summary(rounds.map((r) => r.floor)),
        signedGetUser: summary(rounds.map((r) => r.signed)),
        ratio: Number(median(rounds, (r) => r.ratio).toFixed(3)),
        roundRatios: rounds.map((r) => Number(r.ratio.toFixed(3))),
        // Hello world after BUSY_MICROS µs of computation, against hello world.
        busyMicros: BUSY_MICROS,
        busyRatio: Number(median(rounds, (r) => r.busyRatio).toFixed(3)),
        // The floor route against hello world: the best ratio a signed call can have here before any storage.
        floorRatio: Number(median(rounds, (r) => r.floorRatio).toFixed(3)),
        signedOnTheFly,
      },
      null,
      2,
    ),
  );
} finally {
  server.stop();
}
