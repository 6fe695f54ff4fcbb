// Gatehouse nodes in separate processes, on one PostgreSQL schema and one Redis, behave as one service: each serves
// what is sent to it and takes its share of the CloudSSO tasks; a logon, a session, a nonce and the logon throttle are
// the same whichever node sees them, also when one node's clock runs minutes ahead; and nodes started at once on an
// empty schema set it up once. Nothing is shared through memory: each node is its own process.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { REPO_ROOT } from '../support/paths.js';
import { multiNodeSkip, newCluster, type Cluster, type NodeProcess } from '../support/node-process.js';
import { Ims, Ram, imsClient, ramClient } from '../support/sdk.js';
import { FormSession } from '../support/form-session.js';
import { signedV1Query } from '../support/raw-client.js';
import { createDirectory, createMember, createUser, sso, waitTask } from '../cloudsso/access-support.js';

const FIVE_MINUTES = 5 * 60_000;
const ROAMER_PASSWORD = 'Roamer-Passw0rd!';

async function createRoamer(node: NodeProcess, userName = 'roamer'): Promise<string> {
  const ram = ramClient(node.url, node.root);
  await ram.createUser(new Ram.CreateUserRequest({ userName }));
  await ram.createLoginProfile(new Ram.CreateLoginProfileRequest({ userName, password: ROAMER_PASSWORD }));
  return `${userName}@${node.alias}.onaliyun.com`;
}

/** A logon whose steps go to the nodes given in turn (identify, password, skip MFA binding); returns the session cookie. */
async function logOn(steps: [NodeProcess, NodeProcess, NodeProcess], userPrincipalName: string): Promise<string> {
  const session = new FormSession(steps[0].url);
  await session.open();
  await session.post('/login/identify', { username: userPrincipalName });
  session.baseUrl = steps[1].url;
  assert.equal((await session.post('/login/password', { password: ROAMER_PASSWORD })).headers.get('location'), '/login/mfa-bind');
  session.baseUrl = steps[2].url;
  assert.equal((await session.post('/login/mfa-bind/skip', {})).headers.get('location'), '/console');
  const token = session.cookieValue('gh_session');
  assert.ok(token, 'logged on');
  return `gh_session=${token}`;
}

const consoleStatus = async (node: NodeProcess, cookie: string): Promise<number> =>
  (await fetch(`${node.url}/console`, { redirect: 'manual', headers: { cookie } })).status;

const getUser = (node: NodeProcess, query: URLSearchParams): Promise<Response> => fetch(`${node.url}/?${query}`);

describe('two nodes started at the same moment on an empty schema', { skip: multiNodeSkip }, () => {
  let cluster: Cluster;
  let nodes: NodeProcess[];
  before(async () => {
    cluster = newCluster();
    nodes = await cluster.startNodesTogether(2);
  });
  after(async () => cluster?.close());

  it('migrates and bootstraps once: one management account, one root AccessKey, and both nodes serve it', async () => {
    assert.deepEqual(nodes.map((n) => n.created).sort(), [false, true]);
    assert.equal(nodes[0]!.accountId, nodes[1]!.accountId);
    const accounts = await cluster.query<{ id: string }>(`select id from accounts where type = 'management'`);
    assert.deepEqual(accounts.map((a) => a.id), [nodes[0]!.accountId]);
    const rootKeys = await cluster.query<{ id: string }>('select id from access_keys where user_id is null');
    assert.deepEqual(rootKeys.map((k) => k.id), [cluster.root.accessKeyId]);
    const migrations = await cluster.query<{ name: string }>('select name from kysely_migration order by name');
    assert.equal(new Set(migrations.map((m) => m.name)).size, migrations.length);
    const files = readdirSync(join(REPO_ROOT, 'src/store/migrations')).map((f) => f.replace(/\.ts$/, '')).sort();
    assert.deepEqual(migrations.map((m) => m.name), files, 'every migration ran once');
    for (const node of nodes) {
      const users = await ramClient(node.url, node.root).listUsers(new Ram.ListUsersRequest({}));
      assert.equal(users.statusCode, 200);
    }
  });
});

