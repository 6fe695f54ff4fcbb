import type { Kysely } from 'kysely';

// Frozen: never import application code here.
// The resource directory of a management account: the directory, its folder tree, and its member accounts
// (the management account itself included, as a CloudAccount in the Root folder).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('rd_directories')
    .addColumn('id', 'text', (c) => c.primaryKey()) // rd-…
    .addColumn('management_account_id', 'varchar(16)', (c) => c.notNull().unique().references('accounts.id').onDelete('cascade'))
    .addColumn('root_folder_id', 'text', (c) => c.notNull()) // r-…
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('rd_folders')
    .addColumn('id', 'text', (c) => c.primaryKey()) // r-… (Root) or fd-…
    .addColumn('directory_id', 'text', (c) => c.notNull().references('rd_directories.id').onDelete('cascade'))
    .addColumn('parent_id', 'text', (c) => c.references('rd_folders.id').onDelete('cascade')) // null for Root
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('depth', 'integer', (c) => c.notNull()) // Root 0; at most 5 levels below it
    .addColumn('path', 'text', (c) => c.notNull()) // RDPath: rd-…/r-…/fd-…
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  // Names are unique among siblings; also the listing order of a parent's folders.
  await db.schema.createIndex('rd_folders_parent_name').on('rd_folders').columns(['parent_id', 'name']).unique().execute();
  await db.schema.createIndex('rd_folders_directory').on('rd_folders').column('directory_id').execute();

  await db.schema
    .createTable('rd_accounts')
    .addColumn('account_id', 'varchar(16)', (c) => c.primaryKey().references('accounts.id').onDelete('cascade'))
    .addColumn('directory_id', 'text', (c) => c.notNull().references('rd_directories.id').onDelete('cascade'))
    .addColumn('folder_id', 'text', (c) => c.notNull().references('rd_folders.id'))
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('account_name', 'text', (c) => c.notNull().unique())
    .addColumn('join_method', 'text', (c) => c.notNull()) // created | invited
    .addColumn('type', 'text', (c) => c.notNull()) // ResourceAccount | CloudAccount
    .addColumn('status', 'text', (c) => c.notNull()) // CreateSuccess
    .addColumn('join_time', 'text', (c) => c.notNull())
    .addColumn('modify_time', 'text', (c) => c.notNull())
    .execute();
  // Display names are unique in a directory; the listing order is by join time.
  await db.schema.createIndex('rd_accounts_display_name').on('rd_accounts').columns(['directory_id', 'display_name']).unique().execute();
  await db.schema.createIndex('rd_accounts_listing').on('rd_accounts').columns(['directory_id', 'join_time', 'account_id']).execute();
  await db.schema.createIndex('rd_accounts_folder').on('rd_accounts').column('folder_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('rd_accounts').execute();
  await db.schema.dropTable('rd_folders').execute();
  await db.schema.dropTable('rd_directories').execute();
}
