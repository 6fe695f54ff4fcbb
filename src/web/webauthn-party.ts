import type { FastifyRequest } from 'fastify';

/** The WebAuthn relying party for this request: our public host, or `localhost` when we are served on loopback. */
export function relyingParty(request: FastifyRequest, publicUrl: string): { rpID: string; origin: string } | null {
  const configured = new URL(publicUrl);
  const host = String(request.headers.host ?? '');
  const origin = `${request.protocol}://${host}`;
  let requested: URL;
  try {
    requested = new URL(origin);
  } catch {
    return null;
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(configured.hostname);
  if (requested.hostname === configured.hostname && requested.port === configured.port) return { rpID: configured.hostname, origin };
  if (loopback && requested.hostname === 'localhost' && requested.port === configured.port) return { rpID: 'localhost', origin };
  return null;
}
