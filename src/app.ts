import { sweepSamlExchanges } from './saml/exchanges.js';
import Fastify, { type FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { bootstrap, type BootstrapResult } from './bootstrap.js';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { createMac, createSealer, createSecretBox, loadSecretKey } from './crypto/secrets.js';
import { actionRegistry } from './openapi/actions.js';
import { openapiGateway } from './openapi/gateway.js';
import type { Services } from './services.js';
import { openStore } from './store/db.js';
import { webPlugin } from './web/plugin.js';
import { securityHeaders } from './web/security-headers.js';
import { sweepSessions } from './sessions/sessions.js';
import { sweepPortalSessions } from './sessions/portal-sessions.js';
import { sweepFlows } from './signin/flow.js';
import { migrateToLatest } from './store/migrate.js';
import { databaseNonces, redisNonces } from './store/nonces.js';
import { databaseRateLimits, redisRateLimits } from './store/rate-limits.js';
import { startTaskWorker, type TaskWorker } from './cloudsso/task-worker.js';

export interface Gatehouse {
  app: FastifyInstance;
  services: Services;
  bootstrap: BootstrapResult;
  /** This node's CloudSSO task worker (with GATEHOUSE_TASK_WORKER=off it only runs when runDue() is called). */
  taskWorker: TaskWorker;
  close(): Promise<void>;
}

/** Removes what has expired: nonces, rate-limit windows, console and portal sessions, unfinished sign-in flows. */
export async function sweepExpired(services: Services): Promise<void> {
  const now = services.clock.now();
  const db = services.store.db;
  await services.nonces.sweep(now);
  await services.rateLimits.sweep(now);
  await sweepSessions(db, now);
  await sweepPortalSessions(db, now);
  await sweepFlows(db, now);
  await sweepSamlExchanges(db, now);
}

/** The largest request line plus headers accepted (bytes). */
export const MAX_REQUEST_HEAD = 128 * 1024;

/** Composition: config → store → services → HTTP plugins. Tests build one per file and talk to it over HTTP. */
export async function buildGatehouse(config: Config, options: { clock?: Clock } = {}): Promise<Gatehouse> {
  const store = await openStore(config);
  await migrateToLatest(store.db, store.dialect === 'postgres' ? (config.databaseSchema ?? 'public') : undefined);
  const redis = config.redisUrl ? new Redis(config.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 2 }) : undefined;
  const secretKey = loadSecretKey(config.dataDir, config.secretKey);
  const services: Services = {
    config,
    clock: options.clock ?? systemClock,
    store,
    secrets: createSecretBox(secretKey),
    flowSealer: createSealer(secretKey, 'login flow'),
    nonces: redis ? redisNonces(redis, config.redisKeyPrefix) : databaseNonces(store.db),
    rateLimits: redis ? redisRateLimits(redis, config.redisKeyPrefix) : databaseRateLimits(store.db),
    redis,
  };
  const first = await bootstrap(services);

  const app = Fastify({
    logger: { level: config.logLevel },
    trustProxy: false,
    // The SDKs put RPC parameters in the query string, SAML metadata documents (tens of KB) among them: Node's 16 KB
    // default for the request line and headers would refuse those calls with 431.
    http: { maxHeaderSize: MAX_REQUEST_HEAD },
  });
  app.addHook('onSend', securityHeaders(config.publicUrl));
  app.get('/healthz', async () => ({ status: 'ok' }));
  await app.register(openapiGateway, { registry: actionRegistry(), services, notApiCall: (_req, reply) => reply.redirect('/console', 303) });
  await app.register(webPlugin, { services, csrfMac: createMac(secretKey, 'csrf token') });

  const sweeper = setInterval(() => void sweepExpired(services).catch(() => undefined), 60_000);
  sweeper.unref();
  const taskWorker = startTaskWorker(services, { enabled: config.taskWorker });

  return {
    app,
    services,
    bootstrap: first,
    taskWorker,
    async close() {
      clearInterval(sweeper);
      await taskWorker.stop();
      await app.close();
      // Requests that arrive on kept-alive connections after close() has drained the busy ones would find the store
      // gone; end those connections before closing it.
      app.server.closeAllConnections();
      await store.close();
      redis?.disconnect();
    },
  };
}
