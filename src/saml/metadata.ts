import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { invalidParameter } from '../errors.js';
import { certificateBody, parseCertificate } from './certificates.js';

// SAML 2.0 metadata: an external IdP's (read: a CloudSSO directory's IdP, a RAM SAML provider) and a directory's as a
// service provider (written). Pure: no store, no I/O.

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

// ---- reading IdP metadata ----

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: false,
  isArray: (name) => ['EntitiesDescriptor', 'EntityDescriptor', 'IDPSSODescriptor', 'SingleSignOnService', 'KeyDescriptor', 'X509Certificate', 'X509Data'].includes(name),
});

type Node = Record<string, unknown>;
const nodes = (value: unknown): Node[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((v): v is Node => typeof v === 'object' && v !== null);
const textOf = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'object' && value !== null && typeof (value as Node)['#text'] === 'string' ? ((value as Node)['#text'] as string) : '');

/** Decodes `EncodedMetadataDocument` (base64 of the metadata XML); 1 MiB of XML at most. */
function decodeMetadataDocument(encoded: string, param = 'EncodedMetadataDocument'): string {
  const compact = encoded.replace(/\s+/g, '');
  const bad = invalidParameter(param, 'it must be the base64 encoding of the IdP metadata XML');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) throw bad;
  const xml = Buffer.from(compact, 'base64').toString('utf8');
  if (xml.length > 1024 * 1024 || !xml.includes('<')) throw bad;
  return xml;
}

/** Every EntityDescriptor of the document: the root one, or those inside (nested) EntitiesDescriptor groups. */
function entityDescriptors(node: Node): Node[] {
  return [...nodes(node.EntityDescriptor), ...nodes(node.EntitiesDescriptor).flatMap(entityDescriptors)];
}

const SAML2_PROTOCOL = 'urn:oasis:names:tc:SAML:2.0:protocol';

function idpDescriptor(xml: string, param: string): { entityId: string; descriptor: Node } {
  const bad = (reason: string) => invalidParameter(param, reason);
  // Metadata never needs a DTD; refusing one rules out entity tricks before the parser sees them.
  if (/<!DOCTYPE/i.test(xml)) throw bad('the metadata must not contain a DOCTYPE');
  if (XMLValidator.validate(xml) !== true) throw bad('it is not well-formed XML');
  const doc = parser.parse(xml) as Node;
  // A federation's aggregate (EntitiesDescriptor groups) may hold SPs beside the IdP; which of several IdPs is meant
  // cannot be guessed.
  const idps = entityDescriptors(doc).filter((e) => nodes(e.IDPSSODescriptor).length > 0);
  if (idps.length === 0) throw bad('it has no EntityDescriptor with an IDPSSODescriptor');
  if (idps.length > 1) throw bad(`it describes ${idps.length} identity providers; upload the metadata of exactly one`);
  const entity = idps[0]!;
  const entityId = String(entity['@_entityID'] ?? '').trim();
  if (entityId === '' || entityId.length > 1024) throw bad('the EntityDescriptor has no entityID (or one longer than 1024 characters)');
  const descriptors = nodes(entity.IDPSSODescriptor);
  const saml2 = descriptors.find((d) => String(d['@_protocolSupportEnumeration'] ?? '').split(/\s+/).includes(SAML2_PROTOCOL));
  return { entityId, descriptor: saml2 ?? descriptors[0]! };
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

/** Line breaks some Windows tools write as character references (`&#13;`, `&#xA;`) inside a base64 certificate. */
const withoutWhitespaceReferences = (text: string): string => text.replace(/&#(?:x0*[9aAdD]|x0*20|0*9|0*10|0*13|0*32);/g, '');

/**
 * EntityID, the SingleSignOnService Location for `binding` (or, when none is asked for, HTTP-POST before
 * HTTP-Redirect) and the signing certificates of an IdP's metadata.
 */
function parseIdpMetadata(xml: string, binding?: BindingType, param = 'EncodedMetadataDocument'): IdpMetadata {
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
        const { pem } = parseCertificate(withoutWhitespaceReferences(textOf(value)), param);
        if (!certificates.includes(pem)) certificates.push(pem);
      }
    }
  }
  if (certificates.length === 0) throw bad('it has no signing X509Certificate');
  return { entityId, loginUrl, bindingType, certificates };
}

/**
 * Uploaded IdP metadata (base64 of the XML), checked: what it says, and the document to store (whitespace removed).
 * `binding` picks the SingleSignOnService as parseIdpMetadata does; errors name `param`.
 */
export function checkIdpMetadataDocument(
  encoded: string,
  options: { binding?: BindingType; param?: string } = {},
): { idp: IdpMetadata; document: string } {
  const param = options.param ?? 'EncodedMetadataDocument';
  const idp = parseIdpMetadata(decodeMetadataDocument(encoded, param), options.binding, param);
  return { idp, document: encoded.replace(/\s+/g, '') };
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

/**
 * A service provider's metadata, for the IdP to import: its entity ID; whether it signs its AuthnRequests (a directory's
 * WantRequestSigned); that it wants signed assertions; a signing KeyDescriptor per published SP certificate (the
 * active one and, during a rotation, the previous one); the NameID formats it reads; its HTTP-POST assertion
 * consumer service.
 */
export function spMetadataXml(input: { entityId: string; acsUrl: string; certificates: string[]; authnRequestsSigned: boolean }): string {
  const keys = input.certificates
    .map((pem) => `<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${certificateBody(pem)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`)
    .join('');
  return (
    `<?xml version="1.0" encoding="UTF-8"?><md:EntityDescriptor xmlns:md="${MD_NS}" xmlns:ds="${DS_NS}" entityID="${attr(input.entityId)}">` +
    `<md:SPSSODescriptor AuthnRequestsSigned="${input.authnRequestsSigned}" WantAssertionsSigned="true" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">${keys}` +
    `<md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified</md:NameIDFormat>` +
    `<md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>` +
    `<md:AssertionConsumerService Binding="${BINDING_URNS.Post}" Location="${attr(input.acsUrl)}" index="0" isDefault="true"/>` +
    `</md:SPSSODescriptor></md:EntityDescriptor>`
  );
}

/** spMetadataXml in base64, as `EncodedMetadataDocument` carries it. */
export const spMetadataDocument = (input: Parameters<typeof spMetadataXml>[0]): string => base64(spMetadataXml(input));
