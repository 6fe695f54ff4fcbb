import type { FastifyPluginAsync } from 'fastify';
import type { WebContext } from '../context.js';
import { accessConfigurationsRoutes } from './access-configurations.js';
import { groupsRoutes } from './groups.js';
import { overviewRoutes } from './overview.js';
import { permissionsRoutes } from './permissions.js';
import { settingsRoutes } from './settings.js';
import { usersRoutes } from './users.js';

/** The CloudSSO console of seed 001's administrator journey (under /cloudsso). */
export const cloudssoConsole: FastifyPluginAsync<{ context: WebContext }> = async (app, { context }) => {
  await overviewRoutes(app, context);
  await usersRoutes(app, context);
  await groupsRoutes(app, context);
  await accessConfigurationsRoutes(app, context);
  await permissionsRoutes(app, context);
  await settingsRoutes(app, context);
};
