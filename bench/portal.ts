// Issue 5 figures: (a) the portal's account list for a user with 1,000 accounts × 5 access configurations — server
// time p99 (target < 50 ms), first page, last page and a search; (b) role sign-ins per second from portal to console
// (STS session + console session per sign-in).
// Run: npx tsx bench/portal.ts   (DATABASE_URL=postgres://… for PostgreSQL; BENCH_ACCOUNTS, BENCH_SECONDS)
import autocannon from 'autocannon';
import { sql } from 'kysely';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../src/config.js';
import { openStore } from '../src/store/db.js';
import { newPrefixedId } from '../src/ids.js';
import { createResourceAccount, getResourceDirectoryOf } from '../src/resource-directory/resource-directory.js';
import { callApi } from '../test/support/sdk.js';
import { FormSession } from '../test/support/form-session.js';
import { HttpConnection, rawRequest } from './load.js';
import { percentile, startBenchServer } from './support.js';

const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 1000);
const CONFIGURATIONS = 5;
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 300);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PASSWORD = 'Bench-Portal-Passw0rd!';

const server = await startBenchServer();
try {
  const sso = (action: string, q: Record<string, string | number> = {}) => callApi(server.url, server.root, action, '2021-05-15', q);
  await callApi(server.url, server.root, 'EnableResourceDirectory', '2020-03-31', { EnableMode: 'CurrentAccount' });
  const dirName = 'bench-portal';
  const dir = (await sso('CreateDirectory', { DirectoryName: dirName })).Directory.DirectoryId as string;
  await sso('UpdateMFAAuthenticationSettings', { DirectoryId: dir, MFAAuthenticationSettings: 'Disabled' });
  const userId = (await sso('CreateUser', { DirectoryId: dir, UserName: 'bench-user' })).User.UserId as string;
  await sso('ResetUserPassword', { DirectoryId: dir, UserId: userId, Password: PASSWORD });
  const configurations: string[] = [];
  for (let i = 0; i < CONFIGURATIONS; i++) {
    const ac = await sso('CreateAccessConfiguration', { DirectoryId: dir, AccessConfigurationName: `config-${i}`, SessionDuration: 3600 });
    configurations.push(ac.AccessConfiguration.AccessConfigurationId);
    await sso('AddPermissionPolicyToAccessConfiguration', {
      DirectoryId: dir,
      AccessConfigurationId: ac.AccessConfiguration.AccessConfigurationId,
      PermissionPolicyType: 'System',
      PermissionPolicyName: 'ReadOnlyAccess',
    });
  }

  // Seeding 1,000 member accounts and 5,000 assignments through the domain functions, in the server's own store:
  // the figure is about reading the list, not about how fast the worker provisions 5,000 roles.
  const accounts: string[] = [];
  let seedSeconds = 0;
  await server.pause(async () => {
    const store = await openStore(loadConfig(server.env));
    const seedStart = performance.now();
    await store.db.transaction().execute(async (tx) => {
      const rd = await getResourceDirectoryOf(tx, (await tx.selectFrom('accounts').select('id').where('type', '=', 'management').executeTakeFirstOrThrow()).id);
      const now = new Date().toISOString();
      for (let i = 0; i < ACCOUNTS; i++) {
        const account = await createResourceAccount(tx, rd!, { displayName: `Account ${String(i).padStart(4, '0')}` }, now);
        accounts.push(account.accountId);
      }
      const rows = accounts.flatMap((accountId, i) =>
        configurations
          .filter((_, c) => !(i === 0 && c === 0)) // this one goes through the API below, so its role is provisioned for real
          .map((acId) => ({
            id: newPrefixedId('aa-'),
            directory_id: dir,
            access_configuration_id: acId,
            target_type: 'RD-Account',
            target_id: accountId,
            principal_type: 'User' as const,
            principal_id: userId,
            created_at: now,
          })),
      );
      for (let i = 0; i < rows.length; i += 500) await tx.insertInto('cloudsso_assignments').values(rows.slice(i, i + 500)).execute();
    });
    seedSeconds = (performance.now() - seedStart) / 1000;
    // Fresh statistics, as autovacuum would have gathered in a running service, so the planner sees 5,000 rows.
    if (store.dialect === 'postgres') await sql`analyze`.execute(store.db);
    await store.close();
  });

  const { Task } = await sso('CreateAccessAssignment', {
    DirectoryId: dir,
    AccessConfigurationId: configurations[0]!,
    TargetType: 'RD-Account',
    TargetId: accounts[0]!,
    PrincipalType: 'User',
    PrincipalId: userId,
  });
  for (let i = 0; ; i++) {
    const status = (await sso('GetTaskStatus', { DirectoryId: dir, TaskId: Task.TaskId })).TaskStatus.Status;
    if (status === 'Success') break;
    if (status === 'Failed' || i > 300) throw new Error(`provisioning task ${status}`);
    await sleep(100);
  }

  // Portal sign-in over HTTP, as a browser would.
  const browser = new FormSession(server.url);
  await browser.open(`/sso/${dirName}/login`);
  const signIn = await browser.post(`/sso/${dirName}/login`, { username: 'bench-user', password: PASSWORD });
  if (!browser.cookieValue('gh_portal')) throw new Error(`portal sign-in failed: ${signIn.status}`);
  const cookie = (): string => browser.cookieHeader();
  const csrf = browser.csrfToken;

  async function timeList(path: string): Promise<{ p50: number; p99: number; firstByteP50: number; bytes: number }> {
    const times: number[] = [];
    const firstBytes: number[] = [];
    let bytes = 0;
    // A keep-alive connection and the request as ready bytes: the time is the server's answer and its transfer,
    // not a heavyweight client's parsing (fetch added ~15 ms to each 170 KB page here).
    const connection = new HttpConnection(server.url);
    const request = rawRequest('GET', path, { host: new URL(server.url).host, cookie: cookie() });
    for (let i = 0; i < SAMPLES; i++) {
      const start = performance.now();
      const res = await connection.send(request);
      times.push(performance.now() - start);
      firstBytes.push(res.firstByteAt - start);
      const body = res.body.toString('utf8');
      if (res.status !== 200 || !body.includes('Account ID')) throw new Error(`${path}: ${res.status}`);
      bytes = body.length;
    }
    connection.close();
    times.sort((a, b) => a - b);
    firstBytes.sort((a, b) => a - b);
    return {
      p50: Number(percentile(times, 50).toFixed(2)),
      p99: Number(percentile(times, 99).toFixed(2)),
      firstByteP50: Number(percentile(firstBytes, 50).toFixed(2)),
      bytes,
    };
  }
  await timeList(`/sso/${dirName}/portal`); // warm-up
  const firstPage = await timeList(`/sso/${dirName}/portal`);
  const lastPage = await timeList(`/sso/${dirName}/portal?page=${Math.ceil(ACCOUNTS / 50)}`);
  const search = await timeList(`/sso/${dirName}/portal?q=${encodeURIComponent('Account 09')}`);

  const body = new URLSearchParams({ _csrf: csrf, accountId: accounts[0]!, accessConfigurationId: configurations[0]! }).toString();
  const signIns = await new Promise<autocannon.Result>((resolve, reject) =>
    autocannon(
      {
        url: `${server.url}/sso/${dirName}/logon`,
        method: 'POST',
        connections: 8,
        duration: SECONDS,
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookie() },
        body,
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    ),
  );
  const redirected = signIns['3xx'] ?? 0;
  console.log(
    JSON.stringify(
      {
        database: process.env.DATABASE_URL ? 'postgres' : 'sqlite',
        accounts: ACCOUNTS,
        configurationsPerAccount: CONFIGURATIONS,
        seedSeconds: Number(seedSeconds.toFixed(1)),
        accountListMs: { firstPage, lastPage, search },
        roleSignIns: { perSecond: Number((redirected / SECONDS).toFixed(1)), p99ms: signIns.latency.p99, non3xx: signIns.requests.total - redirected },
      },
      null,
      2,
    ),
  );
} finally {
  server.stop();
}
