import type { Kysely } from 'kysely';

// Frozen: never import application code here.
// A logon in progress travels sealed in its cookie, so an administrator's change can no longer end it by deleting a
// row. Instead the user counts such changes: a logon carries the count it checked the password under and cannot
// finish under another. The count is the user's, not the login profile's, so removing console logon and enabling it
// again does not start it over. The flows table keeps only the flows that ended (so none ends twice), and nothing
// looks those up by user any more.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('ram_users').addColumn('logon_generation', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.dropIndex('login_flows_by_user').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('login_flows_by_user').on('login_flows').column('user_id').execute();
  await db.schema.alterTable('ram_users').dropColumn('logon_generation').execute();
}
