import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/server.js';
import { Ims, expectApiError, imsClient } from '../support/sdk.js';
import { idpMetadata, selfSignedCertificate } from '../cloudsso/saml-support.js';
import { aggregate, encoded, okta, sampleKeys, shibbolethEntity, spEntity, VENDORS, type SampleKeys } from '../saml/metadata-samples.js';

// IMS SAML providers through the official IMS SDK; the metadata is checked as an IdP's before anything is stored.
describe('IMS SAML providers', () => {
  let server: TestServer;
  let ims: any;
  const metadata = (entityId: string): string =>
    idpMetadata({ entityId, post: 'https://idp.example.com/sso', certificates: [selfSignedCertificate('corp-idp')] });
  before(async () => {
    server = await startServer();
    ims = imsClient(server.url, server.root);
  });
  after(async () => server.close());

  it('creates, reads, updates, lists and deletes a provider', async () => {
    // ListSAMLProviders has no filter: the pages hold the providers other tests made too, known beforehand.
    const existing = (await ims.listSAMLProviders(new Ims.ListSAMLProvidersRequest({}))).body.SAMLProviders.SAMLProvider.map((p: any) => p.SAMLProviderName);
    const first = metadata('https://idp.example.com/entity');
    const created = (
      await ims.createSAMLProvider(new Ims.CreateSAMLProviderRequest({ SAMLProviderName: 'corp-idp', encodedSAMLMetadataDocument: first, description: 'Okta' }))
    ).body.SAMLProvider;
    assert.equal(created.SAMLProviderName, 'corp-idp');
    assert.equal(created.arn, `acs:ram::${server.accountId}:saml-provider/corp-idp`);
    assert.equal(created.description, 'Okta');
    assert.ok(created.createDate && created.updateDate);

    const got = (await ims.getSAMLProvider(new Ims.GetSAMLProviderRequest({ SAMLProviderName: 'CORP-IDP' }))).body.SAMLProvider;
    assert.equal(got.encodedSAMLMetadataDocument, first);

    const second = metadata('https://idp.example.com/rotated');
    await ims.updateSAMLProvider(new Ims.UpdateSAMLProviderRequest({ SAMLProviderName: 'corp-idp', newEncodedSAMLMetadataDocument: second, newDescription: 'Okta (rotated)' }));
    const updated = (await ims.getSAMLProvider(new Ims.GetSAMLProviderRequest({ SAMLProviderName: 'corp-idp' }))).body.SAMLProvider;
    assert.equal(updated.encodedSAMLMetadataDocument, second);
    assert.equal(updated.description, 'Okta (rotated)');

    await ims.createSAMLProvider(new Ims.CreateSAMLProviderRequest({ SAMLProviderName: 'b-idp', encodedSAMLMetadataDocument: first }));
    const page = (await ims.listSAMLProviders(new Ims.ListSAMLProvidersRequest({ maxItems: 1 }))).body;
    assert.equal(page.isTruncated, true);
    const rest = (await ims.listSAMLProviders(new Ims.ListSAMLProvidersRequest({ maxItems: 10, marker: page.marker }))).body;
    const listed = [...page.SAMLProviders.SAMLProvider, ...rest.SAMLProviders.SAMLProvider].map((p: any) => p.SAMLProviderName);
    assert.deepEqual([...listed].sort(), [...existing, 'b-idp', 'corp-idp'].sort());
    assert.deepEqual(listed.filter((name: string) => !existing.includes(name)), ['b-idp', 'corp-idp']);

    await ims.deleteSAMLProvider(new Ims.DeleteSAMLProviderRequest({ SAMLProviderName: 'b-idp' }));
    const gone = await expectApiError(ims.getSAMLProvider(new Ims.GetSAMLProviderRequest({ SAMLProviderName: 'b-idp' })));
    assert.equal(gone.code, 'EntityNotExist.SAMLProvider');
    assert.equal(gone.statusCode, 404);
  });

  it('accepts metadata of tens of kilobytes through the SDK, which sends it in the query string', async () => {
    const certificate = selfSignedCertificate('big-idp');
    const large = idpMetadata({ entityId: 'https://idp.example.com/big', post: 'https://idp.example.com/sso', certificates: Array(36).fill(certificate) });
    assert.ok(large.length > 48 * 1024 && large.length < 64 * 1024, String(large.length));
    await ims.createSAMLProvider(new Ims.CreateSAMLProviderRequest({ SAMLProviderName: 'big-idp', encodedSAMLMetadataDocument: large }));
    const got = (await ims.getSAMLProvider(new Ims.GetSAMLProviderRequest({ SAMLProviderName: 'big-idp' }))).body.SAMLProvider;
    assert.equal(got.encodedSAMLMetadataDocument, large);
    await ims.deleteSAMLProvider(new Ims.DeleteSAMLProviderRequest({ SAMLProviderName: 'big-idp' }));
  });

  it('refuses bad names, duplicates and metadata that is not an IdP, changing nothing', async () => {
    const good = metadata('https://idp.example.com/entity');
    await ims.createSAMLProvider(new Ims.CreateSAMLProviderRequest({ SAMLProviderName: 'refusal-idp', encodedSAMLMetadataDocument: good }));
    const providers = async () => (await ims.listSAMLProviders(new Ims.ListSAMLProvidersRequest({}))).body.SAMLProviders.SAMLProvider.map((p: any) => p.SAMLProviderName);
    const existing = await providers();
    const cases: Array<[Record<string, string>, string]> = [
      [{ SAMLProviderName: 'bad name', encodedSAMLMetadataDocument: good }, 'InvalidParameter.SAMLProviderName.InvalidChars'],
      [{ SAMLProviderName: 'x'.repeat(129), encodedSAMLMetadataDocument: good }, 'InvalidParameter.SAMLProviderName.Length'],
      [{ SAMLProviderName: 'not-base64', encodedSAMLMetadataDocument: '<xml>' }, 'InvalidParameter.EncodedSAMLMetadataDocument'],
      [{ SAMLProviderName: 'no-idp', encodedSAMLMetadataDocument: Buffer.from('<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="e"/>').toString('base64') }, 'InvalidParameter.EncodedSAMLMetadataDocument'],
      [{ SAMLProviderName: 'refusal-idp', encodedSAMLMetadataDocument: good }, 'EntityAlreadyExists.SAMLProvider'],
    ];
    for (const [params, code] of cases) {
      const error = await expectApiError(ims.createSAMLProvider(new Ims.CreateSAMLProviderRequest(params)));
      assert.equal(error.code, code, JSON.stringify(params).slice(0, 80));
    }
    assert.deepEqual(await providers(), existing, 'nothing created');
    const before = (await ims.getSAMLProvider(new Ims.GetSAMLProviderRequest({ SAMLProviderName: 'refusal-idp' }))).body.SAMLProvider;
    const bad = await expectApiError(ims.updateSAMLProvider(new Ims.UpdateSAMLProviderRequest({ SAMLProviderName: 'refusal-idp', newEncodedSAMLMetadataDocument: 'AAAA', newDescription: 'lost' })));
    assert.equal(bad.code, 'InvalidParameter.NewEncodedSAMLMetadataDocument');
    const after = (await ims.getSAMLProvider(new Ims.GetSAMLProviderRequest({ SAMLProviderName: 'refusal-idp' }))).body.SAMLProvider;
    assert.deepEqual(after, before);
  });
});

