import { Migrator, sql, type DatabaseIntrospector, type Migration, type MigrationProvider, type TableMetadata } from 'kysely';
import type { DB } from './db.js';
import * as m0001 from './migrations/0001_platform.js';
import * as m0003 from './migrations/0003_mfa.js';
import * as m0004 from './migrations/0004_sessions.js';
import * as m0005 from './migrations/0005_login.js';
import * as m0006 from './migrations/0006_login_flows.js';
import * as m0007 from './migrations/0007_resource_directory.js';
import * as m0010 from './migrations/0010_portal.js';
import * as m0008 from './migrations/0008_cloudsso.js';
import * as m0009 from './migrations/0009_cloudsso_access.js';
import * as m0011 from './migrations/0011_cloudsso_saml.js';
import * as m0012 from './migrations/0012_rate_limits.js';
import * as m0013 from './migrations/0013_group_display_name.js';
import * as m0014 from './migrations/0014_assignments_by_principal.js';
import * as m0015 from './migrations/0015_login_flows_by_user.js';
import * as m0016 from './migrations/0016_resource_tags.js';
import * as m0017 from './migrations/0017_logon_generation.js';
import * as m0018 from './migrations/0018_session_indexes_partial.js';
import * as m0019 from './migrations/0019_root_logon.js';
import * as m0020 from './migrations/0020_portal_logon_generation.js';
import * as m0021 from './migrations/0021_task_finished_by.js';
import * as m0022 from './migrations/0022_source_identity_passing.js';
import * as m0023 from './migrations/0023_saml_exchanges.js';
import * as m0024 from './migrations/0024_saml_sp_keys.js';

// Ordered by name; add new files here. Migrator takes a lock, so several nodes may start at once.
const migrations: Record<string, Migration> = {
  '0001_platform': m0001,
  '0003_mfa': m0003,
  '0004_sessions': m0004,
  '0005_login': m0005,
  '0006_login_flows': m0006,
  '0007_resource_directory': m0007,
  '0010_portal': m0010,
  '0008_cloudsso': m0008,
  '0009_cloudsso_access': m0009,
  '0011_cloudsso_saml': m0011,
  '0012_rate_limits': m0012,
  '0013_group_display_name': m0013,
  '0014_assignments_by_principal': m0014,
  '0015_login_flows_by_user': m0015,
  '0016_resource_tags': m0016,
  '0017_logon_generation': m0017,
  '0018_session_indexes_partial': m0018,
  '0019_root_logon': m0019,
  '0020_portal_logon_generation': m0020,
  '0021_task_finished_by': m0021,
  '0022_source_identity_passing': m0022,
  '0023_saml_exchanges': m0023,
  '0024_saml_sp_keys': m0024,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/**
 * `schema` names the PostgreSQL schema the bookkeeping tables live in. Kysely looks for them by name in every
 * schema it can see unless told which one, so nodes on different schemas of one database would read each other's.
 */
export async function migrateToLatest(db: DB, schema?: string): Promise<void> {
  const migrator = new Migrator({
    db: schema ? withTablesOf(db, schema) : db,
    provider,
    allowUnorderedMigrations: true,
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? '?'} failed: ${String(error)}`, { cause: error });
  }
}

/**
 * The database as the Migrator sees it, its introspection limited to `schema`. Kysely's own lists the tables of
 * every schema and calls has_schema_privilege() on each schema's name, which fails ("schema … does not exist") when
 * another schema of the database is dropped during the query: a fresh node would refuse to start because some
 * unrelated schema went away. The Migrator only asks whether its two bookkeeping tables exist.
 */
function withTablesOf(db: DB, schema: string): DB {
  const introspection: DatabaseIntrospector = {
    getSchemas: async () => [{ name: schema }],
    getMetadata: async () => ({ tables: await introspection.getTables() }),
    async getTables(): Promise<TableMetadata[]> {
      const { rows } = await sql<{ name: string }>`
        select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = ${schema} and c.relkind in ('r', 'p')`.execute(db);
      return rows.map(({ name }) => ({ name, schema, isView: false, columns: [] }));
    },
  };
  return new Proxy(db, {
    get(target, key) {
      if (key === 'introspection') return introspection;
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
