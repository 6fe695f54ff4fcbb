import { isIPv4 } from 'node:net';
import type { Tx } from '../store/db.js';
import { preparedQuery } from '../store/prepared.js';
import type { SecurityPreferenceTable } from '../store/schema-login.js';

export type MFAOperationForLogin = 'mandatory' | 'independent' | 'adaptive';

/** An account's global security settings for RAM users (IMS field names, camel-cased). */
export interface SecurityPreference {
  allowUserToChangePassword: boolean;
  allowUserToLoginWithPasskey: boolean;
  allowUserToManageAccessKeys: boolean;
  allowUserToManageMFADevices: boolean;
  allowUserToManagePersonalDingTalk: boolean;
  allowUserToManageServiceCredentials: boolean;
  allowUserToManagePublicKeys: boolean; // RAM 2015-05-01 only
  /** Lets a user skip MFA on the same browser for seven days. */
  enableSaveMFATicket: boolean;
  /** `;`-separated IPv4 addresses or CIDRs console logon is allowed from; '' = anywhere. */
  loginNetworkMasks: string;
  loginSessionDuration: number; // hours, 1–24
  mfaOperationForLogin: MFAOperationForLogin;
  operationForRiskLogin: 'autonomous' | 'enforceVerify'; // deprecated by the product, kept for round trips
  maxIdleDaysForAccessKeys: number;
  maxIdleDaysForUsers: number;
  verificationTypes: string[];
}

export const DEFAULT_SECURITY_PREFERENCE: Readonly<SecurityPreference> = Object.freeze({
  allowUserToChangePassword: true,
  allowUserToLoginWithPasskey: true,
  allowUserToManageAccessKeys: false,
  allowUserToManageMFADevices: true,
  allowUserToManagePersonalDingTalk: true,
  allowUserToManageServiceCredentials: false,
  allowUserToManagePublicKeys: false,
  enableSaveMFATicket: false,
  loginNetworkMasks: '',
  loginSessionDuration: 6,
  mfaOperationForLogin: 'independent',
  operationForRiskLogin: 'autonomous',
  maxIdleDaysForAccessKeys: 730,
  maxIdleDaysForUsers: 730,
  verificationTypes: [],
});

export const MFA_OPERATIONS_FOR_LOGIN = ['mandatory', 'independent', 'adaptive'] as const;
export const OPERATIONS_FOR_RISK_LOGIN = ['autonomous', 'enforceVerify'] as const;
export const MAX_IDLE_DAYS = [90, 180, 365, 730] as const;
export const VERIFICATION_TYPES = ['sms', 'email'] as const;
export const LOGIN_NETWORK_MASKS_LIMITS = { maxMasks: 40, maxLength: 512 } as const;

/** Why a LoginNetworkMasks value is invalid, or null when it is fine ('' clears the restriction). */
export function loginNetworkMasksProblem(value: string): string | null {
  if (value === '') return null;
  if (value.length > LOGIN_NETWORK_MASKS_LIMITS.maxLength) return `it must be at most ${LOGIN_NETWORK_MASKS_LIMITS.maxLength} characters`;
  const masks = value.split(';').map((m) => m.trim());
  if (masks.length > LOGIN_NETWORK_MASKS_LIMITS.maxMasks) return `at most ${LOGIN_NETWORK_MASKS_LIMITS.maxMasks} masks are allowed`;
  for (const mask of masks) if (!parseCidr(mask)) return `"${mask}" is not an IPv4 address or CIDR block`;
  return null;
}

/** Whether a console logon from `ip` is allowed by the masks ('' allows every address; IPv6 only then). */
export function isSourceIpAllowed(loginNetworkMasks: string, ip: string): boolean {
  if (loginNetworkMasks.trim() === '') return true;
  const address = ipv4ToInt(ip.startsWith('::ffff:') ? ip.slice(7) : ip);
  if (address === null) return false;
  return loginNetworkMasks.split(';').some((mask) => {
    const cidr = parseCidr(mask.trim());
    return cidr !== null && (address & cidr.netmask) >>> 0 === (cidr.base & cidr.netmask) >>> 0;
  });
}

function parseCidr(mask: string): { base: number; netmask: number } | null {
  const [addr, bits, extra] = mask.split('/');
  if (extra !== undefined || addr === undefined) return null;
  const base = ipv4ToInt(addr);
  if (base === null) return null;
  if (bits === undefined) return { base, netmask: 0xffffffff };
  if (!/^\d{1,2}$/.test(bits) || Number(bits) > 32) return null;
  const n = Number(bits);
  return { base, netmask: n === 0 ? 0 : (0xffffffff << (32 - n)) >>> 0 };
}

