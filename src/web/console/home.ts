import type { FastifyInstance } from 'fastify';
import { defaultDomainOfAccount, findAccount, findManagementAccount } from '../../accounts/accounts.js';
import { findDirectoryNameOfUser } from '../../cloudsso/directories.js';
import { sessionPrincipal } from '../../sessions/principal.js';
import { endSession } from '../../sessions/sessions.js';
import { SESSION_COOKIE } from '../cookies.js';
import { logoutForm } from '../console-chrome.js';
import { csrfToken } from '../csrf.js';
import { html, page } from '../html.js';
import type { WebContext } from '../context.js';

/**
 * The member-account console home with seed 000's identity panel: the current identity (root, RAM user or RAM role)
 * with its tag, the enterprise alias, and the management account with its ID.
 */
export async function homeRoutes(app: FastifyInstance, web: WebContext): Promise<void> {
  const { services, secure } = web;
  const db = services.store.db;

  app.get('', async (request, reply) => {
    const session = await web.currentSession(request);
    const principal = session ? await sessionPrincipal(db, services.secrets, session, services.clock.now()) : null;
    const account = session ? await findAccount(db, session.account_id) : undefined;
    if (!session || !principal || !account) {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await endSession(db, token); // a role session whose STS session expired ends with it
      return reply.redirect('/login.htm', 303);
    }
    const management = await findManagementAccount(db);
    const identity =
      principal.kind === 'root'
        ? 'root'
        : principal.kind === 'user'
          ? `${principal.userName}@${await defaultDomainOfAccount(db, account.id)}`
          : `${principal.roleName}/${principal.sessionName}`;
    const tag = principal.kind === 'root' ? 'Root account' : principal.kind === 'user' ? 'RAM user' : 'RAM role';
    const csrf = csrfToken(request, reply, secure);
    const header = logoutForm(csrf);
    // Seed 000: to switch accounts, go back to the user portal the session was entered from.
    const portal = session.portal_user_id ? await findDirectoryNameOfUser(db, session.portal_user_id) : undefined;
    const back = portal ? html` · <a href="/sso/${encodeURIComponent(portal)}/portal">Back to the CloudSSO user portal</a>` : '';
    const links = principal.kind === 'user' && !portal
      ? html`<a href="/console/security">Security settings</a> · <a href="/ram/users">RAM console</a>`
      : principal.kind === 'root'
        ? html`<a href="/console/root-security">Security settings</a> · <a href="/ram/users">RAM console</a>`
        : html`<a href="/ram/users">RAM console</a>${back}`;
    return reply.type('text/html').send(
      page(
        'Console',
        html`<h1>Console home</h1>
<section aria-label="Identity">
<table>
<tr><th scope="row">Current Identity</th><td>${identity} <span class="tag">${tag}</span></td></tr>
<tr><th scope="row">Enterprise Alias</th><td>${account.alias}</td></tr>
<tr><th scope="row">Account ID</th><td>${account.id}</td></tr>
${management ? html`<tr><th scope="row">Management Account</th><td>${management.display_name} (${management.alias})</td></tr>
<tr><th scope="row">Management Account ID</th><td>${management.id}</td></tr>` : ''}
${principal.kind === 'assumed-role' ? html`<tr><th scope="row">Session Expires</th><td>${principal.expiresAt}</td></tr>` : ''}
</table></section><p>${links}</p>`,
        { header },
      ),
    );
  });
}
