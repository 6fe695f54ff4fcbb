import { ApiError } from '../errors.js';
import type { Tx } from '../store/db.js';
import { findDirectoryOf } from './directories.js';

export async function serviceStatus(tx: Tx, accountId: string): Promise<'Enabled' | 'Disabled'> {
  const row = await tx.selectFrom('cloudsso_services').select('status').where('account_id', '=', accountId).executeTakeFirst();
  return row?.status ?? 'Disabled';
}

export async function setServiceStatus(tx: Tx, accountId: string, status: 'Enabled' | 'Disabled', now: string): Promise<void> {
  const updated = await tx.updateTable('cloudsso_services').set({ status, updated_at: now }).where('account_id', '=', accountId).executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) await tx.insertInto('cloudsso_services').values({ account_id: accountId, status, updated_at: now }).execute();
}

/** Disabling the service leaves no directory behind: the directory must be deleted first. */
export async function disableService(tx: Tx, accountId: string, now: string): Promise<void> {
  if (await findDirectoryOf(tx, accountId)) {
    throw new ApiError('OperationConflict.Directory', 409, 'CloudSSO cannot be disabled while a directory exists. Delete the directory first.');
  }
  await setServiceStatus(tx, accountId, 'Disabled', now);
}
