import { KeyObject, randomBytes, webcrypto } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import * as x509 from '@peculiar/x509';
import samlify from 'samlify';
import * as xmllint from '@authenio/samlify-xmllint-wasm';

// An enterprise IdP for tests, independent of the SP code under test: its own key and certificate, its metadata and
// its AuthnRequest parsing from samlify, its responses signed through samlify's signer. It writes the Response XML
// itself so that tests can also bend it the ways attackers do (and re-sign it, or not).

samlify.setSchemaValidator(xmllint);
x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const SAMLP = 'urn:oasis:names:tc:SAML:2.0:protocol';
const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';
export const NAMEID_EMAIL = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
export const NAMEID_UNSPECIFIED = 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified';

export interface KeyPair {
  privateKeyPem: string;
  certificatePem: string;
}

/** A fresh RSA-2048 key and a self-signed certificate for it. */
export async function newKeyPair(commonName = 'idp.test'): Promise<KeyPair> {
  const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomBytes(8).toString('hex'),
    name: `CN=${commonName}`,
    notBefore: new Date(Date.now() - 86_400_000),
    notAfter: new Date(Date.now() + 365 * 86_400_000),
    keys: keys as unknown as CryptoKeyPair,
    signingAlgorithm: algorithm,
  });
  return {
    privateKeyPem: KeyObject.from(keys.privateKey).export({ type: 'pkcs8', format: 'pem' }).toString(),
    certificatePem: certificate.toString('pem'),
  };
}

export interface ResponseInput {
  /** The SP EntityID (Audience). */
  audience: string;
  /** The ACS URL: Recipient, and Destination unless `destination` says otherwise (null leaves it out). */
  acsUrl: string;
  nameId: string;
  nameIdFormat?: string;
  inResponseTo?: string | null;
  attributes?: Record<string, string[]>;
  /** Overrides the Issuer (default: the IdP's EntityID). */
  issuer?: string;
  destination?: string | null;
  now?: Date;
  /** How long the assertion is valid (default 5 minutes). */
  lifetimeMs?: number;
  notBefore?: Date;
  sessionNotOnOrAfter?: Date;
  assertionId?: string;
  /** Replaces the NameID element's content as XML (comments and all). */
  rawNameId?: string;
}

export interface SignOptions {
  assertion?: boolean;
  response?: boolean;
  /** Sign with this key instead of the IdP's (an attacker's). */
  key?: KeyPair;
}

const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
export const newSamlId = (): string => `_${randomBytes(16).toString('hex')}`;

export class TestIdp {
  private constructor(
    readonly entityId: string,
    readonly loginUrl: string,
    readonly key: KeyPair,
  ) {}

  static async create(input: { entityId?: string; loginUrl?: string } = {}): Promise<TestIdp> {
    const entityId = input.entityId ?? `https://idp.example.test/${randomBytes(4).toString('hex')}`;
    return new TestIdp(entityId, input.loginUrl ?? 'https://idp.example.test/sso', await newKeyPair(new URL(entityId).host));
  }

  get certificatePem(): string {
    return this.key.certificatePem;
  }

  /** samlify's IdP metadata, with an SSO service in both bindings at the login URL. */
  metadataXml(options: { wantAuthnRequestsSigned?: boolean } = {}): string {
    return this.samlifyIdp(options).getMetadata();
  }

