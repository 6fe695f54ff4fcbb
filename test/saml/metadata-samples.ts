// IdP metadata in the shapes Entra ID, Okta, AD FS and Shibboleth export it, written by hand (trimmed: signatures
// carry placeholder digests, lists of claims are shortened) around certificates the test makes. Each sample says what
// an import must read from it.

import { selfSignedCertificate } from '../cloudsso/saml-support.js';

const body = (pem: string): string => pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
/** Shibboleth writes the base64 in lines of 64 characters, indented like the element. */
const wrapped = (pem: string, indent: string): string => `\n${indent}${body(pem).replace(/(.{64})(?=.)/g, `$1\n${indent}`)}\n${indent.slice(4)}`;

const POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';
const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';

export interface SampleKeys {
  signing: string;
  /** A second signing certificate, published during a key rollover. */
  nextSigning: string;
  /** A certificate published for encryption only: never a signing certificate. */
  encryption: string;
}

export interface MetadataSample {
  vendor: string;
  xml: string;
  entityId: string;
  post: string;
  redirect: string;
  /** PEMs the import must take, in document order. */
  signing: string[];
}

const PROLOG = '<?xml version="1.0" encoding="utf-8"?>\n';

/** Entra ID (Azure AD) federation metadata: default namespaces, an enveloped signature, WS-Federation RoleDescriptors. */
export function entraId(keys: SampleKeys): MetadataSample {
  const tenant = '6f1c3a52-8a4e-4a57-9b1e-3d2c1b0a9f87';
  const entityId = `https://sts.windows.net/${tenant}/`;
  const sso = `https://login.microsoftonline.com/${tenant}/saml2`;
  const key = (pem: string) => `<KeyDescriptor use="signing"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>${body(pem)}</X509Certificate></X509Data></KeyInfo></KeyDescriptor>`;
  const xml =
    `<?xml version="1.0" encoding="utf-8"?><EntityDescriptor ID="_0c1b6a4e-2f0f-4f7e-9d0d-1e4c2b8a7c55" entityID="${entityId}" xmlns="urn:oasis:names:tc:SAML:2.0:metadata">` +
    `<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo><CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#" /><SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256" />` +
    `<Reference URI="#_0c1b6a4e-2f0f-4f7e-9d0d-1e4c2b8a7c55"><Transforms><Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature" /><Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#" /></Transforms>` +
    `<DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256" /><DigestValue>AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=</DigestValue></Reference></SignedInfo><SignatureValue>AAAA</SignatureValue>` +
    `<KeyInfo><X509Data><X509Certificate>${body(keys.signing)}</X509Certificate></X509Data></KeyInfo></Signature>` +
    `<RoleDescriptor xsi:type="fed:SecurityTokenServiceType" protocolSupportEnumeration="http://docs.oasis-open.org/wsfed/federation/200706" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:fed="http://docs.oasis-open.org/wsfed/federation/200706">` +
    `${key(keys.signing)}<fed:ClaimTypesOffered><auth:ClaimType Uri="http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name" xmlns:auth="http://docs.oasis-open.org/wsfed/authorization/200706"><auth:DisplayName>Name</auth:DisplayName></auth:ClaimType></fed:ClaimTypesOffered>` +
    `<fed:SecurityTokenServiceEndpoint><wsa:EndpointReference xmlns:wsa="http://www.w3.org/2005/08/addressing"><wsa:Address>https://login.microsoftonline.com/${tenant}/wsfed</wsa:Address></wsa:EndpointReference></fed:SecurityTokenServiceEndpoint></RoleDescriptor>` +
    `<RoleDescriptor xsi:type="fed:ApplicationServiceType" protocolSupportEnumeration="http://docs.oasis-open.org/wsfed/federation/200706" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:fed="http://docs.oasis-open.org/wsfed/federation/200706">` +
    `${key(keys.signing)}<fed:TargetScopes><wsa:EndpointReference xmlns:wsa="http://www.w3.org/2005/08/addressing"><wsa:Address>https://sts.windows.net/${tenant}/</wsa:Address></wsa:EndpointReference></fed:TargetScopes></RoleDescriptor>` +
    `<IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">${key(keys.signing)}${key(keys.nextSigning)}` +
    `<SingleLogoutService Binding="${REDIRECT}" Location="${sso}" />` +
    `<SingleSignOnService Binding="${REDIRECT}" Location="${sso}" /><SingleSignOnService Binding="${POST}" Location="${sso}" /></IDPSSODescriptor></EntityDescriptor>`;
  return { vendor: 'Entra ID', xml, entityId, post: sso, redirect: sso, signing: [keys.signing, keys.nextSigning] };
}

