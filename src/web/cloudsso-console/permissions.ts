import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { TARGET_TYPE } from '../../cloudsso/provisioning.js';
import { getResourceDirectoryOf, listRdAccounts, type RdAccount } from '../../resource-directory/resource-directory.js';
import { html, raw, type Raw } from '../html.js';
import type { WebContext } from '../context.js';
import { csrfField, formOf, type Administrator } from '../console-access.js';
import { attempt, can, check, directoryHandler, errorBox, many, params, query, run, show } from './access.js';
import { dataTable, pageLinks } from './list-page.js';
import { assignEach, decodeAssignments, tasksAddress, waitingSection, type Assignment } from './waiting-assignments.js';

// Multi-account Permissions: pick accounts of the resource directory, access configurations and users/groups;
// each (configuration, account, principal) is one CreateAccessAssignment and one task, followed on the Tasks page
// (where those waiting for an earlier task on their configuration and account are listed, see waiting-assignments.ts).

const TASK_PAGE = 20;
const accountPath = (id: string): string => `/cloudsso/permissions/${encodeURIComponent(id)}`;

async function accountsOf(web: WebContext, admin: Administrator): Promise<RdAccount[]> {
  const rd = await getResourceDirectoryOf(web.services.store.db, admin.principal.accountId);
  return rd ? listRdAccounts(web.services.store.db, rd.id) : [];
}

/** Up to 100 of a list (the assignment form's choices); the pages of Users/Groups show the rest. */
async function firstHundred(web: WebContext, admin: Administrator, action: string, dir: string, key: string): Promise<Record<string, string>[]> {
  return (await run(web, admin, action, { DirectoryId: dir, MaxResults: 100 }))[key] as Record<string, string>[];
}

