import { join, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { createHash } from 'node:crypto';
import { Kysely, PostgresDialect, SqliteDialect, type PostgresPool, type PostgresPoolClient, type Transaction } from 'kysely';
import type { Database } from './schema.js';
import { createPrivateFile, ensurePrivateDirectory, restrictFiles } from '../data-dir.js';

export type DB = Kysely<Database>;
export type Tx = Transaction<Database> | Kysely<Database>;

export interface StoreOptions {
  dataDir: string;
  databaseUrl?: string;
  databaseSchema?: string;
}

export interface Store {
  db: DB;
  dialect: 'sqlite' | 'postgres';
  close(): Promise<void>;
}

/** Runs `work` in `tx` when it is a transaction already, else in a new one. */
export function inTransaction<T>(tx: Tx, work: (tx: Transaction<Database>) => Promise<T>): Promise<T> {
  return tx.isTransaction ? work(tx as Transaction<Database>) : (tx as DB).transaction().execute(work);
}

/** Another process holds the SQLite file: an operator's mistake, told in one sentence rather than a stack trace. */
export class DataDirectoryInUse extends Error {}

export async function openStore(options: StoreOptions): Promise<Store> {
  if (options.databaseUrl?.startsWith('postgres')) return openPostgres(options.databaseUrl, options.databaseSchema);
  return openSqlite(options.dataDir);
}

// One connection per SQLite file per process. Several nodes started in one process (the tests do this) share it, so
// Kysely's single-connection queue orders all their work; two connections in one thread would wait on each other's
// locks while holding the event loop.
const sqliteStores = new Map<string, { store: Store; refs: number }>();

function openSqlite(dataDir: string): Store {
  const file = join(resolve(dataDir), 'gatehouse.sqlite');
  const open = sqliteStores.get(file);
  if (open) {
    open.refs++;
    return open.store;
  }
  ensurePrivateDirectory(dataDir);
  createPrivateFile(file);
  restrictFiles([`${file}-wal`, `${file}-shm`]);
  const sqlite = new SQLite(file);
  // The process holds the file's lock for as long as it runs: SQLite serves one node (several nodes share
  // PostgreSQL), and without per-transaction file locking each statement saves its lock and unlock system calls.
  sqlite.pragma('locking_mode = EXCLUSIVE');
  try {
    sqlite.pragma('journal_mode = WAL');
  } catch (error) {
    sqlite.close();
    if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
    throw new DataDirectoryInUse(`${file} is in use by another Gatehouse process. An SQLite data directory serves one process; run several nodes on PostgreSQL (DATABASE_URL).`);
  }
  // An acknowledged write must survive a power loss, not only a killed process: in WAL mode FULL syncs the WAL at
  // every commit (NORMAL syncs only at checkpoints, so the last commits before a power cut could be lost).
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  const statements = withStatementCache(sqlite);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: statements }) });
  sqliteLanes.set(db.getExecutor().adapter, { sqlite, statements });
  const entry = {
    refs: 1,
    store: {
      db,
      dialect: 'sqlite' as const,
      async close() {
        if (--entry.refs > 0) return;
        sqliteStores.delete(file);
        await db.destroy();
      },
    },
  };
  sqliteStores.set(file, entry);
  return entry.store;
}

/** The SQLite connection behind a Kysely instance (and its transactions, which share its adapter). */
export interface SqliteLane {
  sqlite: SQLite.Database;
  statements: { prepare(sql: string): SQLite.Statement };
}

const sqliteLanes = new WeakMap<object, SqliteLane>();

/** For prepared queries: the SQLite connection to run them on directly, when `tx` is on SQLite. */
export function sqliteLaneOf(tx: Tx): SqliteLane | undefined {
  return sqliteLanes.get(tx.getExecutor().adapter);
}

export function isPostgres(tx: Tx): boolean {
  return !sqliteLanes.has(tx.getExecutor().adapter);
}

/**
 * better-sqlite3 compiles a statement on every prepare(), and Kysely prepares each query it runs; the same few
 * hundred SQL texts come back all the time, so compiled statements are kept. Kysely runs them with all()/run(),
 * never leaving one mid-iteration, so reuse is safe.
 */
function withStatementCache(sqlite: SQLite.Database): { prepare(sql: string): SQLite.Statement; close(): void } {
  const statements = new Map<string, SQLite.Statement>();
  return {
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (!statement) {
        if (statements.size >= 2000) statements.clear();
        statement = sqlite.prepare(sql);
        statements.set(sql, statement);
      }
      return statement;
    },
    close: () => sqlite.close(),
  };
}

async function openPostgres(url: string, schema?: string): Promise<Store> {
  if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
  if (schema) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } catch (error) {
      // IF NOT EXISTS is not atomic: of two nodes creating the schema at the same moment, one meets the other's row
      // in pg_namespace (unique_violation). The schema exists either way, which is all that is asked.
      if ((error as { code?: string }).code !== '23505') throw error;
    } finally {
      await admin.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    // A connection is a PostgreSQL process, whose start (fork, authentication, catalog caches, statements prepared
    // again) costs far more than keeping it: idle ones are kept ten minutes (pg's default is ten seconds, and its
    // pool hands out the most recently used first, so under steady load the rest time out and reopen in every burst).
    idleTimeoutMillis: 10 * 60 * 1000,
    // Idle connections do not keep the process alive on their own (the HTTP server does).
    allowExitOnIdle: true,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: withNamedStatements(pool) }) });
  return { db, dialect: 'postgres', close: () => db.destroy() };
}

/** SQL texts that run as named statements on PostgreSQL (prepared by the server once per connection). */
const namedStatements = new Map<string, string>();

/**
 * Marks a query text to run as a named statement on PostgreSQL: its shape never changes, so parsing and planning it
 * again is waste. Not a text with `*`: a named `select *` fails ("cached plan must not change result type") on every
 * running node once another node's migration adds a column. Named statements need session pooling (PgBouncer in
 * transaction mode only from 1.21, with max_prepared_statements).
 */
export function nameStatement(sql: string): void {
  if (sql.includes('*') || namedStatements.has(sql)) return;
  namedStatements.set(sql, `gh_${createHash('sha256').update(sql).digest('hex').slice(0, 24)}`);
}

/**
 * The pool Kysely sees: the same connections, but a query whose text was named runs as pg's named statement, so
 * the server parses and plans it once per connection instead of at every call (its CPU is the same two cores).
 */
function withNamedStatements(pool: pg.Pool): PostgresPool {
  return {
    async connect() {
      const client = await pool.connect();
      const query = (sql: unknown, parameters?: ReadonlyArray<unknown>): unknown => {
        const name = typeof sql === 'string' ? namedStatements.get(sql) : undefined;
        if (name) return client.query({ name, text: sql as string, values: parameters as unknown[] });
        return typeof sql === 'string' ? client.query(sql, parameters as unknown[]) : client.query(sql as never);
      };
      return { query, release: (destroy?: boolean) => client.release(destroy) } as PostgresPoolClient;
    },
    end: () => pool.end(),
  };
}
