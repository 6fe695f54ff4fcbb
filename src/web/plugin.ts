import type { FastifyInstance, FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import type { Services } from '../services.js';
import type { Mac } from '../crypto/secrets.js';
import { validateSession, type ConsoleSession } from '../sessions/sessions.js';
import { SESSION_COOKIE, isSecureUrl } from './cookies.js';
import { refuseForgedPosts } from './csrf.js';
import { rootSignin } from './root-signin.js';
import { consoleArea } from './console/index.js';
import { ramConsole } from './ram-console/index.js';
import { ramUserSignin } from './signin/ram-user-routes.js';
import { staticFiles } from './static.js';
import { portal } from './portal/routes.js';
import { cloudssoConsole } from './cloudsso-console/index.js';
import type { WebContext } from './context.js';


declare module 'fastify' {
  interface FastifyRequest {
    consoleSession?: ConsoleSession | null;
  }
}

/**
 * The browser side: sign-in pages and consoles. Forms are urlencoded; every POST checks CSRF, here, before its route.
 * The cookie and form parsers, the csrfMac decoration and the CSRF hook are set up before any area is registered, so
 * every area's encapsulated plugin inherits them.
 */
export async function webPlugin(app: FastifyInstance, options: { services: Services; csrfMac: Mac }): Promise<void> {
  const { services } = options;
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: 64 * 1024 });
  const context: WebContext = {
    services,
    secure: isSecureUrl(services.config.publicUrl),
    async currentSession(request) {
      if (request.consoleSession !== undefined) return request.consoleSession;
      const token = request.cookies[SESSION_COOKIE];
      request.consoleSession = token ? await validateSession(services.store.db, token, services.clock.now()) : null;
      return request.consoleSession;
    },
  };
  app.decorateRequest('csrfMac', { getter: () => options.csrfMac });
  app.addHook('preHandler', refuseForgedPosts(() => services.config.publicUrl));
  await app.register(staticFiles, { prefix: '/static' });
  await app.register(rootSignin, { context });
  await app.register(ramUserSignin, { context });
  await app.register(consoleArea, { prefix: '/console', context });
  await app.register(ramConsole, { prefix: '/ram', context });
  await app.register(cloudssoConsole, { prefix: '/cloudsso', context });
  await app.register(portal, { prefix: '/sso', context });
}