/** Okta's per-application IdP metadata: `md:` and `ds:` prefixes, one signing key, POST before Redirect. */
export function okta(keys: SampleKeys): MetadataSample {
  const entityId = 'http://www.okta.com/exk9x2gatehouse5d7';
  const sso = 'https://dev-81234567.okta.com/app/dev-81234567_gatehouse_1/exk9x2gatehouse5d7/sso/saml';
  const xml = `${PROLOG}<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${entityId}"><md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${body(keys.signing)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor><md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified</md:NameIDFormat><md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat><md:SingleSignOnService Binding="${POST}" Location="${sso}"/><md:SingleSignOnService Binding="${REDIRECT}" Location="${sso}"/></md:IDPSSODescriptor></md:EntityDescriptor>`;
  return { vendor: 'Okta', xml, entityId, post: sso, redirect: sso, signing: [keys.signing] };
}

/**
 * AD FS FederationMetadata.xml: default namespace, `ds:Signature` with an unprefixed KeyInfo, WS-Federation
 * RoleDescriptors, an SPSSODescriptor beside the IDPSSODescriptor, token-decrypting (encryption) and two token-signing
 * certificates (automatic rollover), claims as `saml:Attribute`, a ContactPerson.
 */
export function adfs(keys: SampleKeys): MetadataSample {
  const host = 'https://adfs.corp.example.com';
  const entityId = 'http://adfs.corp.example.com/adfs/services/trust';
  const sso = `${host}/adfs/ls/`;
  const key = (use: string, pem: string) =>
    `<KeyDescriptor use="${use}"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>${body(pem)}</X509Certificate></X509Data></KeyInfo></KeyDescriptor>`;
  const wsfed = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:fed="http://docs.oasis-open.org/wsfed/federation/200706" protocolSupportEnumeration="http://docs.oasis-open.org/ws-sx/ws-trust/200512 http://schemas.xmlsoap.org/ws/2005/02/trust http://docs.oasis-open.org/wsfed/federation/200706"';
  const xml =
    `<EntityDescriptor ID="_9e1d7a06-5a7f-4c1b-8c53-2f7a1e3b6d40" entityID="${entityId}" xmlns="urn:oasis:names:tc:SAML:2.0:metadata">` +
    `<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#" /><ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256" />` +
    `<ds:Reference URI="#_9e1d7a06-5a7f-4c1b-8c53-2f7a1e3b6d40"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature" /><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#" /></ds:Transforms>` +
    `<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256" /><ds:DigestValue>AAAA</ds:DigestValue></ds:Reference></ds:SignedInfo><ds:SignatureValue>AAAA</ds:SignatureValue>` +
    `<KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>${body(keys.signing)}</X509Certificate></X509Data></KeyInfo></ds:Signature>` +
    `<RoleDescriptor xsi:type="fed:ApplicationServiceType" ${wsfed} ServiceDisplayName="Corp ADFS">${key('encryption', keys.encryption)}${key('signing', keys.signing)}` +
    `<fed:TokenTypesOffered><fed:TokenType Uri="urn:oasis:names:tc:SAML:2.0:assertion" /></fed:TokenTypesOffered><fed:PassiveRequestorEndpoint><EndpointReference xmlns="http://www.w3.org/2005/08/addressing"><Address>${sso}</Address></EndpointReference></fed:PassiveRequestorEndpoint></RoleDescriptor>` +
    `<RoleDescriptor xsi:type="fed:SecurityTokenServiceType" ${wsfed} ServiceDisplayName="Corp ADFS">${key('signing', keys.signing)}` +
    `<fed:SecurityTokenServiceEndpoint><EndpointReference xmlns="http://www.w3.org/2005/08/addressing"><Address>${host}/adfs/services/trust/2005/certificatemixed</Address></EndpointReference></fed:SecurityTokenServiceEndpoint></RoleDescriptor>` +
    `<SPSSODescriptor WantAssertionsSigned="true" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">${key('encryption', keys.encryption)}${key('signing', keys.signing)}` +
    `<SingleLogoutService Binding="${REDIRECT}" Location="${sso}" /><NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</NameIDFormat>` +
    `<AssertionConsumerService Binding="${POST}" Location="${sso}" index="0" isDefault="true" /></SPSSODescriptor>` +
    `<IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">${key('encryption', keys.encryption)}${key('signing', keys.signing)}${key('signing', keys.nextSigning)}` +
    `<SingleLogoutService Binding="${REDIRECT}" Location="${sso}" /><SingleLogoutService Binding="${POST}" Location="${sso}" />` +
    `<NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</NameIDFormat><NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</NameIDFormat><NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:transient</NameIDFormat>` +
    `<SingleSignOnService Binding="${REDIRECT}" Location="${sso}" /><SingleSignOnService Binding="${POST}" Location="${sso}" />` +
    `<Attribute Name="http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri" FriendlyName="UPN" xmlns="urn:oasis:names:tc:SAML:2.0:assertion" /></IDPSSODescriptor>` +
    `<ContactPerson contactType="support" /></EntityDescriptor>`;
  return { vendor: 'AD FS', xml, entityId, post: sso, redirect: sso, signing: [keys.signing, keys.nextSigning] };
}

