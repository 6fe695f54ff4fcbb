import type { Selectable } from 'kysely';
import { entityNotExist } from '../errors.js';
import { newPrefixedId } from '../ids.js';
import type { Tx } from '../store/db.js';
import type { SecretBox } from '../crypto/secrets.js';
import { verifyTotp } from '../ram/totp.js';
import type { CloudSsoMfaDeviceTable } from '../store/schema-cloudsso.js';
import { endSessionsOfSsoUser } from '../sessions/portal-sessions.js';
import type { SsoUser } from './users.js';

// A CloudSSO user's TOTP devices, bound in the user portal and managed by administrators.

export type SsoMfaDevice = Selectable<CloudSsoMfaDeviceTable>;

export function listMfaDevices(tx: Tx, userId: string): Promise<SsoMfaDevice[]> {
  return tx.selectFrom('cloudsso_mfa_devices').selectAll().where('user_id', '=', userId).orderBy('created_at').orderBy('id').execute();
}

/** Accepts a code from any of the user's devices, once: the step is stored with a compare-and-set. */
export async function useMfaCode(tx: Tx, secrets: SecretBox, userId: string, code: string, now: Date): Promise<boolean> {
  const devices = await tx.selectFrom('cloudsso_mfa_devices').selectAll().where('user_id', '=', userId).execute();
  for (const device of devices) {
    const last = Number(device.last_used_step);
    const step = verifyTotp(secrets.open(device.secret_sealed), code, now, last);
    if (step === null) continue;
    const updated = await tx
      .updateTable('cloudsso_mfa_devices')
      .set({ last_used_step: step })
      .where('id', '=', device.id)
      .where('last_used_step', '<', step)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 1) return true;
  }
  return false;
}

/** Binds a TOTP device whose seed was verified by the caller; the seed is stored sealed. */
export async function addMfaDevice(
  tx: Tx,
  user: SsoUser,
  device: { name: string; secretSealed: string; lastUsedStep: number },
  now: string,
): Promise<SsoMfaDevice> {
  const row: SsoMfaDevice = {
    id: newPrefixedId('mfa-'),
    user_id: user.id,
    name: device.name,
    secret_sealed: device.secretSealed,
    last_used_step: device.lastUsedStep,
    created_at: now,
  };
  await tx.insertInto('cloudsso_mfa_devices').values(row).execute();
  return row;
}

/** A removed device (lost, or in the wrong hands) ends the sessions signed in with it, on every node. */
export async function deleteMfaDevice(tx: Tx, user: SsoUser, deviceId: string): Promise<void> {
  const result = await tx.deleteFrom('cloudsso_mfa_devices').where('user_id', '=', user.id).where('id', '=', deviceId).executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw entityNotExist('EntityNotExists.MFADevice', `MFA device ${deviceId}`);
  await endSessionsOfSsoUser(tx, user.id);
}
