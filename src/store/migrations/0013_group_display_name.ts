import type { Kysely } from 'kysely';

// Frozen: never import application code here.
// IMS 2019-08-15 groups carry a DisplayName; RAM 2015-05-01 ones do not show it. Empty means "the group's name".
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('ram_groups').addColumn('display_name', 'text', (c) => c.notNull().defaultTo('')).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('ram_groups').dropColumn('display_name').execute();
}
