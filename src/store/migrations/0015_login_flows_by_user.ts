import type { Kysely } from 'kysely';

// Frozen: never import application code here.
// An administrator's disable, removal or reset of a user's console logon ends the logons in progress too.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('login_flows_by_user').on('login_flows').column('user_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('login_flows_by_user').execute();
}
