import type { Kysely } from 'kysely';

// Frozen: never import application code here.
// The CloudSSO directory of a management account: the service switch, the directory with its settings,
// users, groups, memberships, users' MFA devices, password history and SCIM credentials.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('cloudsso_services')
    .addColumn('account_id', 'varchar(16)', (c) => c.primaryKey().references('accounts.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull()) // Enabled | Disabled
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('cloudsso_directories')
    .addColumn('id', 'text', (c) => c.primaryKey()) // d-…
    .addColumn('management_account_id', 'varchar(16)', (c) => c.notNull().unique().references('accounts.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull().unique()) // lower case by its rules: globally unique as is
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('mfa_authentication_status', 'text', (c) => c.notNull()) // Enabled | Disabled
    .addColumn('mfa_authentication_settings', 'text', (c) => c.notNull()) // Enabled | Byuser | Disabled
    .addColumn('operation_for_risk_login', 'text', (c) => c.notNull()) // Autonomous | EnforceVerify
    .addColumn('login_network_masks', 'text', (c) => c.notNull())
    .addColumn('allow_user_to_get_credentials', 'integer', (c) => c.notNull())
    .addColumn('scim_sync_status', 'text', (c) => c.notNull()) // Enabled | Disabled
    .addColumn('min_password_length', 'integer', (c) => c.notNull())
    .addColumn('min_password_different_chars', 'integer', (c) => c.notNull())
    .addColumn('password_not_contain_username', 'integer', (c) => c.notNull())
    .addColumn('max_password_age', 'integer', (c) => c.notNull())
    .addColumn('password_reuse_prevention', 'integer', (c) => c.notNull())
    .addColumn('max_login_attempts', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('cloudsso_users')
    .addColumn('id', 'text', (c) => c.primaryKey()) // u-…
    .addColumn('directory_id', 'text', (c) => c.notNull().references('cloudsso_directories.id').onDelete('cascade'))
    .addColumn('user_name', 'text', (c) => c.notNull())
    .addColumn('user_name_key', 'text', (c) => c.notNull()) // lower case: unique regardless of case, and the paging key
    .addColumn('first_name', 'text', (c) => c.notNull())
    .addColumn('last_name', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('email_key', 'text') // lower case, null when no email: emails are unique in a directory
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // Enabled | Disabled
    .addColumn('provision_type', 'text', (c) => c.notNull()) // Manual | Synchronized
    .addColumn('external_id', 'text') // SCIM externalId
    .addColumn('external_issuer', 'text')
    .addColumn('mfa_authentication_settings', 'text', (c) => c.notNull()) // Enabled | Disabled (used when the directory says Byuser)
    .addColumn('password_hash', 'text') // argon2id PHC string
    .addColumn('password_set_at', 'text')
    .addColumn('password_reset_required', 'integer', (c) => c.notNull())
    .addColumn('failed_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'text')
    .addColumn('last_login_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('cloudsso_users_name').on('cloudsso_users').columns(['directory_id', 'user_name_key']).unique().execute();
  await db.schema.createIndex('cloudsso_users_email').on('cloudsso_users').columns(['directory_id', 'email_key']).unique().execute();
  await db.schema.createIndex('cloudsso_users_external').on('cloudsso_users').columns(['directory_id', 'external_id']).execute();

  await db.schema
    .createTable('cloudsso_password_history')
    .addColumn('user_id', 'text', (c) => c.notNull().references('cloudsso_users.id').onDelete('cascade'))
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('cloudsso_password_history_user').on('cloudsso_password_history').columns(['user_id', 'created_at']).execute();

  await db.schema
    .createTable('cloudsso_groups')
    .addColumn('id', 'text', (c) => c.primaryKey()) // g-…
    .addColumn('directory_id', 'text', (c) => c.notNull().references('cloudsso_directories.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('provision_type', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('cloudsso_groups_name').on('cloudsso_groups').columns(['directory_id', 'name_key']).unique().execute();

  await db.schema
    .createTable('cloudsso_group_members')
    .addColumn('group_id', 'text', (c) => c.notNull().references('cloudsso_groups.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('cloudsso_users.id').onDelete('cascade'))
    .addColumn('joined_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('cloudsso_group_members_pk', ['group_id', 'user_id'])
    .execute();
  await db.schema.createIndex('cloudsso_group_members_user').on('cloudsso_group_members').column('user_id').execute();

  await db.schema
    .createTable('cloudsso_mfa_devices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('cloudsso_users.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('secret_sealed', 'text', (c) => c.notNull())
    .addColumn('last_used_step', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('cloudsso_mfa_devices_user').on('cloudsso_mfa_devices').column('user_id').execute();

  await db.schema
    .createTable('cloudsso_scim_credentials')
    .addColumn('id', 'text', (c) => c.primaryKey()) // scimcred-…
    .addColumn('directory_id', 'text', (c) => c.notNull().references('cloudsso_directories.id').onDelete('cascade'))
    .addColumn('secret_hash', 'text', (c) => c.notNull().unique()) // sha256 hex of the bearer token
    .addColumn('status', 'text', (c) => c.notNull()) // Enabled | Disabled
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expire_time', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('cloudsso_scim_credentials_directory').on('cloudsso_scim_credentials').column('directory_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'cloudsso_scim_credentials',
    'cloudsso_mfa_devices',
    'cloudsso_group_members',
    'cloudsso_groups',
    'cloudsso_password_history',
    'cloudsso_users',
    'cloudsso_directories',
    'cloudsso_services',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
