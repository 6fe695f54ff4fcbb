import type { FastifyInstance, FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import type { Services } from '../services.js';
import type { Mac } from '../crypto/secrets.js';
import { validateSession, type ConsoleSession } from '../sessions/sessions.js';
import { SESSION_COOKIE, isSecureUrl } from './cookies.js';
import { refuseForgedPosts } from './csrf.js';
import { rootSigninRoutes } from './root-signin.js';
import { consoleRoutes } from './console/home.js';
import { securitySettingsRoutes } from './console/security-settings.js';
import { rootSecurityRoutes } from './console/root-security.js';
import { ramConsoleRoutes } from './ram-console/index.js';
import { ramUserSigninRoutes } from './signin/ram-user-routes.js';
import { staticRoutes } from './static.js';
import { portalRoutes } from './portal/routes.js';
import { cloudssoConsoleRoutes } from './cloudsso-console/index.js';
import type { WebContext } from './context.js';


declare module 'fastify' {
  interface FastifyRequest {
    consoleSession?: ConsoleSession | null;
  }
}

/** The browser side: sign-in pages and consoles. Forms are urlencoded; every POST checks CSRF, here, before its route. */
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
  await staticRoutes(app);
  await rootSigninRoutes(app, context);
  await ramUserSigninRoutes(app, context);
  await consoleRoutes(app, context);
  await securitySettingsRoutes(app, context);
  await rootSecurityRoutes(app, context);
  await ramConsoleRoutes(app, context);
  await cloudssoConsoleRoutes(app, context);
  await portalRoutes(app, context);
}
