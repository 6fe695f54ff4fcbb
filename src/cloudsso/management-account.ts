import { ApiError } from '../errors.js';
import type { Tx } from '../store/db.js';

/**
 * CloudSSO is administered from the management account of the resource directory only (its root, or its RAM
 * identities allowed by policy); any other account is refused whatever its own policies say.
 */
export async function requireManagementAccount(tx: Tx, accountId: string): Promise<void> {
  const account = await tx.selectFrom('accounts').select('type').where('id', '=', accountId).executeTakeFirst();
  if (account?.type !== 'management') {
    throw new ApiError('NoPermission', 403, 'CloudSSO can be administered only from the management account of the resource directory.');
  }
}
