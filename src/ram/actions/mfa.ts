import { apiTime } from '../../clock.js';
import { defineAction, type ActionContext } from '../../openapi/define-action.js';
import { entityNotExist } from '../../errors.js';
import { naming, str, type ParamSpec } from '../../openapi/params.js';
import {
  bindMfaDevice,
  createVirtualMfaDevice,
  deleteVirtualMfaDevice,
  getUserMfaDevice,
  listVirtualMfaDevices,
  unbindMfaDevice,
  type VirtualMfaDevice,
} from '../mfa.js';
import { pageFields, pageRequest, pagingParams } from './paging-params.js';
import { deletePasskey, listPasskeys, renamePasskey } from '../passkeys.js';
import { defaultDomainOfAccount } from '../../accounts/accounts.js';
import type { RamUser } from '../users.js';
import { byPrincipalName, byUserName, userAction } from './user-twins.js';
import { userName } from './users.js';

const deviceName = () =>
  str({
    required: true,
    min: 1,
    max: 64,
    pattern: /^[A-Za-z0-9.-]+$/,
    lengthCode: 'InvalidParameter.VirtualMFADeviceName.Length',
    charsCode: 'InvalidParameter.VirtualMFADeviceName.InvalidChars',
  });
const serialNumber = () => str({ required: true, max: 256 });
const authenticationCode = () =>
  str({ required: true, min: 6, max: 6, pattern: /^\d{6}$/, code: 'InvalidParameter.AuthenticationCode.Format' });
const upn = () =>
  naming(
    str({ required: true, max: 128, pattern: /^[A-Za-z0-9._-]{1,64}@[A-Za-z0-9.-]+$/, code: 'InvalidParameter.UserPrincipalName.Format' }),
    'user-principal',
  );
const passkeyId = () => str({ required: true, max: 64 });

/** IMS names the user by a UPN of the form `<name>@<domain>`; its name part is the ARN's. */
const ims = byPrincipalName(upn());
const ram = byUserName(userName(true));
const bindParams = <K extends Record<string, ParamSpec<string>>>(key: K) => ({
  SerialNumber: serialNumber(),
  ...key,
  AuthenticationCode1: authenticationCode(),
  AuthenticationCode2: authenticationCode(),
});

const mfaResource = (accountId: string, name: string): string => `acs:ram:*:${accountId}:mfa/${name}`;

const mfaDeviceView = (device: VirtualMfaDevice) => ({ SerialNumber: device.serialNumber, Type: 'VMFA' });
/** IMS ListPasskeys gives times as Unix seconds. */
const unixSeconds = (iso: string | null): string => (iso ? String(Math.floor(Date.parse(iso) / 1000)) : '');

/** RAM and IMS declare CreateVirtualMFADevice and DeleteVirtualMFADevice alike; only the product differs. */
const createDeviceAction = (product: 'ram' | 'ims') =>
  defineAction({
    product,
    name: 'CreateVirtualMFADevice',
    params: { VirtualMFADeviceName: deviceName() },
    ramAction: 'ram:CreateVirtualMFADevice',
    resource: (p, c) => mfaResource(c.accountId, p.VirtualMFADeviceName),
    async handle(p, c) {
      const created = await createVirtualMfaDevice(c.tx, c.services.secrets, c.accountId, p.VirtualMFADeviceName, c.clock.now());
      return { VirtualMFADevice: { SerialNumber: created.serialNumber, Base32StringSeed: created.base32Seed, QRCodePNG: created.qrPng } };
    },
  });

const deleteDeviceAction = (product: 'ram' | 'ims') =>
  defineAction({
    product,
    name: 'DeleteVirtualMFADevice',
    params: { SerialNumber: serialNumber() },
    ramAction: 'ram:DeleteVirtualMFADevice',
    resource: (p) => p.SerialNumber,
    async handle(p, c) {
      await deleteVirtualMfaDevice(c.tx, c.accountId, p.SerialNumber);
      return {};
    },
  });

async function bind(user: RamUser, p: { SerialNumber: string; AuthenticationCode1: string; AuthenticationCode2: string }, c: ActionContext) {
  await bindMfaDevice(c.tx, c.services.secrets, {
    userId: user.id,
    serialNumber: p.SerialNumber,
    code1: p.AuthenticationCode1,
    code2: p.AuthenticationCode2,
    now: c.clock.now(),
  });
  return {};
}

async function unbind(user: RamUser, _p: unknown, c: ActionContext) {
  const device = await unbindMfaDevice(c.tx, user.id);
  return { MFADevice: { SerialNumber: device.serialNumber } };
}

