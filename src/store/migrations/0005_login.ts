import type { Kysely } from 'kysely';

// Frozen: never import application code here.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('login_profiles')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('ram_users.id').onDelete('cascade'))
    .addColumn('account_id', 'varchar(16)', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull()) // Active | Inactive
    .addColumn('password_hash', 'text') // argon2id PHC string; null: no password (IMS allows a profile without one)
    .addColumn('password_set_at', 'text')
    .addColumn('password_is_initial', 'integer', (c) => c.notNull())
    .addColumn('password_reset_required', 'integer', (c) => c.notNull())
    .addColumn('mfa_bind_required', 'integer', (c) => c.notNull())
    .addColumn('failed_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'text')
    .addColumn('last_login_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('login_profiles_account').on('login_profiles').column('account_id').execute();

  await db.schema
    .createTable('password_history')
    .addColumn('user_id', 'text', (c) => c.notNull().references('ram_users.id').onDelete('cascade'))
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('password_history_user').on('password_history').columns(['user_id', 'created_at']).execute();

  await db.schema
    .createTable('password_policies')
    .addColumn('account_id', 'varchar(16)', (c) => c.primaryKey().references('accounts.id').onDelete('cascade'))
    .addColumn('minimum_password_length', 'integer', (c) => c.notNull())
    .addColumn('require_lowercase_characters', 'integer', (c) => c.notNull())
    .addColumn('require_uppercase_characters', 'integer', (c) => c.notNull())
    .addColumn('require_numbers', 'integer', (c) => c.notNull())
    .addColumn('require_symbols', 'integer', (c) => c.notNull())
    .addColumn('minimum_password_different_character', 'integer', (c) => c.notNull())
    .addColumn('password_not_contain_user_name', 'integer', (c) => c.notNull())
    .addColumn('hard_expire', 'integer', (c) => c.notNull())
    .addColumn('max_password_age', 'integer', (c) => c.notNull())
    .addColumn('password_reuse_prevention', 'integer', (c) => c.notNull())
    .addColumn('initial_password_age', 'integer', (c) => c.notNull())
    .addColumn('max_login_attempts', 'integer', (c) => c.notNull())
    .addColumn('intercept_risk_password_on_api', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('security_preferences')
    .addColumn('account_id', 'varchar(16)', (c) => c.primaryKey().references('accounts.id').onDelete('cascade'))
    .addColumn('allow_user_to_change_password', 'integer', (c) => c.notNull())
    .addColumn('allow_user_to_login_with_passkey', 'integer', (c) => c.notNull())
    .addColumn('allow_user_to_manage_access_keys', 'integer', (c) => c.notNull())
    .addColumn('allow_user_to_manage_mfa_devices', 'integer', (c) => c.notNull())
    .addColumn('allow_user_to_manage_personal_dingtalk', 'integer', (c) => c.notNull())
    .addColumn('allow_user_to_manage_service_credentials', 'integer', (c) => c.notNull())
    .addColumn('allow_user_to_manage_public_keys', 'integer', (c) => c.notNull())
    .addColumn('enable_save_mfa_ticket', 'integer', (c) => c.notNull())
    .addColumn('login_network_masks', 'text', (c) => c.notNull())
    .addColumn('login_session_duration', 'integer', (c) => c.notNull())
    .addColumn('mfa_operation_for_login', 'text', (c) => c.notNull())
    .addColumn('operation_for_risk_login', 'text', (c) => c.notNull())
    .addColumn('max_idle_days_for_access_keys', 'integer', (c) => c.notNull())
    .addColumn('max_idle_days_for_users', 'integer', (c) => c.notNull())
    .addColumn('verification_types', 'text', (c) => c.notNull()) // JSON array of strings
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['security_preferences', 'password_policies', 'password_history', 'login_profiles']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
