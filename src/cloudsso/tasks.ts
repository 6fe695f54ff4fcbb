import { sql, type Expression, type SqlBool } from 'kysely';
import type { Tx } from '../store/db.js';
import type { CloudSsoTaskTable, TaskStatus, TaskType } from '../store/schema-cloudsso-access.js';
import { newPrefixedId } from '../ids.js';
import { ApiError, entityNotExist } from '../errors.js';
import { findAccessConfiguration, type AccessConfiguration } from './access-configurations.js';
import { assignmentsOnAccount, recordAssignment, removeAssignment } from './assignments.js';
import type { Principal } from './principal.js';
import { countedPageByColumns, type CountedPage, type PageRequest } from '../paging.js';
import type { Filter } from './filters.js';
import { deprovisionFromAccount, findProvisioning, provisionToAccount, type Target } from './provisioning.js';

// Asynchronous tasks (spec §1.4). A request records the task InProgress; the worker (task-worker.ts) later runs it
// in one transaction with runTask. At most one task per configuration and account is in progress at a time.

export type Task = CloudSsoTaskTable;


export type DeprovisionStrategy = 'None' | 'DeprovisionForLastAccessAssignmentOnAccount';

export interface TaskPayload {
  deprovisionStrategy?: DeprovisionStrategy;
}

export interface NewTask {
  type: TaskType;
  ac: AccessConfiguration;
  target: Target;
  principal?: Principal;
  payload?: TaskPayload;
}

export const operationConflict = (): ApiError =>
  new ApiError('OperationConflict.Task', 409, 'Another task on this access configuration and account is in progress. Try again when it has finished.');

export async function taskInProgress(tx: Tx, acId: string, targetId: string): Promise<Task | undefined> {
  return tx
    .selectFrom('cloudsso_tasks')
    .selectAll()
    .where('access_configuration_id', '=', acId)
    .where('target_id', '=', targetId)
    .where('status', '=', 'InProgress')
    .executeTakeFirst();
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint failed/.test(e?.message ?? '');
}

export async function createTask(tx: Tx, input: NewTask, now: string): Promise<Task> {
  if (await taskInProgress(tx, input.ac.id, input.target.id)) throw operationConflict();
  const task: Task = {
    id: newPrefixedId('t-'),
    directory_id: input.ac.directory_id,
    task_type: input.type,
    status: 'InProgress',
    access_configuration_id: input.ac.id,
    access_configuration_name: input.ac.name,
    principal_type: input.principal?.type ?? null,
    principal_id: input.principal?.id ?? null,
    principal_name: input.principal?.name ?? null,
    target_type: input.target.type,
    target_id: input.target.id,
    target_name: input.target.name,
    target_path: input.target.path,
    target_path_name: input.target.pathName,
    failure_reason: null,
    start_time: now,
    end_time: null,
    attempts: 0,
    lease_owner: null,
    lease_until: null,
    finished_by: null,
    payload: JSON.stringify(input.payload ?? {}),
  };
  try {
    await tx.insertInto('cloudsso_tasks').values(task).execute();
  } catch (error) {
    // Another node accepted conflicting work between our check and our insert.
    if (isUniqueViolation(error)) throw operationConflict();
    throw error;
  }
  return task;
}

export async function getTask(tx: Tx, directoryId: string, taskId: string): Promise<Task> {
  const task = await tx.selectFrom('cloudsso_tasks').selectAll().where('directory_id', '=', directoryId).where('id', '=', taskId).executeTakeFirst();
  if (!task) throw entityNotExist('EntityNotExists.Task', `task ${taskId}`);
  return task;
}

export interface TaskQuery {
  status?: TaskStatus;
  taskType?: TaskType;
  acId?: string;
  targetId?: string;
  principalType?: string;
  principalId?: string;
  filter?: Filter;
  startTimeFrom?: string;
}

/** Newest first; the key is the (start_time, id) of the last task shown. */
export async function listTasks(tx: Tx, directoryId: string, q: TaskQuery, page: PageRequest<[string, string]>): Promise<CountedPage<Task, [string, string]>> {
  let base = tx.selectFrom('cloudsso_tasks').where('directory_id', '=', directoryId);
  if (q.status) base = base.where('status', '=', q.status);
  if (q.taskType) base = base.where('task_type', '=', q.taskType);
  if (q.acId) base = base.where('access_configuration_id', '=', q.acId);
  if (q.targetId) base = base.where('target_id', '=', q.targetId);
  if (q.principalType) base = base.where('principal_type', '=', q.principalType);
  if (q.principalId) base = base.where('principal_id', '=', q.principalId);
  if (q.startTimeFrom) base = base.where('start_time', '>=', q.startTimeFrom);
  if (q.filter) base = base.where(lowerFilter('access_configuration_name', q.filter));
  return countedPageByColumns(page, base.selectAll(), ['start_time', 'id'], base, 'desc');
}

/** Like filters.ts filterCondition, on a column that keeps its case. */
function lowerFilter(column: string, f: Filter): Expression<SqlBool> {
  if (f.operator === 'eq') return sql<SqlBool>`lower(${sql.ref(column)}) = ${f.value}`;
  const pattern = f.value.replace(/[\\%_]/g, (ch) => `\\${ch}`) + '%';
  return sql<SqlBool>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;
}

// ---- running a task (inside the worker's transaction) ----

async function acOf(tx: Tx, task: Task): Promise<AccessConfiguration> {
  const ac = await findAccessConfiguration(tx, task.directory_id, task.access_configuration_id);
  if (!ac) throw entityNotExist('EntityNotExists.AccessConfiguration', `access configuration ${task.access_configuration_id}`);
  return ac;
}

/** The user or group an assignment task assigns or unassigns (createTask stores it with every assignment task). */
function assignedPrincipal(task: Task): Pick<Principal, 'type' | 'id'> {
  return { type: task.principal_type as Principal['type'], id: task.principal_id! };
}

/** Does the task's work. Throws (ApiError or any error) to fail this attempt; the caller commits or rolls back. */
export async function runTask(tx: Tx, task: Task, now: string): Promise<void> {
  const ac = await acOf(tx, task);
  const payload = JSON.parse(task.payload) as TaskPayload;
  switch (task.task_type) {
    case 'ProvisionAccessConfiguration':
      await provisionToAccount(tx, ac, task.target_id, now);
      return;
    case 'DeprovisionAccessConfiguration':
      if ((await assignmentsOnAccount(tx, ac.id, task.target_id)) > 0) {
        throw new ApiError('DeletionConflict.AccessConfigurationProvisioning.AccessAssignment', 409, 'The access configuration is still assigned on this account.');
      }
      await deprovisionFromAccount(tx, ac, task.target_id);
      return;
    case 'CreateAccessAssignment':
      await recordAssignment(tx, ac, { type: task.target_type, id: task.target_id }, assignedPrincipal(task), now);
      if (!(await findProvisioning(tx, ac.id, task.target_id))) await provisionToAccount(tx, ac, task.target_id, now);
      return;
    case 'DeleteAccessAssignment':
      await removeAssignment(tx, { acId: ac.id, targetId: task.target_id, principal: assignedPrincipal(task) });
      if (payload.deprovisionStrategy === 'DeprovisionForLastAccessAssignmentOnAccount' && (await assignmentsOnAccount(tx, ac.id, task.target_id)) === 0) {
        await deprovisionFromAccount(tx, ac, task.target_id);
      }
      return;
  }
}
