import type { FastifyReply, FastifyRequest, onSendHookHandler } from 'fastify';
import { isSecureUrl } from './cookies.js';

/** A year: browsers keep to https for that long after one visit (RFC 6797 §6.1.1). */
const HSTS_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;

const PAGE_HEADERS: Record<string, string> = {
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
  'referrer-policy': 'same-origin',
};

/**
 * The headers of every answer, pages and OpenAPI alike, set in this one place (registered at the root, so 404s and
 * /healthz get them too):
 * - `X-Content-Type-Options: nosniff` everywhere: a browser never runs an answer as another type than it says.
 * - `Cache-Control: no-store` unless the route chose its own (the static files): API answers carry AccessKey secrets
 *   and STS credentials, pages carry session content and CSRF tokens; no shared or browser cache keeps them.
 * - `Strict-Transport-Security` when the public URL is https. Without includeSubDomains: Gatehouse's host does not
 *   own its subdomains, and pinning them to https for a year is the operator's decision, not ours.
 * - On HTML pages: no framing (clickjacking), a same-origin CSP, and no referrer beyond our origin.
 */
export function securityHeaders(publicUrl: string): onSendHookHandler {
  const hsts = isSecureUrl(publicUrl) ? `max-age=${HSTS_MAX_AGE_SECONDS}` : null;
  // A callback rather than an async hook: it runs on every answer, and has nothing to wait for.
  return (_request: FastifyRequest, reply: FastifyReply, payload, done) => {
    reply.header('x-content-type-options', 'nosniff');
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    if (hsts) reply.header('strict-transport-security', hsts);
    if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
      for (const [name, value] of Object.entries(PAGE_HEADERS)) reply.header(name, value);
    }
    done(null, payload);
  };
}