function ipv4ToInt(ip: string): number | null {
  if (!isIPv4(ip)) return null;
  return ip.split('.').reduce((acc, part) => ((acc << 8) | Number(part)) >>> 0, 0);
}

const preferenceRow = preparedQuery((tx, p: { accountId: string }) => tx.selectFrom('security_preferences').selectAll().where('account_id', '=', p.accountId));

export async function getSecurityPreference(tx: Tx, accountId: string): Promise<SecurityPreference> {
  const [row] = (await preferenceRow(tx, { accountId })).rows;
  return preferenceOf(row);
}

/** The preference a stored row says, or the defaults when the account has none. */
export function preferenceOf(row: SecurityPreferenceTable | undefined): SecurityPreference {
  return row ? fromRow(row) : { ...DEFAULT_SECURITY_PREFERENCE, verificationTypes: [] };
}

/** Applies the given fields over the current preference (omitted ones keep their value) and stores it. */
export async function setSecurityPreference(
  tx: Tx,
  accountId: string,
  changes: Partial<SecurityPreference>,
  now: string,
): Promise<SecurityPreference> {
  const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) as Partial<SecurityPreference>;
  const preference: SecurityPreference = { ...(await getSecurityPreference(tx, accountId)), ...defined };
  const row = toRow(accountId, preference, now);
  const { account_id: _a, ...update } = row;
  await tx
    .insertInto('security_preferences')
    .values(row)
    .onConflict((oc) => oc.column('account_id').doUpdateSet(update))
    .execute();
  return preference;
}

function fromRow(row: SecurityPreferenceTable): SecurityPreference {
  return {
    allowUserToChangePassword: row.allow_user_to_change_password === 1,
    allowUserToLoginWithPasskey: row.allow_user_to_login_with_passkey === 1,
    allowUserToManageAccessKeys: row.allow_user_to_manage_access_keys === 1,
    allowUserToManageMFADevices: row.allow_user_to_manage_mfa_devices === 1,
    allowUserToManagePersonalDingTalk: row.allow_user_to_manage_personal_dingtalk === 1,
    allowUserToManageServiceCredentials: row.allow_user_to_manage_service_credentials === 1,
    allowUserToManagePublicKeys: row.allow_user_to_manage_public_keys === 1,
    enableSaveMFATicket: row.enable_save_mfa_ticket === 1,
    loginNetworkMasks: row.login_network_masks,
    loginSessionDuration: row.login_session_duration,
    mfaOperationForLogin: row.mfa_operation_for_login,
    operationForRiskLogin: row.operation_for_risk_login,
    maxIdleDaysForAccessKeys: row.max_idle_days_for_access_keys,
    maxIdleDaysForUsers: row.max_idle_days_for_users,
    verificationTypes: JSON.parse(row.verification_types) as string[],
  };
}

const flag = (b: boolean): number => (b ? 1 : 0);

function toRow(accountId: string, p: SecurityPreference, now: string): SecurityPreferenceTable {
  return {
    account_id: accountId,
    allow_user_to_change_password: flag(p.allowUserToChangePassword),
    allow_user_to_login_with_passkey: flag(p.allowUserToLoginWithPasskey),
    allow_user_to_manage_access_keys: flag(p.allowUserToManageAccessKeys),
    allow_user_to_manage_mfa_devices: flag(p.allowUserToManageMFADevices),
    allow_user_to_manage_personal_dingtalk: flag(p.allowUserToManagePersonalDingTalk),
    allow_user_to_manage_service_credentials: flag(p.allowUserToManageServiceCredentials),
    allow_user_to_manage_public_keys: flag(p.allowUserToManagePublicKeys),
    enable_save_mfa_ticket: flag(p.enableSaveMFATicket),
    login_network_masks: p.loginNetworkMasks,
    login_session_duration: p.loginSessionDuration,
    mfa_operation_for_login: p.mfaOperationForLogin,
    operation_for_risk_login: p.operationForRiskLogin,
    max_idle_days_for_access_keys: p.maxIdleDaysForAccessKeys,
    max_idle_days_for_users: p.maxIdleDaysForUsers,
    verification_types: JSON.stringify(p.verificationTypes),
    updated_at: now,
  };
}
