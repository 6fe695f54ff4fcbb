import { X509Certificate } from 'node:crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { invalidParameter } from '../errors.js';

// SAML 2.0 metadata: an external IdP's (read: a CloudSSO directory's IdP, a RAM SAML provider), a directory's as a
// service provider (written), and the X.509 certificates an IdP signs with. Pure: no store, no I/O.

export type BindingType = 'Post' | 'Redirect';

export const BINDING_URNS: Record<BindingType, string> = {
  Post: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
  Redirect: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect',
};

const MD_NS = 'urn:oasis:names:tc:SAML:2.0:metadata';
const DS_NS = 'http://www.w3.org/2000/09/xmldsig#';

export interface IdpMetadata {
  entityId: string;
  loginUrl: string;
  bindingType: BindingType;
  /** PEM, in document order, duplicates removed. */
  certificates: string[];
}

// ---- certificates ----

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
export function certificateDetails(certificate: X509Certificate): { version: number; signatureAlgorithm: string } {
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

// ---- reading IdP metadata ----

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: false,
  isArray: (name) => ['EntityDescriptor', 'IDPSSODescriptor', 'SingleSignOnService', 'KeyDescriptor', 'X509Certificate', 'X509Data'].includes(name),
});

type Node = Record<string, unknown>;
const nodes = (value: unknown): Node[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((v): v is Node => typeof v === 'object' && v !== null);
const textOf = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'object' && value !== null && typeof (value as Node)['#text'] === 'string' ? ((value as Node)['#text'] as string) : '');

/** Decodes `EncodedMetadataDocument` (base64 of the metadata XML); 1 MiB of XML at most. */
export function decodeMetadataDocument(encoded: string, param = 'EncodedMetadataDocument'): string {
  const compact = encoded.replace(/\s+/g, '');
  const bad = invalidParameter(param, 'it must be the base64 encoding of the IdP metadata XML');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) throw bad;
  const xml = Buffer.from(compact, 'base64').toString('utf8');
  if (xml.length > 1024 * 1024 || !xml.includes('<')) throw bad;
  return xml;
}

function idpDescriptor(xml: string, param: string): { entityId: string; descriptor: Node } {
  const bad = (reason: string) => invalidParameter(param, reason);
  // Metadata never needs a DTD; refusing one rules out entity tricks before the parser sees them.
  if (/<!DOCTYPE/i.test(xml)) throw bad('the metadata must not contain a DOCTYPE');
  if (XMLValidator.validate(xml) !== true) throw bad('it is not well-formed XML');
  const doc = parser.parse(xml) as Node;
  const entities = [...nodes(doc.EntityDescriptor), ...nodes(nodes(doc.EntitiesDescriptor)[0]?.EntityDescriptor)];
  const entity = entities.find((e) => nodes(e.IDPSSODescriptor).length > 0);
  if (!entity) throw bad('it has no EntityDescriptor with an IDPSSODescriptor');
  const entityId = String(entity['@_entityID'] ?? '').trim();
  if (entityId === '' || entityId.length > 1024) throw bad('the EntityDescriptor has no entityID (or one longer than 1024 characters)');
  return { entityId, descriptor: nodes(entity.IDPSSODescriptor)[0]! };
}

function ssoLocations(descriptor: Node): Partial<Record<BindingType, string>> {
  const found: Partial<Record<BindingType, string>> = {};
  for (const service of nodes(descriptor.SingleSignOnService)) {
    const binding = (Object.keys(BINDING_URNS) as BindingType[]).find((b) => BINDING_URNS[b] === service['@_Binding']);
    const location = String(service['@_Location'] ?? '').trim();
    if (binding && location && !found[binding]) found[binding] = location;
  }
  return found;
}

/**
 * EntityID, the SingleSignOnService Location for `binding` (or, when none is asked for, HTTP-POST before
 * HTTP-Redirect) and the signing certificates of an IdP's metadata.
 */
