import { sql, type Kysely } from 'kysely';

// Frozen: never import application code here.
// CloudSSO access: access configurations and their policies, provisionings in member accounts, assignments,
// asynchronous tasks (leased by one worker at a time), RAM user provisioning and its events, and the RAM SAML
// providers of each account (the RAM schema had none; provisioning creates `AliyunReservedSSO-<DirectoryId>`).
// No foreign keys to the directory tables of 0007/0008: rows are removed by the domain code that owns them.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('ram_saml_providers')
    .addColumn('account_id', 'varchar(16)', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('metadata_document', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('ram_saml_providers_pk', ['account_id', 'name_key'])
    .execute();

  await db.schema
    .createTable('cloudsso_access_configurations')
    .addColumn('id', 'text', (c) => c.primaryKey()) // ac-…
    .addColumn('directory_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('session_duration', 'integer', (c) => c.notNull())
    .addColumn('relay_state', 'text', (c) => c.notNull())
    .addColumn('reprovision_required', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('cloudsso_access_configurations_name')
    .on('cloudsso_access_configurations')
    .columns(['directory_id', 'name_key'])
    .unique()
    .execute();

  await db.schema
    .createTable('cloudsso_ac_policies')
    .addColumn('access_configuration_id', 'text', (c) => c.notNull().references('cloudsso_access_configurations.id').onDelete('cascade'))
    .addColumn('policy_type', 'text', (c) => c.notNull()) // System | Inline
    .addColumn('policy_name', 'text', (c) => c.notNull())
    .addColumn('policy_name_key', 'text', (c) => c.notNull())
    .addColumn('document', 'text') // Inline only
    .addColumn('added_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('cloudsso_ac_policies_pk', ['access_configuration_id', 'policy_type', 'policy_name_key'])
    .execute();

  await db.schema
    .createTable('cloudsso_provisionings')
    .addColumn('access_configuration_id', 'text', (c) => c.notNull())
    .addColumn('directory_id', 'text', (c) => c.notNull())
    .addColumn('account_id', 'varchar(16)', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // Provisioned | ReprovisionRequired | DeprovisionFailed
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('cloudsso_provisionings_pk', ['access_configuration_id', 'account_id'])
    .execute();
  await db.schema.createIndex('cloudsso_provisionings_account').on('cloudsso_provisionings').columns(['account_id', 'directory_id']).execute();

  await db.schema
    .createTable('cloudsso_assignments')
    .addColumn('id', 'text', (c) => c.primaryKey()) // paging key, with created_at
    .addColumn('directory_id', 'text', (c) => c.notNull())
    .addColumn('access_configuration_id', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text', (c) => c.notNull()) // RD-Account
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('principal_type', 'text', (c) => c.notNull()) // User | Group
    .addColumn('principal_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('cloudsso_assignments_unique')
    .on('cloudsso_assignments')
    .columns(['access_configuration_id', 'target_id', 'principal_type', 'principal_id'])
    .unique()
    .execute();
  await db.schema
    .createIndex('cloudsso_assignments_principal')
    .on('cloudsso_assignments')
    .columns(['directory_id', 'principal_type', 'principal_id'])
    .execute();
  await db.schema.createIndex('cloudsso_assignments_target').on('cloudsso_assignments').columns(['target_id']).execute();
  await db.schema.createIndex('cloudsso_assignments_list').on('cloudsso_assignments').columns(['directory_id', 'created_at', 'id']).execute();

  await db.schema
    .createTable('cloudsso_tasks')
    .addColumn('id', 'text', (c) => c.primaryKey()) // t-…
    .addColumn('directory_id', 'text', (c) => c.notNull())
    .addColumn('task_type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // InProgress | Success | Failed
    .addColumn('access_configuration_id', 'text', (c) => c.notNull())
    .addColumn('access_configuration_name', 'text', (c) => c.notNull())
    .addColumn('principal_type', 'text')
    .addColumn('principal_id', 'text')
    .addColumn('principal_name', 'text')
    .addColumn('target_type', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('target_name', 'text', (c) => c.notNull())
    .addColumn('target_path', 'text', (c) => c.notNull())
    .addColumn('target_path_name', 'text', (c) => c.notNull())
    .addColumn('failure_reason', 'text')
    .addColumn('start_time', 'text', (c) => c.notNull())
    .addColumn('end_time', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'text')
    .addColumn('payload', 'text', (c) => c.notNull()) // JSON
    .execute();
  await db.schema.createIndex('cloudsso_tasks_pending').on('cloudsso_tasks').columns(['status', 'lease_until']).execute();
  await db.schema.createIndex('cloudsso_tasks_list').on('cloudsso_tasks').columns(['directory_id', 'start_time', 'id']).execute();
  await db.schema.createIndex('cloudsso_tasks_work').on('cloudsso_tasks').columns(['access_configuration_id', 'target_id', 'status']).execute();
  // At most one task in progress per configuration and account, even when two nodes accept requests at once.
  await db.schema
    .createIndex('cloudsso_tasks_one_in_progress')
    .on('cloudsso_tasks')
    .columns(['access_configuration_id', 'target_id'])
    .unique()
    .where(sql.ref('status'), '=', 'InProgress')
    .execute();

  await db.schema
    .createTable('cloudsso_user_provisionings')
    .addColumn('id', 'text', (c) => c.primaryKey()) // up-…
    .addColumn('directory_id', 'text', (c) => c.notNull())
    .addColumn('owner_pk', 'text', (c) => c.notNull())
    .addColumn('principal_type', 'text', (c) => c.notNull()) // User | Group
    .addColumn('principal_id', 'text', (c) => c.notNull())
    .addColumn('principal_name', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text', (c) => c.notNull()) // RD-Account
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('target_name', 'text', (c) => c.notNull())
    .addColumn('target_path', 'text', (c) => c.notNull())
    .addColumn('deletion_strategy', 'text', (c) => c.notNull()) // Delete | Keep
    .addColumn('duplication_strategy', 'text', (c) => c.notNull()) // KeepBoth | TakeOver
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // Enabled
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('cloudsso_user_provisionings_unique')
    .on('cloudsso_user_provisionings')
    .columns(['directory_id', 'principal_type', 'principal_id', 'target_id'])
    .unique()
    .execute();
  await db.schema.createIndex('cloudsso_user_provisionings_list').on('cloudsso_user_provisionings').columns(['directory_id', 'created_at', 'id']).execute();

  // Which RAM user a provisioning made for which CloudSSO user, so Delete/Keep and re-runs know what is theirs.
  await db.schema
    .createTable('cloudsso_provisioned_ram_users')
    .addColumn('user_provisioning_id', 'text', (c) => c.notNull().references('cloudsso_user_provisionings.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull()) // CloudSSO u-…
    .addColumn('account_id', 'varchar(16)', (c) => c.notNull())
    .addColumn('ram_user_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('cloudsso_provisioned_ram_users_pk', ['user_provisioning_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('cloudsso_user_provisioning_events')
    .addColumn('id', 'text', (c) => c.primaryKey()) // upe-…
    .addColumn('directory_id', 'text', (c) => c.notNull())
    .addColumn('user_provisioning_id', 'text', (c) => c.notNull())
    .addColumn('principal_type', 'text', (c) => c.notNull())
    .addColumn('principal_id', 'text', (c) => c.notNull())
    .addColumn('principal_name', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull()) // the CloudSSO user the event is about
    .addColumn('target_type', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('target_name', 'text', (c) => c.notNull())
    .addColumn('target_path', 'text', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull()) // Provision | Deprovision
    .addColumn('deletion_strategy', 'text', (c) => c.notNull())
    .addColumn('duplication_strategy', 'text', (c) => c.notNull())
    .addColumn('error_count', 'integer', (c) => c.notNull())
    .addColumn('error_info', 'text', (c) => c.notNull())
    .addColumn('latest_async_time', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('cloudsso_user_provisioning_events_list')
    .on('cloudsso_user_provisioning_events')
    .columns(['directory_id', 'created_at', 'id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'cloudsso_user_provisioning_events',
    'cloudsso_provisioned_ram_users',
    'cloudsso_user_provisionings',
    'cloudsso_tasks',
    'cloudsso_assignments',
    'cloudsso_provisionings',
    'cloudsso_ac_policies',
    'cloudsso_access_configurations',
    'ram_saml_providers',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
