import type { FastifyInstance } from 'fastify';
import { defaultDomainOfAccount } from '../../accounts/accounts.js';
import { findDomainAlias, removeDomainAlias, setDomainAlias } from '../../accounts/domain-alias.js';
import { html, type Raw } from '../html.js';
import type { WebContext } from '../context.js';
import { administrator, csrfField, csrfOk, formOf, isAllowed, type Administrator } from '../console-access.js';
import { accountResource, consolePage, permit } from './access.js';

// Settings > Logon domains: the default domain `<alias>.onaliyun.com` and an optional domain alias, both accepted on
// the RAM user logon page (seed 002). Reading needs ram:GetDefaultDomain, changing ram:SetDefaultDomain — the
// actions that govern the default domain govern its alias too.

export async function logonDomainRoutes(app: FastifyInstance, web: WebContext): Promise<void> {
  const db = web.services.store.db;

  async function view(admin: Administrator, error?: string, typed = ''): Promise<Raw> {
    const accountId = admin.principal.accountId;
    const [domain, alias, canChange] = await Promise.all([
      defaultDomainOfAccount(db, accountId),
      findDomainAlias(db, accountId),
      isAllowed(web, admin, 'ram:SetDefaultDomain', accountResource(accountId)),
    ]);
    const form = canChange
      ? html`<form method="post" action="/ram/settings/logon-domains">${csrfField(admin)}
<label for="domain-alias">Domain alias</label><input type="text" id="domain-alias" name="domainAlias" value="${typed || alias || ''}" placeholder="example.com">
<button type="submit">Save Domain Alias</button></form>
${alias ? html`<form method="post" action="/ram/settings/logon-domains/remove">${csrfField(admin)}<button type="submit" class="secondary">Remove Domain Alias</button></form>` : ''}`
      : '';
    return html`<h1>Logon domains</h1>${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<table aria-label="Logon domains"><tr><th scope="row">Default domain</th><td>${domain}</td></tr>
<tr><th scope="row">Domain alias</th><td>${alias ?? 'None'}</td></tr></table>
<p>RAM users log on as <code>name@${domain}</code>${alias ? html` or <code>name@${alias}</code>` : ''}.</p>${form}
<p><a href="/ram/settings">Back to Settings</a></p>`;
  }

  app.get('/settings/logon-domains', async (request, reply) => {
    const admin = await administrator(web, request, reply);
    if (!admin || !(await permit(web, admin, reply, 'ram:GetDefaultDomain', accountResource(admin.principal.accountId)))) return reply;
    return consolePage(reply, admin, 'Logon domains', await view(admin));
  });

  app.post('/settings/logon-domains', async (request, reply) => {
    if (!(await csrfOk(web, request, reply))) return reply;
    const admin = await administrator(web, request, reply);
    if (!admin || !(await permit(web, admin, reply, 'ram:SetDefaultDomain', accountResource(admin.principal.accountId)))) return reply;
    const typed = String(formOf(request).domainAlias ?? '').slice(0, 200);
    const result = await db.transaction().execute((tx) => setDomainAlias(tx, admin.principal.accountId, typed, web.services.clock.now().toISOString()));
    if (!result.ok) return consolePage(reply, admin, 'Logon domains', await view(admin, result.problem, typed), 400);
    return reply.redirect('/ram/settings/logon-domains', 303);
  });

  app.post('/settings/logon-domains/remove', async (request, reply) => {
    if (!(await csrfOk(web, request, reply))) return reply;
    const admin = await administrator(web, request, reply);
    if (!admin || !(await permit(web, admin, reply, 'ram:SetDefaultDomain', accountResource(admin.principal.accountId)))) return reply;
    await removeDomainAlias(db, admin.principal.accountId);
    return reply.redirect('/ram/settings/logon-domains', 303);
  });
}
