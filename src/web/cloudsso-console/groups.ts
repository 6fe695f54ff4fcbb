import type { FastifyInstance, FastifyReply } from 'fastify';
import { html } from '../html.js';
import type { WebContext } from '../context.js';
import { csrfField, type Administrator } from '../console-access.js';
import { can, directoryHandler, errorBox, params, run, show } from './access.js';
import { changeRoute, createSection, dataTable, deleteRoute, deleteSection, filterForm, listRoutes, pageLinks, startsWith, type ListPage } from './list-page.js';

// Groups: the list (ListGroups with a name filter and paging), Create Group, and a group's page with its members.

const PAGE_SIZE = 20;
export const groupPath = (id: string): string => `/cloudsso/groups/${encodeURIComponent(id)}`;

export async function groupsRoutes(app: FastifyInstance, web: WebContext): Promise<void> {
  const listPage: ListPage = async (reply, admin, dir, q, create = {}, status = 200) => {
    const filter = (q.filter ?? '').trim();
    const list = await run(web, admin, 'ListGroups', { DirectoryId: dir, MaxResults: PAGE_SIZE, NextToken: q.next, Filter: startsWith('GroupName', filter) });
    const groups = list.Groups as Record<string, string>[];
    const canCreate = await can(web, admin, 'CreateGroup', { DirectoryId: dir });
    const v = create.values ?? {};
    return show(
      reply,
      admin,
      'Groups',
      html`<h1>Groups</h1>
${filterForm('/cloudsso/groups', filter, 'Group name starts with')}
${dataTable(
  'Groups',
  ['Group Name', 'Description', 'Created'],
  groups.map((g) => html`<tr><td><a href="${groupPath(g.GroupId!)}">${g.GroupName}</a></td><td>${g.Description}</td><td>${g.CreateTime}</td></tr>`),
  'No groups.',
)}
${pageLinks('/cloudsso/groups', { filter }, { next: list.NextToken, current: q.next })}
${canCreate
  ? createSection(
      admin,
      'Create Group',
      '/cloudsso/groups',
      create.error,
      html`<label for="group-name">Group Name</label><input type="text" id="group-name" name="GroupName" value="${v.GroupName ?? ''}" required>
<label for="group-description">Description</label><textarea id="group-description" name="Description">${v.Description ?? ''}</textarea>`,
    )
  : ''}`,
      status,
    );
  };

  listRoutes(app, web, '/groups', listPage, {
    action: 'CreateGroup',
    values: (form) => ({ GroupName: (form.GroupName ?? '').trim(), Description: form.Description ?? '' }),
    created: (result) => groupPath(result.Group.GroupId),
  });

  async function groupPage(reply: FastifyReply, admin: Administrator, dir: string, groupId: string, error?: string, status = 200): Promise<FastifyReply> {
    const ref = { DirectoryId: dir, GroupId: groupId };
    const group = (await run(web, admin, 'GetGroup', ref)).Group as Record<string, string>;
    const members = (await run(web, admin, 'ListGroupMembers', { ...ref, MaxResults: 100 })).GroupMembers as Record<string, string>[];
    // Membership changes are authorized on the group and the user; the group's ARN with any user decides the controls.
    const [canAdd, canRemove, canDelete] = await Promise.all([
      can(web, admin, 'AddUserToGroup', { ...ref, UserId: '*' }),
      can(web, admin, 'RemoveUserFromGroup', { ...ref, UserId: '*' }),
      can(web, admin, 'DeleteGroup', ref),
    ]);
    const candidates = canAdd ? ((await run(web, admin, 'ListUsers', { DirectoryId: dir, MaxResults: 100 })).Users as Record<string, string>[]) : [];
    const memberIds = new Set(members.map((m) => m.UserId));
    const path = groupPath(groupId);
    return show(
      reply,
      admin,
      group.GroupName ?? 'Group',
      html`<p><a href="/cloudsso/groups">Groups</a> &gt; ${group.GroupName}</p><h1>${group.GroupName}</h1>${errorBox(error)}
<table><tr><th scope="row">Group ID</th><td>${group.GroupId}</td></tr><tr><th scope="row">Description</th><td>${group.Description}</td></tr>
<tr><th scope="row">Created</th><td>${group.CreateTime}</td></tr></table>
<section aria-label="Members"><h2>Members</h2>
${dataTable('Members', ['User Name', 'Display Name', 'Joined', ''], members.map(
  (m) => html`<tr><td><a href="/cloudsso/users/${encodeURIComponent(m.UserId!)}">${m.UserName}</a></td><td>${m.DisplayName}</td><td>${m.JoinTime}</td><td>${
    canRemove
      ? html`<form method="post" action="${path}/members/remove" style="margin:0">${csrfField(admin)}<input type="hidden" name="UserId" value="${m.UserId}"><button type="submit" class="secondary" style="margin:0" aria-label="Remove ${m.UserName}">Remove</button></form>`
      : ''
  }</td></tr>`,
), 'No members.')}
${canAdd
  ? html`<form method="post" action="${path}/members">${csrfField(admin)}<label for="add-user">User</label>
<select id="add-user" name="UserId">${candidates.filter((u) => !memberIds.has(u.UserId)).map((u) => html`<option value="${u.UserId}">${u.UserName}</option>`)}</select>
<button type="submit">Add Member</button></form>`
  : ''}</section>
${canDelete ? deleteSection(admin, 'Delete Group', path, group.GroupName ?? 'the group') : ''}`,
      status,
    );
  }

  deleteRoute(app, web, {
    path: '/groups',
    listPath: '/cloudsso/groups',
    action: 'DeleteGroup',
    params: (dir, id) => ({ DirectoryId: dir, GroupId: id }),
    detailPage: groupPage,
  });

  app.get(
    '/groups/:id',
    directoryHandler(web, async (admin, dir, request, reply) => {
      return groupPage(reply, admin, dir, params(request).id!);
    }),
  );

  for (const [suffix, action] of [
    ['members', 'AddUserToGroup'],
    ['members/remove', 'RemoveUserFromGroup'],
  ] as const) {
    changeRoute(app, web, {
      path: '/groups',
      suffix,
      detailPath: groupPath,
      perform: async (admin, dir, id, form) => {
        await run(web, admin, action, { DirectoryId: dir, GroupId: id, UserId: form.UserId });
      },
      detailPage: (reply, admin, dir, id, _form, error, status) => groupPage(reply, admin, dir, id, error, status),
    });
  }
}
