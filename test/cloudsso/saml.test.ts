// The directory's external SAML IdP (spec §1.5 items 15–16): set by metadata or by fields, certificates, clear,
// the service-provider information, refused input that changes nothing, and read-only access.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/server.js';
import { expectApiError, Ram, ramClient, type Credentials } from '../support/sdk.js';
import { sso } from './access-support.js';
import { idpMetadata, selfSignedCertificate } from './saml-support.js';
import { aggregate, encoded, sampleKeys, shibbolethEntity, spEntity, VENDORS, type SampleKeys } from '../saml/metadata-samples.js';

const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const body = (pem: string): string => pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');

// A sequential journey: a directory has one external IdP, and the tests walk it from unset through metadata,
// certificates and fields to cleared; each continues from the state the one before left, so they run in this order only.
describe('CloudSSO external SAML IdP', () => {
  let server: TestServer;
  let dir = '';
  let certA = '';
  let certB = '';
  const get = async () => (await sso(server, 'GetExternalSAMLIdentityProvider', { DirectoryId: dir })).SAMLIdentityProviderConfiguration;
  const list = async () => (await sso(server, 'ListExternalSAMLIdPCertificates', { DirectoryId: dir })).SAMLIdPCertificates as any[];

  before(async () => {
    server = await startServer();
    dir = (await sso(server, 'CreateDirectory', { DirectoryName: `saml-${server.port}` })).Directory.DirectoryId;
    certA = selfSignedCertificate('idp-a');
    certB = selfSignedCertificate('idp-b');
  });
  after(async () => server?.close());

  it('starts with no IdP: password sign-in', async () => {
    const idp = await get();
    assert.equal(idp.DirectoryId, dir);
    assert.equal(idp.SSOStatus, 'Disabled');
    assert.deepEqual(idp.CertificateIds, []);
    assert.equal(idp.EntityId, '');
    assert.deepEqual(await list(), []);
  });

  it('gives the directory as a SAML service provider', async () => {
    const { SAMLServiceProvider: sp } = await sso(server, 'GetDirectorySAMLServiceProviderInfo', { DirectoryId: dir });
    const publicUrl = server.gatehouse.services.config.publicUrl;
    assert.equal(sp.DirectoryId, dir);
    assert.equal(sp.EntityId, `${publicUrl}/saml/sp/${dir}`);
    assert.equal(sp.AcsUrl, `${publicUrl}/saml/acs/${dir}`);
    assert.equal(sp.AuthnSignAlgo, 'rsa-sha256');
    assert.equal(sp.CertificateType, 'self-signed');
    assert.equal(sp.SupportEncryptedAssertion, false);
    const xml = Buffer.from(sp.EncodedMetadataDocument, 'base64').toString('utf8');
    assert.match(xml, new RegExp(`entityID="${sp.EntityId}"`));
    assert.match(xml, new RegExp(`AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${sp.AcsUrl}"`));
  });

  it('sets the IdP from its metadata, choosing the location of the binding', async () => {
    const metadata = idpMetadata({
      entityId: 'https://idp.example.com/metadata',
      post: 'https://idp.example.com/sso/post',
      redirect: 'https://idp.example.com/sso/redirect',
      certificates: [certA],
    });
    await sso(server, 'SetExternalSAMLIdentityProvider', { DirectoryId: dir, EncodedMetadataDocument: metadata, SSOStatus: 'Enabled', WantRequestSigned: true });
    let idp = await get();
    assert.equal(idp.EntityId, 'https://idp.example.com/metadata');
    assert.equal(idp.LoginUrl, 'https://idp.example.com/sso/post');
    assert.equal(idp.BindingType, 'Post');
    assert.equal(idp.SSOStatus, 'Enabled');
    assert.equal(idp.WantRequestSigned, true);
    assert.equal(idp.EncodedMetadataDocument, metadata);
    assert.equal(idp.CertificateIds.length, 1);
    assert.match(idp.CertificateIds[0], /^idp-c-[a-z0-9]+$/);
    assert.match(idp.CreateTime, TIME);
    assert.match(idp.UpdateTime, TIME);

    await sso(server, 'SetExternalSAMLIdentityProvider', { DirectoryId: dir, BindingType: 'Redirect' });
    idp = await get();
    assert.equal(idp.BindingType, 'Redirect');
    assert.equal(idp.LoginUrl, 'https://idp.example.com/sso/redirect', 'the uploaded metadata names the Redirect location too');
    assert.equal(idp.SSOStatus, 'Enabled', 'fields not given keep their values');

    const [only] = await list();
    assert.equal(only.CertificateId, idp.CertificateIds[0]);
    assert.equal(body(only.X509Certificate), body(certA));
    assert.match(only.Subject, /CN=idp-a/);
    assert.equal(only.Version, 3);
    assert.equal(only.SignatureAlgorithm, 'SHA256withRSA');
    assert.match(only.SerialNumber, /^[0-9A-F]+$/);
    assert.match(only.NotBefore, TIME);
    assert.match(only.NotAfter, TIME);
    assert.ok(only.PublicKey.length > 300);
  });

  it('adds, lists and removes certificates', async () => {
    const { CertificateId } = await sso(server, 'AddExternalSAMLIdPCertificate', { DirectoryId: dir, X509Certificate: certB });
    assert.match(CertificateId, /^idp-c-/);
    const certs = await list();
    assert.equal(certs.length, 2);
    assert.deepEqual((await get()).CertificateIds, certs.map((c) => c.CertificateId));
    const xml = Buffer.from((await get()).EncodedMetadataDocument, 'base64').toString('utf8');
    assert.ok(xml.includes(body(certB)), 'the metadata follows the certificates');

    const dup = await expectApiError(sso(server, 'AddExternalSAMLIdPCertificate', { DirectoryId: dir, X509Certificate: certB }));
    assert.equal(dup.statusCode, 409);
    assert.equal(dup.code, 'EntityAlreadyExists.Certificate');

    await sso(server, 'RemoveExternalSAMLIdPCertificate', { DirectoryId: dir, CertificateId: certs[0].CertificateId });
    assert.deepEqual((await list()).map((c) => c.CertificateId), [CertificateId]);
    const gone = await expectApiError(sso(server, 'RemoveExternalSAMLIdPCertificate', { DirectoryId: dir, CertificateId: certs[0].CertificateId }));
    assert.equal(gone.statusCode, 404);
    assert.equal(gone.code, 'EntityNotExists.Certificate');
    const last = await expectApiError(sso(server, 'RemoveExternalSAMLIdPCertificate', { DirectoryId: dir, CertificateId }));
    assert.equal(last.statusCode, 409, 'the last certificate stays while SSO is enabled');
    assert.equal((await list()).length, 1);
  });

  it('sets the IdP from fields; the certificate replaces all others', async () => {
    await sso(server, 'AddExternalSAMLIdPCertificate', { DirectoryId: dir, X509Certificate: certA });
    assert.equal((await list()).length, 2);
    await sso(server, 'SetExternalSAMLIdentityProvider', {
      DirectoryId: dir,
      EntityId: 'urn:example:idp',
      LoginUrl: 'https://login.example.org/saml',
      X509Certificate: certA,
      BindingType: 'Post',
      WantRequestSigned: false,
    });
    const idp = await get();
    assert.equal(idp.EntityId, 'urn:example:idp');
    assert.equal(idp.LoginUrl, 'https://login.example.org/saml');
    assert.equal(idp.BindingType, 'Post');
    assert.equal(idp.WantRequestSigned, false);
    assert.equal(idp.CertificateIds.length, 1);
    const xml = Buffer.from(idp.EncodedMetadataDocument, 'base64').toString('utf8');
    assert.match(xml, /entityID="urn:example:idp"/);
    assert.match(xml, /Location="https:\/\/login.example.org\/saml"/);
    assert.ok(xml.includes(body(certA)));
    assert.equal(body((await list())[0].X509Certificate), body(certA));
  });

  it('refuses bad input with clear codes and changes nothing', async () => {
    const before = await get();
    const certsBefore = await list();
    const cases: Array<[Record<string, string | boolean>, string]> = [
      [{ LoginUrl: 'http://idp.example.com/sso' }, 'InvalidParameter.LoginUrl'],
      [{ LoginUrl: 'not a url' }, 'InvalidParameter.LoginUrl'],
      [{ LoginUrl: 'https://user:pw@idp.example.com/' }, 'InvalidParameter.LoginUrl'],
      [{ EntityId: 'urn:new', X509Certificate: 'not a certificate' }, 'InvalidParameter.X509Certificate'],
      [{ X509Certificate: `-----BEGIN CERTIFICATE-----\n${Buffer.from('garbage bytes').toString('base64')}\n-----END CERTIFICATE-----` }, 'InvalidParameter.X509Certificate'],
      [{ EncodedMetadataDocument: '%%% not base64' }, 'InvalidParameter.EncodedMetadataDocument'],
      [{ EncodedMetadataDocument: Buffer.from('<unclosed').toString('base64') }, 'InvalidParameter.EncodedMetadataDocument'],
      [{ EncodedMetadataDocument: Buffer.from('<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>').toString('base64') }, 'InvalidParameter.EncodedMetadataDocument'],
      [{ EncodedMetadataDocument: idpMetadata({ entityId: 'urn:x', post: 'https://x.example/sso', certificates: [] }) }, 'InvalidParameter.EncodedMetadataDocument'],
      [{ EncodedMetadataDocument: idpMetadata({ entityId: 'urn:x', post: 'https://x.example/sso', certificates: [certB] }), BindingType: 'Redirect' }, 'InvalidParameter.EncodedMetadataDocument'],
      [{ EncodedMetadataDocument: idpMetadata({ entityId: 'urn:x', post: 'http://x.example/sso', certificates: [certB] }) }, 'InvalidParameter.EncodedMetadataDocument'],
      [{ EncodedMetadataDocument: idpMetadata({ entityId: 'urn:x', post: 'https://x.example/sso', certificates: [certB] }), EntityId: 'urn:y' }, 'InvalidParameter.EncodedMetadataDocument'],
      [{ SSOStatus: 'On' }, 'InvalidParameter.SSOStatus'],
      [{ BindingType: 'Artifact' }, 'InvalidParameter.BindingType'],
    ];
    for (const [params, code] of cases) {
      const error = await expectApiError(sso(server, 'SetExternalSAMLIdentityProvider', { DirectoryId: dir, ...params }));
      assert.equal(error.statusCode, 400, JSON.stringify(params));
      assert.equal(error.code, code, JSON.stringify(params));
    }
    const badAdd = await expectApiError(sso(server, 'AddExternalSAMLIdPCertificate', { DirectoryId: dir, X509Certificate: 'MIIB' }));
    assert.equal(badAdd.code, 'InvalidParameter.X509Certificate');
    const missing = await expectApiError(sso(server, 'AddExternalSAMLIdPCertificate', { DirectoryId: dir }));
    assert.equal(missing.code, 'MissingParameter.X509Certificate');
    const unknown = await expectApiError(sso(server, 'GetExternalSAMLIdentityProvider', { DirectoryId: 'd-doesnotexist' }));
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.code, 'EntityNotExists.Directory');
    assert.deepEqual(await get(), before);
    assert.deepEqual(await list(), certsBefore);
  });

  it('clears the IdP; SSO cannot be enabled without one', async () => {
    await sso(server, 'ClearExternalSAMLIdentityProvider', { DirectoryId: dir });
    const idp = await get();
    assert.equal(idp.SSOStatus, 'Disabled');
    assert.equal(idp.EntityId, '');
    assert.deepEqual(idp.CertificateIds, []);
    assert.deepEqual(await list(), []);
    const refused = await expectApiError(sso(server, 'SetExternalSAMLIdentityProvider', { DirectoryId: dir, SSOStatus: 'Enabled' }));
    assert.equal(refused.statusCode, 400);
    assert.equal(refused.code, 'InvalidParameter.SSOStatus');
    assert.deepEqual(await list(), []);
    assert.equal((await get()).SSOStatus, 'Disabled');
  });

  it('lets a RAM user with AliyunCloudSSOReadOnlyAccess read but not change the IdP', async () => {
    await sso(server, 'SetExternalSAMLIdentityProvider', {
      DirectoryId: dir,
      EntityId: 'urn:example:idp',
      LoginUrl: 'https://login.example.org/saml',
      X509Certificate: certA,
    });
    const ram = ramClient(server.url, server.root);
    await ram.createUser(new Ram.CreateUserRequest({ userName: 'saml-reader' }));
    await ram.attachPolicyToUser(new Ram.AttachPolicyToUserRequest({ policyType: 'System', policyName: 'AliyunCloudSSOReadOnlyAccess', userName: 'saml-reader' }));
    const key = (await ram.createAccessKey(new Ram.CreateAccessKeyRequest({ userName: 'saml-reader' }))).body.accessKey;
    const reader: Credentials = { accessKeyId: key.accessKeyId, accessKeySecret: key.accessKeySecret };
    const before = await get();
    assert.deepEqual((await sso(server, 'GetExternalSAMLIdentityProvider', { DirectoryId: dir }, reader)).SAMLIdentityProviderConfiguration, before);
    assert.equal((await sso(server, 'ListExternalSAMLIdPCertificates', { DirectoryId: dir }, reader)).TotalCounts, 1);
    assert.ok((await sso(server, 'GetDirectorySAMLServiceProviderInfo', { DirectoryId: dir }, reader)).SAMLServiceProvider.AcsUrl);
    for (const [action, params] of [
      ['SetExternalSAMLIdentityProvider', { SSOStatus: 'Enabled' }],
      ['AddExternalSAMLIdPCertificate', { X509Certificate: certB }],
      ['RemoveExternalSAMLIdPCertificate', { CertificateId: before.CertificateIds[0] }],
      ['ClearExternalSAMLIdentityProvider', {}],
    ] as const) {
      const denied = await expectApiError(sso(server, action, { DirectoryId: dir, ...params }, reader));
      assert.equal(denied.statusCode, 403, action);
      assert.equal(denied.code, 'NoPermission', action);
    }
    assert.deepEqual(await get(), before);
  });
});

