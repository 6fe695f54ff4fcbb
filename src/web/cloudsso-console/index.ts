import type { FastifyInstance } from 'fastify';
import type { WebContext } from '../context.js';
import { accessConfigurationsRoutes } from './access-configurations.js';
import { groupsRoutes } from './groups.js';
import { overviewRoutes } from './overview.js';
import { permissionsRoutes } from './permissions.js';
import { settingsRoutes } from './settings.js';
import { usersRoutes } from './users.js';

/** The CloudSSO console of seed 001's administrator journey, under /cloudsso. */
export async function cloudssoConsoleRoutes(app: FastifyInstance, web: WebContext): Promise<void> {
  await overviewRoutes(app, web);
  await usersRoutes(app, web);
  await groupsRoutes(app, web);
  await accessConfigurationsRoutes(app, web);
  await permissionsRoutes(app, web);
  await settingsRoutes(app, web);
}
