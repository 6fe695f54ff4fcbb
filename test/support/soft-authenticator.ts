// A software WebAuthn authenticator for HTTP tests: real ES256 assertions the server verifies like a browser's.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { addPasskey } from '../../src/ram/passkeys.js';
import { Ram, type ramClient } from './sdk.js';
import type { TestServer } from './server.js';

/** A resident ES256 credential, as a platform authenticator holds it. */
export class SoftAuthenticator {
  readonly credentialId = randomBytes(16).toString('base64url');
  private readonly privateKey: KeyObject;
  readonly cosePublicKey: string;
  private counter = 0;

  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = privateKey;
    const jwk = publicKey.export({ format: 'jwk' });
    const x = Buffer.from(jwk.x!, 'base64url');
    const y = Buffer.from(jwk.y!, 'base64url');
    // COSE_Key {1: 2 (EC2), 3: -7 (ES256), -1: 1 (P-256), -2: x, -3: y}, CBOR-encoded.
    this.cosePublicKey = Buffer.concat([Buffer.from([0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21, 0x58, 0x20]), x, Buffer.from([0x22, 0x58, 0x20]), y]).toString('base64url');
  }

  /** The assertion for a challenge, with user presence and user verification. */
  assert(challenge: string, origin: string): Record<string, unknown> {
    const rpId = new URL(origin).hostname;
    const clientData = Buffer.from(JSON.stringify({ type: 'webauthn.get', challenge, origin, crossOrigin: false }));
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(++this.counter);
    const authData = Buffer.concat([createHash('sha256').update(rpId).digest(), Buffer.from([0x05]), counter]);
    const signature = sign('sha256', Buffer.concat([authData, createHash('sha256').update(clientData).digest()]), this.privateKey);
    return {
      id: this.credentialId,
      rawId: this.credentialId,
      type: 'public-key',
      response: { clientDataJSON: clientData.toString('base64url'), authenticatorData: authData.toString('base64url'), signature: signature.toString('base64url') },
      clientExtensionResults: {},
    };
  }
}

/**
 * A RAM user with a password logon and one passkey, held by a new software authenticator (written to the store as a
 * finished registration would leave it, so tests of the logon need no registration ceremony).
 */
export async function ramUserWithPasskey(
  server: TestServer,
  ram: ReturnType<typeof ramClient>,
  user: { name: string; password: string; resetRequired?: boolean },
): Promise<SoftAuthenticator> {
  const created = (await ram.createUser(new Ram.CreateUserRequest({ userName: user.name }))).body.user;
  await ram.createLoginProfile(
    new Ram.CreateLoginProfileRequest({ userName: user.name, password: user.password, passwordResetRequired: user.resetRequired ?? false }),
  );
  const authenticator = new SoftAuthenticator();
  await addPasskey(server.gatehouse.services.store.db, {
    userId: created.userId,
    accountId: server.accountId,
    credentialId: authenticator.credentialId,
    publicKey: authenticator.cosePublicKey,
    counter: 0,
    name: 'laptop',
    now: server.clock.now(),
  });
  return authenticator;
}
