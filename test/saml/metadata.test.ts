// Reading IdP metadata as Entra ID, Okta, AD FS and Shibboleth export it: which entity, which sign-in address per
// binding, which certificates sign; and the documents that are refused. Pure: no server.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkIdpMetadataDocument, storedSsoLocation } from '../../src/saml/metadata.js';
import { parseCertificate } from '../../src/saml/certificates.js';
import { adfs, aggregate, encoded, okta, sampleKeys, shibbolethEntity, spEntity, vendorSamples, type SampleKeys } from './metadata-samples.js';

const pem = (text: string): string => parseCertificate(text).pem;
const refusal = (reason: RegExp, param = 'EncodedMetadataDocument') => (error: unknown) => {
  assert.equal((error as { code?: string }).code, `InvalidParameter.${param}`);
  assert.match((error as Error).message, reason);
  return true;
};

describe('IdP metadata import', () => {
  let keys: SampleKeys;
  before(() => {
    keys = sampleKeys();
  });

  it('reads every vendor sample: entity, sign-in address per binding, signing certificates only', () => {
    for (const sample of vendorSamples(keys)) {
      const { idp, document } = checkIdpMetadataDocument(encoded(sample.xml));
      assert.equal(idp.entityId, sample.entityId, sample.vendor);
      assert.equal(idp.bindingType, 'Post', `${sample.vendor}: HTTP-POST when no binding is asked for`);
      assert.equal(idp.loginUrl, sample.post, sample.vendor);
      assert.deepEqual(idp.certificates, sample.signing.map(pem), sample.vendor);
      assert.ok(!idp.certificates.includes(pem(keys.encryption)), `${sample.vendor}: the encryption certificate is not a signing one`);
      assert.equal(document, encoded(sample.xml));

      const redirect = checkIdpMetadataDocument(encoded(sample.xml), { binding: 'Redirect' }).idp;
      assert.equal(redirect.bindingType, 'Redirect', sample.vendor);
      assert.equal(redirect.loginUrl, sample.redirect, sample.vendor);
      assert.equal(checkIdpMetadataDocument(encoded(sample.xml), { binding: 'Post' }).idp.loginUrl, sample.post, sample.vendor);
      assert.equal(storedSsoLocation(encoded(sample.xml), 'Redirect'), sample.redirect, sample.vendor);
    }
  });

  it('reads an IdP inside nested EntitiesDescriptor groups beside service providers', () => {
    const idp = shibbolethEntity(keys);
    const nested = aggregate([spEntity(), `<EntitiesDescriptor Name="urn:example:idps">${idp.xml}</EntitiesDescriptor>`]);
    const read = checkIdpMetadataDocument(encoded(nested)).idp;
    assert.equal(read.entityId, idp.entityId);
    assert.equal(read.loginUrl, idp.post);
  });

  it('reads the SAML 2.0 IDPSSODescriptor of an entity that also describes a SAML 1.1 one', () => {
    const sample = okta(keys);
    const saml1 = `<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:1.1:protocol"><md:KeyDescriptor><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${keys.encryption.replace(/-----[A-Z ]+-----/g, '')}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor><md:SingleSignOnService Binding="urn:mace:shibboleth:1.0:profiles:AuthnRequest" Location="https://idp.example.com/saml1"/></md:IDPSSODescriptor>`;
    const xml = sample.xml.replace('<md:IDPSSODescriptor', `${saml1}<md:IDPSSODescriptor`);
    const read = checkIdpMetadataDocument(encoded(xml)).idp;
    assert.equal(read.loginUrl, sample.post);
    assert.deepEqual(read.certificates, [pem(keys.signing)]);
  });

  it('takes line breaks written as character references inside a certificate', () => {
    const sample = okta(keys);
    const body = keys.signing.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
    const xml = sample.xml.replace(body, body.replace(/(.{64})/g, '$1&#13;&#10;'));
    assert.notEqual(xml, sample.xml);
    assert.deepEqual(checkIdpMetadataDocument(encoded(xml)).idp.certificates, [pem(keys.signing)]);
  });

  it('does not take a certificate published for encryption only', () => {
    const onlyEncryption = adfs(keys).xml.replace(/<KeyDescriptor use="signing">.*?<\/KeyDescriptor>/g, '');
    assert.match(onlyEncryption, /use="encryption"/);
    assert.throws(() => checkIdpMetadataDocument(encoded(onlyEncryption)), refusal(/no signing X509Certificate/));
  });

  it('refuses aggregates with no IdP or with several, naming the problem', () => {
    const none = aggregate([spEntity(), spEntity('https://sp2.univ.example.edu/shibboleth')]);
    assert.throws(() => checkIdpMetadataDocument(encoded(none)), refusal(/no EntityDescriptor with an IDPSSODescriptor/));
    const two = aggregate([shibbolethEntity(keys).xml, spEntity(), shibbolethEntity(keys, 'https://idp.other.example.org').xml]);
    assert.throws(() => checkIdpMetadataDocument(encoded(two)), refusal(/describes 2 identity providers; upload the metadata of exactly one/));
    assert.throws(
      () => checkIdpMetadataDocument(encoded(two), { param: 'EncodedSAMLMetadataDocument' }),
      refusal(/2 identity providers/, 'EncodedSAMLMetadataDocument'),
    );
  });

  it('refuses malformed metadata and a binding the IdP does not offer', () => {
    const cut = okta(keys).xml.slice(0, -30);
    assert.throws(() => checkIdpMetadataDocument(encoded(cut)), refusal(/not well-formed XML/));
    const postOnly = okta(keys).xml.replace(/<md:SingleSignOnService Binding="[^"]+HTTP-Redirect"[^>]*\/>/, '');
    assert.throws(() => checkIdpMetadataDocument(encoded(postOnly), { binding: 'Redirect' }), refusal(/no SingleSignOnService with the .*HTTP-Redirect binding/));
    assert.equal(checkIdpMetadataDocument(encoded(postOnly)).idp.bindingType, 'Post');
    const badCertificate = okta(keys).xml.replace(/<ds:X509Certificate>[^<]+/, '<ds:X509Certificate>bm90IGEgY2VydGlmaWNhdGU=');
    assert.throws(() => checkIdpMetadataDocument(encoded(badCertificate)), refusal(/not an X.509 certificate/));
  });
});