  private samlifyIdp(options: { wantAuthnRequestsSigned?: boolean } = {}) {
    return samlify.IdentityProvider({
      entityID: this.entityId,
      signingCert: this.key.certificatePem,
      privateKey: this.key.privateKeyPem,
      wantAuthnRequestsSigned: options.wantAuthnRequestsSigned ?? false,
      singleSignOnService: [
        { Binding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect', Location: this.loginUrl },
        { Binding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST', Location: this.loginUrl },
      ],
      singleLogoutService: [{ Binding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect', Location: `${this.loginUrl}/logout` }],
    });
  }

  /**
   * Reads an AuthnRequest as the IdP would, through samlify with the SP's metadata: the query of a Redirect-binding
   * URL or the fields of a POST-binding form. A signed request's signature is checked when the IdP wants it signed.
   */
  async parseRequest(
    spMetadataXml: string,
    received: { url: string } | { fields: Record<string, string> },
    options: { wantAuthnRequestsSigned?: boolean } = {},
  ): Promise<{ id: string; issuer: string; acsUrl: string | undefined; relayState: string | undefined; xml: string }> {
    const sp = samlify.ServiceProvider({ metadata: spMetadataXml });
    const idp = this.samlifyIdp(options);
    if ('url' in received) {
      const url = new URL(received.url);
      const query = Object.fromEntries(url.searchParams);
      const octetString = url.search.slice(1).split('&').filter((p) => !p.startsWith('Signature=')).join('&');
      const parsed = await idp.parseLoginRequest(sp, 'redirect', { query, octetString });
      const xml = inflateRawSync(Buffer.from(query.SAMLRequest!, 'base64')).toString('utf8');
      return { ...requestFacts(parsed.extract), relayState: query.RelayState, xml };
    }
    const parsed = await idp.parseLoginRequest(sp, 'post', { body: received.fields });
    const xml = Buffer.from(received.fields.SAMLRequest!, 'base64').toString('utf8');
    return { ...requestFacts(parsed.extract), relayState: received.fields.RelayState, xml };
  }

  /** The unsigned Response XML. */
  responseXml(input: ResponseInput): string {
    const now = input.now ?? new Date();
    const until = new Date(now.getTime() + (input.lifetimeMs ?? 5 * 60_000)).toISOString();
    const notBefore = (input.notBefore ?? new Date(now.getTime() - 30_000)).toISOString();
    const issuer = escapeXml(input.issuer ?? this.entityId);
    const inResponseTo = input.inResponseTo ? ` InResponseTo="${escapeXml(input.inResponseTo)}"` : '';
    const destination = input.destination === null ? '' : ` Destination="${escapeXml(input.destination ?? input.acsUrl)}"`;
    const nameId = input.rawNameId ?? escapeXml(input.nameId);
    const attributes = Object.entries(input.attributes ?? {})
      .map(
        ([name, values]) =>
          `<saml:Attribute Name="${escapeXml(name)}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri">${values
            .map((v) => `<saml:AttributeValue xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="xs:string">${escapeXml(v)}</saml:AttributeValue>`)
            .join('')}</saml:Attribute>`,
      )
      .join('');
    const session = input.sessionNotOnOrAfter ? ` SessionNotOnOrAfter="${input.sessionNotOnOrAfter.toISOString()}"` : '';
    return (
      `<samlp:Response xmlns:samlp="${SAMLP}" xmlns:saml="${SAML}" ID="${newSamlId()}" Version="2.0" IssueInstant="${now.toISOString()}"${destination}${inResponseTo}>` +
      `<saml:Issuer>${issuer}</saml:Issuer>` +
      `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` +
      `<saml:Assertion xmlns:saml="${SAML}" ID="${input.assertionId ?? newSamlId()}" Version="2.0" IssueInstant="${now.toISOString()}">` +
      `<saml:Issuer>${issuer}</saml:Issuer>` +
      `<saml:Subject><saml:NameID Format="${input.nameIdFormat ?? NAMEID_EMAIL}">${nameId}</saml:NameID>` +
      `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="${until}" Recipient="${escapeXml(input.acsUrl)}"${inResponseTo}/></saml:SubjectConfirmation></saml:Subject>` +
      `<saml:Conditions NotBefore="${notBefore}" NotOnOrAfter="${until}"><saml:AudienceRestriction><saml:Audience>${escapeXml(input.audience)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
      `<saml:AuthnStatement AuthnInstant="${now.toISOString()}" SessionIndex="${newSamlId()}"${session}><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
      (attributes ? `<saml:AttributeStatement>${attributes}</saml:AttributeStatement>` : '') +
      `</saml:Assertion></samlp:Response>`
    );
  }

  /** Signs the assertion (after its Issuer) and/or the whole Response, with samlify's signer. */
  sign(xml: string, options: SignOptions = { assertion: true }): string {
    const key = options.key ?? this.key;
    let signed = xml;
    const run = (referenceTagXPath: string | undefined, issuerPath: string, isMessageSigned: boolean) =>
      samlify.SamlLib.constructSAMLSignature({
        rawSamlMessage: signed,
        referenceTagXPath,
        isMessageSigned,
        privateKey: key.privateKeyPem,
        // samlify wants the certificate's base64 body, as metadata carries it.
        signingCert: key.certificatePem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, ''),
        signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
        isBase64Output: false,
        signatureConfig: { prefix: 'ds', location: { reference: issuerPath, action: 'after' } },
      }) as string;
    if (options.assertion) {
      signed = run("/*[local-name(.)='Response']/*[local-name(.)='Assertion']", "/*[local-name(.)='Response']/*[local-name(.)='Assertion']/*[local-name(.)='Issuer']", false);
    }
    if (options.response) {
      signed = run(undefined, "/*[local-name(.)='Response']/*[local-name(.)='Issuer']", true);
    }
    return signed;
  }

  /** A signed Response, base64 as the browser posts it (SAMLResponse). */
  respond(input: ResponseInput, options: SignOptions = { assertion: true }): string {
    return Buffer.from(this.sign(this.responseXml(input), options), 'utf8').toString('base64');
  }
}

/** The facts samlify extracted from an AuthnRequest. */
function requestFacts(extract: { issuer?: string | string[]; request?: { id?: string | string[]; assertionConsumerServiceUrl?: string | string[] } }) {
  const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);
  return { id: one(extract.request?.id) ?? '', issuer: one(extract.issuer) ?? '', acsUrl: one(extract.request?.assertionConsumerServiceUrl) };
}

export const base64 = (xml: string): string => Buffer.from(xml, 'utf8').toString('base64');
