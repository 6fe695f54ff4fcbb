import { apiTime } from '../../clock.js';
import { defineAction, type ActionContext } from '../../openapi/define-action.js';
import { entityNotExist } from '../../openapi/errors.js';
import { str } from '../../openapi/params.js';
import {
  bindMfaDevice,
  createVirtualMfaDevice,
  deleteVirtualMfaDevice,
  getUserMfaDevice,
  listVirtualMfaDevices,
  unbindMfaDevice,
  type VirtualMfaDevice,
} from '../mfa.js';
import { decodeMarker, pageFields, pagingParams, toPage } from '../paging.js';
import { deletePasskey, listPasskeys, renamePasskey } from '../passkeys.js';
import { defaultDomainOf, getUserByPrincipalName, principalNameParts } from '../upn.js';
import { getUserByName } from '../users.js';
import { userName, userResource } from './users.js';

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
  str({ required: true, max: 128, pattern: /^[A-Za-z0-9._-]{1,64}@[A-Za-z0-9.-]+$/, code: 'InvalidParameter.UserPrincipalName.Format' });
const passkeyId = () => str({ required: true, max: 64 });

const mfaResource = (accountId: string, name: string): string => `acs:ram:*:${accountId}:mfa/${name}`;
/** IMS actions are authorized on the user named by the UPN (its name part; the pattern above guarantees one). */
const upnResource = (c: ActionContext, value: string): string => userResource(c.accountId, principalNameParts(value)?.name ?? value);

const mfaDeviceView = (device: VirtualMfaDevice) => ({ SerialNumber: device.serialNumber, Type: 'VMFA' });
/** IMS ListPasskeys gives times as Unix seconds. */
const unixSeconds = (iso: string | null): string => (iso ? String(Math.floor(Date.parse(iso) / 1000)) : '');

async function createDevice(p: { VirtualMFADeviceName: string }, c: ActionContext) {
  const created = await createVirtualMfaDevice(c.tx, c.services.secrets, c.accountId, p.VirtualMFADeviceName, c.clock.now());
  return { VirtualMFADevice: { SerialNumber: created.serialNumber, Base32StringSeed: created.base32Seed, QRCodePNG: created.qrPng } };
}

async function deleteDevice(p: { SerialNumber: string }, c: ActionContext) {
  await deleteVirtualMfaDevice(c.tx, c.accountId, p.SerialNumber);
  return {};
}

async function bind(userId: string, p: { SerialNumber: string; AuthenticationCode1: string; AuthenticationCode2: string }, c: ActionContext) {
  await bindMfaDevice(c.tx, c.services.secrets, {
    userId,
    serialNumber: p.SerialNumber,
    code1: p.AuthenticationCode1,
    code2: p.AuthenticationCode2,
    now: c.clock.now(),
  });
  return {};
}

async function unbind(userId: string, c: ActionContext) {
  const device = await unbindMfaDevice(c.tx, userId);
  return { MFADevice: { SerialNumber: device.serialNumber } };
}

