import type { Tx } from '../store/db.js';
import { verifyAgainstDummy, verifyPassword } from '../crypto/passwords.js';
import type { Account } from '../directory/accounts.js';

/**
 * The root identity signs in with its account ID or alias and its password.
 * An unknown account costs the same hash as a wrong password, so neither answer nor timing tells them apart.
 */
export async function verifyRootCredentials(tx: Tx, identifier: string, password: string): Promise<Account | null> {
  const key = identifier.trim().toLowerCase();
  const account = key
    ? await tx
        .selectFrom('accounts')
        .selectAll()
        .where((eb) => eb.or([eb('id', '=', key), eb('alias', '=', key)]))
        .executeTakeFirst()
    : undefined;
  if (!account?.root_password_hash) {
    await verifyAgainstDummy(password);
    return null;
  }
  return (await verifyPassword(account.root_password_hash, password)) ? account : null;
}