const ramActions = [
  createDeviceAction('ram'),
  defineAction({
    product: 'ram',
    name: 'ListVirtualMFADevices',
    params: {},
    ramAction: 'ram:ListVirtualMFADevices',
    resource: (_p, c) => mfaResource(c.accountId, '*'),
    async handle(_p, c) {
      const devices = (await listVirtualMfaDevices(c.tx, c.accountId, { limit: 100_000 })).items;
      return {
        VirtualMFADevices: {
          VirtualMFADevice: devices.map((d) => ({
            SerialNumber: d.serialNumber,
            ...(d.user ? { ActivateDate: apiTime(d.boundAt), User: { UserId: d.user.id, UserName: d.user.name, DisplayName: d.user.displayName } } : {}),
          })),
        },
      };
    },
  }),
  deleteDeviceAction('ram'),
  userAction(ram, { name: 'BindMFADevice', ramAction: 'ram:BindMFADevice', params: bindParams(ram.params), handle: bind }),
  userAction(ram, { name: 'UnbindMFADevice', ramAction: 'ram:UnbindMFADevice', params: ram.params, handle: unbind }),
  userAction(ram, {
    name: 'GetUserMFAInfo',
    ramAction: 'ram:GetUserMFAInfo',
    params: ram.params,
    async handle(user, _p, c) {
      const device = await getUserMfaDevice(c.tx, user.id);
      if (!device) throw entityNotExist('EntityNotExist.User.MFADevice', 'MFA device of the user');
      return { MFADevice: mfaDeviceView(device) };
    },
  }),
];

const imsActions = [
  createDeviceAction('ims'),
  defineAction({
    product: 'ims',
    name: 'ListVirtualMFADevices',
    params: pagingParams(),
    ramAction: 'ram:ListVirtualMFADevices',
    resource: (_p, c) => mfaResource(c.accountId, '*'),
    async handle(p, c) {
      const page = await listVirtualMfaDevices(c.tx, c.accountId, pageRequest(p));
      const domain = await defaultDomainOfAccount(c.tx, c.accountId);
      return {
        VirtualMFADevices: {
          VirtualMFADevice: page.items.map((d) => ({
            SerialNumber: d.serialNumber,
            ...(d.user
              ? {
                  ActivateDate: apiTime(d.boundAt),
                  User: { UserId: d.user.id, UserPrincipalName: `${d.user.name}@${domain}`, DisplayName: d.user.displayName },
                }
              : {}),
          })),
        },
        ...pageFields(page),
      };
    },
  }),
  deleteDeviceAction('ims'),
  userAction(ims, { name: 'BindMFADevice', ramAction: 'ram:BindMFADevice', params: bindParams(ims.params), handle: bind }),
  userAction(ims, { name: 'UnbindMFADevice', ramAction: 'ram:UnbindMFADevice', params: ims.params, handle: unbind }),
  userAction(ims, {
    name: 'GetUserMFAInfo',
    ramAction: 'ram:GetUserMFAInfo',
    params: ims.params,
    async handle(user, _p, c) {
      const device = await getUserMfaDevice(c.tx, user.id);
      return device ? { IsMFAEnable: true, MFADevice: mfaDeviceView(device) } : { IsMFAEnable: false };
    },
  }),
  userAction(ims, {
    name: 'ListPasskeys',
    ramAction: 'ram:ListPasskeys',
    params: ims.params,
    async handle(user, _p, c) {
      const passkeys = await listPasskeys(c.tx, user.id);
      return {
        Passkeys: passkeys.map((k) => ({
          PasskeyId: k.id,
          PasskeyName: k.name,
          CreateDate: unixSeconds(k.createdAt),
          LastUseDate: unixSeconds(k.lastUsedAt),
        })),
      };
    },
  }),
  userAction(ims, {
    name: 'UpdatePasskey',
    ramAction: 'ram:UpdatePasskey',
    params: {
      ...ims.params,
      PasskeyId: passkeyId(),
      PasskeyName: str({ required: true, min: 1, max: 64, lengthCode: 'InvalidParameter.PasskeyName.Length' }),
    },
    async handle(user, p, c) {
      await renamePasskey(c.tx, user.id, p.PasskeyId, p.PasskeyName);
      return {};
    },
  }),
  userAction(ims, {
    name: 'DeletePasskey',
    ramAction: 'ram:DeletePasskey',
    params: { ...ims.params, PasskeyId: passkeyId() },
    async handle(user, p, c) {
      await deletePasskey(c.tx, user.id, p.PasskeyId);
      return {};
    },
  }),
];

/** Virtual MFA devices (RAM and IMS) and IMS passkey management. */
export const mfaActions = [...ramActions, ...imsActions];