// Metadata as the IdPs export it, stored as uploaded; refused documents create and change nothing.
describe('IMS SAML providers from vendor metadata', () => {
  let server: TestServer;
  let ims: any;
  let keys: SampleKeys;
  const providers = async () => (await ims.listSAMLProviders(new Ims.ListSAMLProvidersRequest({}))).body.SAMLProviders.SAMLProvider.map((p: any) => p.SAMLProviderName);
  before(async () => {
    server = await startServer();
    ims = imsClient(server.url, server.root);
    keys = sampleKeys();
  });
  after(async () => server.close());

  for (const [index, [vendor, build]] of VENDORS.entries()) {
    it(`creates and updates a provider from ${vendor} metadata`, async () => {
      const document = encoded(build(keys).xml);
      const name = `vendor-${index}`;
      await ims.createSAMLProvider(new Ims.CreateSAMLProviderRequest({ SAMLProviderName: name, encodedSAMLMetadataDocument: document, description: vendor }));
      const got = (await ims.getSAMLProvider(new Ims.GetSAMLProviderRequest({ SAMLProviderName: name }))).body.SAMLProvider;
      assert.equal(got.encodedSAMLMetadataDocument, document);
      assert.equal(got.description, vendor);
      assert.ok((await providers()).includes(name));

      const other = encoded(okta(keys).xml);
      await ims.updateSAMLProvider(new Ims.UpdateSAMLProviderRequest({ SAMLProviderName: name, newEncodedSAMLMetadataDocument: other }));
      await ims.updateSAMLProvider(new Ims.UpdateSAMLProviderRequest({ SAMLProviderName: name, newEncodedSAMLMetadataDocument: document }));
      assert.equal((await ims.getSAMLProvider(new Ims.GetSAMLProviderRequest({ SAMLProviderName: name }))).body.SAMLProvider.encodedSAMLMetadataDocument, document);
    });
  }

  it('refuses malformed metadata, metadata with no IdP and metadata with two, creating and changing nothing', async () => {
    const existing = await providers();
    const before = (await ims.getSAMLProvider(new Ims.GetSAMLProviderRequest({ SAMLProviderName: 'vendor-0' }))).body.SAMLProvider;
    const encryptionOnly = okta(keys).xml.replace('use="signing"', 'use="encryption"');
    const cases: Array<[string, string, RegExp]> = [
      ['malformed', encoded(aggregate([spEntity()]).slice(0, -10)), /not well-formed XML/],
      ['no IdP', encoded(aggregate([spEntity()])), /no EntityDescriptor with an IDPSSODescriptor/],
      ['two IdPs', encoded(aggregate([shibbolethEntity(keys).xml, shibbolethEntity(keys, 'https://idp.other.example.org').xml])), /2 identity providers/],
      ['encryption certificate only', encoded(encryptionOnly), /no signing X509Certificate/],
    ];
    for (const [what, document, reason] of cases) {
      const created = await expectApiError(ims.createSAMLProvider(new Ims.CreateSAMLProviderRequest({ SAMLProviderName: 'refused-idp', encodedSAMLMetadataDocument: document })));
      assert.equal(created.code, 'InvalidParameter.EncodedSAMLMetadataDocument', what);
      assert.match(created.message, reason, what);
      const updated = await expectApiError(ims.updateSAMLProvider(new Ims.UpdateSAMLProviderRequest({ SAMLProviderName: 'vendor-0', newEncodedSAMLMetadataDocument: document })));
      assert.equal(updated.code, 'InvalidParameter.NewEncodedSAMLMetadataDocument', what);
      assert.match(updated.message, reason, what);
    }
    assert.deepEqual(await providers(), existing, 'nothing created');
    assert.deepEqual((await ims.getSAMLProvider(new Ims.GetSAMLProviderRequest({ SAMLProviderName: 'vendor-0' }))).body.SAMLProvider, before);
  });
});
