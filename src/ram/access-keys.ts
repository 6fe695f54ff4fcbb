import type { SecretBox } from '../crypto/secrets.js';
import { MAX_ACCESS_KEYS_PER_USER } from './limits.js';
import type { Tx } from '../store/db.js';
import type { AccessKeyTable } from '../store/schema.js';
import { ApiError, entityNotExist } from '../errors.js';
import { issueAccessKey, type IssuedAccessKey } from './access-keys-store.js';

export type AccessKey = AccessKeyTable;

/** Whose keys: a RAM user, or (userId null) the account's root identity. */
export interface KeyOwner {
  accountId: string;
  userId: string | null;
}


function ofOwner(tx: Tx, owner: KeyOwner) {
  const query = tx.selectFrom('access_keys').selectAll().where('account_id', '=', owner.accountId);
  return owner.userId === null ? query.where('user_id', 'is', null) : query.where('user_id', '=', owner.userId);
}

export async function listAccessKeys(tx: Tx, owner: KeyOwner): Promise<AccessKey[]> {
  return ofOwner(tx, owner).orderBy('created_at').orderBy('id').execute();
}

export async function createAccessKey(tx: Tx, secrets: SecretBox, owner: KeyOwner, now: string): Promise<IssuedAccessKey> {
  if (owner.userId !== null) {
    const held = await ofOwner(tx, owner).execute();
    if (held.length >= MAX_ACCESS_KEYS_PER_USER) {
      throw new ApiError('LimitExceeded.User.AccessKey', 409, `A user may hold at most ${MAX_ACCESS_KEYS_PER_USER} AccessKeys.`);
    }
  }
  return issueAccessKey(tx, secrets, { accountId: owner.accountId, userId: owner.userId, now });
}

export async function getAccessKey(tx: Tx, owner: KeyOwner, accessKeyId: string): Promise<AccessKey> {
  const key = await ofOwner(tx, owner).where('id', '=', accessKeyId).executeTakeFirst();
  if (!key) throw entityNotExist('EntityNotExist.User.AccessKey', `AccessKey ${accessKeyId}`);
  return key;
}

/** The gateway reads keys per request, so a key made Inactive is refused from the next call on. */
export async function setAccessKeyStatus(tx: Tx, owner: KeyOwner, accessKeyId: string, status: AccessKey['status']): Promise<AccessKey> {
  const key = await getAccessKey(tx, owner, accessKeyId);
  await tx.updateTable('access_keys').set({ status }).where('id', '=', key.id).execute();
  return { ...key, status };
}

export async function deleteAccessKey(tx: Tx, owner: KeyOwner, accessKeyId: string): Promise<void> {
  const key = await getAccessKey(tx, owner, accessKeyId);
  await tx.deleteFrom('access_keys').where('id', '=', key.id).execute();
}
