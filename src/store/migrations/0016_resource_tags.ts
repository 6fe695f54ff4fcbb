import type { Kysely } from 'kysely';

// Frozen: never import application code here.
// Tags on resources (RAM roles and custom policies first), kept by the resource's id: a deleted resource's tags go
// with it, and a new one of the same name starts without any.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('resource_tags')
    .addColumn('account_id', 'varchar(16)', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('resource_type', 'text', (c) => c.notNull())
    .addColumn('resource_id', 'text', (c) => c.notNull())
    .addColumn('tag_key', 'text', (c) => c.notNull())
    .addColumn('tag_value', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('resource_tags_pk', ['account_id', 'resource_type', 'resource_id', 'tag_key'])
    .execute();
  // "Which resources carry this tag": the Tag filters of the list actions.
  await db.schema.createIndex('resource_tags_by_tag').on('resource_tags').columns(['account_id', 'resource_type', 'tag_key', 'tag_value']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('resource_tags').ifExists().execute();
}
