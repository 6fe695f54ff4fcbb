import type { Kysely } from 'kysely';

// Frozen: never import application code here.
// The external SAML identity provider of a CloudSSO directory (its logon method) and the IdP's signing certificates.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('cloudsso_saml_idps')
    .addColumn('directory_id', 'text', (c) => c.primaryKey())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('login_url', 'text', (c) => c.notNull())
    .addColumn('encoded_metadata_document', 'text', (c) => c.notNull())
    .addColumn('sso_status', 'text', (c) => c.notNull())
    .addColumn('want_request_signed', 'integer', (c) => c.notNull())
    .addColumn('binding_type', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('cloudsso_saml_idp_certificates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('directory_id', 'text', (c) => c.notNull())
    .addColumn('certificate', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('cloudsso_saml_idp_certificates_directory').on('cloudsso_saml_idp_certificates').column('directory_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('cloudsso_saml_idp_certificates').ifExists().execute();
  await db.schema.dropTable('cloudsso_saml_idps').ifExists().execute();
}
