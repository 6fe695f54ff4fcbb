import type { FastifyInstance, FastifyReply } from 'fastify';
import { portalLoginUrl } from '../../cloudsso/login-url.js';
import { html } from '../html.js';
import type { WebContext } from '../context.js';
import { csrfField, formOf, type Administrator } from '../console-access.js';
import { attempt, can, errorBox, handler, run, show } from './access.js';

// Overview (seed 000 "Get the user portal URL"): the directory and the user portal Login URL to copy.

export async function overviewRoutes(app: FastifyInstance, web: WebContext): Promise<void> {
  async function overview(reply: FastifyReply, admin: Administrator, state: { error?: string; name?: string } = {}, status = 200): Promise<FastifyReply> {
    const { Directories } = await run(web, admin, 'ListDirectories', {});
    const directory = Directories[0] as Record<string, string> | undefined;
    if (!directory) {
      const canCreate = await can(web, admin, 'CreateDirectory', {});
      return show(
        reply,
        admin,
        'CloudSSO',
        html`<h1>CloudSSO Overview</h1><p>CloudSSO is not set up yet: create the directory that holds your CloudSSO users and groups.</p>
${canCreate
  ? html`<section aria-label="Create Directory"><h2>Create Directory</h2>${errorBox(state.error)}
<form method="post" action="/cloudsso/directory">${csrfField(admin)}
<label for="directory-name">Directory Name</label>
<input type="text" id="directory-name" name="DirectoryName" value="${state.name ?? ''}" maxlength="64" required>
<p>2 to 64 characters: lower-case letters, digits and hyphens (-); it is part of the user portal Login URL.</p>
<button type="submit">Create Directory</button></form></section>`
  : html`<p>You are not allowed to create the directory.</p>`}`,
        status,
      );
    }
    const stats = (await run(web, admin, 'GetDirectoryStatistics', { DirectoryId: directory.DirectoryId })).DirectoryStatistics as Record<string, unknown>;
    const url = portalLoginUrl(web.services.config, directory.DirectoryName as string);
    return show(
      reply,
      admin,
      'CloudSSO',
      html`<h1>CloudSSO Overview</h1>
<section aria-label="User Portal"><h2>User Portal</h2>
<label for="login-url">Login URL</label>
<input type="text" id="login-url" value="${url}" readonly>
<p>Share this URL with your CloudSSO users: they sign in there and see the accounts they may access.</p></section>
<section aria-label="Directory"><h2>Directory</h2><table>
<tr><th scope="row">Directory Name</th><td data-field="directory-name">${directory.DirectoryName}</td></tr>
<tr><th scope="row">Directory ID</th><td data-field="directory-id">${directory.DirectoryId}</td></tr>
<tr><th scope="row">Region</th><td>${directory.Region}</td></tr>
<tr><th scope="row">Created</th><td>${directory.CreateTime}</td></tr>
<tr><th scope="row">Users</th><td>${String(stats.UserCount)} / ${String(stats.UserQuota)}</td></tr>
<tr><th scope="row">Groups</th><td>${String(stats.GroupCount)} / ${String(stats.GroupQuota)}</td></tr>
<tr><th scope="row">Access Configurations</th><td>${String(stats.AccessConfigurationCount)}</td></tr>
<tr><th scope="row">Access Assignments</th><td>${String(stats.AccessAssignmentCount)}</td></tr>
<tr><th scope="row">Tasks in Progress</th><td>${String(stats.InProgressTaskCount)}</td></tr>
</table></section>`,
    );
  }

  app.get('', handler(web, (admin, _request, reply) => overview(reply, admin)));

  app.post(
    '/directory',
    handler(
      web,
      async (admin, request, reply) => {
        const name = (formOf(request).DirectoryName ?? '').trim();
        const result = await attempt(() => run(web, admin, 'CreateDirectory', { DirectoryName: name }));
        if (!result.ok) return overview(reply, admin, { error: result.error.message, name }, result.error.status);
        return reply.redirect('/cloudsso', 303);
      },
      { post: true },
    ),
  );
}
