import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { ApiError } from '../errors.js';
import { newPrefixedId } from '../ids.js';
import type { SecretBox } from '../crypto/secrets.js';
import { inTransaction, type Tx } from '../store/db.js';
import type { SamlSpKeyTable } from '../store/schema-saml-sp-keys.js';

// The key pairs Gatehouse signs AuthnRequests with as a SAML service provider, one set per owner: `cloudsso:<DirectoryId>`
// for a CloudSSO directory (spOwner below), a RAM account's own string later. RSA-2048 with a self-signed certificate
// (what Alibaba's SP info calls CertificateType self-signed); the private key is sealed at rest.
//
// Rotation: the new key signs from then on; the one before stays "previous" and is still published in the SP
// metadata, so an IdP that reads the metadata again trusts both until the previous one is retired (or rotated out).

x509.cryptoProvider.set(webcrypto as Crypto);

export interface SpKey {
  id: string;
  /** PKCS#8 PEM, opened: what node-saml's `privateKey` takes. */
  privateKeyPem: string;
  certificatePem: string;
}

/** What creating a key needs besides the transaction. */
export interface SpKeyContext {
  secrets: SecretBox;
  now: Date;
}

/** The owner string of a CloudSSO directory's SP keys. */
export const spOwner = (directoryId: string): string => `cloudsso:${directoryId}`;

/** Self-signed for ten years, as SAML SP signing certificates usually are: IdPs trust the key, not a chain. */
const CERTIFICATE_YEARS = 10;
const ALGORITHM = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 } as const;

const pem = (label: string, der: ArrayBuffer): string =>
  `-----BEGIN ${label}-----\n${Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END ${label}-----\n`;

/** A new RSA-2048 key pair and its self-signed certificate (CN names the owner). Takes a good part of a second. */
export async function newSpKeyPair(owner: string, now: Date): Promise<{ privateKeyPem: string; certificatePem: string }> {
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const notAfter = new Date(now);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + CERTIFICATE_YEARS);
  // An X.509 common name holds at most 64 characters; the owner only helps a reader tell certificates apart.
  const cn = `Gatehouse SAML SP ${owner}`.slice(0, 64).replace(/[,+="\\<>;#]/g, '_');
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(16))).toString('hex').replace(/^[89a-f]/, '1'),
    name: `CN=${cn}`,
    notBefore: new Date(now.getTime() - 60_000),
    notAfter,
    signingAlgorithm: ALGORITHM,
    keys,
    extensions: [new x509.BasicConstraintsExtension(false, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true)],
  });
  return { privateKeyPem: pem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)), certificatePem: certificate.toString('pem') + '\n' };
}

const keyOf = (row: Pick<SamlSpKeyTable, 'id' | 'private_key_sealed' | 'certificate'>, secrets: SecretBox): SpKey => ({
  id: row.id,
  privateKeyPem: secrets.open(row.private_key_sealed),
  certificatePem: row.certificate,
});

function keysOf(tx: Tx, owner: string) {
  return tx.selectFrom('saml_sp_keys').selectAll().where('owner', '=', owner);
}

async function newRow(owner: string, context: SpKeyContext): Promise<SamlSpKeyTable> {
  const pair = await newSpKeyPair(owner, context.now);
  return {
    id: newPrefixedId('spk-', 20),
    owner,
    state: 'active',
    private_key_sealed: context.secrets.seal(pair.privateKeyPem),
    certificate: pair.certificatePem,
    created_at: context.now.toISOString(),
  };
}

/**
 * The key that signs the owner's AuthnRequests, made on first use. Two nodes making the first one at once both insert
 * or ignore against the one-active-key-per-owner index and then read the one that won.
 */
export async function activeSpKey(tx: Tx, owner: string, context: SpKeyContext): Promise<SpKey> {
  const found = await keysOf(tx, owner).where('state', '=', 'active').executeTakeFirst();
  if (found) return keyOf(found, context.secrets);
  await tx.insertInto('saml_sp_keys').values(await newRow(owner, context)).onConflict((oc) => oc.doNothing()).execute();
  const won = await keysOf(tx, owner).where('state', '=', 'active').executeTakeFirstOrThrow();
  return keyOf(won, context.secrets);
}

/** The certificates to publish in the SP metadata: the active one (made on first use), then the previous one if any. */
export async function spCertificates(tx: Tx, owner: string, context: SpKeyContext): Promise<string[]> {
  const active = await activeSpKey(tx, owner, context);
  const previous = await keysOf(tx, owner).where('state', '=', 'previous').select('certificate').executeTakeFirst();
  return previous ? [active.certificatePem, previous.certificate] : [active.certificatePem];
}

/** The SP keys as an administrator sees them: no private key. */
export async function listSpKeys(tx: Tx, owner: string): Promise<Array<{ id: string; state: 'active' | 'previous'; certificatePem: string; createdAt: string }>> {
  const rows = await keysOf(tx, owner).orderBy('state').execute();
  return rows.map((r) => ({ id: r.id, state: r.state, certificatePem: r.certificate, createdAt: r.created_at }));
}

const rotationConflict = (): ApiError =>
  new ApiError('OperationConflict.SPCertificate', 409, 'The SP certificate was rotated by another request at the same time. Try again.');

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint failed/.test(e?.message ?? '');
}

/**
 * A new key signs from now on; the active one becomes previous (still published) and the previous one before it is
 * deleted, in one transaction (`tx`'s, or its own). A rotation racing another one fails with OperationConflict and
 * changes nothing.
 */
export async function rotateSpKey(tx: Tx, owner: string, context: SpKeyContext): Promise<SpKey> {
  const row = await newRow(owner, context);
  try {
    await inTransaction(tx, async (t) => {
      await t.deleteFrom('saml_sp_keys').where('owner', '=', owner).where('state', '=', 'previous').execute();
      await t.updateTable('saml_sp_keys').set({ state: 'previous' }).where('owner', '=', owner).where('state', '=', 'active').execute();
      await t.insertInto('saml_sp_keys').values(row).execute();
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw rotationConflict();
    throw error;
  }
  return keyOf(row, context.secrets);
}

/** Stops publishing the previous key (its private key is deleted). True when there was one. */
export async function retirePreviousSpKey(tx: Tx, owner: string): Promise<boolean> {
  const result = await tx.deleteFrom('saml_sp_keys').where('owner', '=', owner).where('state', '=', 'previous').executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Every key of the owner, for when the owner itself goes (a deleted directory). */
export async function deleteSpKeys(tx: Tx, owner: string): Promise<void> {
  await tx.deleteFrom('saml_sp_keys').where('owner', '=', owner).execute();
}
