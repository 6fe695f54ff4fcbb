import type { FastifyInstance } from 'fastify';
import type { WebContext } from '../context.js';
import { loginProfileRoutes } from './login-profile.js';
import { logonDomainRoutes } from './logon-domains.js';
import { settingsRoutes } from './settings.js';
import { userDetailRoutes } from './user-detail.js';
import { usersRoutes } from './users.js';

/** The RAM console an administrator uses for seed 003: Users, a user's Login Profile, Settings and logon domains. */
export async function ramConsoleRoutes(app: FastifyInstance, web: WebContext): Promise<void> {
  await usersRoutes(app, web);
  await userDetailRoutes(app, web);
  await loginProfileRoutes(app, web);
  await settingsRoutes(app, web);
  await logonDomainRoutes(app, web);
}
