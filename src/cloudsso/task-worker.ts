import { hostname } from 'node:os';
import { sql, type RawBuilder } from 'kysely';
import type { Services } from '../services.js';
import { randomString } from '../ids.js';
import { ApiError } from '../errors.js';
import { markDeprovisionFailed } from './provisioning.js';
import { runTask, type Task } from './tasks.js';

// Carries out CloudSSO tasks durably. A node claims a task with a lease (a conditional UPDATE, so on SQLite or
// PostgreSQL and across nodes only one wins), runs it in one transaction that also marks it Success, and releases it
// for a retry on failure. A node that dies mid-task leaves a lease that expires; another node (or itself after a
// restart) then takes the task again. After MAX_ATTEMPTS the task ends Failed with the last reason.
// Leases are kept on the database's clock, not the node's: nodes' clocks differ by minutes, leases last one.

export const MAX_ATTEMPTS = 3;

export interface TaskWorkerOptions {
  enabled?: boolean;
  pollMs?: number;
  leaseMs?: number;
  retryDelayMs?: number;
}

export interface TaskWorker {
  readonly owner: string;
  /** Claims and runs whatever is due now; returns how many tasks it ran. */
  runDue(): Promise<number>;
  stop(): Promise<void>;
}

class LeaseLost extends Error {}

/**
 * The database's time `ms` from now, as the ISO text leases are stored in. Every node writes and compares leases on
 * this one clock, so a node whose own clock runs ahead takes no lease before it has run out.
 */
function databaseTime(dialect: 'sqlite' | 'postgres', ms = 0): RawBuilder<string> {
  if (dialect === 'postgres') {
    return sql<string>`to_char((clock_timestamp() + ${sql.lit(ms)} * interval '1 millisecond') at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  }
  return sql<string>`strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ${sql.lit(`${ms / 1000} seconds`)})`;
}

export function startTaskWorker(services: Services, options: TaskWorkerOptions = {}): TaskWorker {
  const db = services.store.db;
  const owner = `${hostname()}:${process.pid}:${randomString(8)}`;
  const pollMs = options.pollMs ?? 200;
  const leaseMs = options.leaseMs ?? 60_000;
  const retryDelayMs = options.retryDelayMs ?? 500;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();

  const later = (ms: number): RawBuilder<string> => databaseTime(services.store.dialect, ms);

  async function claim(limit: number): Promise<Task[]> {
    const now = databaseTime(services.store.dialect);
    const candidates = await db
      .selectFrom('cloudsso_tasks')
      .select('id')
      .where('status', '=', 'InProgress')
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
      .orderBy('start_time')
      .limit(limit)
      .execute();
    const claimed: Task[] = [];
    for (const { id } of candidates) {
      const result = await db
        .updateTable('cloudsso_tasks')
        .set({ lease_owner: owner, lease_until: later(leaseMs), attempts: sql<number>`attempts + 1` })
        .where('id', '=', id)
        .where('status', '=', 'InProgress')
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) continue;
      const task = await db.selectFrom('cloudsso_tasks').selectAll().where('id', '=', id).executeTakeFirst();
      if (task) claimed.push(task);
    }
    return claimed;
  }

  async function finishFailed(task: Task, reason: string): Promise<void> {
    await db.transaction().execute(async (tx) => {
      const now = services.clock.now().toISOString();
      const result = await tx
        .updateTable('cloudsso_tasks')
        .set({ status: 'Failed', failure_reason: reason.slice(0, 1024), end_time: now, lease_owner: null, lease_until: null, finished_by: owner })
        .where('id', '=', task.id)
        .where('lease_owner', '=', owner)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 1 && task.task_type === 'DeprovisionAccessConfiguration') {
        await markDeprovisionFailed(tx, task.access_configuration_id, task.target_id, now);
      }
    });
  }

  async function runOne(task: Task): Promise<void> {
    if (task.attempts > MAX_ATTEMPTS) {
      await finishFailed(task, `The task was interrupted ${MAX_ATTEMPTS} times and was given up.`);
      return;
    }
    try {
      await db.transaction().execute(async (tx) => {
        // Tasks on one member account run one at a time across nodes: two provisionings there share the
        // directory's SAML provider, which one creates and a deprovisioning may remove. SQLite transactions are
        // serialized already.
        if (services.store.dialect === 'postgres') await sql`select pg_advisory_xact_lock(hashtext(${task.target_id}))`.execute(tx);
        const now = services.clock.now().toISOString();
        await runTask(tx, task, now);
        const done = await tx
          .updateTable('cloudsso_tasks')
          .set({ status: 'Success', end_time: now, failure_reason: null, lease_owner: null, lease_until: null, finished_by: owner })
          .where('id', '=', task.id)
          .where('lease_owner', '=', owner)
          .where('status', '=', 'InProgress')
          .executeTakeFirst();
        // The lease expired and someone else took the task: our work must not count.
        if (Number(done.numUpdatedRows) !== 1) throw new LeaseLost();
      });
    } catch (error) {
      if (error instanceof LeaseLost) return;
      const reason = error instanceof ApiError ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error);
      if (task.attempts >= MAX_ATTEMPTS) {
        await finishFailed(task, reason);
        return;
      }
      await db
        .updateTable('cloudsso_tasks')
        .set({ lease_owner: null, lease_until: later(retryDelayMs * task.attempts), failure_reason: reason.slice(0, 1024) })
        .where('id', '=', task.id)
        .where('lease_owner', '=', owner)
        .execute();
    }
  }

  async function runDue(): Promise<number> {
    let count = 0;
    for (;;) {
      if (stopped) return count;
      const tasks = await claim(10);
      if (tasks.length === 0) return count;
      for (const task of tasks) {
        if (stopped) return count;
        await runOne(task);
        count++;
      }
    }
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      running = runDue()
        // A pass that fails (database briefly away) is simply tried again on the next tick.
        .catch(() => undefined)
        .finally(schedule);
    }, pollMs);
    timer.unref();
  }

  if (options.enabled !== false) schedule();

  return {
    owner,
    runDue,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running.catch(() => undefined);
      // Tasks claimed but not started go back at once rather than waiting for their lease to expire.
      await db
        .updateTable('cloudsso_tasks')
        .set({ lease_owner: null, lease_until: null, attempts: sql<number>`attempts - 1` })
        .where('lease_owner', '=', owner)
        .where('status', '=', 'InProgress')
        .execute()
        .catch(() => undefined);
    },
  };
}
