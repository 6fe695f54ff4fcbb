// Virtual MFA devices: created unbound for the account, then bound to one RAM user with two consecutive codes.
import { pageByColumn, type Page, type PageRequest } from '../paging.js';
import { MAX_VIRTUAL_MFA_DEVICES } from './limits.js';
import QRCode from 'qrcode';
import type { SecretBox } from '../crypto/secrets.js';
import { ApiError, entityAlreadyExists, entityNotExist } from '../errors.js';
import { randomString } from '../ids.js';
import type { Tx } from '../store/db.js';
import { endSessionsOfUser } from '../sessions/sessions.js';
import { preparedQuery } from '../store/prepared.js';
import type { MfaDeviceTable } from '../store/schema-mfa.js';
import { newTotpSecret, otpauthUri, verifyConsecutiveTotp, verifyTotp } from './totp.js';

export const MFA_ISSUER = 'Gatehouse';

export interface VirtualMfaDevice {
  serialNumber: string;
  accountId: string;
  name: string;
  userId: string | null;
  boundAt: string | null;
  createdAt: string;
}

export interface CreatedVirtualMfaDevice {
  serialNumber: string;
  /** The seed, shown once: it is stored sealed and never returned again. */
  base32Seed: string;
  /** PNG of the otpauth:// URI as a QR code, base64. */
  qrPng: string;
}

export const mfaSerialNumber = (accountId: string, name: string): string => `acs:ram::${accountId}:mfa/${name}`;

export const checkAuthenticationCodeFail = (): ApiError =>
  new ApiError('CheckAuthenticationCodeFail', 403, 'The parameter - "AuthenticationCode" is incorrect.');

function toDevice(row: MfaDeviceTable): VirtualMfaDevice {
  return {
    serialNumber: row.serial_number,
    accountId: row.account_id,
    name: row.name,
    userId: row.user_id,
    boundAt: row.bound_at,
    createdAt: row.created_at,
  };
}

/** A QR code (PNG, base64) for an otpauth:// URI, as CreateVirtualMFADevice's QRCodePNG and the binding page show it. */
export async function qrPngBase64(uri: string): Promise<string> {
  return (await QRCode.toBuffer(uri, { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: 200 })).toString('base64');
}

/** The otpauth:// label: `<name>@<account alias>`, so the entry is recognisable in the authenticator app. */
async function totpLabel(tx: Tx, accountId: string, name: string): Promise<string> {
  const account = await tx.selectFrom('accounts').select('alias').where('id', '=', accountId).executeTakeFirst();
  return account ? `${name}@${account.alias}` : name;
}

export async function createVirtualMfaDevice(
  tx: Tx,
  secrets: SecretBox,
  accountId: string,
  name: string,
  now: Date,
): Promise<CreatedVirtualMfaDevice> {
  const serialNumber = mfaSerialNumber(accountId, name);
  if (await findDevice(tx, serialNumber)) throw entityAlreadyExists('EntityAlreadyExists.VirtualMFADevice', `virtual MFA device ${name}`);
  const { count } = await tx
    .selectFrom('mfa_devices')
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .where('account_id', '=', accountId)
    .executeTakeFirstOrThrow();
  if (Number(count) >= MAX_VIRTUAL_MFA_DEVICES) {
    throw new ApiError('LimitExceeded.VirtualMFADevice', 409, 'The count of virtual mfa devices beyond the current limits.');
  }
  const secret = newTotpSecret();
  await tx
    .insertInto('mfa_devices')
    .values({
      serial_number: serialNumber,
      account_id: accountId,
      name,
      user_id: null,
      secret_sealed: secrets.seal(secret),
      last_used_step: 0,
      bound_at: null,
      created_at: now.toISOString(),
    })
    .execute();
  const uri = otpauthUri({ secret, accountName: await totpLabel(tx, accountId, name), issuer: MFA_ISSUER });
  return { serialNumber, base32Seed: secret, qrPng: await qrPngBase64(uri) };
}

