import type { Kysely } from 'kysely';

// Frozen: never import application code here.
// The lease owner is cleared when a task ends, so nothing said which node carried it out. An operator reading a task
// that went wrong wants that node's logs; the multi-node tests check that every node takes its share.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('cloudsso_tasks').addColumn('finished_by', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('cloudsso_tasks').dropColumn('finished_by').execute();
}
