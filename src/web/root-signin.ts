import type { FastifyInstance } from 'fastify';
import { verifyRootCredentials } from '../signin/root.js';
import { createSession, endSession } from '../sessions/sessions.js';
import { SESSION_COOKIE, cookieOptions } from './cookies.js';
import { CSRF_FIELD, csrfToken, isCsrfValid } from './csrf.js';
import { html, page } from './html.js';
import { isThrottled, THROTTLED_MESSAGE } from './logon-throttle.js';
import type { WebContext } from './plugin.js';

const ROOT_SESSION_SECONDS = 6 * 3600;

function rootLoginPage(csrf: string, error?: string, identifier = ''): string {
  return page(
    'Root account sign-in',
    html`<div class="card"><h1>Root account sign-in</h1>
<p>Sign in as the account's root identity. RAM users sign in on the <a href="/login.htm">RAM user logon page</a>.</p>
${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<form method="post" action="/root/login">
<input type="hidden" name="${CSRF_FIELD}" value="${csrf}">
<label for="identifier">Account ID or alias</label>
<input type="text" id="identifier" name="identifier" value="${identifier}" autocomplete="username" required>
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password" required>
<button type="submit">Log On</button>
</form></div>`,
  );
}

export async function rootSigninRoutes(app: FastifyInstance, web: WebContext): Promise<void> {
  const { services, secure } = web;

  app.get('/root/login', async (request, reply) => {
    return reply.type('text/html').send(rootLoginPage(csrfToken(request, reply, secure)));
  });

  app.post('/root/login', async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, string>;
    const csrf = csrfToken(request, reply, secure);
    if (!isCsrfValid(request, services.config.publicUrl)) {
      return reply.status(403).type('text/html').send(rootLoginPage(csrf, 'Your form expired. Please try again.'));
    }
    const identifier = String(body.identifier ?? '').slice(0, 128);
    if (await isThrottled(services, request)) return reply.status(429).type('text/html').send(rootLoginPage(csrf, THROTTLED_MESSAGE, identifier));
    const account = await verifyRootCredentials(services.store.db, identifier, String(body.password ?? '').slice(0, 256));
    if (!account) {
      return reply.status(401).type('text/html').send(rootLoginPage(csrf, 'The account or password is incorrect.', identifier));
    }
    const { token } = await createSession(services.store.db, {
      accountId: account.id,
      principalType: 'root',
      userId: null,
      mfaPresent: false,
      lifetimeSeconds: ROOT_SESSION_SECONDS,
      now: services.clock.now(),
    });
    reply.setCookie(SESSION_COOKIE, token, cookieOptions(secure));
    return reply.redirect('/console', 303);
  });

  app.post('/logout', async (request, reply) => {
    if (!isCsrfValid(request, services.config.publicUrl)) return reply.status(403).type('text/plain').send('Your form expired.');
    const session = await web.currentSession(request);
    const token = request.cookies[SESSION_COOKIE];
    if (token) await endSession(services.store.db, token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect(session?.principal_type === 'root' ? '/root/login' : '/login.htm', 303);
  });
}
