import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';

// A SAML Response posted to one of our assertion consumer services, checked and reduced to the facts of its signed
// assertion. @node-saml/node-saml (with xml-crypto ≥ 6.0.1) checks the XML signatures and hands back the assertion
// element whose signature it verified; every fact below is read from that element only, never from the rest of
// the posted document. Conditions of time, audience, recipient and issuer are checked here, against our clock.

/** What the response must have been made for, and whom it must be signed by. */
export interface SamlTrust {
  /** The IdP's EntityID: the assertion's Issuer. */
  idpEntityId: string;
  /** The IdP's signing certificates (PEM); any one of them may have signed. */
  certificates: string[];
  /** Our SP EntityID: the assertion's Audience. */
  spEntityId: string;
  /** Our ACS URL: the Recipient of the bearer confirmation, and the Response's Destination when it names one. */
  acsUrl: string;
}

export interface VerifiedAssertion {
  assertionId: string;
  issuer: string;
  nameId: string;
  nameIdFormat: string | null;
  /** The AuthnRequest this answers (from the signed SubjectConfirmationData); null when the IdP started the sign-in. */
  inResponseTo: string | null;
  /** The latest time the assertion may be used: until then its ID stays claimed. */
  notOnOrAfter: Date;
  /** The IdP's own limit on the session it started (AuthnStatement SessionNotOnOrAfter), if it gave one. */
  sessionNotOnOrAfter: Date | null;
  /** Attribute name → its values, in order. */
  attributes: Record<string, string[]>;
}

export type SamlRefusalReason =
  | 'malformed'
  | 'doctype'
  | 'status'
  | 'signature'
  | 'multiple-assertions'
  | 'issuer'
  | 'audience'
  | 'recipient'
  | 'destination'
  | 'expired'
  | 'not-yet-valid'
  | 'in-response-to'
  | 'replayed'
  | 'unknown-user'
  | 'sso-off';

/** A response we will not act on. The message is plain enough for a sign-in page; the reason is for logs and tests. */
export class SamlRefusal extends Error {
  constructor(
    readonly reason: SamlRefusalReason,
    message: string,
  ) {
    super(message);
    this.name = 'SamlRefusal';
  }
}

/** How far the IdP's clock may be from ours. */
export const CLOCK_SKEW_MS = 3 * 60_000;
/** The largest SAMLResponse accepted, decoded. */
export const MAX_RESPONSE_BYTES = 256 * 1024;

const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';

type XmlNode = { $?: Record<string, string>; _?: string; [child: string]: unknown };

const children = (node: XmlNode | undefined, name: string): XmlNode[] => {
  const value = node?.[name];
  return Array.isArray(value) ? (value as XmlNode[]) : [];
};
const text = (node: XmlNode | string | undefined): string => (typeof node === 'string' ? node : (node?._ ?? ''));
const attr = (node: XmlNode | undefined, name: string): string | undefined => node?.$?.[name];

function instant(value: string | undefined, what: string): Date | null {
  if (value === undefined) return null;
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) throw new SamlRefusal('malformed', `The assertion's ${what} is not a time.`);
  return at;
}

/** The decoded response, refused before any parser sees it when it is too large or declares a DTD (entities). */
function decode(samlResponse: string): string {
  if (!/^[A-Za-z0-9+/=\s]+$/.test(samlResponse)) throw new SamlRefusal('malformed', 'The SAML response is not base64.');
  const xml = Buffer.from(samlResponse, 'base64').toString('utf8');
  if (xml.length === 0 || xml.length > MAX_RESPONSE_BYTES) throw new SamlRefusal('malformed', 'The SAML response is empty or too large.');
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new SamlRefusal('doctype', 'The SAML response declares a document type; such responses are refused.');
  return xml;
}

/** The attributes of the Response element itself (outside any signature we rely on): Destination and InResponseTo. */
function responseHeader(xml: string): { destination?: string; inResponseTo?: string } {
  const start = /<(?:[A-Za-z_][\w.-]*:)?Response\b([^>]*)>/.exec(xml);
  if (!start) return {};
  const value = (name: string) => new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(start[1]!);
  const read = (name: string) => {
    const m = value(name);
    return m ? (m[1] ?? m[2]) : undefined;
  };
  return { destination: read('Destination'), inResponseTo: read('InResponseTo') };
}

function refusalOf(error: unknown): SamlRefusal {
  if (error instanceof SamlRefusal) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/multiple assertions/i.test(message)) return new SamlRefusal('multiple-assertions', 'The SAML response holds more than one assertion.');
  if (/SAML provider returned/i.test(message)) return new SamlRefusal('status', 'The identity provider did not sign you in.');
  if (/signature|Cannot obtain assertion/i.test(message)) {
    return new SamlRefusal('signature', 'The SAML response is not signed by a certificate of the identity provider.');
  }
  if (/audience/i.test(message)) return new SamlRefusal('audience', 'The SAML assertion was made for another service.');
  if (/issuer/i.test(message)) return new SamlRefusal('issuer', 'The SAML assertion comes from another identity provider.');
  return new SamlRefusal('malformed', 'The SAML response could not be read.');
}

/**
 * Checks a base64 SAMLResponse against `trust` at `now` and returns the facts of its signed assertion; throws
 * SamlRefusal otherwise. It does not consult the store: the caller checks InResponseTo against the requests it
 * sent, and claims the assertion ID once (src/saml/exchanges.ts).
 */
