import {
  generateAuthenticationOptions,
  verifyAuthenticationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import type { Tx } from '../../store/db.js';
import { findPasskeyByCredentialId, recordPasskeyUse } from '../../ram/passkeys.js';
import { getSecurityPreference } from '../../ram/security-preference.js';

// The passkey logon ceremony (WebAuthn authentication) in SimpleWebAuthn's shape: options in, a verified result out.
// User verification is required, so a passkey stands for both factors.

/** Who the browser talks to: the host it reached us at (`rpID`) and that origin. */
export interface RelyingParty {
  rpID: string;
  origin: string;
}

/**
 * The administrator's say over passkeys (AllowUserToLoginWithPasskey): while off, no passkey logs on and none can be
 * added. True for no account: a logon page must not tell which domains exist.
 */
export async function isPasskeyLogonAllowed(tx: Tx, accountId: string | undefined): Promise<boolean> {
  return accountId ? (await getSecurityPreference(tx, accountId)).allowUserToLoginWithPasskey : true;
}

/** Options for `navigator.credentials.get`: any of the user's discoverable passkeys, with user verification. */
export function passkeyLogonOptions(party: RelyingParty): Promise<PublicKeyCredentialRequestOptionsJSON> {
  return generateAuthenticationOptions({ rpID: party.rpID, userVerification: 'required', allowCredentials: [] });
}

export type PasskeyLogonResult = { verified: false } | { verified: true; userId: string };

/**
 * Verifies an assertion against the stored passkey it names and records its use. Not verified: an unknown or
 * malformed credential, a bad signature, or a signature counter that did not move forward (a cloned authenticator or
 * a replayed assertion).
 */
export async function verifyPasskeyLogon(
  tx: Tx,
  input: { response: AuthenticationResponseJSON | undefined; expectedChallenge: string; party: RelyingParty; now: Date },
): Promise<PasskeyLogonResult> {
  const { response, party } = input;
  const passkey = typeof response?.id === 'string' && response.id.length <= 1024 ? await findPasskeyByCredentialId(tx, response.id) : undefined;
  if (!response || !passkey) return { verified: false };
  let newCounter: number;
  try {
    const result = await verifyAuthenticationResponse({
      response,
      expectedChallenge: input.expectedChallenge,
      expectedOrigin: party.origin,
      expectedRPID: party.rpID,
      requireUserVerification: true,
      credential: {
        id: passkey.credentialId,
        publicKey: Buffer.from(passkey.publicKey, 'base64url'),
        counter: passkey.counter,
        transports: passkey.transports as never,
      },
    });
    if (!result.verified) return { verified: false };
    newCounter = result.authenticationInfo.newCounter;
  } catch {
    return { verified: false };
  }
  if (!(await recordPasskeyUse(tx, passkey.id, newCounter, input.now))) return { verified: false };
  return { verified: true, userId: passkey.userId };
}
