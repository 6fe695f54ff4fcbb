import { sql, type Kysely } from 'kysely';

// Frozen: never import application code here.
// A console session is a RAM identity's (user_id) or a CloudSSO user's (portal_user_id), never both, and sessions are
// looked up by one or the other only when it is set: indexing only the rows that have it spares every session insert
// one index page (a logon's commit wrote ~10 pages on SQLite). The new indexes are made before the old ones go, so
// lookups never lack one, and each step can run again (SQLite runs a migration's DDL outside a transaction).
export async function up(db: Kysely<any>): Promise<void> {
  for (const column of ['user_id', 'portal_user_id'] as const) {
    await db.schema
      .createIndex(`console_sessions_by_${column}`)
      .ifNotExists()
      .on('console_sessions')
      .column(column)
      .where(sql.ref(column), 'is not', null)
      .execute();
  }
  await db.schema.dropIndex('console_sessions_user').ifExists().execute();
  await db.schema.dropIndex('console_sessions_portal_user').ifExists().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('console_sessions_user').ifNotExists().on('console_sessions').column('user_id').execute();
  await db.schema.createIndex('console_sessions_portal_user').ifNotExists().on('console_sessions').column('portal_user_id').execute();
  await db.schema.dropIndex('console_sessions_by_user_id').ifExists().execute();
  await db.schema.dropIndex('console_sessions_by_portal_user_id').ifExists().execute();
}
