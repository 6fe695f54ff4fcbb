import type { Kysely } from 'kysely';

// Frozen: never import application code here.
// The SAML exchanges every node must see: the AuthnRequests this service sent and has not yet seen answered (their
// IDs come back as InResponseTo, in a cross-site POST that carries no cookie), and the IDs of assertions already used,
// kept until they expire so none is accepted twice.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('saml_authn_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('audience', 'text', (c) => c.notNull()) // whose SP sent it: cloudsso:<DirectoryId>, ram-user:<AccountId>
    .addColumn('relay_state', 'text') // where the user was going
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('saml_authn_requests_expiry').on('saml_authn_requests').column('expires_at').execute();
  await db.schema
    .createTable('saml_used_assertions')
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('assertion_id', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('saml_used_assertions_pk', ['issuer', 'assertion_id'])
    .execute();
  await db.schema.createIndex('saml_used_assertions_expiry').on('saml_used_assertions').column('expires_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('saml_used_assertions').ifExists().execute();
  await db.schema.dropTable('saml_authn_requests').ifExists().execute();
}
