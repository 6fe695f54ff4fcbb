import { apiTime } from '../../clock.js';
import { defineAction, type ActionContext, type ActionDefinition } from '../../openapi/define-action.js';
import { invalidParameter } from '../../errors.js';
import { str } from '../../openapi/params.js';
import { cloudssoArn, directoryArn } from '../arns.js';
import { parseFilter } from '../filters.js';
import { pagedResponse, pairPageRequest } from './paging.js';
import { directoryId, filter, pagingParams, taskId } from './params.js';
import { getDirectory } from '../directories.js';
import { getTask, listTasks, type Task } from '../tasks.js';
import type { TaskStatus, TaskType } from '../../store/schema-cloudsso-access.js';

export const taskArn = (c: Pick<ActionContext, 'region' | 'accountId'>, dir: string, id: string): string => cloudssoArn(c, `directory/${dir}/task/${id}`);

/** The Task of Create/DeleteAccessAssignment and Provision/Deprovision answers. */
export function taskView(t: Task): Record<string, unknown> {
  return {
    TaskId: t.id,
    TaskType: t.task_type,
    Status: t.status,
    AccessConfigurationId: t.access_configuration_id,
    AccessConfigurationName: t.access_configuration_name,
    ...(t.principal_type ? { PrincipalType: t.principal_type, PrincipalId: t.principal_id, PrincipalName: t.principal_name } : {}),
    TargetType: t.target_type,
    TargetId: t.target_id,
    TargetName: t.target_name,
    TargetPath: t.target_path,
    TargetPathName: t.target_path_name,
  };
}

/** When the task ran and, once Failed, why. */
function taskOutcome(t: Task): Record<string, unknown> {
  return {
    StartTime: apiTime(t.start_time),
    ...(t.end_time ? { EndTime: apiTime(t.end_time) } : {}),
    ...(t.status === 'Failed' ? { FailureReason: t.failure_reason ?? '' } : {}),
  };
}

/** GetTask and ListTasks add times and, once Failed, the reason. */
export function taskDetailView(t: Task): Record<string, unknown> {
  return { ...taskView(t), ...taskOutcome(t) };
}

/** A task of the caller's directory, looked up after the directory itself. */
async function taskOf(c: ActionContext, p: { DirectoryId: string; TaskId: string }): Promise<Task> {
  await getDirectory(c.tx, p.DirectoryId, c.accountId);
  return getTask(c.tx, p.DirectoryId, p.TaskId);
}

const TASK_TYPES = ['ProvisionAccessConfiguration', 'DeprovisionAccessConfiguration', 'CreateAccessAssignment', 'DeleteAccessAssignment'];

/** `StartTime ge <ISO>` in ListTasks' Filter, at most 7 days back; or a filter on AccessConfigurationName. */
function parseTaskFilter(text: string | undefined, now: Date): { startFrom?: string; rest?: string } {
  if (!text) return {};
  const m = /^\s*StartTime\s+ge\s+"?([^"]+)"?\s*$/i.exec(text);
  if (!m) return { rest: text };
  const t = new Date(m[1]!);
  if (Number.isNaN(t.getTime()) || now.getTime() - t.getTime() > 7 * 86400_000) {
    throw invalidParameter('Filter', 'StartTime must be an ISO time within the last 7 days');
  }
  return { startFrom: t.toISOString() };
}

export const tasksActions: ActionDefinition[] = [
  defineAction({
    product: 'cloudsso',
    name: 'GetTask',
    params: { DirectoryId: directoryId(), TaskId: taskId() },
    ramAction: 'cloudsso:GetTask',
    resource: (p, c) => taskArn(c, p.DirectoryId, p.TaskId),
    async handle(p, c) {
      return { Task: taskDetailView(await taskOf(c, p)) };
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'GetTaskStatus',
    params: { DirectoryId: directoryId(), TaskId: taskId() },
    ramAction: 'cloudsso:GetTaskStatus',
    resource: (p, c) => taskArn(c, p.DirectoryId, p.TaskId),
    async handle(p, c) {
      const t = await taskOf(c, p);
      return {
        TaskStatus: { TaskId: t.id, TaskType: t.task_type, Status: t.status, ...taskOutcome(t) },
      };
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'ListTasks',
    params: {
      DirectoryId: directoryId(),
      Status: str({ enum: ['InProgress', 'Success', 'Failed'], code: 'InvalidParameter.Status' }),
      TaskType: str({ enum: TASK_TYPES, code: 'InvalidParameter.TaskType' }),
      AccessConfigurationId: str({ max: 64, code: 'InvalidParameter.AccessConfigurationId' }),
      TargetType: str({ enum: ['RD-Account'], code: 'InvalidParameter.TargetType' }),
      TargetId: str({ max: 64, code: 'InvalidParameter.TargetId' }),
      PrincipalType: str({ enum: ['User', 'Group'], code: 'InvalidParameter.PrincipalType' }),
      PrincipalId: str({ max: 64, code: 'InvalidParameter.PrincipalId' }),
      Filter: filter(),
      ...pagingParams(20),
    },
    ramAction: 'cloudsso:ListTasks',
    resource: (p, c) => directoryArn(c, p.DirectoryId),
    async handle(p, c) {
      await getDirectory(c.tx, p.DirectoryId, c.accountId);
      const f = parseTaskFilter(p.Filter, c.clock.now());
      const page = await listTasks(c.tx, p.DirectoryId, {
        status: p.Status as TaskStatus | undefined,
        taskType: p.TaskType as TaskType | undefined,
        acId: p.AccessConfigurationId,
        targetId: p.TargetId,
        principalType: p.PrincipalType,
        principalId: p.PrincipalId,
        filter: parseFilter(f.rest, ['AccessConfigurationName']),
        startTimeFrom: f.startFrom,
      }, pairPageRequest(p));
      return pagedResponse('Tasks', page, taskDetailView, p.MaxResults);
    },
  }),
];