/**
 * The EntityDescriptor of a Shibboleth IdP (idp-metadata.xml): default namespace, `ds:` KeyInfo, a scope and UI
 * extensions, a KeyDescriptor without `use` (back channel), one with `use="signing"` (front channel) and one for
 * encryption, line-wrapped certificates, SAML 1 and SAML 2 endpoints with one address per binding, an
 * AttributeAuthorityDescriptor, Organization and ContactPerson.
 */
export function shibbolethEntity(keys: SampleKeys, host = 'https://idp.univ.example.edu'): MetadataSample {
  const entityId = `${host}/idp/shibboleth`;
  const key = (use: string | undefined, pem: string) => `
        <KeyDescriptor${use ? ` use="${use}"` : ''}>
            <ds:KeyInfo>
                <ds:X509Data>
                    <ds:X509Certificate>${wrapped(pem, '                        ')}</ds:X509Certificate>
                </ds:X509Data>
            </ds:KeyInfo>
        </KeyDescriptor>`;
  const xml = `<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:shibmd="urn:mace:shibboleth:metadata:1.0" xmlns:xml="http://www.w3.org/XML/1998/namespace" xmlns:mdui="urn:oasis:names:tc:SAML:metadata:ui" entityID="${entityId}">

    <!-- Metadata of this IdP for its service providers; edit before publishing. -->
    <IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol urn:oasis:names:tc:SAML:1.1:protocol urn:mace:shibboleth:1.0">

        <Extensions>
            <shibmd:Scope regexp="false">univ.example.edu</shibmd:Scope>
            <mdui:UIInfo>
                <mdui:DisplayName xml:lang="en">Example University</mdui:DisplayName>
                <mdui:Logo height="80" width="80">${host}/logo.png</mdui:Logo>
            </mdui:UIInfo>
        </Extensions>
${key(undefined, keys.signing)}
${key('signing', keys.nextSigning)}
${key('encryption', keys.encryption)}

        <ArtifactResolutionService Binding="urn:oasis:names:tc:SAML:2.0:bindings:SOAP" Location="${host}:8443/idp/profile/SAML2/SOAP/ArtifactResolution" index="2"/>
        <SingleLogoutService Binding="${REDIRECT}" Location="${host}/idp/profile/SAML2/Redirect/SLO"/>
        <NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:transient</NameIDFormat>

        <SingleSignOnService Binding="urn:mace:shibboleth:1.0:profiles:AuthnRequest" Location="${host}/idp/profile/Shibboleth/SSO"/>
        <SingleSignOnService Binding="${POST}" Location="${host}/idp/profile/SAML2/POST/SSO"/>
        <SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST-SimpleSign" Location="${host}/idp/profile/SAML2/POST-SimpleSign/SSO"/>
        <SingleSignOnService Binding="${REDIRECT}" Location="${host}/idp/profile/SAML2/Redirect/SSO"/>

    </IDPSSODescriptor>

    <AttributeAuthorityDescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:1.1:protocol">
${key(undefined, keys.signing)}
        <AttributeService Binding="urn:oasis:names:tc:SAML:1.0:bindings:SOAP-binding" Location="${host}:8443/idp/profile/SAML1/SOAP/AttributeQuery"/>
    </AttributeAuthorityDescriptor>

    <Organization>
        <OrganizationName xml:lang="en">Example University</OrganizationName>
        <OrganizationDisplayName xml:lang="en">Example University</OrganizationDisplayName>
        <OrganizationURL xml:lang="en">https://www.univ.example.edu/</OrganizationURL>
    </Organization>
    <ContactPerson contactType="technical">
        <GivenName>Identity</GivenName>
        <EmailAddress>mailto:identity@univ.example.edu</EmailAddress>
    </ContactPerson>
</EntityDescriptor>`;
  return {
    vendor: 'Shibboleth',
    xml,
    entityId,
    post: `${host}/idp/profile/SAML2/POST/SSO`,
    redirect: `${host}/idp/profile/SAML2/Redirect/SSO`,
    signing: [keys.signing, keys.nextSigning],
  };
}

