import type { FastifyRequest } from 'fastify';
import type { Services } from '../services.js';
import type { ConsoleSession } from '../sessions/sessions.js';

/** What every web area is handed: the services, whether cookies are Secure, and the caller's console session. */
export interface WebContext {
  services: Services;
  secure: boolean;
  currentSession(request: FastifyRequest): Promise<ConsoleSession | null>;
}
