import type { FastifyInstance } from 'fastify';
import { findAccount } from '../directory/accounts.js';
import { CSRF_FIELD, csrfToken } from './csrf.js';
import { html, page } from './html.js';
import type { WebContext } from './plugin.js';

/** The member-account console home: who you are, in which account. */
export async function consoleRoutes(app: FastifyInstance, web: WebContext): Promise<void> {
  const { services, secure } = web;

  app.get('/console', async (request, reply) => {
    const session = await web.currentSession(request);
    if (!session) return reply.redirect('/root/login', 303);
    const account = await findAccount(services.store.db, session.account_id);
    if (!account) return reply.redirect('/root/login', 303);
    const csrf = csrfToken(request, reply, secure);
    const identity = session.principal_type === 'root' ? 'root' : session.user_id;
    const tag = session.principal_type === 'root' ? 'Root account' : session.principal_type === 'user' ? 'RAM user' : 'RAM role';
    const header = html`<form method="post" action="/logout" style="margin:0"><input type="hidden" name="${CSRF_FIELD}" value="${csrf}"><button class="secondary" style="margin:0" type="submit">Log Out</button></form>`;
    return reply.type('text/html').send(
      page(
        'Console',
        html`<h1>Console home</h1>
<section aria-label="Identity">
<table>
<tr><th scope="row">Current Identity</th><td>${identity} <span class="tag">${tag}</span></td></tr>
<tr><th scope="row">Enterprise Alias</th><td>${account.alias}</td></tr>
<tr><th scope="row">Account ID</th><td>${account.id}</td></tr>
</table></section>`,
        { header },
      ),
    );
  });
}
