import type { Kysely } from 'kysely';

// Frozen: never import application code here.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('mfa_devices')
    .addColumn('serial_number', 'text', (c) => c.primaryKey()) // acs:ram::<accountId>:mfa/<name>
    .addColumn('account_id', 'varchar(16)', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.references('ram_users.id').onDelete('cascade'))
    .addColumn('secret_sealed', 'text', (c) => c.notNull())
    .addColumn('last_used_step', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('bound_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  // Unique: a user has at most one device, even when two binds race; NULLs (unbound devices) do not collide.
  await db.schema.createIndex('mfa_devices_user').on('mfa_devices').column('user_id').unique().execute();
  await db.schema.createIndex('mfa_devices_account').on('mfa_devices').columns(['account_id', 'name']).execute();

  await db.schema
    .createTable('passkeys')
    .addColumn('id', 'text', (c) => c.primaryKey()) // PASSKEY-…
    .addColumn('user_id', 'text', (c) => c.notNull().references('ram_users.id').onDelete('cascade'))
    .addColumn('account_id', 'varchar(16)', (c) => c.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('credential_id', 'text', (c) => c.notNull().unique()) // base64url
    .addColumn('public_key', 'text', (c) => c.notNull()) // base64url COSE key
    .addColumn('counter', 'bigint', (c) => c.notNull().defaultTo(0)) // WebAuthn signCount is a uint32
    .addColumn('transports', 'text', (c) => c.notNull()) // JSON array
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .execute();
  await db.schema.createIndex('passkeys_user').on('passkeys').columns(['user_id', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('passkeys').ifExists().execute();
  await db.schema.dropTable('mfa_devices').ifExists().execute();
}
