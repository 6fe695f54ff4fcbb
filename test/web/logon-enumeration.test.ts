// An unknown user and a known user with a wrong password must get the same answer in about the same time: both pay
// for one argon2id verification. Timings are noisy, so the test compares medians with a wide margin.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/server.js';
import { FormSession } from '../support/form-session.js';
import { Ram, ramClient } from '../support/sdk.js';

async function passwordStep(server: TestServer, userPrincipalName: string, password: string): Promise<{ ms: number; status: number; body: string }> {
  const session = new FormSession(server.url);
  await session.open();
  await session.post('/login/identify', { username: userPrincipalName });
  const start = performance.now();
  const res = await session.post('/login/password', { password });
  const body = await res.text();
  return { ms: performance.now() - start, status: res.status, body };
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const message = (body: string): string => /role="alert">([^<]*)</.exec(body)?.[1] ?? '';

describe('RAM user logon enumeration', () => {
  let server: TestServer;
  let domain: string;
  before(async () => {
    server = await startServer();
    domain = `${server.gatehouse.bootstrap.account.alias}.onaliyun.com`;
    const ram = ramClient(server.url, server.root);
    await ram.createUser(new Ram.CreateUserRequest({ userName: 'known' }));
    await ram.createLoginProfile(new Ram.CreateLoginProfileRequest({ userName: 'known', password: 'Known-Passw0rd!' }));
    await ram.createUser(new Ram.CreateUserRequest({ userName: 'noprofile' }));
  });
  after(async () => server.close());

  it('answers an unknown user, a user without console logon and a wrong password alike, in similar time', async () => {
    const known: number[] = [];
    const unknown: number[] = [];
    const answers = new Set<string>();
    for (let i = 0; i < 8; i++) {
      const a = await passwordStep(server, `known@${domain}`, `wrong-${i}`);
      const b = await passwordStep(server, `nobody-${i}@${domain}`, `wrong-${i}`);
      const c = await passwordStep(server, `noprofile@${domain}`, `wrong-${i}`);
      const d = await passwordStep(server, `someone@unknown-${i}.onaliyun.com`, `wrong-${i}`);
      for (const r of [a, b, c, d]) answers.add(`${r.status} ${message(r.body)}`);
      known.push(a.ms);
      unknown.push(b.ms, c.ms, d.ms);
    }
    assert.deepEqual([...answers], ['400 The user name or password is incorrect.']);
    const ratio = median(unknown) / median(known);
    assert.ok(ratio > 0.5 && ratio < 2, `unknown/known median time ratio ${ratio.toFixed(2)} (${median(unknown).toFixed(1)} ms vs ${median(known).toFixed(1)} ms)`);
  });
});