// Metadata as the IdPs export it, uploaded to one directory in turn: what the Get and List actions give back.
describe('CloudSSO external SAML IdP from vendor metadata', () => {
  let server: TestServer;
  let dir = '';
  let keys: SampleKeys;
  const get = async () => (await sso(server, 'GetExternalSAMLIdentityProvider', { DirectoryId: dir })).SAMLIdentityProviderConfiguration;
  const list = async () => (await sso(server, 'ListExternalSAMLIdPCertificates', { DirectoryId: dir })).SAMLIdPCertificates as any[];

  before(async () => {
    server = await startServer();
    dir = (await sso(server, 'CreateDirectory', { DirectoryName: `saml-vendors-${server.port}` })).Directory.DirectoryId;
    keys = sampleKeys();
  });
  after(async () => server?.close());

  for (const [vendor, build] of VENDORS) {
    it(`imports ${vendor} metadata: entity, sign-in address per binding, signing certificates`, async () => {
      const sample = build(keys);
      const document = encoded(sample.xml);
      await sso(server, 'SetExternalSAMLIdentityProvider', { DirectoryId: dir, EncodedMetadataDocument: document });
      let idp = await get();
      assert.equal(idp.EntityId, sample.entityId);
      assert.equal(idp.LoginUrl, sample.post);
      assert.equal(idp.BindingType, 'Post');
      assert.equal(idp.EncodedMetadataDocument, document);
      const certificates = await list();
      // Certificates stored together list in id order, not document order.
      assert.deepEqual(certificates.map((c) => body(c.X509Certificate)).sort(), sample.signing.map(body).sort());
      assert.ok(!certificates.some((c) => body(c.X509Certificate) === body(keys.encryption)), 'the encryption certificate is not taken');
      assert.deepEqual(idp.CertificateIds, certificates.map((c) => c.CertificateId));

      await sso(server, 'SetExternalSAMLIdentityProvider', { DirectoryId: dir, EncodedMetadataDocument: document, BindingType: 'Redirect' });
      idp = await get();
      assert.equal(idp.BindingType, 'Redirect');
      assert.equal(idp.LoginUrl, sample.redirect);
      assert.equal(idp.EntityId, sample.entityId);
      assert.equal((await list()).length, sample.signing.length);
    });
  }

  it('refuses malformed metadata, metadata with no IdP and metadata with two, changing nothing', async () => {
    const before = await get();
    const certificatesBefore = await list();
    const cases: Array<[string, string, RegExp]> = [
      ['malformed', encoded(aggregate([spEntity()]).slice(0, -10)), /not well-formed XML/],
      ['no IdP', encoded(aggregate([spEntity()])), /no EntityDescriptor with an IDPSSODescriptor/],
      ['two IdPs', encoded(aggregate([shibbolethEntity(keys).xml, shibbolethEntity(keys, 'https://idp.other.example.org').xml])), /2 identity providers/],
    ];
    for (const [what, document, reason] of cases) {
      const error = await expectApiError(sso(server, 'SetExternalSAMLIdentityProvider', { DirectoryId: dir, EncodedMetadataDocument: document, SSOStatus: 'Enabled' }));
      assert.equal(error.statusCode, 400, what);
      assert.equal(error.code, 'InvalidParameter.EncodedMetadataDocument', what);
      assert.match(error.message, reason, what);
    }
    assert.deepEqual(await get(), before);
    assert.deepEqual(await list(), certificatesBefore);
  });
});
