import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { submitRootMfaCode, submitRootPassword } from '../signin/root.js';
import { endSession } from '../sessions/sessions.js';
import { SESSION_COOKIE, cookieOptions } from './cookies.js';
import { CSRF_FIELD, csrfToken, isCsrfValid } from './csrf.js';
import { html, page } from './html.js';
import { isThrottled, THROTTLED_MESSAGE } from './logon-throttle.js';
import type { WebContext } from './context.js';
import { flowCookie } from './signin/flow-cookie.js';
import { signinSteps } from './signin/follow.js';
import { mfaCodeForm } from './signin/pages.js';

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

function rootMfaPage(csrf: string, error?: string): string {
  return page(
    'Root account sign-in',
    html`<div class="card"><h1>Multi-factor authentication</h1>
<p>Enter the 6-digit code shown by the MFA app bound to the root account.</p>
${error ? html`<p class="error" role="alert">${error}</p>` : ''}${mfaCodeForm(csrf, '/root/login/mfa')}
<p><a href="/root/login">Start again</a></p></div>`,
  );
}

export const rootSignin: FastifyPluginAsync<{ context: WebContext }> = async (app, { context: web }) => {
  const { services, secure } = web;
  const db = services.store.db;
  // Root's flow has its own cookie, so a RAM user logon under way in the same browser is left alone.
  const flows = flowCookie(web, 'gh_root_flow', 'root');
  const send = (reply: FastifyReply, status: number, body: string): FastifyReply => reply.status(status).type('text/html').send(body);
  const steps = signinSteps(web, {
    flows,
    cookiePath: '/root/login',
    stepPath: (step) => `/root/login/${step}`,
    startPath: '/root/login',
    refusedPage: (request, reply, message) => rootLoginPage(csrfToken(request, reply, secure), message),
    openSession(reply, done) {
      reply.setCookie(SESSION_COOKIE, done.token, cookieOptions(secure));
      return done.redirect;
    },
  });

  // The sign-in pages, under /root/login.
  await app.register(
    async (root) => {
    root.get('', async (request, reply) => {
      return reply.type('text/html').send(rootLoginPage(csrfToken(request, reply, secure)));
    });

    root.post('', async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, string>;
      const csrf = csrfToken(request, reply, secure);
      if (!isCsrfValid(request, services.config.publicUrl)) {
        return send(reply, 403, rootLoginPage(csrf, 'Your form expired. Please try again.'));
      }
      const identifier = String(body.identifier ?? '').slice(0, 128);
      if (await isThrottled(services, request)) return send(reply, 429, rootLoginPage(csrf, THROTTLED_MESSAGE, identifier));
      const outcome = await submitRootPassword(services, db, identifier, String(body.password ?? '').slice(0, 256));
      // A wrong password is 401 (as it always was); a wrong code at the MFA step, 400.
      return steps.follow(request, reply, null, outcome, (message) => rootLoginPage(csrf, message, identifier), { retryStatus: 401 });
    });

    root.get('/mfa', async (request, reply) => {
      if (!flows.current(request, 'mfa')) return reply.redirect('/root/login', 303);
      return reply.type('text/html').send(rootMfaPage(csrfToken(request, reply, secure)));
    });

    root.post('/mfa', async (request, reply) => {
      const csrf = csrfToken(request, reply, secure);
      if (!isCsrfValid(request, services.config.publicUrl)) return send(reply, 403, rootMfaPage(csrf, 'Your form expired. Please try again.'));
      const flow = await flows.live(request, 'mfa');
      if (!flow) return reply.redirect('/root/login', 303);
      const code = String(((request.body ?? {}) as Record<string, string>).code ?? '').slice(0, 16);
      return steps.follow(request, reply, flow, await submitRootMfaCode(services, db, flow, code), (message) => rootMfaPage(csrf, message));
    });
    },
    { prefix: '/root/login' },
  );

  app.post('/logout', async (request, reply) => {
    if (!isCsrfValid(request, services.config.publicUrl)) return reply.status(403).type('text/plain').send('Your form expired.');
    const session = await web.currentSession(request);
    const token = request.cookies[SESSION_COOKIE];
    if (token) await endSession(services.store.db, token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect(session?.principal_type === 'root' ? '/root/login' : '/login.htm', 303);
  });
};
