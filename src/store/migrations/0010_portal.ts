import type { Kysely } from 'kysely';

// Frozen: never import application code here.
// The CloudSSO user portal's sessions, portal sign-in flows, and console sessions of roles entered from the portal.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('portal_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey()) // sha256 of the token in the browser's cookie
    .addColumn('directory_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('mfa_present', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('portal_sessions_user').on('portal_sessions').column('user_id').execute();
  await db.schema.createIndex('portal_sessions_expiry').on('portal_sessions').column('expires_at').execute();

  await db.schema.alterTable('login_flows').addColumn('directory_id', 'text').execute();

  // A console session entered as a role points at the STS session whose permissions it carries.
  await db.schema.alterTable('console_sessions').addColumn('sts_access_key_id', 'text').execute();
  await db.schema.alterTable('console_sessions').addColumn('portal_user_id', 'text').execute();
  await db.schema.createIndex('console_sessions_portal_user').on('console_sessions').column('portal_user_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('console_sessions_portal_user').ifExists().execute();
  await db.schema.alterTable('console_sessions').dropColumn('portal_user_id').execute();
  await db.schema.alterTable('console_sessions').dropColumn('sts_access_key_id').execute();
  await db.schema.alterTable('login_flows').dropColumn('directory_id').execute();
  await db.schema.dropTable('portal_sessions').ifExists().execute();
}
