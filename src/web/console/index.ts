import type { FastifyPluginAsync } from 'fastify';
import type { WebContext } from '../context.js';
import { homeRoutes } from './home.js';
import { rootSecurityRoutes } from './root-security.js';
import { securitySettingsRoutes } from './security-settings.js';

/** The console pages (under /console): the home with the identity panel, a RAM user's and root's security settings. */
export const consoleArea: FastifyPluginAsync<{ context: WebContext }> = async (app, { context }) => {
  await homeRoutes(app, context);
  await rootSecurityRoutes(app, context);
  await securitySettingsRoutes(app, context);
};