const ramActions = [
  defineAction({
    product: 'ram',
    name: 'CreateVirtualMFADevice',
    params: { VirtualMFADeviceName: deviceName() },
    ramAction: 'ram:CreateVirtualMFADevice',
    resource: (p, c) => mfaResource(c.accountId, p.VirtualMFADeviceName),
    handle: createDevice,
  }),
  defineAction({
    product: 'ram',
    name: 'ListVirtualMFADevices',
    params: {},
    ramAction: 'ram:ListVirtualMFADevices',
    resource: (_p, c) => mfaResource(c.accountId, '*'),
    async handle(_p, c) {
      const devices = await listVirtualMfaDevices(c.tx, c.accountId, { limit: 100_000 });
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
  defineAction({
    product: 'ram',
    name: 'DeleteVirtualMFADevice',
    params: { SerialNumber: serialNumber() },
    ramAction: 'ram:DeleteVirtualMFADevice',
    resource: (p) => p.SerialNumber,
    handle: deleteDevice,
  }),
  defineAction({
    product: 'ram',
    name: 'BindMFADevice',
    params: {
      SerialNumber: serialNumber(),
      UserName: userName(true),
      AuthenticationCode1: authenticationCode(),
      AuthenticationCode2: authenticationCode(),
    },
    ramAction: 'ram:BindMFADevice',
    resource: (p, c) => userResource(c.accountId, p.UserName),
    async handle(p, c) {
      return bind((await getUserByName(c.tx, c.accountId, p.UserName)).id, p, c);
    },
  }),
  defineAction({
    product: 'ram',
    name: 'UnbindMFADevice',
    params: { UserName: userName(true) },
    ramAction: 'ram:UnbindMFADevice',
    resource: (p, c) => userResource(c.accountId, p.UserName),
    async handle(p, c) {
      return unbind((await getUserByName(c.tx, c.accountId, p.UserName)).id, c);
    },
  }),
  defineAction({
    product: 'ram',
    name: 'GetUserMFAInfo',
    params: { UserName: userName(true) },
    ramAction: 'ram:GetUserMFAInfo',
    resource: (p, c) => userResource(c.accountId, p.UserName),
    async handle(p, c) {
      const device = await getUserMfaDevice(c.tx, (await getUserByName(c.tx, c.accountId, p.UserName)).id);
      if (!device) throw entityNotExist('EntityNotExist.User.MFADevice', 'MFA device of the user');
      return { MFADevice: mfaDeviceView(device) };
    },
  }),
];

const imsActions = [
  defineAction({
    product: 'ims',
    name: 'CreateVirtualMFADevice',
    params: { VirtualMFADeviceName: deviceName() },
    ramAction: 'ram:CreateVirtualMFADevice',
    resource: (p, c) => mfaResource(c.accountId, p.VirtualMFADeviceName),
    handle: createDevice,
  }),
  defineAction({
    product: 'ims',
    name: 'ListVirtualMFADevices',
    params: pagingParams(),
    ramAction: 'ram:ListVirtualMFADevices',
    resource: (_p, c) => mfaResource(c.accountId, '*'),
    async handle(p, c) {
      const rows = await listVirtualMfaDevices(c.tx, c.accountId, { after: decodeMarker(p.Marker), limit: p.MaxItems + 1 });
      const page = toPage(rows, p.MaxItems, (d) => d.serialNumber);
      const domain = (await defaultDomainOf(c.tx, c.accountId)) ?? '';
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
  defineAction({
    product: 'ims',
    name: 'DeleteVirtualMFADevice',
    params: { SerialNumber: serialNumber() },
    ramAction: 'ram:DeleteVirtualMFADevice',
    resource: (p) => p.SerialNumber,
    handle: deleteDevice,
  }),
  defineAction({
    product: 'ims',
    name: 'BindMFADevice',
    params: {
      SerialNumber: serialNumber(),
      UserPrincipalName: upn(),
      AuthenticationCode1: authenticationCode(),
      AuthenticationCode2: authenticationCode(),
    },
    ramAction: 'ram:BindMFADevice',
    resource: (p, c) => upnResource(c, p.UserPrincipalName),
    async handle(p, c) {
      return bind((await getUserByPrincipalName(c.tx, c.accountId, p.UserPrincipalName)).id, p, c);
    },
  }),
  defineAction({
    product: 'ims',
    name: 'UnbindMFADevice',
    params: { UserPrincipalName: upn() },
    ramAction: 'ram:UnbindMFADevice',
    resource: (p, c) => upnResource(c, p.UserPrincipalName),
    async handle(p, c) {
      return unbind((await getUserByPrincipalName(c.tx, c.accountId, p.UserPrincipalName)).id, c);
    },
  }),
  defineAction({
    product: 'ims',
    name: 'GetUserMFAInfo',
    params: { UserPrincipalName: upn() },
    ramAction: 'ram:GetUserMFAInfo',
    resource: (p, c) => upnResource(c, p.UserPrincipalName),
    async handle(p, c) {
      const device = await getUserMfaDevice(c.tx, (await getUserByPrincipalName(c.tx, c.accountId, p.UserPrincipalName)).id);
      return device ? { IsMFAEnable: true, MFADevice: mfaDeviceView(device) } : { IsMFAEnable: false };
    },
  }),
  defineAction({
    product: 'ims',
    name: 'ListPasskeys',
    params: { UserPrincipalName: upn() },
    ramAction: 'ram:ListPasskeys',
    resource: (p, c) => upnResource(c, p.UserPrincipalName),
    async handle(p, c) {
      const user = await getUserByPrincipalName(c.tx, c.accountId, p.UserPrincipalName);
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
  defineAction({
    product: 'ims',
    name: 'UpdatePasskey',
    params: {
      UserPrincipalName: upn(),
      PasskeyId: passkeyId(),
      PasskeyName: str({ required: true, min: 1, max: 64, lengthCode: 'InvalidParameter.PasskeyName.Length' }),
    },
    ramAction: 'ram:UpdatePasskey',
    resource: (p, c) => upnResource(c, p.UserPrincipalName),
    async handle(p, c) {
      const user = await getUserByPrincipalName(c.tx, c.accountId, p.UserPrincipalName);
      await renamePasskey(c.tx, user.id, p.PasskeyId, p.PasskeyName);
      return {};
    },
  }),
  defineAction({
    product: 'ims',
    name: 'DeletePasskey',
    params: { UserPrincipalName: upn(), PasskeyId: passkeyId() },
    ramAction: 'ram:DeletePasskey',
    resource: (p, c) => upnResource(c, p.UserPrincipalName),
    async handle(p, c) {
      const user = await getUserByPrincipalName(c.tx, c.accountId, p.UserPrincipalName);
      await deletePasskey(c.tx, user.id, p.PasskeyId);
      return {};
    },
  }),
];

/** Virtual MFA devices (RAM and IMS) and IMS passkey management. */
export const mfaActions = [...ramActions, ...imsActions];
