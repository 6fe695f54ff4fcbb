import type { Kysely } from 'kysely';

// Frozen: never import application code here.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('login_flows')
    .addColumn('id', 'text', (c) => c.primaryKey()) // sha256 of the flow token held in the browser's cookie
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('step', 'text', (c) => c.notNull())
    .addColumn('fixed_domain', 'text')
    .addColumn('account_id', 'varchar(16)')
    .addColumn('user_id', 'text')
    .addColumn('login_name', 'text')
    .addColumn('return_to', 'text')
    .addColumn('mfa_done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('pending_secret', 'text') // sealed TOTP seed while binding a first MFA device
    .addColumn('challenge', 'text') // WebAuthn challenge of the current ceremony
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('login_flows_expiry').on('login_flows').column('expires_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('login_flows').ifExists().execute();
}
