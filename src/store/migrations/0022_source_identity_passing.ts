import type { Kysely } from 'kysely';

// Frozen: never import application code here.
// What a directory lets SAML sign-in pass on to role sessions as SourceIdentity (Get/UpdateAttributePassingSetting).
// Alibaba answers Disabled for a directory never configured, so existing directories start there.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('cloudsso_directories')
    .addColumn('source_identity_passing', 'text', (c) => c.notNull().defaultTo('Disabled')) // IdP | UserName | Disabled
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('cloudsso_directories').dropColumn('source_identity_passing').execute();
}
