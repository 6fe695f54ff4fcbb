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
    headers.authorization = signV3({ method: 'POST', pathname: '/', query, headers, body: Buffer.alloc(0) }, key.accessKeyId, key.accessKeySecret);
    return rawRequest('POST', '/?UserName=bench-reader', headers);
  }
  const hello = rawRequest('GET', '/bench/hello', { host });

  let signedPool: Buffer[] = [];
  let signedOnTheFly = 0;
  const nextSigned = (): Buffer => {
    const request = signedPool.pop();
    if (request) return request;
    signedOnTheFly++;
    return signedGetUser();
  };
  const prepare = (count: number): void => {
    signedPool = Array.from({ length: count }, signedGetUser);
  };

  // Warm up both paths.
  prepare(20_000);
  await runLoad({ url: server.url, connections: CONNECTIONS, seconds: 1, next: () => hello });
  await runLoad({ url: server.url, connections: CONNECTIONS, seconds: 2, next: nextSigned });

  const rounds: Array<{ hello: LoadResult; signed: LoadResult; ratio: number }> = [];
  for (let i = 0; i < ROUNDS; i++) {
    prepare(PER_ROUND);
    // BENCH_ONLY=signed keeps the baseline short, for profiling the signed path (BENCH_CPU_PROF=dir).
    const h = await runLoad({ url: server.url, connections: CONNECTIONS, seconds: process.env.BENCH_ONLY === 'signed' ? 0.2 : SECONDS, next: () => hello, serverPid: server.child.pid });
    const s = await runLoad({ url: server.url, connections: CONNECTIONS, seconds: SECONDS, next: nextSigned, serverPid: server.child.pid });
    if (s.non2xx > 0) throw new Error(`signed GetUser failed: ${s.sample}`);
    rounds.push({ hello: h, signed: s, ratio: s.reqPerSec / h.reqPerSec });
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
        signedGetUser: summary(rounds.map((r) => r.signed)),
        ratio: Number(median(rounds, (r) => r.ratio).toFixed(3)),
        roundRatios: rounds.map((r) => Number(r.ratio.toFixed(3))),
        signedOnTheFly,
      },
      null,
      2,
    ),
  );
} finally {
  server.stop();
}
