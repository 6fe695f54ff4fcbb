import type { FastifyRequest } from 'fastify';

/**
 * The origin this request reached us at, when it is one of ours: the public URL's, or `localhost` on the same port
 * when we are served on loopback (browsers treat only `localhost` as a secure context without TLS, and WebAuthn
 * refuses IP addresses). Null for anything else, so a forged Host header gains nothing.
 */
export function trustedOrigin(request: FastifyRequest, publicUrl: string): URL | null {
  const configured = new URL(publicUrl);
  let requested: URL;
  try {
    requested = new URL(`${request.protocol}://${String(request.headers.host ?? '')}`);
  } catch {
    return null;
  }
  if (requested.port !== configured.port || requested.protocol !== configured.protocol) return null;
  if (requested.hostname === configured.hostname) return requested;
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(configured.hostname);
  return loopback && requested.hostname === 'localhost' ? requested : null;
}
