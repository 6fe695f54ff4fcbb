import { X509Certificate } from 'node:crypto';
import { invalidParameter } from '../errors.js';

// The X.509 certificates a SAML IdP signs with: read from PEM (or bare base64 DER) and described field by field.
// Pure: no store, no I/O.

/** A PEM or bare base64 DER certificate → the certificate in canonical PEM; anything else → InvalidParameter.<param>. */
export function parseCertificate(text: string, param = 'X509Certificate'): { pem: string; certificate: X509Certificate } {
  const body = text
    .replace(/-----(BEGIN|END) CERTIFICATE-----/g, '')
    .replace(/\s+/g, '');
  const bad = invalidParameter(param, 'it is not an X.509 certificate in PEM format');
  if (body === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(body)) throw bad;
  const pem = `-----BEGIN CERTIFICATE-----\n${body.replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
  try {
    const certificate = new X509Certificate(pem);
    return { pem: certificate.toString(), certificate };
  } catch {
    throw bad;
  }
}

/** The base64 body of a PEM, as metadata's `<ds:X509Certificate>` carries it. */
export const certificateBody = (pem: string): string => pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');

const SIGNATURE_ALGORITHMS: Record<string, string> = {
  '1.2.840.113549.1.1.5': 'SHA1withRSA',
  '1.2.840.113549.1.1.11': 'SHA256withRSA',
  '1.2.840.113549.1.1.12': 'SHA384withRSA',
  '1.2.840.113549.1.1.13': 'SHA512withRSA',
  '1.2.840.113549.1.1.10': 'RSASSA-PSS',
  '1.2.840.10045.4.3.2': 'SHA256withECDSA',
  '1.2.840.10045.4.3.3': 'SHA384withECDSA',
  '1.2.840.10045.4.3.4': 'SHA512withECDSA',
  '1.3.101.112': 'Ed25519',
};

/** One DER element at `at`: its tag, where its content starts and ends. */
function derElement(der: Buffer, at: number): { tag: number; start: number; end: number } {
  const tag = der[at]!;
  let length = der[at + 1]!;
  let start = at + 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + der[start + i]!;
    start += n;
  }
  return { tag, start, end: start + length };
}

function oidText(bytes: Buffer): string {
  const parts = [Math.floor(bytes[0]! / 40), bytes[0]! % 40];
  let value = 0;
  for (const byte of bytes.subarray(1)) {
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      parts.push(value);
      value = 0;
    }
  }
  return parts.join('.');
}

/**
 * Version and signature algorithm, which node:crypto does not expose: Certificate ::= SEQUENCE { tbsCertificate
 * SEQUENCE { [0] version?, … }, signatureAlgorithm SEQUENCE { OID, … }, signature }.
 */
function versionAndAlgorithm(certificate: X509Certificate): { version: number; signatureAlgorithm: string } {
  const der = certificate.raw;
  const outer = derElement(der, 0);
  const tbs = derElement(der, outer.start);
  const first = derElement(der, tbs.start);
  const version = first.tag === 0xa0 ? der[derElement(der, first.start).start]! + 1 : 1;
  const algorithm = derElement(der, tbs.end);
  const oid = derElement(der, algorithm.start);
  const text = oidText(der.subarray(oid.start, oid.end));
  return { version, signatureAlgorithm: SIGNATURE_ALGORITHMS[text] ?? text };
}

/** What an administrator sees of a certificate; dates as ISO strings, the public key as base64 DER (SPKI). */
export interface CertificateDescription {
  serialNumber: string;
  subject: string;
  issuer: string;
  version: number;
  signatureAlgorithm: string;
  publicKey: string;
  notBefore: string;
  notAfter: string;
}

export function describeCertificate(pem: string): CertificateDescription {
  const { certificate } = parseCertificate(pem);
  return {
    serialNumber: certificate.serialNumber,
    subject: certificate.subject.split('\n').join(','),
    issuer: certificate.issuer.split('\n').join(','),
    ...versionAndAlgorithm(certificate),
    publicKey: certificate.publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    notBefore: new Date(certificate.validFrom).toISOString(),
    notAfter: new Date(certificate.validTo).toISOString(),
  };
}
