import type { FastifyInstance, FastifyReply } from 'fastify';
import { apiTime } from '../../clock.js';
import { findUser, isUserLocked } from '../../cloudsso/users.js';
import { html, type Raw } from '../html.js';
import type { WebContext } from '../context.js';
import { csrfField, formOf, type Administrator } from '../console-access.js';
import { attempt, can, check, directoryHandler, errorBox, params, radio, run, show } from './access.js';
import { changeRoute, createSection, dataTable, deleteRoute, deleteSection, filterForm, listRoutes, pageLinks, startsWith, type ListPage } from './list-page.js';

// Users: the list with a user-name filter and paging (ListUsers), Create User, and a user's page with
// Reset Password, Enable/Disable, MFA devices, group memberships and Delete User.

const PAGE_SIZE = 20;
export const userPath = (id: string): string => `/cloudsso/users/${encodeURIComponent(id)}`;

const USER_FIELDS = ['UserName', 'DisplayName', 'Email', 'Description'] as const;

export async function usersRoutes(app: FastifyInstance, web: WebContext): Promise<void> {
  const listPage: ListPage = async (reply, admin, dir, q, create = {}, status = 200) => {
    const filter = (q.filter ?? '').trim();
    const list = await run(web, admin, 'ListUsers', { DirectoryId: dir, MaxResults: PAGE_SIZE, NextToken: q.next, Filter: startsWith('UserName', filter) });
    const canCreate = await can(web, admin, 'CreateUser', { DirectoryId: dir });
    const v = create.values ?? {};
    const users = list.Users as Record<string, string>[];
    return show(
      reply,
      admin,
      'Users',
      html`<h1>Users</h1>
${filterForm('/cloudsso/users', filter, 'User name starts with')}
<p>${String(list.TotalCounts)} user(s)</p>
${dataTable(
  'Users',
  ['User Name', 'Display Name', 'Email', 'Status', 'Created'],
  users.map(
    (u) => html`<tr><td><a href="${userPath(u.UserId!)}">${u.UserName}</a></td><td>${u.DisplayName}</td><td>${u.Email}</td><td>${u.Status}</td><td>${u.CreateTime}</td></tr>`,
  ),
  'No users.',
)}
${pageLinks('/cloudsso/users', { filter }, { next: list.NextToken, current: q.next })}
${canCreate
  ? createSection(
      admin,
      'Create User',
      '/cloudsso/users',
      create.error,
      html`<label for="user-name">User Name</label><input type="text" id="user-name" name="UserName" value="${v.UserName ?? ''}" required>
<label for="display-name">Display Name</label><input type="text" id="display-name" name="DisplayName" value="${v.DisplayName ?? ''}">
<label for="email">Email</label><input type="text" id="email" name="Email" value="${v.Email ?? ''}">
<label for="description">Description</label><textarea id="description" name="Description">${v.Description ?? ''}</textarea>`,
    )
  : ''}`,
      status,
    );
  };

  listRoutes(app, web, '/users', listPage, {
    action: 'CreateUser',
    values: (form) => Object.fromEntries(USER_FIELDS.map((f) => [f, (form[f] ?? '').trim()])),
    created: (result) => userPath(result.User.UserId),
  });

  async function userPage(
    reply: FastifyReply,
    admin: Administrator,
    dir: string,
    userId: string,
    state: { error?: string; notice?: Raw } = {},
    status = 200,
  ): Promise<FastifyReply> {
    const ref = { DirectoryId: dir, UserId: userId };
    const user = (await run(web, admin, 'GetUser', ref)).User as Record<string, string>;
    const devices = (await run(web, admin, 'ListMFADevicesForUser', ref)).MFADevices as Record<string, string>[];
    const groups = (await run(web, admin, 'ListJoinedGroupsForUser', { ...ref, MaxResults: 100 })).JoinedGroups as Record<string, string>[];
    const [canReset, canStatus, canDeleteMfa, canDelete] = await Promise.all([
      can(web, admin, 'ResetUserPassword', ref),
      can(web, admin, 'UpdateUserStatus', ref),
      can(web, admin, 'DeleteMFADeviceForUser', ref),
      can(web, admin, 'DeleteUser', ref),
    ]);
    // No API response carries the sign-in lock (the user is told only "incorrect"), so the page reads it from the
    // user's row once GetUser above has authorized the administrator to see this user.
    const row = await findUser(web.services.store.db, dir, userId);
    const lockedUntil = row && isUserLocked(row, web.services.clock.now()) ? row.locked_until : null;
    const path = userPath(userId);
    const enabled = user.Status === 'Enabled';
    return show(
      reply,
      admin,
      user.UserName ?? 'User',
      html`<p><a href="/cloudsso/users">Users</a> &gt; ${user.UserName}</p><h1>${user.UserName}</h1>
${state.notice ?? ''}${errorBox(state.error)}
<section aria-label="Basic Information"><h2>Basic Information</h2><table>
<tr><th scope="row">User ID</th><td data-field="user-id">${user.UserId}</td></tr>
<tr><th scope="row">Display Name</th><td>${user.DisplayName}</td></tr>
<tr><th scope="row">Email</th><td>${user.Email}</td></tr>
<tr><th scope="row">Description</th><td>${user.Description}</td></tr>
<tr><th scope="row">Status</th><td data-field="status">${user.Status}</td></tr>
<tr><th scope="row">Sign-in Lock</th><td data-field="sign-in-lock">${
  lockedUntil ? `Locked until ${apiTime(lockedUntil)} after too many failed sign-in attempts (a password reset lifts it)` : 'Not locked'
}</td></tr>
<tr><th scope="row">Provision Type</th><td>${user.ProvisionType}</td></tr>
<tr><th scope="row">Created</th><td>${user.CreateTime}</td></tr>
</table>
${canStatus
  ? html`<form method="post" action="${path}/status">${csrfField(admin)}<input type="hidden" name="NewStatus" value="${enabled ? 'Disabled' : 'Enabled'}">
<button type="submit"${enabled ? html` class="secondary"` : ''}>${enabled ? 'Disable' : 'Enable'}</button></form>`
  : ''}</section>
${canReset
  ? html`<section aria-label="Reset Password"><h2>Reset Password</h2>
<form method="post" action="${path}/password">${csrfField(admin)}
<fieldset><legend>New Password</legend>
${radio('password-generate', 'mode', 'generate', 'Generate a random password', true)}
${radio('password-custom', 'mode', 'custom', 'Set a custom password', false)}
<label for="custom-password">Custom Password</label><input type="password" id="custom-password" name="Password" autocomplete="new-password">
</fieldset>
${check('require-reset', 'RequirePasswordResetForNextLogin', 'true', 'Require password reset at next logon', true)}
<button type="submit">Reset Password</button></form></section>`
  : ''}
<section aria-label="MFA Devices"><h2>MFA Devices</h2>
${dataTable('MFA devices', ['Device Name', 'Type', 'Bound', ''], devices.map(
  (d) => html`<tr><td>${d.DeviceName}</td><td>${d.DeviceType}</td><td>${d.EffectiveTime}</td><td>${
    canDeleteMfa
      ? html`<form method="post" action="${path}/mfa-devices/delete" style="margin:0">${csrfField(admin)}<input type="hidden" name="MFADeviceId" value="${d.DeviceId}"><button type="submit" class="secondary" style="margin:0" aria-label="Delete MFA device ${d.DeviceName}">Delete</button></form>`
      : ''
  }</td></tr>`,
), 'No MFA devices.')}</section>
<section aria-label="Groups"><h2>Groups</h2>
${dataTable(
  'Joined groups',
  ['Group Name', 'Joined'],
  groups.map((g) => html`<tr><td><a href="/cloudsso/groups/${encodeURIComponent(g.GroupId!)}">${g.GroupName}</a></td><td>${g.JoinTime}</td></tr>`),
  'Not in any group.',
)}</section>
${canDelete ? deleteSection(admin, 'Delete User', path, user.UserName ?? 'the user') : ''}`,
      status,
    );
  }

  deleteRoute(app, web, {
    path: '/users',
    listPath: '/cloudsso/users',
    action: 'DeleteUser',
    params: (dir, id) => ({ DirectoryId: dir, UserId: id }),
    detailPage: (reply, admin, dir, id, error, status) => userPage(reply, admin, dir, id, { error }, status),
  });

  app.get(
    '/users/:id',
    directoryHandler(web, async (admin, dir, request, reply) => {
      return userPage(reply, admin, dir, params(request).id!);
    }),
  );

  // Enable/Disable and Delete MFA device: one form field passed to the action, then back to the user's page.
  for (const [suffix, action, field] of [
    ['status', 'UpdateUserStatus', 'NewStatus'],
    ['mfa-devices/delete', 'DeleteMFADeviceForUser', 'MFADeviceId'],
  ] as const) {
    changeRoute(app, web, {
      path: '/users',
      suffix,
      detailPath: userPath,
      perform: async (admin, dir, id, form) => {
        await run(web, admin, action, { DirectoryId: dir, UserId: id, [field]: form[field] });
      },
      detailPage: (reply, admin, dir, id, _form, error, status) => userPage(reply, admin, dir, id, { error }, status),
    });
  }

  app.post(
    '/users/:id/password',
    directoryHandler(
      web,
      async (admin, dir, request, reply) => {
        const id = params(request).id!;
        const form = formOf(request);
        const generate = form.mode !== 'custom';
        const result = await attempt(() =>
          run(web, admin, 'ResetUserPassword', {
            DirectoryId: dir,
            UserId: id,
            GenerateRandomPassword: generate ? true : undefined,
            Password: generate ? undefined : (form.Password ?? ''),
            RequirePasswordResetForNextLogin: form.RequirePasswordResetForNextLogin === 'true',
          }),
        );
        if (!result.ok) return userPage(reply, admin, dir, id, { error: result.error.message }, result.error.status);
        if (!generate) return userPage(reply, admin, dir, id, { notice: html`<p class="notice" role="status">The password was reset.</p>` });
        return show(
          reply,
          admin,
          'New password',
          html`<p><a href="/cloudsso/users">Users</a> &gt; <a href="${userPath(id)}">User</a></p><h1>New password</h1>
<p class="notice" role="status">This password is shown only once. Copy it now and give it to the user over a safe channel.</p>
<label for="new-password">New Password</label><input type="text" id="new-password" value="${result.value.NewPassword}" readonly>
<p><a href="${userPath(id)}">Back to the user</a></p>`,
        );
      },
      { post: true },
    ),
  );
}
