import type { SecretBox } from '../crypto/secrets.js';
import type { Tx } from '../store/db.js';
import type { AccessKeyTable } from '../store/schema.js';
import { newAccessKeyId, newAccessKeySecret } from '../ids.js';

export interface IssuedAccessKey {
  row: AccessKeyTable;
  secret: string;
}

/** Issues an AccessKey for a RAM user or (userId null) the account's root identity. The secret is returned once and stored sealed. */
export async function issueAccessKey(
  tx: Tx,
  secrets: SecretBox,
  input: { accountId: string; userId: string | null; now: string; id?: string; secret?: string },
): Promise<IssuedAccessKey> {
  const secret = input.secret ?? newAccessKeySecret();
  const row: AccessKeyTable = {
    id: input.id ?? newAccessKeyId(),
    account_id: input.accountId,
    user_id: input.userId,
    secret_sealed: secrets.seal(secret),
    status: 'Active',
    created_at: input.now,
    last_used_at: null,
  };
  await tx.insertInto('access_keys').values(row).execute();
  return { row, secret };
}
