import type { Kysely } from 'kysely';

// Frozen: never import application code here.
// The portal lists a user's accounts and configurations from their assignments (direct and through groups): with
// the target and configuration in the index, those reads never touch the table. It replaces the narrower index.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('cloudsso_assignments_by_principal')
    .on('cloudsso_assignments')
    .columns(['directory_id', 'principal_type', 'principal_id', 'target_id', 'access_configuration_id'])
    .execute();
  await db.schema.dropIndex('cloudsso_assignments_principal').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('cloudsso_assignments_principal').on('cloudsso_assignments').columns(['directory_id', 'principal_type', 'principal_id']).execute();
  await db.schema.dropIndex('cloudsso_assignments_by_principal').execute();
}
