import { invalidParameter } from '../errors.js';

// Directory settings rules that are not plain ranges.

/**
 * `SourceIdentityPassing` (spec §1.2, Get/UpdateAttributePassingSetting): what SAML sign-in passes on to role sessions
 * as SourceIdentity — the assertion's own value (IdP), `acs:sso:<username>` (UserName), or nothing (Disabled).
 * The contract names no default; a new directory starts at Disabled, which Alibaba's SDK documents for one never set.
 */
export const SOURCE_IDENTITY_PASSING = ['IdP', 'UserName', 'Disabled'] as const;

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
export const MAX_LOGIN_NETWORK_MASKS = 100;

/** `LoginNetworkMasks`: up to 100 IPv4 addresses or CIDR blocks separated by `;` (spec §1.5 item 18). Returns it normalized. */
export function checkLoginNetworkMasks(value: string): string {
  const masks = value
    .split(';')
    .map((m) => m.trim())
    .filter((m) => m !== '');
  if (masks.length > MAX_LOGIN_NETWORK_MASKS) {
    throw invalidParameter('LoginNetworkMasks', `at most ${MAX_LOGIN_NETWORK_MASKS} network masks are allowed`);
  }
  for (const mask of masks) {
    const [ip, bits, extra] = mask.split('/');
    const bitsOk = bits === undefined || (/^\d{1,2}$/.test(bits) && Number(bits) <= 32);
    if (extra !== undefined || !ip || !IPV4.test(ip) || !bitsOk) {
      throw invalidParameter('LoginNetworkMasks', `${mask} is not an IPv4 address or CIDR block`);
    }
  }
  return masks.join(';');
}