export async function verifySamlResponse(samlResponse: string, trust: SamlTrust, now: Date): Promise<VerifiedAssertion> {
  const xml = decode(samlResponse);
  if (trust.certificates.length === 0) throw new SamlRefusal('signature', 'The identity provider has no signing certificate configured.');
  const saml = new SAML({
    idpCert: trust.certificates,
    issuer: trust.spEntityId,
    audience: trust.spEntityId,
    callbackUrl: trust.acsUrl,
    idpIssuer: trust.idpEntityId,
    // The assertion itself must carry a valid signature, whether or not the Response around it does.
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: false,
    // Times are checked below against our clock, and InResponseTo against the store.
    acceptedClockSkewMs: -1,
    validateInResponseTo: ValidateInResponseTo.never,
  });
  let profile;
  try {
    ({ profile } = await saml.validatePostResponseAsync({ SAMLResponse: Buffer.from(xml, 'utf8').toString('base64') }));
  } catch (error) {
    throw refusalOf(error);
  }
  if (!profile) throw new SamlRefusal('malformed', 'The SAML response holds no assertion.');
  const assertion = (profile.getAssertion?.() as { Assertion?: XmlNode } | undefined)?.Assertion;
  if (!assertion) throw new SamlRefusal('malformed', 'The SAML response holds no assertion.');
  return checkAssertion(assertion, responseHeader(xml), trust, now);
}

function checkAssertion(assertion: XmlNode, header: { destination?: string; inResponseTo?: string }, trust: SamlTrust, now: Date): VerifiedAssertion {
  const assertionId = attr(assertion, 'ID');
  if (!assertionId) throw new SamlRefusal('malformed', 'The SAML assertion has no ID.');
  const issuer = text(children(assertion, 'Issuer')[0]);
  if (issuer !== trust.idpEntityId) throw new SamlRefusal('issuer', 'The SAML assertion comes from another identity provider.');
  if (header.destination !== undefined && header.destination !== trust.acsUrl) {
    throw new SamlRefusal('destination', 'The SAML response was sent to another address.');
  }

  const [subject, ...moreSubjects] = children(assertion, 'Subject');
  const nameIds = children(subject, 'NameID');
  if (!subject || moreSubjects.length > 0 || nameIds.length !== 1) throw new SamlRefusal('malformed', 'The SAML assertion must name exactly one subject.');
  const nameId = text(nameIds[0]).trim();
  if (!nameId) throw new SamlRefusal('malformed', 'The SAML assertion names no user.');

  // Web SSO profile: a bearer confirmation for our ACS, still valid, carrying the InResponseTo it answers.
  const skew = CLOCK_SKEW_MS;
  const bearers = children(subject, 'SubjectConfirmation')
    .filter((c) => attr(c, 'Method') === BEARER)
    .map((c) => children(c, 'SubjectConfirmationData')[0])
    .filter((d): d is XmlNode => d !== undefined);
  const forUs = bearers.filter((d) => attr(d, 'Recipient') === trust.acsUrl);
  if (forUs.length === 0) throw new SamlRefusal('recipient', 'The SAML assertion was made for another address.');
  const valid = forUs.filter((d) => {
    const until = instant(attr(d, 'NotOnOrAfter'), 'NotOnOrAfter');
    return until !== null && now.getTime() - skew < until.getTime();
  });
  if (valid.length === 0) throw new SamlRefusal('expired', 'The SAML assertion has expired. Sign in again.');
  const confirmation = valid[0]!;
  const inResponseTo = attr(confirmation, 'InResponseTo') ?? null;
  if (header.inResponseTo !== undefined && header.inResponseTo !== (inResponseTo ?? '')) {
    throw new SamlRefusal('in-response-to', 'The SAML response does not answer the request its assertion answers.');
  }

  const conditions = children(assertion, 'Conditions');
  if (conditions.length !== 1) throw new SamlRefusal('malformed', 'The SAML assertion must have exactly one Conditions element.');
  const condition = conditions[0]!;
  const notBefore = instant(attr(condition, 'NotBefore'), 'NotBefore');
  if (notBefore && now.getTime() + skew < notBefore.getTime()) throw new SamlRefusal('not-yet-valid', 'The SAML assertion is not valid yet. Check the clocks.');
  const conditionsEnd = instant(attr(condition, 'NotOnOrAfter'), 'NotOnOrAfter');
  if (conditionsEnd && now.getTime() - skew >= conditionsEnd.getTime()) throw new SamlRefusal('expired', 'The SAML assertion has expired. Sign in again.');
  const restrictions = children(condition, 'AudienceRestriction');
  if (restrictions.length === 0 || !restrictions.every((r) => children(r, 'Audience').some((a) => text(a).trim() === trust.spEntityId))) {
    throw new SamlRefusal('audience', 'The SAML assertion was made for another service.');
  }

  const confirmationEnd = instant(attr(confirmation, 'NotOnOrAfter'), 'NotOnOrAfter')!;
  const notOnOrAfter = new Date(Math.min(confirmationEnd.getTime(), conditionsEnd?.getTime() ?? Infinity) + skew);
  const sessionEnds = children(assertion, 'AuthnStatement')
    .map((s) => instant(attr(s, 'SessionNotOnOrAfter'), 'SessionNotOnOrAfter'))
    .filter((d): d is Date => d !== null);
  const sessionNotOnOrAfter = sessionEnds.length > 0 ? new Date(Math.min(...sessionEnds.map((d) => d.getTime()))) : null;

  const attributes: Record<string, string[]> = {};
  for (const statement of children(assertion, 'AttributeStatement')) {
    for (const attribute of children(statement, 'Attribute')) {
      const name = attr(attribute, 'Name');
      if (!name) continue;
      const values = children(attribute, 'AttributeValue').map((v) => text(v).trim());
      attributes[name] = [...(attributes[name] ?? []), ...values];
    }
  }
  return {
    assertionId,
    issuer,
    nameId,
    nameIdFormat: attr(nameIds[0], 'Format') ?? null,
    inResponseTo,
    notOnOrAfter,
    sessionNotOnOrAfter,
    attributes,
  };
}