describe('two nodes, one service', { skip: multiNodeSkip }, () => {
  let cluster: Cluster;
  let a: NodeProcess;
  let b: NodeProcess;
  let roamer: string;
  before(async () => {
    cluster = newCluster();
    a = await cluster.startNode();
    b = await cluster.startNode();
    roamer = await createRoamer(a);
  });
  after(async () => cluster?.close());

  it('serves on each node what is sent to it', async () => {
    const before = [await a.served(), await b.served()];
    for (let i = 0; i < 10; i++) {
      const node = i % 3 === 0 ? b : a;
      const query = signedV1Query(node.root, { Action: 'GetUser', Version: '2015-05-01', UserName: 'roamer' });
      assert.equal((await getUser(node, query)).status, 200);
    }
    assert.deepEqual([(await a.served()) - before[0]!, (await b.served()) - before[1]!], [6, 4]);
  });

  it('carries a logon begun on one node through its steps on the other, and ends it once for both', async () => {
    const session = new FormSession(a.url);
    await session.open();
    await session.post('/login/identify', { username: roamer });
    session.baseUrl = b.url;
    assert.equal((await session.post('/login/password', { password: ROAMER_PASSWORD })).headers.get('location'), '/login/mfa-bind');
    const ended = session.cookieValue('gh_flow')!;
    session.baseUrl = a.url;
    assert.equal((await session.post('/login/mfa-bind/skip', {})).headers.get('location'), '/console');
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

  it('refuses on one node a nonce already used on the other', async () => {
    const query = signedV1Query(a.root, { Action: 'GetUser', Version: '2015-05-01', UserName: 'roamer' });
    assert.equal((await getUser(b, query)).status, 200);
    assert.equal(((await (await getUser(a, query)).json()) as { Code: string }).Code, 'SignatureNonceUsed');
  });

  it('takes turns at the CloudSSO tasks: each runs once, and each node runs some', async () => {
    const dir = await createDirectory(a);
    const member = await createMember(a, 'multi-node');
    const userId = await createUser(a, dir, 'tina');
    const taskIds: string[] = [];
    for (let i = 0; i < 12; i++) {
      const node = i % 2 ? a : b;
      const ac = (await sso(node, 'CreateAccessConfiguration', { DirectoryId: dir, AccessConfigurationName: `shared-${i}` })).AccessConfiguration;
      const assignment = await sso(node, 'CreateAccessAssignment', {
        DirectoryId: dir,
        AccessConfigurationId: ac.AccessConfigurationId,
        TargetType: 'RD-Account',
        TargetId: member,
        PrincipalType: 'User',
        PrincipalId: userId,
      });
      taskIds.push(assignment.Task.TaskId);
      // Both workers poll every 200 ms: tasks that arrive over a few of their turns are found by both.
      await sleep(150);
    }
    for (const id of taskIds) assert.equal((await waitTask(a, dir, id)).Status, 'Success');
    const rows = await cluster.query<{ attempts: number; finished_by: string }>('select attempts, finished_by from cloudsso_tasks where id = any($1)', [taskIds]);
    assert.deepEqual(rows.map((r) => r.attempts), Array(12).fill(1));
    const byNode = (node: NodeProcess): number => rows.filter((r) => r.finished_by.split(':')[1] === String(node.pid)).length;
    assert.equal(byNode(a) + byNode(b), 12, `tasks finished by these two nodes only: ${rows.map((r) => r.finished_by).join(', ')}`);
    assert.ok(byNode(a) > 0 && byNode(b) > 0, `each node ran some tasks (a: ${byNode(a)}, b: ${byNode(b)})`);
  });

  it('honours a session from one node on the other, and ends it everywhere when console logon is disabled', async () => {
    // A user of its own: disabling roamer would break the tests above if they ran after this one.
    const leaver = await createRoamer(a, 'leaver');
    const cookie = await logOn([a, a, a], leaver);
    assert.equal(await consoleStatus(b, cookie), 200);
    await imsClient(b.url, b.root).updateLoginProfile(new Ims.UpdateLoginProfileRequest({ userPrincipalName: leaver, status: 'Inactive' }));
    assert.equal(await consoleStatus(a, cookie), 303);
    assert.equal(await consoleStatus(b, cookie), 303);
  });
});

describe('a node whose clock runs five minutes ahead of the other', { skip: multiNodeSkip }, () => {
  let cluster: Cluster;
  let a: NodeProcess;
  let ahead: NodeProcess;
  let roamer: string;
  let dir: string;
  let leased: string;
  before(async () => {
    cluster = newCluster();
    a = await cluster.startNode({ env: { GATEHOUSE_TASK_WORKER: 'off' } });
    roamer = await createRoamer(a);
    dir = await createDirectory(a);
    const member = await createMember(a, 'skewed');
    const ac = (await sso(a, 'CreateAccessConfiguration', { DirectoryId: dir, AccessConfigurationName: 'leased' })).AccessConfiguration;
    const assignment = await sso(a, 'CreateAccessAssignment', {
      DirectoryId: dir,
      AccessConfigurationId: ac.AccessConfigurationId,
      TargetType: 'RD-Account',
      TargetId: member,
      PrincipalType: 'User',
      PrincipalId: await createUser(a, dir, 'lena'),
    });
    leased = assignment.Task.TaskId;
    // A node on the right time is working on the task: its lease runs for another minute.
    await cluster.query('update cloudsso_tasks set lease_owner = $1, lease_until = $2, attempts = 1 where id = $3', [
      'on-time-node:1:working',
      new Date(Date.now() + 60_000).toISOString(),
      leased,
    ]);
    ahead = await cluster.startNode({ clockOffsetMs: FIVE_MINUTES });
  });
  after(async () => cluster?.close());

  it("leaves another node's lease alone until it has run out, then takes the task over", async () => {
    await sleep(1_500);
    const [held] = await cluster.query<{ status: string; lease_owner: string; attempts: number }>('select status, lease_owner, attempts from cloudsso_tasks where id = $1', [leased]);
    assert.deepEqual(held, { status: 'InProgress', lease_owner: 'on-time-node:1:working', attempts: 1 });
    // The working node died: its lease runs out.
    await cluster.query('update cloudsso_tasks set lease_until = $1 where id = $2', [new Date(Date.now() - 1_000).toISOString(), leased]);
    assert.equal((await waitTask(ahead, dir, leased)).Status, 'Success');
    const [done] = await cluster.query<{ attempts: number; finished_by: string }>('select attempts, finished_by from cloudsso_tasks where id = $1', [leased]);
    assert.equal(done!.attempts, 2);
    assert.equal(done!.finished_by.split(':')[1], String(ahead.pid));
  });

  it('accepts a call signed on either clock on both nodes, and refuses its nonce on the other', async () => {
    for (const timestamp of [new Date(), new Date(Date.now() + FIVE_MINUTES)]) {
      const query = signedV1Query(a.root, { Action: 'GetUser', Version: '2015-05-01', UserName: 'roamer' }, { timestamp });
      assert.equal((await getUser(ahead, query)).status, 200);
      assert.equal(((await (await getUser(a, query)).json()) as { Code: string }).Code, 'SignatureNonceUsed');
      const other = signedV1Query(a.root, { Action: 'GetUser', Version: '2015-05-01', UserName: 'roamer' }, { timestamp });
      assert.equal((await getUser(a, other)).status, 200);
      assert.equal(((await (await getUser(ahead, other)).json()) as { Code: string }).Code, 'SignatureNonceUsed');
    }
  });

  it('carries logons and sessions across the two clocks both ways', async () => {
    const fromAhead = await logOn([ahead, a, ahead], roamer);
    assert.equal(await consoleStatus(a, fromAhead), 200);
    const fromA = await logOn([a, ahead, a], roamer);
    assert.equal(await consoleStatus(ahead, fromA), 200);
  });
});

describe('the logon throttle on two nodes', { skip: multiNodeSkip }, () => {
  let cluster: Cluster;
  let a: NodeProcess;
  let b: NodeProcess;
  before(async () => {
    cluster = newCluster();
    const env = { GATEHOUSE_LOGON_RATE_LIMIT: '3' };
    // The budget is per minute of the nodes' clock: both get the same offset, which sets them 2 s into a minute, so
    // every attempt below falls in that one minute without waiting for the next.
    const clockOffsetMs = (62_000 - (Date.now() % 60_000)) % 60_000;
    a = await cluster.startNode({ env, clockOffsetMs });
    b = await cluster.startNode({ env, clockOffsetMs });
  });
  after(async () => cluster?.close());

  async function rootAttempt(node: NodeProcess, password: string): Promise<Response> {
    const page = await fetch(`${node.url}/root/login`);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
    const cookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    return fetch(`${node.url}/root/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: new URLSearchParams({ _csrf: csrf, identifier: node.accountId, password }),
    });
  }

  it('counts the attempts made on either node against one budget per source address', async () => {
    for (const node of [a, b, a]) assert.equal((await rootAttempt(node, 'wrong-password')).status, 401);
    for (const node of [b, a]) {
      const blocked = await rootAttempt(node, cluster.rootPassword);
      assert.equal(blocked.status, 429);
      assert.match(await blocked.text(), /Too many logon attempts from your network/);
    }
  });
});