export async function findDevice(tx: Tx, serialNumber: string): Promise<VirtualMfaDevice | undefined> {
  const row = await tx.selectFrom('mfa_devices').selectAll().where('serial_number', '=', serialNumber).executeTakeFirst();
  return row && toDevice(row);
}

export type ListedVirtualMfaDevice = VirtualMfaDevice & { user: { id: string; name: string; displayName: string } | null };

/** One page of the account's devices, with the user each is bound to, in serial-number order after `after`. */
export async function listVirtualMfaDevices(tx: Tx, accountId: string, page: PageRequest): Promise<Page<ListedVirtualMfaDevice>> {
  const base = tx
    .selectFrom('mfa_devices as d')
    .leftJoin('ram_users as u', 'u.id', 'd.user_id')
    .selectAll('d')
    .select(['u.name as user_name', 'u.display_name as user_display_name'])
    .where('d.account_id', '=', accountId);
  const rows = await pageByColumn(page, base, 'd.serial_number');
  return {
    ...rows,
    items: rows.items.map((row) => ({
      ...toDevice(row),
      user: row.user_id && row.user_name ? { id: row.user_id, name: row.user_name, displayName: row.user_display_name ?? '' } : null,
    })),
  };
}

export async function deleteVirtualMfaDevice(tx: Tx, accountId: string, serialNumber: string): Promise<void> {
  const device = await findDevice(tx, serialNumber);
  if (!device || device.accountId !== accountId) throw entityNotExist('EntityNotExist.VirtualMFADevice', `virtual MFA device ${serialNumber}`);
  if (device.userId) {
    throw new ApiError('DeleteConflict.VirtualMFADevice.User', 409, 'The virtual mfa device CAN NOT been bound to any user while deleting it.');
  }
  // The user_id guard makes a concurrent bind win over the delete rather than lose its device.
  const result = await tx.deleteFrom('mfa_devices').where('serial_number', '=', serialNumber).where('user_id', 'is', null).executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) {
    throw new ApiError('DeleteConflict.VirtualMFADevice.User', 409, 'The virtual mfa device CAN NOT been bound to any user while deleting it.');
  }
}

const deviceOfUser = preparedQuery((tx, p: { userId: string }) => tx.selectFrom('mfa_devices').selectAll().where('user_id', '=', p.userId));

/** The device bound to a user, if any (a user has at most one). */
export async function getUserMfaDevice(tx: Tx, userId: string): Promise<VirtualMfaDevice | undefined> {
  const [row] = (await deviceOfUser(tx, { userId })).rows;
  return row && toDevice(row);
}

export interface BindMfaDeviceInput {
  userId: string;
  serialNumber: string;
  /** Two codes shown one after the other by the device: code1 from the step before code2's. */
  code1: string;
  code2: string;
  now: Date;
}

/**
 * Binds an existing unbound device of the user's account. Errors: EntityNotExist.User / .VirtualMFADevice (404),
 * EntityAlreadyExists.User.MFADevice / .VirtualMFADevice.User (409), CheckAuthenticationCodeFail (403).
 */
export async function bindMfaDevice(tx: Tx, secrets: SecretBox, input: BindMfaDeviceInput): Promise<VirtualMfaDevice> {
  const user = await tx.selectFrom('ram_users').select(['id', 'account_id']).where('id', '=', input.userId).executeTakeFirst();
  if (!user) throw entityNotExist('EntityNotExist.User', 'user');
  const row = await tx.selectFrom('mfa_devices').selectAll().where('serial_number', '=', input.serialNumber).executeTakeFirst();
  if (!row || row.account_id !== user.account_id) {
    throw entityNotExist('EntityNotExist.VirtualMFADevice', `virtual MFA device ${input.serialNumber}`);
  }
  if (await getUserMfaDevice(tx, user.id)) throw userAlreadyHasDevice();
  if (row.user_id) throw deviceAlreadyBound();
  const step = verifyConsecutiveTotp(secrets.open(row.secret_sealed), input.code1, input.code2, input.now);
  if (step === null) throw checkAuthenticationCodeFail();
  const boundAt = input.now.toISOString();
  const result = await guardUnique(() =>
    tx
      .updateTable('mfa_devices')
      .set({ user_id: user.id, bound_at: boundAt, last_used_step: step })
      .where('serial_number', '=', row.serial_number)
      .where('user_id', 'is', null)
      .executeTakeFirst(),
  );
  if (Number(result.numUpdatedRows) === 0) throw deviceAlreadyBound();
  return { ...toDevice(row), userId: user.id, boundAt };
}

