import { resolve } from 'node:path';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  publicUrl: string;
  /** Base of the CloudSSO user portal's Login URL (`<base>/<DirectoryName>`); default `<publicUrl>/sso`. */
  portalUrl?: string;
  databaseUrl?: string;
  /** PostgreSQL schema to use (tests give each run its own). */
  databaseSchema?: string;
  redisUrl?: string;
  /** Prefix of every Redis key, so deployments (or test runs) sharing one Redis keep their nonces and counters apart. */
  redisKeyPrefix: string;
  rootAccessKeyId?: string;
  rootAccessKeySecret?: string;
  rootPassword?: string;
  /** 32-byte key (base64) for sealing secrets at rest; else kept in the data dir. */
  secretKey?: string;
  region: string;
  /** Password attempts allowed per source address and minute, across all logon pages; 0 turns the limit off. */
  logonRateLimit: number;
  logLevel: string;
  /** Run the CloudSSO task worker on this node (GATEHOUSE_TASK_WORKER=off leaves tasks to other nodes). */
  taskWorker: boolean;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 8080);
  const host = env.HOST ?? '127.0.0.1';
  return {
    port,
    host,
    dataDir: resolve(env.GATEHOUSE_DATA_DIR ?? './data'),
    publicUrl: (env.GATEHOUSE_PUBLIC_URL ?? `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`).replace(/\/+$/, ''),
    portalUrl: env.GATEHOUSE_PORTAL_URL ? env.GATEHOUSE_PORTAL_URL.replace(/\/+$/, '') : undefined,
    databaseUrl: env.DATABASE_URL || undefined,
    databaseSchema: env.GATEHOUSE_DATABASE_SCHEMA || undefined,
    redisUrl: env.REDIS_URL || undefined,
    redisKeyPrefix: env.GATEHOUSE_REDIS_PREFIX || 'gatehouse:',
    rootAccessKeyId: env.GATEHOUSE_ROOT_ACCESS_KEY_ID || undefined,
    rootAccessKeySecret: env.GATEHOUSE_ROOT_ACCESS_KEY_SECRET || undefined,
    rootPassword: env.GATEHOUSE_ROOT_PASSWORD || undefined,
    secretKey: env.GATEHOUSE_SECRET_KEY || undefined,
    region: env.GATEHOUSE_REGION ?? 'cn-hangzhou',
    logonRateLimit: Number(env.GATEHOUSE_LOGON_RATE_LIMIT ?? 60),
    logLevel: env.LOG_LEVEL ?? 'warn',
    taskWorker: env.GATEHOUSE_TASK_WORKER !== 'off',
  };
}
