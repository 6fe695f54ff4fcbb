// Stored passkeys (WebAuthn credentials) of RAM users. The ceremonies live in signin/strategies/; this is storage.
import { ApiError, entityNotExist } from '../errors.js';
import { randomString } from '../ids.js';
import { inTransaction, type Tx } from '../store/db.js';
import { endSessionsOfUser } from '../sessions/sessions.js';
import type { PasskeyTable } from '../store/schema-mfa.js';

/** Passkeys per user (the seeds give no figure). */
export const MAX_PASSKEYS_PER_USER = 20;

export interface Passkey {
  id: string; // PASSKEY-…
  userId: string;
  accountId: string;
  /** base64url */
  credentialId: string;
  /** base64url COSE public key */
  publicKey: string;
  counter: number;
  transports: string[];
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export interface NewPasskey {
  userId: string;
  accountId: string;
  credentialId: string;
  publicKey: string;
  counter: number;
  transports?: string[];
  name: string;
  now: Date;
}

export const newPasskeyId = (): string => `PASSKEY-${randomString(20)}`;

function toPasskey(row: PasskeyTable): Passkey {
  return {
    id: row.id,
    userId: row.user_id,
    accountId: row.account_id,
    credentialId: row.credential_id,
    publicKey: row.public_key,
    counter: Number(row.counter),
    transports: JSON.parse(row.transports) as string[],
    name: row.name,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
  };
}

/** Stores a verified registration. Errors: LimitExceeded.Passkey, EntityAlreadyExists.Passkey (credential already registered), both 409. */
export async function addPasskey(tx: Tx, input: NewPasskey): Promise<Passkey> {
  const { count } = await tx
    .selectFrom('passkeys')
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .where('user_id', '=', input.userId)
    .executeTakeFirstOrThrow();
  if (Number(count) >= MAX_PASSKEYS_PER_USER) {
    throw new ApiError('LimitExceeded.Passkey', 409, `A user can have at most ${MAX_PASSKEYS_PER_USER} passkeys.`);
  }
  if (await findPasskeyByCredentialId(tx, input.credentialId)) {
    throw new ApiError('EntityAlreadyExists.Passkey', 409, 'The passkey is already registered.');
  }
  const row: PasskeyTable = {
    id: newPasskeyId(),
    user_id: input.userId,
    account_id: input.accountId,
    credential_id: input.credentialId,
    public_key: input.publicKey,
    counter: input.counter,
    transports: JSON.stringify(input.transports ?? []),
    name: input.name,
    created_at: input.now.toISOString(),
    last_used_at: null,
  };
  await tx.insertInto('passkeys').values(row).execute();
  return toPasskey(row);
}

/** A user's passkeys, oldest first. */
export async function listPasskeys(tx: Tx, userId: string): Promise<Passkey[]> {
  const rows = await tx.selectFrom('passkeys').selectAll().where('user_id', '=', userId).orderBy('created_at').orderBy('id').execute();
  return rows.map(toPasskey);
}

export async function findPasskeyByCredentialId(tx: Tx, credentialId: string): Promise<Passkey | undefined> {
  const row = await tx.selectFrom('passkeys').selectAll().where('credential_id', '=', credentialId).executeTakeFirst();
  return row && toPasskey(row);
}

/**
 * Records a successful assertion. With a non-zero counter the update only applies if the stored counter is lower,
 * so of two concurrent assertions with the same counter only one is recorded; false means the counter did not
 * advance (a possible cloned authenticator, or a replay). Authenticators without counters always report 0.
 */
export async function recordPasskeyUse(tx: Tx, id: string, counter: number, now: Date): Promise<boolean> {
  let query = tx.updateTable('passkeys').set({ counter, last_used_at: now.toISOString() }).where('id', '=', id);
  if (counter > 0) query = query.where('counter', '<', counter);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Errors: EntityNotExist.Passkey (404) when the passkey is not the user's. */
export async function renamePasskey(tx: Tx, userId: string, id: string, name: string): Promise<void> {
  const result = await tx.updateTable('passkeys').set({ name }).where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw entityNotExist('EntityNotExist.Passkey', `passkey ${id}`);
}

/**
 * Removes a passkey and ends the user's console sessions but `except` (the session that removed it): a session opened
 * with a credential the user or an administrator withdrew must not outlive it.
 * Errors: EntityNotExist.Passkey (404) when the passkey is not the user's.
 */
export async function deletePasskey(db: Tx, userId: string, id: string, options: { except?: string } = {}): Promise<void> {
  await inTransaction(db, async (tx) => {
    const result = await tx.deleteFrom('passkeys').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) throw entityNotExist('EntityNotExist.Passkey', `passkey ${id}`);
    await endSessionsOfUser(tx, userId, options);
  });
}