export function parseIdpMetadata(xml: string, binding?: BindingType, param = 'EncodedMetadataDocument'): IdpMetadata {
  const bad = (reason: string) => invalidParameter(param, reason);
  const { entityId, descriptor } = idpDescriptor(xml, param);
  const locations = ssoLocations(descriptor);
  const bindingType = binding ?? (locations.Post ? 'Post' : 'Redirect');
  const location = locations[bindingType];
  if (!location) throw bad(`it has no SingleSignOnService with the ${BINDING_URNS[bindingType]} binding`);
  const loginUrl = checkLoginUrl(location, param);
  const certificates: string[] = [];
  for (const key of nodes(descriptor.KeyDescriptor)) {
    if (key['@_use'] !== undefined && key['@_use'] !== 'signing') continue;
    for (const data of nodes(nodes(key.KeyInfo)[0]?.X509Data)) {
      for (const value of Array.isArray(data.X509Certificate) ? data.X509Certificate : []) {
        const { pem } = parseCertificate(textOf(value), param);
        if (!certificates.includes(pem)) certificates.push(pem);
      }
    }
  }
  if (certificates.length === 0) throw bad('it has no signing X509Certificate');
  return { entityId, loginUrl, bindingType, certificates };
}

/** The SingleSignOnService Location of `binding` in metadata we stored, if it has one. */
export function storedSsoLocation(encoded: string, binding: BindingType): string | undefined {
  try {
    return ssoLocations(idpDescriptor(decodeMetadataDocument(encoded), 'EncodedMetadataDocument').descriptor)[binding];
  } catch {
    return undefined;
  }
}

/** The IdP's sign-in address: https, or plain http on the loopback host (a local IdP in development and tests). */
export function checkLoginUrl(value: string, param = 'LoginUrl'): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidParameter(param, `${value} is not an absolute URL`);
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.username || url.password) throw invalidParameter(param, 'the login URL must not carry a user name or password');
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw invalidParameter(param, 'the login URL must use https (plain http only on localhost)');
  }
  if (value.length > 1024) throw invalidParameter(param, 'the login URL is longer than 1024 characters');
  return value;
}

// ---- writing metadata ----

const attr = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

const base64 = (xml: string): string => Buffer.from(xml, 'utf8').toString('base64');

/** IdP metadata from the fields, for an IdP configured by EntityId + LoginUrl + certificates rather than by upload. */
export function idpMetadataDocument(input: { entityId: string; loginUrl: string; bindingType: BindingType; certificates: string[]; wantRequestSigned: boolean }): string {
  const keys = input.certificates
    .map((pem) => `<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${certificateBody(pem)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`)
    .join('');
  return base64(
    `<?xml version="1.0" encoding="UTF-8"?><md:EntityDescriptor xmlns:md="${MD_NS}" xmlns:ds="${DS_NS}" entityID="${attr(input.entityId)}">` +
      `<md:IDPSSODescriptor WantAuthnRequestsSigned="${input.wantRequestSigned}" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">${keys}` +
      `<md:SingleSignOnService Binding="${BINDING_URNS[input.bindingType]}" Location="${attr(input.loginUrl)}"/>` +
      `</md:IDPSSODescriptor></md:EntityDescriptor>`,
  );
}

/** The directory as a SAML service provider: its entity ID and its assertion consumer service (HTTP-POST). */
export function spMetadataDocument(input: { entityId: string; acsUrl: string }): string {
  return base64(
    `<?xml version="1.0" encoding="UTF-8"?><md:EntityDescriptor xmlns:md="${MD_NS}" entityID="${attr(input.entityId)}">` +
      `<md:SPSSODescriptor AuthnRequestsSigned="false" WantAssertionsSigned="true" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">` +
      `<md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified</md:NameIDFormat>` +
      `<md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>` +
      `<md:AssertionConsumerService Binding="${BINDING_URNS.Post}" Location="${attr(input.acsUrl)}" index="0" isDefault="true"/>` +
      `</md:SPSSODescriptor></md:EntityDescriptor>`,
  );
}
