import { createHash, randomBytes } from 'node:crypto';
import type { Selectable } from 'kysely';
import { ApiError, entityNotExist } from '../errors.js';
import { newPrefixedId } from '../ids.js';
import type { Tx } from '../store/db.js';
import type { CloudSsoScimCredentialTable } from '../store/schema-cloudsso.js';

// Bearer tokens of the directory's SCIM endpoint: shown once at creation, stored as their SHA-256.

export type ScimCredential = Selectable<CloudSsoScimCredentialTable>;

export const SCIM_CREDENTIAL_QUOTA = 2;
const LIFETIME_MS = 365 * 24 * 3600 * 1000;

const hashSecret = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('hex');

export function listScimCredentials(tx: Tx, directoryId: string): Promise<ScimCredential[]> {
  return tx.selectFrom('cloudsso_scim_credentials').selectAll().where('directory_id', '=', directoryId).orderBy('created_at').orderBy('id').execute();
}

export async function getScimCredential(tx: Tx, directoryId: string, credentialId: string): Promise<ScimCredential> {
  const row = await tx
    .selectFrom('cloudsso_scim_credentials')
    .selectAll()
    .where('directory_id', '=', directoryId)
    .where('id', '=', credentialId)
    .executeTakeFirst();
  if (!row) throw entityNotExist('EntityNotExists.SCIMServerCredential', `SCIM credential ${credentialId}`);
  return row;
}

export async function createScimCredential(tx: Tx, directoryId: string, now: Date): Promise<{ credential: ScimCredential; secret: string }> {
  const existing = await listScimCredentials(tx, directoryId);
  if (existing.length >= SCIM_CREDENTIAL_QUOTA) {
    throw new ApiError('QuotaExceeded.SCIMServerCredential', 409, `A directory can have at most ${SCIM_CREDENTIAL_QUOTA} SCIM credentials.`);
  }
  const secret = `scim-${randomBytes(32).toString('base64url')}`;
  const credential: ScimCredential = {
    id: newPrefixedId('scimcred-'),
    directory_id: directoryId,
    secret_hash: hashSecret(secret),
    status: 'Enabled',
    created_at: now.toISOString(),
    expire_time: new Date(now.getTime() + LIFETIME_MS).toISOString(),
  };
  await tx.insertInto('cloudsso_scim_credentials').values(credential).execute();
  return { credential, secret };
}

export async function setScimCredentialStatus(tx: Tx, credential: ScimCredential, status: 'Enabled' | 'Disabled'): Promise<void> {
  await tx.updateTable('cloudsso_scim_credentials').set({ status }).where('id', '=', credential.id).execute();
}

export async function deleteScimCredential(tx: Tx, credential: ScimCredential): Promise<void> {
  await tx.deleteFrom('cloudsso_scim_credentials').where('id', '=', credential.id).execute();
}

/** The enabled, unexpired credential a SCIM bearer token stands for, or undefined. */
export async function credentialOfBearerToken(tx: Tx, token: string, now: Date): Promise<ScimCredential | undefined> {
  const row = await tx.selectFrom('cloudsso_scim_credentials').selectAll().where('secret_hash', '=', hashSecret(token)).executeTakeFirst();
  if (!row || row.status !== 'Enabled' || row.expire_time <= now.toISOString()) return undefined;
  return row;
}
