// Issue 13, item 5: does the time of a RAM user's password step tell who exists? Times the password step for an
// unknown user, a user without console logon and a locked user (with the right password and a wrong one), each as a
// ratio of the same step for a known user with a wrong password, measured in the same run, interleaved. The tests
// assert the cause (one argon2id verification per answer, identical answers); this measures the effect.
// Run: npx tsx bench/logon-enumeration.ts   (BENCH_SAMPLES per kind; DATABASE_URL=postgres://… for PostgreSQL)
import { Ram, ramClient } from '../test/support/sdk.js';
import { FormSession } from '../test/support/form-session.js';
import { percentile, startBenchServer } from './support.js';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 40);
const PASSWORD = 'Bench-Passw0rd!';
const MAX_ATTEMPTS = 3;

const server = await startBenchServer();
try {
  const ram = ramClient(server.url, server.root);
  const domain = `${(await ram.getAccountAlias()).body.accountAlias}.onaliyun.com`;
  await ram.setPasswordPolicy(new Ram.SetPasswordPolicyRequest({ maxLoginAttemps: MAX_ATTEMPTS }));
  for (const name of ['known', 'locked']) {
    await ram.createUser(new Ram.CreateUserRequest({ userName: name }));
    await ram.createLoginProfile(new Ram.CreateLoginProfileRequest({ userName: name, password: PASSWORD }));
  }
  await ram.createUser(new Ram.CreateUserRequest({ userName: 'noprofile' }));

  /** Milliseconds from sending the password to the end of the answer; the name step is done before the clock starts. */
  async function passwordStep(userName: string, password: string): Promise<number> {
    const session = new FormSession(server.url);
    await session.open();
    await session.post('/login/identify', { username: `${userName}@${domain}` });
    const start = performance.now();
    const res = await session.post('/login/password', { password });
    await res.arrayBuffer();
    const ms = performance.now() - start;
    if (res.status !== 400) throw new Error(`${userName}: expected the wrong-password answer, got ${res.status}`);
    return ms;
  }

  for (let i = 0; i < MAX_ATTEMPTS; i++) await passwordStep('locked', `wrong-${i}`);
  const kinds: Record<string, () => Promise<number>> = {
    knownWrongPassword: () => passwordStep('known', 'wrong-password'),
    unknownUser: () => passwordStep(`nobody-${Math.random().toString(36).slice(2, 8)}`, 'wrong-password'),
    noConsoleLogon: () => passwordStep('noprofile', 'wrong-password'),
    lockedRightPassword: () => passwordStep('locked', PASSWORD),
    lockedWrongPassword: () => passwordStep('locked', 'wrong-password'),
  };
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(kinds).map((k) => [k, []]));
  // A few unmeasured rounds first (the argon2 threads, the dummy hash, the statement caches), then the kinds taken in
  // turn, so a slower minute of this shared machine falls on all of them alike.
  for (let round = -3; round < SAMPLES; round++) {
    for (const [kind, measure] of Object.entries(kinds)) {
      const ms = await measure();
      if (round >= 0) times[kind]!.push(ms);
    }
  }
  for (const values of Object.values(times)) values.sort((a, b) => a - b);
  const baseline = percentile(times.knownWrongPassword!, 50);
  const result = Object.fromEntries(
    Object.entries(times).map(([kind, values]) => [
      kind,
      { p50Ms: +percentile(values, 50).toFixed(2), p90Ms: +percentile(values, 90).toFixed(2), ratioToBaseline: +(percentile(values, 50) / baseline).toFixed(3) },
    ]),
  );
  console.log(JSON.stringify({ database: process.env.DATABASE_URL ? 'postgresql' : 'sqlite', samplesPerKind: SAMPLES, baseline: 'knownWrongPassword p50', result }, null, 2));
} finally {
  server.stop();
}
