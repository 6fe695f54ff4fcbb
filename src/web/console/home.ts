import type { FastifyInstance } from 'fastify';
import { findAccount } from '../../directory/accounts.js';
import { CSRF_FIELD, csrfToken } from '../csrf.js';
import { html, page } from '../html.js';
import type { WebContext } from '../plugin.js';

/** The member-account console home with seed 000's identity panel: who you are, in which account. */
export async function consoleRoutes(app: FastifyInstance, web: WebContext): Promise<void> {
  const { services, secure } = web;
  const db = services.store.db;

  app.get('/console', async (request, reply) => {
    const session = await web.currentSession(request);
    if (!session) return reply.redirect('/login.htm', 303);
    const account = await findAccount(db, session.account_id);
    if (!account) return reply.redirect('/login.htm', 303);
    const domain = await db
      .selectFrom('account_domains')
      .select('domain_name')
      .where('account_id', '=', account.id)
      .where('kind', '=', 'default')
      .executeTakeFirst();
    const user = session.user_id
      ? await db.selectFrom('ram_users').select(['name', 'display_name']).where('id', '=', session.user_id).executeTakeFirst()
      : undefined;
    const csrf = csrfToken(request, reply, secure);
    const identity = session.principal_type === 'root' ? 'root' : `${user?.name ?? session.user_id}@${domain?.domain_name ?? account.id}`;
    const tag = session.principal_type === 'root' ? 'Root account' : session.principal_type === 'user' ? 'RAM user' : 'RAM role';
    const header = html`<form method="post" action="/logout" style="margin:0"><input type="hidden" name="${CSRF_FIELD}" value="${csrf}"><button class="secondary" style="margin:0" type="submit">Log Out</button></form>`;
    const links =
      session.principal_type === 'user'
        ? html`<p><a href="/console/security">Security settings</a> · <a href="/ram/users">RAM console</a></p>`
        : html`<p><a href="/ram/users">RAM console</a></p>`;
    return reply.type('text/html').send(
      page(
        'Console',
        html`<h1>Console home</h1>
<section aria-label="Identity">
<table>
<tr><th scope="row">Current Identity</th><td>${identity} <span class="tag">${tag}</span></td></tr>
${user ? html`<tr><th scope="row">Display Name</th><td>${user.display_name}</td></tr>` : ''}
<tr><th scope="row">Enterprise Alias</th><td>${account.alias}</td></tr>
<tr><th scope="row">Account ID</th><td>${account.id}</td></tr>
</table></section>${links}`,
        { header },
      ),
    );
  });
}
