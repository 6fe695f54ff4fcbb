// Issue 2, figure (a): a signed read (RAM GetUser, V3 signature, policy check, DB read) under concurrent load,
// as a ratio of a hello-world route on the same Fastify instance, measured in the same run.
// Run: npx tsx bench/signed-read.ts   (DATABASE_URL=postgres://… to measure on PostgreSQL)
import autocannon from 'autocannon';
import { createHash, randomUUID } from 'node:crypto';
import { signV3 } from '../src/openapi/signature-v3.js';
import { ramClient, Ram } from '../test/support/sdk.js';
import { startBenchServer } from './support.js';

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const EMPTY_SHA = createHash('sha256').update('').digest('hex');

const server = await startBenchServer();
try {
  const root = ramClient(server.url, server.root);
  // The caller is a RAM user with a realistic policy set, so the policy engine does real work.
  await root.createUser(new Ram.CreateUserRequest({ userName: 'bench-reader' }));
  await root.attachPolicyToUser(new Ram.AttachPolicyToUserRequest({ policyType: 'System', policyName: 'AliyunRAMReadOnlyAccess', userName: 'bench-reader' }));
  const key = (await root.createAccessKey(new Ram.CreateAccessKeyRequest({ userName: 'bench-reader' }))).body.accessKey;
  const host = new URL(server.url).host;

  function signedGetUser(): { method: 'POST'; path: string; headers: Record<string, string> } {
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
    return { method: 'POST' as const, path: '/?UserName=bench-reader', headers };
  }

  const run = (opts: autocannon.Options): Promise<autocannon.Result> =>
    new Promise((resolve, reject) => autocannon(opts, (err, result) => (err ? reject(err) : resolve(result))));

  // Warm up both paths.
  // BENCH_ONLY=signed skips the baseline, for profiling the signed path alone.
  const helloSeconds = process.env.BENCH_ONLY === 'signed' ? 1 : DURATION;
  await run({ url: `${server.url}/bench/hello`, connections: CONNECTIONS, duration: Math.min(2, helloSeconds) });
  await run({ url: server.url, connections: CONNECTIONS, duration: 2, requests: [{ setupRequest: (r) => ({ ...r, ...signedGetUser() }) }] });

  const hello = await run({ url: `${server.url}/bench/hello`, connections: CONNECTIONS, duration: helloSeconds });
  const signed = await run({
    url: server.url,
    connections: CONNECTIONS,
    duration: DURATION,
    requests: [{ setupRequest: (r) => ({ ...r, ...signedGetUser() }) }],
  });
  const summary = {
    connections: CONNECTIONS,
    seconds: DURATION,
    database: process.env.DATABASE_URL ? 'postgres' : 'sqlite',
    hello: { reqPerSec: hello.requests.average, p99ms: hello.latency.p99, non2xx: hello.non2xx },
    signedGetUser: { reqPerSec: signed.requests.average, p99ms: signed.latency.p99, non2xx: signed.non2xx, errors: signed.errors },
    ratio: Number((signed.requests.average / hello.requests.average).toFixed(3)),
  };
  console.log(JSON.stringify(summary, null, 2));
} finally {
  server.stop();
}
