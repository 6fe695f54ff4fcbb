import type { FastifyReply, FastifyRequest } from 'fastify';
import { safeEqual, sha256Hex, type Mac } from '../crypto/secrets.js';
import { randomBytesPooled } from '../crypto/random.js';
import { PORTAL_COOKIE, SESSION_COOKIE, cookieOptions } from './cookies.js';
import { html, page } from './html.js';

/** The pre-sign-in cookie: what a form is bound to while the browser has no session. */
export const CSRF_COOKIE = 'gh_csrf';
export const CSRF_FIELD = '_csrf';

declare module 'fastify' {
  interface FastifyRequest {
    /** The MAC the pages' tokens are made with (a decoration of the web plugin's requests). */
    csrfMac: Mac | null;
  }
}

const PRE_SIGN_IN = /^[A-Za-z0-9_-]{43}$/;

/**
 * What this request's forms are bound to: the very cookie its route signs in with — the portal session on the portal's
 * pages, the console session on every other page — or, before sign-in, the pre-sign-in cookie. A token is a MAC of
 * that binding under a key only the servers hold, so whoever can plant cookies still cannot choose a matching pair,
 * one session's token is refused with another session, and a logon (a new session cookie) gives a new token.
 * A cookie planted beside the victim's session is never the binding: the session, when present, comes first.
 */
function bindingOf(request: FastifyRequest): string | null {
  // The route that runs, not the URL as sent: which cookie it signs in with is a property of the route.
  const portalPage = request.routeOptions.url?.startsWith('/sso/') === true;
  const session = request.cookies[portalPage ? PORTAL_COOKIE : SESSION_COOKIE];
  if (session) return `${portalPage ? 'portal' : 'console'} session ${sha256Hex(session)}`;
  const preSignIn = request.cookies[CSRF_COOKIE];
  return preSignIn && PRE_SIGN_IN.test(preSignIn) ? `pre-sign-in ${preSignIn}` : null;
}

function macOf(request: FastifyRequest): Mac {
  if (!request.csrfMac) throw new Error('CSRF tokens are made only on the pages of the web plugin');
  return request.csrfMac;
}

/** The token this request's forms carry; before sign-in it sets the pre-sign-in cookie the first time. */
export function csrfToken(request: FastifyRequest, reply: FastifyReply, secure: boolean): string {
  let binding = bindingOf(request);
  if (binding === null) {
    const preSignIn = randomBytesPooled(32).toString('base64url');
    reply.setCookie(CSRF_COOKIE, preSignIn, cookieOptions(secure));
    request.cookies[CSRF_COOKIE] = preSignIn;
    binding = `pre-sign-in ${preSignIn}`;
  }
  return macOf(request)(`csrf ${binding}`);
}

/** True when the form's token is the one for this request's binding and the request did not come from another origin. */
export function isCsrfValid(request: FastifyRequest, publicUrl: string): boolean {
  const origin = request.headers.origin;
  if (origin && origin !== 'null') {
    const allowed = new Set([new URL(publicUrl).origin, `${request.protocol}://${request.headers.host}`]);
    if (!allowed.has(origin)) return false;
  } else if (origin === 'null') {
    return false;
  }
  const binding = bindingOf(request);
  const field = (request.body as Record<string, unknown> | undefined)?.[CSRF_FIELD];
  if (binding === null || typeof field !== 'string') return false;
  return safeEqual(macOf(request)(`csrf ${binding}`), field);
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every POST of the pages (any method that may change state) is checked here, before its route runs, so no form can
 * be added without the check. Routes that also check keep their own wording; a forgery stops here first.
 */
export function refuseForgedPosts(publicUrl: () => string): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  return async (request, reply) => {
    if (SAFE_METHODS.has(request.method) || isCsrfValid(request, publicUrl())) return;
    const message = 'Your form expired or came from another site. Reload the page and try again.';
    if (String(request.headers['content-type'] ?? '').startsWith('application/json')) {
      await reply.status(403).send({ message });
      return;
    }
    const body = html`<div class="card"><h1>Form expired</h1><p class="error" role="alert">${message}</p></div>`;
    await reply.status(403).type('text/html').send(page('Form expired', body));
  };
}
