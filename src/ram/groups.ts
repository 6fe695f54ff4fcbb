import type { Tx } from '../store/db.js';
import type { RamGroupTable } from '../store/schema.js';
import { entityNotExist } from '../openapi/errors.js';

export type RamGroup = RamGroupTable;

export async function findGroupByName(tx: Tx, accountId: string, name: string): Promise<RamGroup | undefined> {
  return tx.selectFrom('ram_groups').selectAll().where('account_id', '=', accountId).where('name_key', '=', name.toLowerCase()).executeTakeFirst();
}

export async function getGroupByName(tx: Tx, accountId: string, name: string): Promise<RamGroup> {
  const group = await findGroupByName(tx, accountId, name);
  if (!group) throw entityNotExist('EntityNotExist.Group', `group ${name}`);
  return group;
}
