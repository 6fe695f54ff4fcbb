import type { FastifyRequest } from 'fastify';
import type { Services } from '../services.js';

export const THROTTLED_MESSAGE = 'Too many logon attempts from your network. Wait a minute and try again.';

/**
 * Per-source-address cap on password attempts across every logon page (RAM user, root, portal), shared by all nodes.
 * It complements the per-user lockout: guessing one password for many users is slowed down too.
 */
export async function isThrottled(services: Services, request: FastifyRequest): Promise<boolean> {
  const limit = services.config.logonRateLimit;
  if (limit <= 0) return false;
  return !(await services.rateLimits.consume(`logon:${request.ip}`, limit, 60, services.clock.now()));
}