export async function permissionsRoutes(app: FastifyInstance, web: WebContext): Promise<void> {
  async function assignForm(admin: Administrator, dir: string, accounts: RdAccount[], preselected: string[]): Promise<Raw> {
    if (!(await can(web, admin, 'CreateAccessAssignment', { DirectoryId: dir, AccessConfigurationId: '*' }))) return html``;
    const [configurations, users, groups] = await Promise.all([
      firstHundred(web, admin, 'ListAccessConfigurations', dir, 'AccessConfigurations'),
      firstHundred(web, admin, 'ListUsers', dir, 'Users'),
      firstHundred(web, admin, 'ListGroups', dir, 'Groups'),
    ]);
    return html`<section aria-label="Assign Access"><h2>Assign Access</h2>
<form method="post" action="/cloudsso/permissions">${csrfField(admin)}
<fieldset><legend>Accounts</legend>${accounts.map((a) => check(`account-${a.accountId}`, 'account', a.accountId, `${a.displayName} (${a.accountId})`, preselected.includes(a.accountId)))}</fieldset>
<fieldset><legend>Access Configurations</legend>${configurations.map((c) => check(`ac-${c.AccessConfigurationId}`, 'ac', c.AccessConfigurationId!, c.AccessConfigurationName!))}
${configurations.length === 0 ? html`<p>No access configurations yet.</p>` : ''}</fieldset>
<fieldset><legend>Users</legend>${users.map((u) => check(`user-${u.UserId}`, 'user', u.UserId!, `User: ${u.UserName}`))}${users.length === 0 ? html`<p>No users.</p>` : ''}</fieldset>
<fieldset><legend>Groups</legend>${groups.map((g) => check(`group-${g.GroupId}`, 'group', g.GroupId!, `Group: ${g.GroupName}`))}${groups.length === 0 ? html`<p>No groups.</p>` : ''}</fieldset>
<button type="submit">Assign</button></form></section>`;
  }

  async function mainPage(reply: FastifyReply, admin: Administrator, dir: string, state: { error?: Raw; preselected?: string[] } = {}, status = 200): Promise<FastifyReply> {
    // Reading the assignments is what this page is about: the same permission as ListAccessAssignments.
    await run(web, admin, 'ListAccessAssignments', { DirectoryId: dir, MaxResults: 1 });
    const accounts = await accountsOf(web, admin);
    return show(
      reply,
      admin,
      'Multi-account Permissions',
      html`<h1>Multi-account Permissions</h1>${state.error ?? ''}
${dataTable(
  'Accounts',
  ['Account', 'Account ID', 'Path'],
  accounts.map((a) => html`<tr><td><a href="${accountPath(a.accountId)}">${a.displayName}</a></td><td>${a.accountId}</td><td>${a.pathName}</td></tr>`),
  'The resource directory has no accounts yet.',
)}
${await assignForm(admin, dir, accounts, state.preselected ?? [])}`,
      status,
    );
  }

  app.get(
    '/permissions',
    directoryHandler(web, async (admin, dir, _request, reply) => {
      return mainPage(reply, admin, dir);
    }),
  );

  app.post(
    '/permissions',
    directoryHandler(
      web,
      async (admin, dir, request, reply) => {
        const accounts = many(request, 'account');
        const configurations = many(request, 'ac');
        const principals = [...many(request, 'user').map((id) => ['User', id] as const), ...many(request, 'group').map((id) => ['Group', id] as const)];
        if (accounts.length === 0 || configurations.length === 0 || principals.length === 0) {
          const message = html`<p class="error" role="alert">Choose at least one account, one access configuration and one user or group.</p>`;
          return mainPage(reply, admin, dir, { error: message, preselected: accounts }, 400);
        }
        const assignments = accounts.flatMap((account) =>
          configurations.flatMap((configuration) => principals.map(([principalType, principalId]) => ({ account, configuration, principalType, principalId }))),
        );
        return assign(reply, admin, dir, assignments);
      },
      { post: true },
    ),
  );

  /** The Tasks page's "Assign the waiting ones". */
  app.post(
    '/permissions/waiting',
    directoryHandler(web, async (admin, dir, request, reply) => assign(reply, admin, dir, decodeAssignments(formOf(request).waiting)), { post: true }),
  );

  /** Assigns, then follows the tasks (and those waiting) on the Tasks page; the refused ones are listed on this page. */
  async function assign(reply: FastifyReply, admin: Administrator, dir: string, assignments: Assignment[]): Promise<FastifyReply> {
    const { failures, waiting } = await assignEach(web, admin, dir, assignments);
    if (failures.length > 0) {
      const message = html`<div class="error" role="alert"><p>Some assignments were not created:</p><ul>${failures.map((f) => html`<li>${f}</li>`)}</ul>
<p>The others were; see <a href="${tasksAddress(waiting)}">Tasks</a>.</p></div>`;
      return mainPage(reply, admin, dir, { error: message, preselected: [...new Set(assignments.map((a) => a.account))] }, 409);
    }
    return reply.redirect(tasksAddress(waiting), 303);
  }

  async function accountPage(reply: FastifyReply, admin: Administrator, dir: string, accountId: string, next?: string, error?: string, status = 200): Promise<FastifyReply> {
    const list = await run(web, admin, 'ListAccessAssignments', { DirectoryId: dir, TargetType: TARGET_TYPE, TargetId: accountId, MaxResults: 20, NextToken: next });
    const accounts = await accountsOf(web, admin);
    const account = accounts.find((a) => a.accountId === accountId);
    const assignments = list.AccessAssignments as Record<string, string>[];
    const rows: Raw[] = [];
    for (const a of assignments) {
      const canDelete = await can(web, admin, 'DeleteAccessAssignment', { DirectoryId: dir, AccessConfigurationId: a.AccessConfigurationId! });
      rows.push(html`<tr><td>${a.AccessConfigurationName}</td><td>${a.PrincipalType}</td><td>${a.PrincipalName}</td><td>${a.CreateTime}</td><td>${
        canDelete
          ? html`<form method="post" action="${accountPath(accountId)}/remove" style="margin:0">${csrfField(admin)}
<input type="hidden" name="AccessConfigurationId" value="${a.AccessConfigurationId}"><input type="hidden" name="PrincipalType" value="${a.PrincipalType}"><input type="hidden" name="PrincipalId" value="${a.PrincipalId}">
<label for="deprovision-${a.AccessConfigurationId}-${a.PrincipalId}" style="display:inline;font-weight:normal"><input type="checkbox" id="deprovision-${a.AccessConfigurationId}-${a.PrincipalId}" name="DeprovisionStrategy" value="DeprovisionForLastAccessAssignmentOnAccount" checked> Deprovision if last on account</label>
<button type="submit" class="secondary" style="margin:0" aria-label="Remove ${a.AccessConfigurationName} from ${a.PrincipalName}">Remove</button></form>`
          : ''
      }</td></tr>`);
    }
    return show(
      reply,
      admin,
      `Permissions of ${accountId}`,
      html`<p><a href="/cloudsso/permissions">Multi-account Permissions</a> &gt; ${account?.displayName ?? accountId}</p>
<h1>${account?.displayName ?? accountId}</h1>${errorBox(error)}<p>Account ID ${accountId}${account ? html` · ${account.pathName}` : ''}</p>
${dataTable('Access assignments', ['Access Configuration', 'Principal Type', 'Principal', 'Assigned', ''], rows, 'No access assignments on this account.')}
${pageLinks(accountPath(accountId), {}, { next: list.NextToken })}
<p><a href="/cloudsso/permissions">Assign access on this account</a></p>`,
      status,
    );
  }

  app.get(
    '/permissions/:account',
    directoryHandler(web, async (admin, dir, request, reply) => {
      const result = await attempt(() => accountPage(reply, admin, dir, params(request).account!, query(request).next));
      if (!result.ok) return accountPage(reply, admin, dir, params(request).account!, undefined, result.error.message, result.error.status);
    }),
  );

  app.post(
    '/permissions/:account/remove',
    directoryHandler(
      web,
      async (admin, dir, request, reply) => {
        const account = params(request).account!;
        const form = formOf(request);
        const result = await attempt(() =>
          run(web, admin, 'DeleteAccessAssignment', {
            DirectoryId: dir,
            AccessConfigurationId: form.AccessConfigurationId,
            TargetType: TARGET_TYPE,
            TargetId: account,
            PrincipalType: form.PrincipalType,
            PrincipalId: form.PrincipalId,
            DeprovisionStrategy: form.DeprovisionStrategy === 'DeprovisionForLastAccessAssignmentOnAccount' ? form.DeprovisionStrategy : 'None',
          }),
        );
        if (!result.ok) return accountPage(reply, admin, dir, account, undefined, result.error.message, result.error.status);
        return reply.redirect('/cloudsso/tasks', 303);
      },
      { post: true },
    ),
  );

  app.get(
    '/tasks',
    directoryHandler(web, async (admin, dir, request, reply) => {
      await tasksPage(reply, admin, dir, request);
    }),
  );

  async function tasksPage(reply: FastifyReply, admin: Administrator, dir: string, request: FastifyRequest): Promise<FastifyReply> {
    const q = query(request);
    const list = await run(web, admin, 'ListTasks', { DirectoryId: dir, MaxResults: TASK_PAGE, NextToken: q.next, AccessConfigurationId: q.accessConfigurationId });
    const tasks = list.Tasks as Record<string, string>[];
    const waiting = decodeAssignments(q.waiting);
    const waitingFor = waiting.length > 0 ? await waitingSection(web, admin, dir, waiting) : undefined;
    const running = tasks.some((t) => t.Status === 'InProgress') || Boolean(waitingFor?.running);
    const selfQuery = new URLSearchParams({
      ...(q.accessConfigurationId ? { accessConfigurationId: q.accessConfigurationId } : {}),
      ...(q.waiting ? { waiting: q.waiting } : {}),
    }).toString();
    const self = `/cloudsso/tasks${selfQuery ? `?${selfQuery}` : ''}`;
    return show(
      reply,
      admin,
      'Tasks',
      html`<h1>Tasks</h1>
${running ? html`<p class="notice" role="status">Tasks are in progress; this page refreshes by itself. <a href="${self}">Refresh</a></p>` : html`<p><a href="${self}">Refresh</a></p>`}
${waitingFor?.section ?? ''}
${dataTable(
  'Tasks',
  ['Task ID', 'Type', 'Access Configuration', 'Principal', 'Account', 'Status', 'Failure Reason', 'Started', 'Ended'],
  tasks.map(
  (t) => html`<tr data-task="${t.TaskId}"><td>${t.TaskId}</td><td>${t.TaskType}</td><td>${t.AccessConfigurationName}</td><td>${t.PrincipalType ? `${t.PrincipalType}: ${t.PrincipalName}` : ''}</td>
<td>${t.TargetName} (${t.TargetId})</td><td data-field="status">${t.Status}</td><td data-field="failure-reason">${t.FailureReason ?? ''}</td><td>${t.StartTime}</td><td>${t.EndTime ?? ''}</td></tr>`,
), 'No tasks.')}
${pageLinks('/cloudsso/tasks', {}, { next: list.NextToken })}`,
      200,
      running ? raw('<meta http-equiv="refresh" content="2">') : undefined,
    );
  }
}
