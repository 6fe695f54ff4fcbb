import type { FastifyReply, FastifyRequest } from 'fastify';
import { safeEqual } from '../crypto/secrets.js';
import { randomBytesPooled } from '../crypto/random.js';
import { cookieOptions } from './cookies.js';

export const CSRF_COOKIE = 'gh_csrf';
export const CSRF_FIELD = '_csrf';

/**
 * Double-submit token: a random value in an HttpOnly, SameSite cookie that every form repeats in a hidden field.
 * A cross-site page can neither read the cookie nor set it, so it cannot forge the pair.
 */
export function csrfToken(request: FastifyRequest, reply: FastifyReply, secure: boolean): string {
  const existing = request.cookies[CSRF_COOKIE];
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const token = randomBytesPooled(32).toString('base64url');
  reply.setCookie(CSRF_COOKIE, token, cookieOptions(secure));
  request.cookies[CSRF_COOKIE] = token;
  return token;
}

/** True when the form's token matches the cookie and the request did not come from another origin. */
export function isCsrfValid(request: FastifyRequest, publicUrl: string): boolean {
  const origin = request.headers.origin;
  if (origin && origin !== 'null') {
    const allowed = new Set([new URL(publicUrl).origin, `${request.protocol}://${request.headers.host}`]);
    if (!allowed.has(origin)) return false;
  } else if (origin === 'null') {
    return false;
  }
  const cookie = request.cookies[CSRF_COOKIE];
  const field = (request.body as Record<string, unknown> | undefined)?.[CSRF_FIELD];
  return typeof cookie === 'string' && typeof field === 'string' && cookie.length > 0 && safeEqual(cookie, field);
}
