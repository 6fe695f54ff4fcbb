import { sql, type Kysely } from 'kysely';

// Frozen: never import application code here.
// The key pairs Gatehouse signs SAML AuthnRequests with as a service provider, per owner (a CloudSSO directory,
// later a RAM account): the private key sealed, the self-signed certificate in the clear. At most one active and
// one previous key per owner: the partial unique indexes make two nodes creating the first key end with one.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('saml_sp_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull()) // active | previous
    .addColumn('private_key_sealed', 'text', (c) => c.notNull())
    .addColumn('certificate', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('saml_sp_keys_active').on('saml_sp_keys').column('owner').unique().where(sql.ref('state'), '=', 'active').execute();
  await db.schema.createIndex('saml_sp_keys_previous').on('saml_sp_keys').column('owner').unique().where(sql.ref('state'), '=', 'previous').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('saml_sp_keys').ifExists().execute();
}
