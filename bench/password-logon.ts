// Issue 3, figure: password logons per second through the real HTTP flow (logon page → name step → password step
// → skip the optional MFA prompt → session cookie), with concurrent clients, as a ratio of the raw argon2id
// verification rate (19 MiB, t=2, p=1) measured in the same run on the same machine. Target ≥ 0.85.
// Run: npx tsx bench/password-logon.ts   (BENCH_SECONDS, BENCH_CLIENTS; DATABASE_URL=postgres://… for PostgreSQL)
import { hash, verify } from '@node-rs/argon2';
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

function cookieJar(): { header(): string; store(res: Response): void } {
  const jar = new Map<string, string>();
  return {
    header: () => [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
    store(res) {
      for (const line of res.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const eq = (pair ?? '').indexOf('=');
        if (eq > 0) jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
      }
    },
  };
}

async function logon(url: string, userPrincipalName: string): Promise<boolean> {
  const jar = cookieJar();
  const form = async (path: string, fields: Record<string, string>): Promise<Response> => {
    const res = await fetch(`${url}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.header() },
      body: new URLSearchParams(fields),
    });
    jar.store(res);
    await res.arrayBuffer();
    return res;
  };
  const first = await fetch(`${url}/login.htm`);
  jar.store(first);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await first.text())?.[1] ?? '';
  await form('/login/identify', { _csrf: csrf, username: userPrincipalName });
  const password = await form('/login/password', { _csrf: csrf, password: PASSWORD });
  if (password.headers.get('location') !== '/login/mfa-bind') return false;
  const skip = await form('/login/mfa-bind/skip', { _csrf: csrf });
  return skip.headers.get('location') === '/console' && jar.header().includes('gh_session=');
}

const baseline = await rawVerifyRate();
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
  console.log(
    JSON.stringify(
      {
        cores: availableParallelism(),
        clients: CLIENTS,
        seconds: SECONDS,
        database: process.env.DATABASE_URL ? 'postgres' : 'sqlite',
        rawArgon2idVerifiesPerSec: Number(baseline.toFixed(1)),
        logonsPerSec: Number(rate.toFixed(1)),
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
