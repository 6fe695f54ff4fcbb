// Issue 3, figure: password logons per second through the real HTTP flow (logon page → name step → password step
// → skip the optional MFA prompt → session cookie), with concurrent clients, as a ratio of the raw argon2id
// verification rate (19 MiB, t=2, p=1) measured in the same run on the same machine. Target ≥ 0.85.
// Run: npx tsx bench/password-logon.ts   (BENCH_SECONDS, BENCH_CLIENTS; DATABASE_URL=postgres://… for PostgreSQL)
import { hash, verify } from '@node-rs/argon2';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { availableParallelism } from 'node:os';
import { Ram, ramClient } from '../test/support/sdk.js';
import { startBenchServer } from './support.js';

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

// A light client (node:http with keep-alive, no fetch machinery): the load generator shares the machine's two cores
// with the server, so every microsecond it spends is taken from hashing.
const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS * 2 });

function request(url: string, path: string, cookie: string, form?: Record<string, string>): Promise<{ status: number; location?: string; cookies: string[]; body: string }> {
  const body = form ? new URLSearchParams(form).toString() : undefined;
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${url}${path}`,
      {
        method: form ? 'POST' : 'GET',
        agent,
        headers: { cookie, ...(body ? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, location: res.headers.location, cookies: res.headers['set-cookie'] ?? [], body: Buffer.concat(chunks).toString('latin1') }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function logon(url: string, userPrincipalName: string): Promise<boolean> {
  const jar = new Map<string, string>();
  const keep = (cookies: string[]): void => {
    for (const line of cookies) {
      const pair = line.slice(0, line.indexOf(';'));
      const eq = pair.indexOf('=');
      jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  };
  const cookie = (): string => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const first = await request(url, '/login.htm', '');
  keep(first.cookies);
  const at = first.body.indexOf('name="_csrf" value="') + 20;
  const csrf = first.body.slice(at, first.body.indexOf('"', at));
  keep((await request(url, '/login/identify', cookie(), { _csrf: csrf, username: userPrincipalName })).cookies);
  const password = await request(url, '/login/password', cookie(), { _csrf: csrf, password: PASSWORD });
  keep(password.cookies);
  if (password.location !== '/login/mfa-bind') return false;
  const skip = await request(url, '/login/mfa-bind/skip', cookie(), { _csrf: csrf });
  keep(skip.cookies);
  return skip.location === '/console' && jar.has('gh_session');
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
  await Promise.all(names.slice(0, CLIENTS).map((n) => logon(server.url, n)));
  let ok = 0;
  let failed = 0;
  const procCpu = (): number => {
    const fields = readFileSync(`/proc/${server.child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in seconds (100 ticks/s)
  };
  const serverCpuBefore = procCpu();
  const clientCpuBefore = process.cpuUsage();
  const deadline = Date.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      for (let i = c; Date.now() < deadline; i += CLIENTS) {
        if (await logon(server.url, names[i % names.length]!)) ok++;
        else failed++;
      }
    }),
  );
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
