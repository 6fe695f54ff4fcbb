// Issue 3, figure: password logons per second through the real HTTP flow (logon page → name step → password step
// → skip the optional MFA prompt → session cookie), with concurrent clients, as a ratio of the raw argon2id
// verification rate (19 MiB, t=2, p=1) measured in the same run on the same machine. Target ≥ 0.85.
// Run: npx tsx bench/password-logon.ts   (BENCH_SECONDS, BENCH_CLIENTS; DATABASE_URL=postgres://… for PostgreSQL)
import { hash, verify } from '@node-rs/argon2';
import { availableParallelism } from 'node:os';
import { Ram, ramClient } from '../test/support/sdk.js';
import { processCpuSeconds, startBenchServer } from './support.js';
import { headerValues, HttpConnection, rawRequest, type RawResponse } from './load.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 8);
const USERS = 16;
const PASSWORD = 'Bench-Passw0rd!';

async function rawVerifyRate(): Promise<number> {
  const phc = await hash(PASSWORD, { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 });
  const deadline = Date.now() + SECONDS * 1000;
  let count = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (Date.now() < deadline) {
        await verify(phc, PASSWORD);
        count++;
      }
    }),
  );
  return count / SECONDS;
}

// A light client (raw keep-alive sockets, requests written as bytes): the load generator shares the machine's two
// cores with the server, so every microsecond it spends is taken from hashing.
const FORM = 'application/x-www-form-urlencoded';

async function logon(connection: HttpConnection, host: string, userPrincipalName: string): Promise<boolean> {
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

  const page = keep(await connection.send(rawRequest('GET', '/login.htm', { host })));
  const text = page.body.toString('latin1');
  const at = text.indexOf('name="_csrf" value="') + 20;
  const csrf = text.slice(at, text.indexOf('"', at));
  await post('/login/identify', { _csrf: csrf, username: userPrincipalName });
  const password = await post('/login/password', { _csrf: csrf, password: PASSWORD });
  if (headerValues(password, 'location')[0] !== '/login/mfa-bind') return false;
  const skip = await post('/login/mfa-bind/skip', { _csrf: csrf });
  return headerValues(skip, 'location')[0] === '/console' && jar.has('gh_session');
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
  // Warm-up, then the measured window.
  const host = new URL(server.url).host;
  const connections = Array.from({ length: CLIENTS }, () => new HttpConnection(server.url));
  await Promise.all(connections.map((connection, c) => logon(connection, host, names[c]!)));
  let ok = 0;
  let failed = 0;
  const procCpu = (): number => processCpuSeconds(server.child.pid!);
  const serverCpuBefore = procCpu();
  const clientCpuBefore = process.cpuUsage();
  const deadline = Date.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      for (let i = c; Date.now() < deadline; i += CLIENTS) {
        if (await logon(connections[c]!, host, names[i % names.length]!)) ok++;
        else failed++;
      }
    }),
  );
  for (const connection of connections) connection.close();
  const rate = ok / SECONDS;
  const serverCpu = procCpu() - serverCpuBefore;
  const clientUsage = process.cpuUsage(clientCpuBefore);
  const clientCpu = (clientUsage.user + clientUsage.system) / 1e6;
  // The raw rate is measured before and after the logons, and averaged, so a change in the machine's load during the
  // run shows up as a difference between the two instead of silently skewing the ratio.
  const baselineAfter = await rawVerifyRate();
  const baseline = (baselineBefore + baselineAfter) / 2;
  console.log(
    JSON.stringify(
      {
        cores: availableParallelism(),
        clients: CLIENTS,
        seconds: SECONDS,
        database: process.env.DATABASE_URL ? 'postgres' : 'sqlite',
        rawArgon2idVerifiesPerSec: { before: Number(baselineBefore.toFixed(1)), after: Number(baselineAfter.toFixed(1)) },
        logonsPerSec: Number(rate.toFixed(1)),
        // CPU seconds spent during the logon window: the server (event loop and argon2 threads) and this load generator.
        cpuSeconds: { server: Number(serverCpu.toFixed(2)), loadGenerator: Number(clientCpu.toFixed(2)) },
        failed,
        ratio: Number((rate / baseline).toFixed(3)),
      },
      null,
      2,
    ),
  );
} finally {
  server.stop();
}
