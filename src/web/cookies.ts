import type { CookieSerializeOptions } from '@fastify/cookie';

export const SESSION_COOKIE = 'gh_session';
/** The CloudSSO portal's session, on its directory's path (`/sso/<DirectoryName>`). */
export const PORTAL_COOKIE = 'gh_portal';

export function cookieOptions(secure: boolean, maxAgeSeconds?: number): CookieSerializeOptions {
  return { path: '/', httpOnly: true, sameSite: 'lax', secure, ...(maxAgeSeconds ? { maxAge: maxAgeSeconds } : {}) };
}

export function isSecureUrl(publicUrl: string): boolean {
  return publicUrl.startsWith('https://');
}
