import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import { addPasskey, deletePasskey, listPasskeys, MAX_PASSKEYS_PER_USER } from '../../ram/passkeys.js';
import { findUserById } from '../../ram/users.js';
import { isPasskeyLogonAllowed } from '../../signin/strategies/passkey.js';
import { passkeyRegistrationOptions, verifyPasskeyRegistration } from '../../signin/strategies/passkey-registration.js';
import { ApiError } from '../../errors.js';
import { defaultDomainOfAccount } from '../../accounts/accounts.js';
import { CSRF_FIELD, csrfToken, isCsrfValid } from '../csrf.js';
import { html, page } from '../html.js';
import type { WebContext } from '../context.js';
import { relyingParty } from '../webauthn-party.js';

// A signed-in RAM user's own security settings: passkeys (seed 002's prerequisite for "Log on with Passkey").
// The registration challenge lives in a short-lived HttpOnly cookie tied to the session id.

const CHALLENGE_COOKIE = 'gh_webauthn';
const PASSKEYS_OFF = 'Your administrator does not allow logon with passkeys, so passkeys cannot be added.';

export async function securitySettingsRoutes(app: FastifyInstance, web: WebContext): Promise<void> {
  const { services, secure } = web;
  const db = services.store.db;

  async function currentUser(request: FastifyRequest) {
    const session = await web.currentSession(request);
    if (!session || session.principal_type !== 'user' || !session.user_id) return null;
    const user = await findUserById(db, session.account_id, session.user_id);
    return user ? { session, user } : null;
  }

  // While the account does not allow passkey logon, no passkey can be added (a passkey that cannot be used is no
  // help, and the setting is the administrator's say over passkeys); existing ones can still be deleted.

  app.get('/security', async (request, reply) => {
    const current = await currentUser(request);
    if (!current) return reply.redirect('/login.htm', 303);
    const csrf = csrfToken(request, reply, secure);
    const passkeys = await listPasskeys(db, current.user.id);
    const allowed = await isPasskeyLogonAllowed(db, current.user.account_id);
    return reply.type('text/html').send(
      page(
        'Security settings',
        html`<h1>Security settings</h1><p><a href="/console">Back to the console</a></p>
<h2>Passkeys</h2>
${allowed ? '' : html`<p class="notice">Your administrator does not allow logon with passkeys at the moment.</p>`}
<table aria-label="Passkeys"><thead><tr><th>Name</th><th>Created</th><th>Last used</th><th></th></tr></thead><tbody>
${passkeys.map(
  (p) => html`<tr><td>${p.name}</td><td>${p.createdAt}</td><td>${p.lastUsedAt ?? 'Never'}</td>
<td><form method="post" action="/console/security/passkeys/delete"><input type="hidden" name="${CSRF_FIELD}" value="${csrf}"><input type="hidden" name="id" value="${p.id}"><button type="submit" class="secondary" aria-label="Delete passkey ${p.name}">Delete</button></form></td></tr>`,
)}
</tbody></table>
${passkeys.length === 0 ? html`<p>No passkeys yet.</p>` : ''}
${allowed
  ? html`<label for="passkey-name">Passkey name</label>
<input type="text" id="passkey-name" maxlength="64" value="My passkey">
<button type="button" id="passkey-add" data-csrf="${csrf}">Add Passkey</button>
<p id="passkey-message" class="error" role="alert" hidden></p>
<script src="/static/webauthn.js"></script><script src="/static/passkey-register.js"></script>`
  : ''}`,
      ),
    );
  });

  app.post('/security/passkeys/options', async (request, reply) => {
    if (!isCsrfValid(request, services.config.publicUrl)) return reply.status(403).send({ message: 'Your page expired. Reload it.' });
    const current = await currentUser(request);
    const party = relyingParty(request, services.config.publicUrl);
    if (!current || !party) return reply.status(401).send({ message: 'Log on again.' });
    if (!(await isPasskeyLogonAllowed(db, current.user.account_id))) return reply.status(403).send({ message: PASSKEYS_OFF });
    const existing = await listPasskeys(db, current.user.id);
    if (existing.length >= MAX_PASSKEYS_PER_USER) return reply.status(400).send({ message: `At most ${MAX_PASSKEYS_PER_USER} passkeys are allowed.` });
    const domain = await defaultDomainOfAccount(db, current.user.account_id);
    const options = await passkeyRegistrationOptions({
      party,
      user: { id: current.user.id, logonName: `${current.user.name}@${domain}`, displayName: current.user.display_name },
      existing,
    });
    reply.setCookie(CHALLENGE_COOKIE, `${current.session.id}.${options.challenge}`, {
      path: '/console/security',
      httpOnly: true,
      sameSite: 'strict',
      secure,
      maxAge: 300,
    });
    return reply.send(options);
  });

  app.post('/security/passkeys', async (request, reply) => {
    if (!isCsrfValid(request, services.config.publicUrl)) return reply.status(403).send({ message: 'Your page expired. Reload it.' });
    const current = await currentUser(request);
    const party = relyingParty(request, services.config.publicUrl);
    if (!current || !party) return reply.status(401).send({ message: 'Log on again.' });
    if (!(await isPasskeyLogonAllowed(db, current.user.account_id))) return reply.status(403).send({ message: PASSKEYS_OFF });
    const [sessionId, challenge] = String(request.cookies[CHALLENGE_COOKIE] ?? '').split('.');
    reply.clearCookie(CHALLENGE_COOKIE, { path: '/console/security' });
    if (sessionId !== current.session.id || !challenge) return reply.status(400).send({ message: 'Start adding the passkey again.' });
    const body = request.body as { response?: RegistrationResponseJSON; name?: string };
    const name = String(body.name ?? '').trim().slice(0, 64) || 'Passkey';
    const result = await verifyPasskeyRegistration({ response: body.response, expectedChallenge: challenge, party });
    if (!result.verified) return reply.status(400).send({ message: 'The passkey could not be verified.' });
    try {
      await addPasskey(db, { ...result.credential, userId: current.user.id, accountId: current.user.account_id, name, now: services.clock.now() });
    } catch (error) {
      if (error instanceof ApiError) return reply.status(error.status).send({ message: error.message });
      throw error;
    }
    return reply.send({ ok: true });
  });

  app.post('/security/passkeys/delete', async (request, reply) => {
    if (!isCsrfValid(request, services.config.publicUrl)) return reply.status(403).type('text/plain').send('Your form expired.');
    const current = await currentUser(request);
    if (!current) return reply.redirect('/login.htm', 303);
    const id = String((request.body as Record<string, string>).id ?? '');
    try {
      await deletePasskey(db, current.user.id, id, { except: current.session.id });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
    }
    return reply.redirect('/console/security', 303);
  });
}
