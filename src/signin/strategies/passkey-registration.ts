import {
  generateRegistrationOptions,
  verifyRegistrationResponse,
  type PublicKeyCredentialCreationOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { Passkey } from '../../ram/passkeys.js';
import type { RelyingParty } from './passkey.js';

// The passkey registration ceremony in SimpleWebAuthn's shape: options in, a verified credential out. Storing it is
// ram/passkeys.ts's part.

export interface PasskeyHolder {
  id: string;
  /** The logon name, name@domain: what the authenticator shows. */
  logonName: string;
  displayName: string;
}

/** Options for `navigator.credentials.create`: a discoverable credential with user verification, none of the user's existing ones again. */
export function passkeyRegistrationOptions(input: { party: RelyingParty; user: PasskeyHolder; existing: Passkey[] }): Promise<PublicKeyCredentialCreationOptionsJSON> {
  return generateRegistrationOptions({
    rpName: 'Gatehouse',
    rpID: input.party.rpID,
    userName: input.user.logonName,
    userDisplayName: input.user.displayName,
    userID: new TextEncoder().encode(input.user.id),
    attestationType: 'none',
    excludeCredentials: input.existing.map((p) => ({ id: p.credentialId, transports: p.transports as never })),
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
  });
}

export interface RegisteredCredential {
  credentialId: string;
  /** base64url COSE public key */
  publicKey: string;
  counter: number;
  transports: string[];
}

export type PasskeyRegistrationResult = { verified: false } | { verified: true; credential: RegisteredCredential };

/** Verifies the authenticator's answer to the options; a missing, malformed or unverified one is not verified. */
export async function verifyPasskeyRegistration(input: {
  response: RegistrationResponseJSON | undefined;
  expectedChallenge: string;
  party: RelyingParty;
}): Promise<PasskeyRegistrationResult> {
  if (!input.response) return { verified: false };
  try {
    const result = await verifyRegistrationResponse({
      response: input.response,
      expectedChallenge: input.expectedChallenge,
      expectedOrigin: input.party.origin,
      expectedRPID: input.party.rpID,
      requireUserVerification: true,
    });
    if (!result.verified || !result.registrationInfo) return { verified: false };
    const { credential } = result.registrationInfo;
    return {
      verified: true,
      credential: {
        credentialId: credential.id,
        publicKey: Buffer.from(credential.publicKey).toString('base64url'),
        counter: credential.counter,
        transports: credential.transports ?? [],
      },
    };
  } catch {
    return { verified: false };
  }
}
