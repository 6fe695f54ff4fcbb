import type { FastifyInstance } from 'fastify';
import { apiTime } from '../../clock.js';
import { ApiError } from '../../errors.js';
import { allUsersResource, USER_NAME, userResource } from '../../ram/actions/users.js';
import { loginProfileStatusesOf } from '../../ram/login-profiles.js';
import { markerKey, pageFields } from '../../ram/actions/paging-params.js';
import { createUser, listUsers } from '../../ram/users.js';
import { html, type Raw } from '../html.js';
import type { WebContext } from '../context.js';
import { administrator, csrfField, csrfOk, formOf, isAllowed, type Administrator } from '../console-access.js';
import { consolePage, permit } from './access.js';
import { consoleAccessLabel } from './labels.js';

// Identities > Users: the list (keyset paging, as ListUsers) and the Create User form.

const PAGE_SIZE = 20;

function createForm(admin: Administrator, values: { name: string; displayName: string }, error?: string): Raw {
  return html`<section aria-label="Create User"><h2>Create User</h2>
${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<form method="post" action="/ram/users">${csrfField(admin)}
<label for="user-name">Logon Name</label>
<input type="text" id="user-name" name="userName" value="${values.name}" maxlength="64" required>
<label for="display-name">Display Name</label>
<input type="text" id="display-name" name="displayName" value="${values.displayName}" maxlength="128">
<button type="submit">Create User</button>
</form></section>`;
}

export async function usersRoutes(app: FastifyInstance, web: WebContext): Promise<void> {
  const db = web.services.store.db;

  async function listPage(admin: Administrator, marker: string | undefined, createError?: string, values = { name: '', displayName: '' }): Promise<Raw> {
    const accountId = admin.principal.accountId;
    let after: string | undefined;
    try {
      after = markerKey(marker);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      return html`<h1>Users</h1><p class="error" role="alert">This page link is not valid. <a href="/ram/users">Start from the first page</a>.</p>`;
    }
    const page = await listUsers(db, accountId, {}, { after, limit: PAGE_SIZE });
    const next = pageFields(page).Marker;
    const showAccess = await isAllowed(web, admin, 'ram:GetLoginProfile', allUsersResource(accountId));
    const profiles = showAccess ? await loginProfileStatusesOf(db, page.items.map((u) => u.id)) : new Map<string, string>();
    const canCreate = await isAllowed(web, admin, 'ram:CreateUser', allUsersResource(accountId));
    return html`<h1>Users</h1>
<table aria-label="Users"><thead><tr><th>User Logon Name</th><th>Display Name</th><th>Created</th><th>Console Access</th></tr></thead><tbody>
${page.items.map(
  (u) => html`<tr><td><a href="/ram/users/${encodeURIComponent(u.name)}">${u.name}</a></td><td>${u.display_name}</td><td>${apiTime(u.created_at)}</td>
<td>${showAccess ? consoleAccessLabel(profiles.get(u.id)) : '—'}</td></tr>`,
)}
</tbody></table>
${page.items.length === 0 ? html`<p>No users.</p>` : ''}
${next ? html`<p><a href="/ram/users?marker=${next}">Next page</a></p>` : ''}
${marker ? html`<p><a href="/ram/users">First page</a></p>` : ''}
${canCreate ? createForm(admin, values, createError) : ''}`;
  }

  app.get('/users', async (request, reply) => {
    const admin = await administrator(web, request, reply);
    if (!admin) return reply;
    if (!(await permit(web, admin, reply, 'ram:ListUsers', allUsersResource(admin.principal.accountId)))) return reply;
    const marker = (request.query as Record<string, string | undefined>).marker;
    return consolePage(reply, admin, 'Users', await listPage(admin, typeof marker === 'string' ? marker : undefined));
  });

  app.post('/users', async (request, reply) => {
    if (!(await csrfOk(web, request, reply))) return reply;
    const admin = await administrator(web, request, reply);
    if (!admin) return reply;
    const form = formOf(request);
    const values = { name: (form.userName ?? '').trim(), displayName: (form.displayName ?? '').trim() };
    // The same limits as CreateUser's UserName and DisplayName.
    let problem: string | undefined;
    if (values.name.length < 1 || values.name.length > 64) problem = 'The logon name must be 1 to 64 characters long.';
    else if (!USER_NAME.test(values.name)) problem = 'The logon name may contain only letters, digits, periods (.), hyphens (-) and underscores (_).';
    else if (values.displayName.length > 128) problem = 'The display name must be at most 128 characters long.';
    if (problem) {
      if (!(await permit(web, admin, reply, 'ram:ListUsers', allUsersResource(admin.principal.accountId)))) return reply;
      return consolePage(reply, admin, 'Users', await listPage(admin, undefined, problem, values), 400);
    }
    if (!(await permit(web, admin, reply, 'ram:CreateUser', userResource(admin.principal.accountId, values.name)))) return reply;
    try {
      await db
        .transaction()
        .execute((tx) =>
          createUser(tx, admin.principal.accountId, { name: values.name, displayName: values.displayName || undefined }, web.services.clock.now().toISOString()),
        );
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      return consolePage(reply, admin, 'Users', await listPage(admin, undefined, error.message, values), error.status);
    }
    return reply.redirect(`/ram/users/${encodeURIComponent(values.name)}`, 303);
  });
}
