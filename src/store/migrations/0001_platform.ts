import type { Kysely } from 'kysely';

// Frozen: never import application code here.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('accounts')
    .addColumn('id', 'varchar(16)', (c) => c.primaryKey())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('alias', 'text', (c) => c.notNull().unique())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('root_password_hash', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('account_domains')
    .addColumn('account_id', 'varchar(16)', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('domain_name', 'text', (c) => c.notNull().primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('account_domains_account').on('account_domains').column('account_id').execute();

  await db.schema
    .createTable('ram_users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'varchar(16)', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('mobile_phone', 'text', (c) => c.notNull())
    .addColumn('comments', 'text', (c) => c.notNull())
    .addColumn('provision_type', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('last_login_at', 'text')
    .addUniqueConstraint('ram_users_account_name', ['account_id', 'name_key'])
    .execute();

  await db.schema
    .createTable('ram_groups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'varchar(16)', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('comments', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('ram_groups_account_name', ['account_id', 'name_key'])
    .execute();

  await db.schema
    .createTable('ram_group_members')
    .addColumn('group_id', 'text', (c) => c.notNull().references('ram_groups.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('ram_users.id').onDelete('cascade'))
    .addColumn('joined_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('ram_group_members_pk', ['group_id', 'user_id'])
    .execute();
  await db.schema.createIndex('ram_group_members_user').on('ram_group_members').column('user_id').execute();

  await db.schema
    .createTable('ram_roles')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'varchar(16)', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('assume_role_policy_document', 'text', (c) => c.notNull())
    .addColumn('max_session_duration', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('ram_roles_account_name', ['account_id', 'name_key'])
    .execute();

  await db.schema
    .createTable('ram_policies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'varchar(16)', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('default_version', 'text', (c) => c.notNull())
    .addColumn('next_version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('ram_policies_account_name', ['account_id', 'name_key'])
    .execute();

  await db.schema
    .createTable('ram_policy_versions')
    .addColumn('policy_id', 'text', (c) => c.notNull().references('ram_policies.id').onDelete('cascade'))
    .addColumn('version_id', 'text', (c) => c.notNull())
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('ram_policy_versions_pk', ['policy_id', 'version_id'])
    .execute();

  await db.schema
    .createTable('ram_policy_attachments')
    .addColumn('account_id', 'varchar(16)', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('principal_type', 'text', (c) => c.notNull())
    .addColumn('principal_id', 'text', (c) => c.notNull())
    .addColumn('policy_type', 'text', (c) => c.notNull())
    .addColumn('policy_name', 'text', (c) => c.notNull())
    .addColumn('attached_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('ram_policy_attachments_pk', ['principal_type', 'principal_id', 'policy_type', 'policy_name'])
    .execute();
  await db.schema
    .createIndex('ram_policy_attachments_policy')
    .on('ram_policy_attachments')
    .columns(['account_id', 'policy_type', 'policy_name'])
    .execute();

  await db.schema
    .createTable('access_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'varchar(16)', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.references('ram_users.id').onDelete('cascade'))
    .addColumn('secret_sealed', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .execute();
  await db.schema.createIndex('access_keys_user').on('access_keys').columns(['account_id', 'user_id']).execute();

  await db.schema
    .createTable('sts_sessions')
    .addColumn('access_key_id', 'text', (c) => c.primaryKey())
    .addColumn('secret_sealed', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('account_id', 'varchar(16)', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('role_id', 'text', (c) => c.notNull().references('ram_roles.id').onDelete('cascade'))
    .addColumn('role_name', 'text', (c) => c.notNull())
    .addColumn('session_name', 'text', (c) => c.notNull())
    .addColumn('session_policy', 'text')
    .addColumn('source_identity', 'text')
    .addColumn('caller_arn', 'text', (c) => c.notNull())
    .addColumn('console_session_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sts_sessions_expiry').on('sts_sessions').column('expires_at').execute();
  await db.schema.createIndex('sts_sessions_console').on('sts_sessions').column('console_session_id').execute();

  await db.schema
    .createTable('nonces')
    .addColumn('nonce', 'text', (c) => c.primaryKey())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('nonces_expiry').on('nonces').column('expires_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'nonces', 'sts_sessions', 'access_keys', 'ram_policy_attachments', 'ram_policy_versions', 'ram_policies',
    'ram_roles', 'ram_group_members', 'ram_groups', 'ram_users', 'account_domains', 'accounts',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
