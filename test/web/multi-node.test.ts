// Two Gatehouse nodes on the same data (and the same Redis) behave as one service: a session started on one works on
// the other, ending it on one ends it everywhere at once, a logon's steps may go to either, and a nonce used on one is
// refused on the other.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/server.js';
import { Ims, Ram, imsClient, ramClient } from '../support/sdk.js';
import { FormSession } from '../support/form-session.js';
import { signedV1Query } from '../support/raw-client.js';

async function logOn(node: TestServer, userPrincipalName: string, password: string): Promise<string> {
  const session = new FormSession(node.url);
  await session.open();
  await session.post('/login/identify', { username: userPrincipalName });
  await session.post('/login/password', { password });
  await session.post('/login/mfa-bind/skip', {});
  const token = session.cookieValue('gh_session');
  assert.ok(token, 'logged on');
  return `gh_session=${token}`;
}

const consoleStatus = async (node: TestServer, cookie: string): Promise<number> =>
  (await fetch(`${node.url}/console`, { redirect: 'manual', headers: { cookie } })).status;

describe('several nodes, one service', () => {
  let a: TestServer;
  let b: TestServer;
  const env = { REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' };
  before(async () => {
    a = await startServer({ env });
    b = await startServer({ env, shareWith: a });
    const ram = ramClient(a.url, a.root);
    await ram.createUser(new Ram.CreateUserRequest({ userName: 'roamer' }));
    await ram.createLoginProfile(new Ram.CreateLoginProfileRequest({ userName: 'roamer', password: 'Roamer-Passw0rd!' }));
  });
  after(async () => {
    await b?.close();
    await a?.close();
  });

  it('carries a logon begun on one node through its steps on the other, and ends it once for both', async () => {
    const session = new FormSession(a.url);
    await session.open();
    await session.post('/login/identify', { username: `roamer@${a.gatehouse.bootstrap.account.alias}.onaliyun.com` });
    session.baseUrl = b.url;
    const password = await session.post('/login/password', { password: 'Roamer-Passw0rd!' });
    assert.equal(password.headers.get('location'), '/login/mfa-bind');
    const ended = session.cookieValue('gh_flow')!;
    session.baseUrl = a.url;
    const skip = await session.post('/login/mfa-bind/skip', {});
    assert.equal(skip.headers.get('location'), '/console');
    assert.equal(await consoleStatus(b, `gh_session=${session.cookieValue('gh_session')}`), 200);
    // The flow's cookie sent again, to the node that did not end it: the logon starts over.
    const replay = await fetch(`${b.url}/login/mfa-bind/skip`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `gh_flow=${ended}; gh_csrf=${session.cookieValue('gh_csrf')}` },
      body: new URLSearchParams({ _csrf: session.csrfToken }),
    });
    assert.equal(replay.headers.get('location'), '/login.htm');
    assert.doesNotMatch(replay.headers.get('set-cookie') ?? '', /gh_session=/);
  });

  it('honours a session from one node on the other, and ends it everywhere when console access is disabled', async () => {
    const domain = `${a.gatehouse.bootstrap.account.alias}.onaliyun.com`;
    const cookie = await logOn(a, `roamer@${domain}`, 'Roamer-Passw0rd!');
    assert.equal(await consoleStatus(a, cookie), 200);
    assert.equal(await consoleStatus(b, cookie), 200);
    await imsClient(b.url, b.root).updateLoginProfile(new Ims.UpdateLoginProfileRequest({ userPrincipalName: `roamer@${domain}`, status: 'Inactive' }));
    assert.equal(await consoleStatus(a, cookie), 303);
    assert.equal(await consoleStatus(b, cookie), 303);
  });

  it('refuses on one node a nonce already used on the other, through Redis', async () => {
    const query = signedV1Query(a.root, { Action: 'GetUser', Version: '2015-05-01', UserName: 'roamer' });
    assert.equal((await fetch(`${b.url}/?${query}`)).status, 200);
    const replay = await fetch(`${a.url}/?${query}`);
    assert.equal((await replay.json()).Code, 'SignatureNonceUsed');
  });
});
