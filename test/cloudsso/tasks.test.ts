import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/server.js';
import { expectApiError } from '../support/sdk.js';
import { createDirectory, createMember, createUser, sso, waitTask } from './access-support.js';

async function setup(s: TestServer, count: number): Promise<{ dir: string; member: string; userId: string; acIds: string[] }> {
  const dir = await createDirectory(s);
  const member = await createMember(s, `tasks-${Math.random().toString(36).slice(2, 8)}`);
  const userId = await createUser(s, dir, 'tina');
  const acIds: string[] = [];
  for (let i = 0; i < count; i++) {
    const ac = (await sso(s, 'CreateAccessConfiguration', { DirectoryId: dir, AccessConfigurationName: `task-ac-${i}` })).AccessConfiguration;
    await sso(s, 'AddPermissionPolicyToAccessConfiguration', {
      DirectoryId: dir,
      AccessConfigurationId: ac.AccessConfigurationId,
      PermissionPolicyType: 'System',
      PermissionPolicyName: 'ReadOnlyAccess',
    });
    acIds.push(ac.AccessConfigurationId);
  }
  return { dir, member, userId, acIds };
}

const assign = (s: TestServer, dir: string, acId: string, member: string, userId: string) =>
  sso(s, 'CreateAccessAssignment', { DirectoryId: dir, AccessConfigurationId: acId, TargetType: 'RD-Account', TargetId: member, PrincipalType: 'User', PrincipalId: userId });

describe('CloudSSO task worker', () => {
  it("waits out a crashed node's lease, then finishes the task; gives up after three interrupted attempts", async () => {
    const a = await startServer({ env: { GATEHOUSE_TASK_WORKER: 'off' } });
    let b: TestServer | undefined;
    try {
      const { dir, member, userId, acIds } = await setup(a, 2);
      const first = (await assign(a, dir, acIds[0]!, member, userId)).Task;
      const second = (await assign(a, dir, acIds[1]!, member, userId)).Task;
      const db = a.gatehouse.services.store.db;
      const now = a.clock.now().getTime();
      // A node that claimed the first task and died; the second was interrupted three times already.
      await db.updateTable('cloudsso_tasks').set({ lease_owner: 'dead-node', lease_until: new Date(now + 60_000).toISOString(), attempts: 1 }).where('id', '=', first.TaskId).execute();
      await db.updateTable('cloudsso_tasks').set({ lease_owner: 'dead-node', lease_until: new Date(now - 1000).toISOString(), attempts: 3 }).where('id', '=', second.TaskId).execute();
      await a.stop();

      // b's worker runs only when the test asks, so "not yet run" is a fact of the test, not of a timer.
      b = await startServer({ shareWith: a, env: { GATEHOUSE_TASK_WORKER: 'off' } });
      const status = async (taskId: string) => (await sso(b!, 'GetTaskStatus', { DirectoryId: dir, TaskId: taskId })).TaskStatus;
      assert.equal(await b.gatehouse.taskWorker.runDue(), 1, 'only the task whose lease ran out is due');
      const gaveUp = await status(second.TaskId);
      assert.equal(gaveUp.Status, 'Failed');
      assert.match(gaveUp.FailureReason, /interrupted 3 times/);
      const detail = (await sso(b, 'GetTask', { DirectoryId: dir, TaskId: second.TaskId })).Task;
      assert.equal(detail.FailureReason, gaveUp.FailureReason);
      const failed = await sso(b, 'ListTasks', { DirectoryId: dir, Status: 'Failed' });
      assert.deepEqual(failed.Tasks.map((t: any) => t.TaskId), [second.TaskId]);

      // The dead node's lease still holds: a pass claims nothing and the first task stays in progress.
      assert.equal(await b.gatehouse.taskWorker.runDue(), 0);
      assert.equal((await status(first.TaskId)).Status, 'InProgress');
      // Leases run on the database's clock, which no test can move: the dead node's lease runs out.
      await b.gatehouse.services.store.db.updateTable('cloudsso_tasks').set({ lease_until: new Date(Date.now() - 1000).toISOString() }).where('id', '=', first.TaskId).execute();
      assert.equal(await b.gatehouse.taskWorker.runDue(), 1);
      assert.equal((await status(first.TaskId)).Status, 'Success');
      const row = await b.gatehouse.services.store.db.selectFrom('cloudsso_tasks').select(['attempts', 'lease_owner']).where('id', '=', first.TaskId).executeTakeFirstOrThrow();
      assert.equal(row.attempts, 2);
      assert.equal(row.lease_owner, null);

      // After a failure the work can be asked for again.
      const retry = (await sso(b, 'ProvisionAccessConfiguration', { DirectoryId: dir, AccessConfigurationId: acIds[1], TargetType: 'RD-Account', TargetId: member })).Tasks[0];
      assert.equal((await status(retry.TaskId)).Status, 'InProgress');
      assert.equal(await b.gatehouse.taskWorker.runDue(), 1);
      assert.equal((await status(retry.TaskId)).Status, 'Success');
    } finally {
      await b?.close();
      await a.close();
    }
  });

  // Two nodes sharing the work, in separate processes: test/web/multi-node.test.ts.
  it('runs every task once and lists them page by page', async () => {
    const a = await startServer();
    try {
      const { dir, member, userId, acIds } = await setup(a, 6);
      const tasks = [];
      for (const acId of acIds) tasks.push((await assign(a, dir, acId, member, userId)).Task);
      for (const t of tasks) assert.equal((await waitTask(a, dir, t.TaskId)).Status, 'Success');
      const rows = await a.gatehouse.services.store.db
        .selectFrom('cloudsso_tasks')
        .select(['id', 'attempts'])
        .where('id', 'in', tasks.map((t) => t.TaskId))
        .execute();
      assert.deepEqual(rows.map((r) => r.attempts), [1, 1, 1, 1, 1, 1]);
      const listed = await sso(a, 'ListTasks', { DirectoryId: dir, MaxResults: 4 });
      assert.equal(listed.TotalCounts, 6);
      assert.equal(listed.Tasks.length, 4);
      assert.equal(listed.IsTruncated, true);
      const rest = await sso(a, 'ListTasks', { DirectoryId: dir, MaxResults: 4, NextToken: listed.NextToken });
      assert.equal(rest.Tasks.length, 2);
      const seen = new Set([...listed.Tasks, ...rest.Tasks].map((t: any) => t.TaskId));
      assert.equal(seen.size, 6);
      const filtered = await sso(a, 'ListTasks', { DirectoryId: dir, Filter: 'AccessConfigurationName eq TASK-AC-3' });
      assert.equal(filtered.TotalCounts, 1);
      const big = await expectApiError(sso(a, 'ListTasks', { DirectoryId: dir, MaxResults: 21 }));
      assert.equal(big.code, 'InvalidParameter.MaxResults');
      // A token of the right form whose key is not the pair the list is ordered by is forged, and refused as such.
      const forged = Buffer.from('n1.2026-01-01T00:00:00.000Z', 'utf8').toString('base64url');
      for (const action of ['ListTasks', 'ListAccessAssignments']) {
        const refused = await expectApiError(sso(a, action, { DirectoryId: dir, MaxResults: 4, NextToken: forged }));
        assert.equal(refused.code, 'InvalidParameter.NextToken', action);
      }
      const assignments = await sso(a, 'ListAccessAssignments', { DirectoryId: dir, PrincipalType: 'User', PrincipalId: userId, MaxResults: 20 });
      assert.equal(assignments.TotalCounts, 6);
    } finally {
      await a.close();
    }
  });
});
