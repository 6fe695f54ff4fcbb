import type { Tx } from '../store/db.js';
import type { RamRoleTable } from '../store/schema.js';
import { entityNotExist } from '../openapi/errors.js';

export type RamRole = RamRoleTable;

export async function findRoleByName(tx: Tx, accountId: string, name: string): Promise<RamRole | undefined> {
  return tx.selectFrom('ram_roles').selectAll().where('account_id', '=', accountId).where('name_key', '=', name.toLowerCase()).executeTakeFirst();
}

export async function getRoleByName(tx: Tx, accountId: string, name: string): Promise<RamRole> {
  const role = await findRoleByName(tx, accountId, name);
  if (!role) throw entityNotExist('EntityNotExist.Role', `role ${name}`);
  return role;
}
