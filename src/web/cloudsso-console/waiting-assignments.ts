import { TARGET_TYPE } from '../../cloudsso/provisioning.js';
import { ApiError } from '../../errors.js';
import { html, type Raw } from '../html.js';
import type { WebContext } from '../context.js';
import { csrfField, type Administrator } from '../console-access.js';
import { attempt, run } from './access.js';

// An access configuration on an account takes one task at a time (OperationConflict.Task). So one Assign starts at
// most one task per configuration and account; the other principals on that pair wait, listed on the Tasks page,
// which refreshes while the pair's task runs and then offers to assign them. No request waits for a task.

export interface Assignment {
  account: string;
  configuration: string;
  principalType: 'User' | 'Group';
  principalId: string;
}

/** Enough for any one form's choices; a longer list in an address is cut, not trusted. */
const MAX_WAITING = 100;

/** What an account, configuration, user or group ID can look like; anything else in an address is dropped. */
const ID = /^[A-Za-z0-9-]{1,64}$/;

const pairOf = (a: Assignment): string => `${a.account}:${a.configuration}`;

/** The list as one query value: `account:configuration:type:id`, comma-separated (none of these hold `:` or `,`). */
export function encodeAssignments(list: Assignment[]): string {
  return list.map((a) => [a.account, a.configuration, a.principalType, a.principalId].join(':')).join(',');
}

export function decodeAssignments(text: string | undefined): Assignment[] {
  const out: Assignment[] = [];
  for (const item of (text ?? '').split(',').slice(0, MAX_WAITING)) {
    const [account, configuration, principalType, principalId, ...rest] = item.split(':');
    if (rest.length > 0 || ![account, configuration, principalId].every((id) => id !== undefined && ID.test(id))) continue;
    if (principalType !== 'User' && principalType !== 'Group') continue;
    out.push({ account, configuration, principalType, principalId });
  }
  return out;
}

/** The Tasks page, listing the waiting assignments when there are any. */
export function tasksAddress(waiting: Assignment[]): string {
  return waiting.length === 0 ? '/cloudsso/tasks' : `/cloudsso/tasks?waiting=${encodeURIComponent(encodeAssignments(waiting))}`;
}

/**
 * One CreateAccessAssignment per assignment, as an API client would make them (a refusal of one does not undo the
 * others), except that a second principal on a configuration and account whose task this request started waits.
 */
export async function assignEach(
  web: WebContext,
  admin: Administrator,
  dir: string,
  assignments: Assignment[],
): Promise<{ failures: string[]; waiting: Assignment[] }> {
  const failures: string[] = [];
  const waiting: Assignment[] = [];
  const busy = new Set<string>();
  for (const a of assignments) {
    if (busy.has(pairOf(a))) {
      waiting.push(a);
      continue;
    }
    const result = await attempt(() =>
      run(web, admin, 'CreateAccessAssignment', {
        DirectoryId: dir,
        AccessConfigurationId: a.configuration,
        TargetType: TARGET_TYPE,
        TargetId: a.account,
        PrincipalType: a.principalType,
        PrincipalId: a.principalId,
      }),
    );
    if (result.ok || result.error.code === 'OperationConflict.Task') busy.add(pairOf(a));
    if (!result.ok && result.error.code === 'OperationConflict.Task') waiting.push(a);
    else if (!result.ok) failures.push(`${a.principalType} ${a.principalId} on ${a.account} (${a.configuration}): ${result.error.message}`);
  }
  return { failures, waiting };
}

/** Whether a task still runs on the configuration and account of any waiting assignment. */
async function isTaskRunning(web: WebContext, admin: Administrator, dir: string, waiting: Assignment[]): Promise<boolean> {
  for (const pair of new Map(waiting.map((a) => [pairOf(a), a])).values()) {
    const list = await run(web, admin, 'ListTasks', {
      DirectoryId: dir,
      Status: 'InProgress',
      AccessConfigurationId: pair.configuration,
      TargetType: TARGET_TYPE,
      TargetId: pair.account,
      MaxResults: 1,
    });
    if ((list.Tasks as unknown[]).length > 0) return true;
  }
  return false;
}

/** A name the administrator may read, else the id it stands for. */
async function nameOr(id: string, read: () => Promise<string>): Promise<string> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof ApiError) return id;
    throw error;
  }
}

/** Names each configuration, user and group once, however many waiting assignments share it. */
function namer(web: WebContext, admin: Administrator, dir: string): (a: Assignment) => Promise<Raw> {
  const names = new Map<string, Promise<string>>();
  const once = (kind: string, id: string, read: () => Promise<string>): Promise<string> => {
    const key = `${kind}:${id}`;
    if (!names.has(key)) names.set(key, nameOr(id, read));
    return names.get(key)!;
  };
  return async (a) => {
    const configuration = await once('AccessConfiguration', a.configuration, async () =>
      (await run(web, admin, 'GetAccessConfiguration', { DirectoryId: dir, AccessConfigurationId: a.configuration })).AccessConfiguration.AccessConfigurationName,
    );
    const principal = await once(a.principalType, a.principalId, async () =>
      a.principalType === 'User'
        ? (await run(web, admin, 'GetUser', { DirectoryId: dir, UserId: a.principalId })).User.UserName
        : (await run(web, admin, 'GetGroup', { DirectoryId: dir, GroupId: a.principalId })).Group.GroupName,
    );
    return html`<li>${configuration} for ${a.principalType}: ${principal} on account ${a.account}</li>`;
  };
}

/**
 * The Tasks page's section on waiting assignments: while a task runs on their configuration and account, what they
 * wait for (and `running`, so the page keeps refreshing); then the button that assigns them.
 */
export async function waitingSection(web: WebContext, admin: Administrator, dir: string, waiting: Assignment[]): Promise<{ section: Raw; running: boolean }> {
  const running = await isTaskRunning(web, admin, dir, waiting);
  const describe = namer(web, admin, dir);
  const items: Raw[] = [];
  for (const a of waiting) items.push(await describe(a));
  const next = running
    ? html`<p>A task on the same access configuration and account is in progress; when it has ended, this page offers to assign them.</p>`
    : html`<form method="post" action="/cloudsso/permissions/waiting">${csrfField(admin)}<input type="hidden" name="waiting" value="${encodeAssignments(waiting)}">
<button type="submit">Assign the waiting ones</button></form>`;
  return {
    section: html`<section aria-label="Waiting assignments"><h2>Waiting assignments</h2><ul>${items}</ul>${next}</section>`,
    running,
  };
}
