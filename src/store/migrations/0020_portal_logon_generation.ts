import type { Kysely } from 'kysely';

// Frozen: never import application code here.
// A CloudSSO user's credential change (a password reset or change, an MFA device removed) ends the user's portal
// sign-ins in progress as a RAM user's does (0017): the user counts such changes, a sign-in carries the count it
// checked the password under and cannot finish under another. Log On as RAM user finds the RAM user by the
// provisioning record of that user in that account, so the records are indexed that way.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('cloudsso_users').addColumn('logon_generation', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema
    .createIndex('cloudsso_provisioned_ram_users_by_user')
    .ifNotExists()
    .on('cloudsso_provisioned_ram_users')
    .columns(['user_id', 'account_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('cloudsso_provisioned_ram_users_by_user').ifExists().execute();
  await db.schema.alterTable('cloudsso_users').dropColumn('logon_generation').execute();
}
