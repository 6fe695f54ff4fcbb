import type { FastifyRequest } from 'fastify';
import { trustedOrigin } from './origin.js';

/** The WebAuthn relying party for this request: the host it reached us at, if that is one of ours. */
export function relyingParty(request: FastifyRequest, publicUrl: string): { rpID: string; origin: string } | null {
  const origin = trustedOrigin(request, publicUrl);
  return origin ? { rpID: origin.hostname, origin: origin.origin } : null;
}
