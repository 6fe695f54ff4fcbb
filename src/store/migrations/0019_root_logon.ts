import type { Kysely } from 'kysely';

// Frozen: never import application code here.
// The root identity's logon state, one row per account (made at its first sign-in attempt): failed attempts and the
// lock they lead to, the virtual MFA device bound to root, and the logon generation that a change of root's
// credentials moves on (ending root's sign-ins in progress). In the database, so every node sees the same lock.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('root_logons')
    .ifNotExists()
    .addColumn('account_id', 'varchar(16)', (c) => c.primaryKey())
    .addColumn('failed_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failures_since', 'text') // start of the window the failures are counted in
    .addColumn('locked_until', 'text') // kept after it passes: the backoff looks at the last lock
    .addColumn('lockouts', 'integer', (c) => c.notNull().defaultTo(0)) // locks in a row, for the backoff
    .addColumn('logon_generation', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('mfa_secret_sealed', 'text') // base32 TOTP seed, sealed; null: no device bound
    .addColumn('mfa_last_used_step', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('mfa_bound_at', 'text')
    .addColumn('last_login_at', 'text')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('root_logons').ifExists().execute();
}