export interface BindNewDeviceForLogonInput {
  accountId: string;
  userId: string;
  /** Names the device (`<userName>`, or `<userName>-<random>` if that name is taken). */
  userName: string;
  /** The base32 seed the logon flow generated and showed to the user. */
  secret: string;
  code1: string;
  code2: string;
  now: Date;
}

/**
 * First-logon binding: creates a device from the flow's seed and binds it in one step, once the user has typed
 * two consecutive codes. Same errors as bindMfaDevice.
 */
export async function bindNewDeviceForLogon(tx: Tx, secrets: SecretBox, input: BindNewDeviceForLogonInput): Promise<VirtualMfaDevice> {
  if (await getUserMfaDevice(tx, input.userId)) throw userAlreadyHasDevice();
  const step = verifyConsecutiveTotp(input.secret, input.code1, input.code2, input.now);
  if (step === null) throw checkAuthenticationCodeFail();
  let name = input.userName;
  while (await findDevice(tx, mfaSerialNumber(input.accountId, name))) name = `${input.userName}-${randomString(6).toLowerCase()}`;
  const row: MfaDeviceTable = {
    serial_number: mfaSerialNumber(input.accountId, name),
    account_id: input.accountId,
    name,
    user_id: input.userId,
    secret_sealed: secrets.seal(input.secret),
    last_used_step: step,
    bound_at: input.now.toISOString(),
    created_at: input.now.toISOString(),
  };
  await guardUnique(() => tx.insertInto('mfa_devices').values(row).execute());
  return toDevice(row);
}

/**
 * Unbinds the user's device and returns it; the device stays in the account, unbound, until deleted. The user's
 * console sessions end: seed 003 names disabling console access, and a withdrawn credential (a lost or stolen phone)
 * is the same case — a session must not outlive the factor it was opened with.
 */
export async function unbindMfaDevice(tx: Tx, userId: string): Promise<VirtualMfaDevice> {
  const device = await getUserMfaDevice(tx, userId);
  if (!device) throw entityNotExist('EntityNotExist.User.MFADevice', 'MFA device of the user');
  await tx.updateTable('mfa_devices').set({ user_id: null, bound_at: null }).where('serial_number', '=', device.serialNumber).execute();
  await endSessionsOfUser(tx, userId);
  return device;
}

/**
 * Checks a logon code against the user's device. True consumes the code: the conditional UPDATE lets only one
 * node (or request) accept a given time step, so a code cannot be replayed, not even concurrently.
 */
export async function verifyUserMfaCode(tx: Tx, secrets: SecretBox, userId: string, code: string, now: Date): Promise<boolean> {
  const row = await tx.selectFrom('mfa_devices').selectAll().where('user_id', '=', userId).executeTakeFirst();
  if (!row) return false;
  const step = verifyTotp(secrets.open(row.secret_sealed), code, now, row.last_used_step);
  if (step === null) return false;
  const result = await tx
    .updateTable('mfa_devices')
    .set({ last_used_step: step })
    .where('serial_number', '=', row.serial_number)
    .where('user_id', '=', userId)
    .where('last_used_step', '<', step)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

const userAlreadyHasDevice = (): ApiError => entityAlreadyExists('EntityAlreadyExists.User.MFADevice', 'MFA device of the user');
const deviceAlreadyBound = (): ApiError =>
  new ApiError('EntityAlreadyExists.VirtualMFADevice.User', 409, 'The virtual mfa device has already been bound to a user.');

/** Two concurrent binds for one user meet the unique index on user_id: report it as the documented conflict. */
async function guardUnique<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const e = error as { code?: string; message?: string };
    if (e.code === '23505' || e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw userAlreadyHasDevice();
    throw error;
  }
}
