import type { Tx } from '../store/db.js';
import type { RamUserTable } from '../store/schema.js';
import { newUserId } from '../ids.js';
import { entityAlreadyExists, entityNotExist } from '../openapi/errors.js';

export type RamUser = RamUserTable;

export interface NewRamUser {
  name: string;
  displayName?: string;
  email?: string;
  mobilePhone?: string;
  comments?: string;
  provisionType?: string;
}

export async function findUserByName(tx: Tx, accountId: string, name: string): Promise<RamUser | undefined> {
  return tx.selectFrom('ram_users').selectAll().where('account_id', '=', accountId).where('name_key', '=', name.toLowerCase()).executeTakeFirst();
}

export async function getUserByName(tx: Tx, accountId: string, name: string): Promise<RamUser> {
  const user = await findUserByName(tx, accountId, name);
  if (!user) throw entityNotExist('EntityNotExist.User', `user ${name}`);
  return user;
}

export async function createUser(tx: Tx, accountId: string, input: NewRamUser, now: string): Promise<RamUser> {
  if (await findUserByName(tx, accountId, input.name)) throw entityAlreadyExists('EntityAlreadyExists.User', `user ${input.name}`);
  const user: RamUser = {
    id: newUserId(),
    account_id: accountId,
    name: input.name,
    name_key: input.name.toLowerCase(),
    display_name: input.displayName ?? input.name,
    email: input.email ?? '',
    mobile_phone: input.mobilePhone ?? '',
    comments: input.comments ?? '',
    provision_type: input.provisionType ?? 'Manual',
    created_at: now,
    updated_at: now,
    last_login_at: null,
  };
  await tx.insertInto('ram_users').values(user).execute();
  return user;
}
