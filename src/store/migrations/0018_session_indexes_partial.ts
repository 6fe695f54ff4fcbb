import { sql, type Kysely } from 'kysely';

// Frozen: never import application code here.
// A console session is a RAM identity's (user_id) or a CloudSSO user's (portal_user_id), never both, and sessions are
// looked up by one or the other only when it is set: indexing only the rows that have it spares every session insert
// one index page (a logon's commit wrote ~10 pages on SQLite).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('console_sessions_user').execute();
  await db.schema.createIndex('console_sessions_user').on('console_sessions').column('user_id').where(sql.ref('user_id'), 'is not', null).execute();
  await db.schema.dropIndex('console_sessions_portal_user').execute();
  await db.schema
    .createIndex('console_sessions_portal_user')
    .on('console_sessions')
    .column('portal_user_id')
    .where(sql.ref('portal_user_id'), 'is not', null)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('console_sessions_user').execute();
  await db.schema.createIndex('console_sessions_user').on('console_sessions').column('user_id').execute();
  await db.schema.dropIndex('console_sessions_portal_user').execute();
  await db.schema.createIndex('console_sessions_portal_user').on('console_sessions').column('portal_user_id').execute();
}