/** A service provider's EntityDescriptor, as federation aggregates list them beside the IdPs. */
export function spEntity(entityId = 'https://sp.univ.example.edu/shibboleth'): string {
  return `<EntityDescriptor entityID="${entityId}"><SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><AssertionConsumerService Binding="${POST}" Location="https://sp.univ.example.edu/Shibboleth.sso/SAML2/POST" index="1"/></SPSSODescriptor></EntityDescriptor>`;
}

/** A federation aggregate: EntitiesDescriptor (the default namespace declared once) around the given entities. */
export function aggregate(entities: string[]): string {
  return `${PROLOG}<EntitiesDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:shibmd="urn:mace:shibboleth:metadata:1.0" xmlns:mdui="urn:oasis:names:tc:SAML:metadata:ui" Name="urn:mace:example.edu:federation" validUntil="2099-01-01T00:00:00Z">\n${entities.join('\n')}\n</EntitiesDescriptor>`;
}

/** The Shibboleth IdP as its own metadata endpoint serves it, and as a federation aggregate lists it beside an SP. */
export function shibboleth(keys: SampleKeys): MetadataSample {
  const entity = shibbolethEntity(keys);
  return { ...entity, xml: `${PROLOG}${entity.xml}` };
}

export function shibbolethInFederation(keys: SampleKeys): MetadataSample {
  const entity = shibbolethEntity(keys);
  return { ...entity, vendor: 'Shibboleth (federation aggregate)', xml: aggregate([spEntity(), entity.xml]) };
}

/** Each sample's builder under its vendor's name, for one test per vendor. */
export const VENDORS: Array<[string, (keys: SampleKeys) => MetadataSample]> = [
  ['Entra ID', entraId],
  ['Okta', okta],
  ['AD FS', adfs],
  ['Shibboleth', shibboleth],
  ['Shibboleth (federation aggregate)', shibbolethInFederation],
];

export const vendorSamples = (keys: SampleKeys): MetadataSample[] => VENDORS.map(([, build]) => build(keys));

/** Three fresh certificates made by openssl: two to sign with, one published for encryption. */
export const sampleKeys = (): SampleKeys => ({
  signing: selfSignedCertificate('signing'),
  nextSigning: selfSignedCertificate('next-signing'),
  encryption: selfSignedCertificate('encryption'),
});

export const encoded = (xml: string): string => Buffer.from(xml, 'utf8').toString('base64');
