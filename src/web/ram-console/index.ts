import type { FastifyPluginAsync } from 'fastify';
import type { WebContext } from '../context.js';
import { loginProfileRoutes } from './login-profile.js';
import { logonDomainRoutes } from './logon-domains.js';
import { settingsRoutes } from './settings.js';
import { userDetailRoutes } from './user-detail.js';
import { usersRoutes } from './users.js';

/** The RAM console an administrator uses for seed 003: Users, a user's Login Profile, Settings and logon domains (under /ram). */
export const ramConsole: FastifyPluginAsync<{ context: WebContext }> = async (app, { context }) => {
  await usersRoutes(app, context);
  await userDetailRoutes(app, context);
  await loginProfileRoutes(app, context);
  await settingsRoutes(app, context);
  await logonDomainRoutes(app, context);
};
