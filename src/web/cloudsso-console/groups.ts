import type { FastifyInstance, FastifyReply } from 'fastify';
import { html } from '../html.js';
import type { WebContext } from '../plugin.js';
import { csrfField, formOf, type Administrator, type Form } from '../ram-console/access.js';
import { attempt, can, errorBox, handler, params, query, requireDirectory, run, show } from './access.js';

// Groups: the list (ListGroups with a name filter and paging), Create Group, and a group's page with its members.

const PAGE_SIZE = 20;
export const groupPath = (id: string): string => `/cloudsso/groups/${encodeURIComponent(id)}`;

export async function groupsRoutes(app: FastifyInstance, web: WebContext): Promise<void> {
  async function listPage(
    reply: FastifyReply,
    admin: Administrator,
    dir: string,
    q: { filter?: string; next?: string },
    create: { error?: string; values?: Form } = {},
    status = 200,
  ): Promise<FastifyReply> {
    const filter = (q.filter ?? '').trim();
    const list = await run(web, admin, 'ListGroups', { DirectoryId: dir, MaxResults: PAGE_SIZE, NextToken: q.next, Filter: filter ? `GroupName sw ${filter}` : undefined });
    const groups = list.Groups as Record<string, string>[];
    const canCreate = await can(web, admin, 'CreateGroup', { DirectoryId: dir });
    const v = create.values ?? {};
    return show(
      reply,
      admin,
      'Groups',
      html`<h1>Groups</h1>
<form method="get" action="/cloudsso/groups" role="search"><label for="filter">Filter</label>
<input type="text" id="filter" name="filter" value="${filter}" placeholder="Group name starts with"><button type="submit" class="secondary">Search</button></form>
<table aria-label="Groups"><thead><tr><th>Group Name</th><th>Description</th><th>Created</th></tr></thead><tbody>
${groups.map((g) => html`<tr><td><a href="${groupPath(g.GroupId!)}">${g.GroupName}</a></td><td>${g.Description}</td><td>${g.CreateTime}</td></tr>`)}
</tbody></table>${groups.length === 0 ? html`<p>No groups.</p>` : ''}
${list.NextToken ? html`<p><a href="/cloudsso/groups?${new URLSearchParams({ filter, next: list.NextToken }).toString()}">Next page</a></p>` : ''}
${q.next ? html`<p><a href="/cloudsso/groups?${new URLSearchParams({ filter }).toString()}">First page</a></p>` : ''}
${canCreate
  ? html`<section aria-label="Create Group"><h2>Create Group</h2>${errorBox(create.error)}
<form method="post" action="/cloudsso/groups">${csrfField(admin)}
<label for="group-name">Group Name</label><input type="text" id="group-name" name="GroupName" value="${v.GroupName ?? ''}" required>
<label for="group-description">Description</label><textarea id="group-description" name="Description">${v.Description ?? ''}</textarea>
<button type="submit">Create Group</button></form></section>`
  : ''}`,
      status,
    );
  }

  app.get(
    '/cloudsso/groups',
    handler(web, async (admin, request, reply) => {
      const directory = await requireDirectory(web, admin, reply);
      if (!directory) return;
      const result = await attempt(() => listPage(reply, admin, directory.id, query(request)));
      if (!result.ok) return listPage(reply, admin, directory.id, {}, { error: result.error.message }, result.error.status);
    }),
  );

  app.post(
    '/cloudsso/groups',
    handler(
      web,
      async (admin, request, reply) => {
        const directory = await requireDirectory(web, admin, reply);
        if (!directory) return;
        const form = formOf(request);
        const values = { GroupName: (form.GroupName ?? '').trim(), Description: form.Description ?? '' };
        const result = await attempt(() => run(web, admin, 'CreateGroup', { DirectoryId: directory.id, ...values }));
        if (!result.ok) return listPage(reply, admin, directory.id, {}, { error: result.error.message, values }, result.error.status);
        return reply.redirect(groupPath(result.value.Group.GroupId), 303);
      },
      { post: true },
    ),
  );

  async function groupPage(reply: FastifyReply, admin: Administrator, dir: string, groupId: string, error?: string, status = 200): Promise<FastifyReply> {
    const ref = { DirectoryId: dir, GroupId: groupId };
    const group = (await run(web, admin, 'GetGroup', ref)).Group as Record<string, string>;
    const members = (await run(web, admin, 'ListGroupMembers', { ...ref, MaxResults: 100 })).GroupMembers as Record<string, string>[];
    // Membership changes are authorized on the group and the user; the group's ARN with any user decides the controls.
    const [canAdd, canRemove] = await Promise.all([
      can(web, admin, 'AddUserToGroup', { ...ref, UserId: '*' }),
      can(web, admin, 'RemoveUserFromGroup', { ...ref, UserId: '*' }),
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
<table aria-label="Members"><thead><tr><th>User Name</th><th>Display Name</th><th>Joined</th><th></th></tr></thead><tbody>
${members.map(
  (m) => html`<tr><td><a href="/cloudsso/users/${encodeURIComponent(m.UserId!)}">${m.UserName}</a></td><td>${m.DisplayName}</td><td>${m.JoinTime}</td><td>${
    canRemove
      ? html`<form method="post" action="${path}/members/remove" style="margin:0">${csrfField(admin)}<input type="hidden" name="UserId" value="${m.UserId}"><button type="submit" class="secondary" style="margin:0" aria-label="Remove ${m.UserName}">Remove</button></form>`
      : ''
  }</td></tr>`,
)}</tbody></table>${members.length === 0 ? html`<p>No members.</p>` : ''}
${canAdd
  ? html`<form method="post" action="${path}/members">${csrfField(admin)}<label for="add-user">User</label>
<select id="add-user" name="UserId">${candidates.filter((u) => !memberIds.has(u.UserId)).map((u) => html`<option value="${u.UserId}">${u.UserName}</option>`)}</select>
<button type="submit">Add Member</button></form>`
  : ''}</section>`,
      status,
    );
  }

  app.get(
    '/cloudsso/groups/:id',
    handler(web, async (admin, request, reply) => {
      const directory = await requireDirectory(web, admin, reply);
      if (!directory) return;
      return groupPage(reply, admin, directory.id, params(request).id!);
    }),
  );

  for (const [suffix, action] of [
    ['members', 'AddUserToGroup'],
    ['members/remove', 'RemoveUserFromGroup'],
  ] as const) {
    app.post(
      `/cloudsso/groups/:id/${suffix}`,
      handler(
        web,
        async (admin, request, reply) => {
          const directory = await requireDirectory(web, admin, reply);
          if (!directory) return;
          const id = params(request).id!;
          const result = await attempt(() => run(web, admin, action, { DirectoryId: directory.id, GroupId: id, UserId: formOf(request).UserId }));
          if (!result.ok) return groupPage(reply, admin, directory.id, id, result.error.message, result.error.status);
          return reply.redirect(groupPath(id), 303);
        },
        { post: true },
      ),
    );
  }
}
