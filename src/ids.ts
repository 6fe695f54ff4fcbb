import { randomBytes, randomInt, randomUUID } from 'node:crypto';

const ALPHANUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

export function randomString(length: number, alphabet = ALPHANUM): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

export function randomDigits(length: number): string {
  let out = String(randomInt(1, 10));
  for (let i = 1; i < length; i++) out += String(randomInt(10));
  return out;
}

/** Account IDs are 16 digits. */
export const newAccountId = (): string => randomDigits(16);
/** RAM user, role and group IDs are numeric strings. */
export const newUserId = (): string => randomDigits(17);
export const newRoleId = (): string => randomDigits(19);
export const newGroupId = (): string => randomDigits(17);
export const newPolicyId = (): string => randomDigits(18);
export const newAccessKeyId = (): string => `LTAI${randomString(20)}`;
export const newAccessKeySecret = (): string => randomString(30);
export const newStsAccessKeyId = (): string => `STS.${randomString(28)}`;
export const newSecurityToken = (): string => `CAIS${randomBytes(96).toString('base64url')}`;
/** Request IDs look like Alibaba's: an upper-case UUID. */
export const newRequestId = (): string => randomUUID().toUpperCase();
/** Prefixed IDs such as CloudSSO's `u-00abc…`. */
export const newPrefixedId = (prefix: string, length = 20): string => `${prefix}${randomString(length, LOWER_ALNUM)}`;
