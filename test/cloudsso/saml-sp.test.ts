// The directory as a SAML service provider (issue 15 item 1): the SP metadata that IdPs import (samlify reads it, and
// it says what node-saml's own SP metadata says), the SP signing key made once and kept sealed, rotation, and
// keys that outlive a cleared IdP but not the directory.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, createPrivateKey, X509Certificate } from 'node:crypto';
import samlify from 'samlify';
import { createRequire } from 'node:module';
import { SAML } from '@node-saml/node-saml';
import { XMLParser } from 'fast-xml-parser';
import { startServer, type TestServer } from '../support/server.js';
import { sso } from './access-support.js';
import { idpMetadata, selfSignedCertificate } from './saml-support.js';
import { activeSpKey, newSpKeyPair, retirePreviousSpKey, rotateSpKey, spOwner, type SpKeyContext } from '../../src/saml/sp-keys.js';

// The IdP's schema check before it reads a request (the package ships no types).
samlify.setSchemaValidator(createRequire(import.meta.url)('@authenio/samlify-xmllint-wasm'));

const body = (pem: string): string => pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', removeNSPrefix: true, isArray: (name) => ['KeyDescriptor', 'NameIDFormat'].includes(name) });

/** What an IdP reads from SP metadata, from the XML itself. */
function spFields(xml: string): { entityId: string; acs: string[]; authnRequestsSigned: string; wantAssertionsSigned: string; signing: string[] } {
  const sp = parser.parse(xml).EntityDescriptor;
  const descriptor = sp.SPSSODescriptor;
  return {
    entityId: sp.entityID,
    acs: asArray(descriptor.AssertionConsumerService).map((a: any) => `${a.Binding} ${a.Location}`),
    authnRequestsSigned: String(descriptor.AuthnRequestsSigned),
    wantAssertionsSigned: String(descriptor.WantAssertionsSigned),
    signing: (descriptor.KeyDescriptor ?? []).filter((k: any) => k.use === 'signing').map((k: any) => body(String(k.KeyInfo.X509Data.X509Certificate))),
  };
}

describe('CloudSSO directory as a SAML service provider', () => {
  let server: TestServer;
  let dir = '';
  let context: SpKeyContext;
  const info = async (d = dir, s = server) => (await sso(s, 'GetDirectorySAMLServiceProviderInfo', { DirectoryId: d })).SAMLServiceProvider;
  const xmlOf = (sp: any): string => Buffer.from(sp.EncodedMetadataDocument, 'base64').toString('utf8');
  const db = () => server.gatehouse.services.store.db;

  before(async () => {
    server = await startServer();
    context = { secrets: server.gatehouse.services.secrets, now: new Date() };
    dir = (await sso(server, 'CreateDirectory', { DirectoryName: `sp-${server.port}` })).Directory.DirectoryId;
  });
  after(async () => server?.close());

  it('answers the SP information with metadata samlify imports: entity, HTTP-POST ACS, signed assertions wanted, the SP certificate', async () => {
    const sp = await info();
    const publicUrl = server.gatehouse.services.config.publicUrl;
    assert.equal(sp.EntityId, `${publicUrl}/saml/sp/${dir}`);
    assert.equal(sp.AcsUrl, `${publicUrl}/saml/acs/${dir}`);
    assert.equal(sp.AuthnSignAlgo, 'rsa-sha256');
    assert.equal(sp.CertificateType, 'self-signed');
    assert.equal(sp.SupportEncryptedAssertion, false);

    const imported = samlify.ServiceProvider({ metadata: xmlOf(sp) });
    const meta = imported.entityMeta;
    assert.equal(meta.getEntityID(), sp.EntityId);
    assert.equal(meta.getAssertionConsumerService('post'), sp.AcsUrl);
    assert.equal(meta.isWantAssertionsSigned(), true);
    assert.equal(meta.isAuthnRequestSigned(), false, 'WantRequestSigned is off until the IdP configuration says otherwise');
    assert.deepEqual(meta.getNameIDFormat(), ['urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified', 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress']);
    const key = await activeSpKey(db(), spOwner(dir), context);
    assert.equal(meta.getX509Certificate('signing'), body(key.certificatePem));

    // The same key is answered again: it was made once.
    assert.equal(xmlOf(await info()), xmlOf(sp));
  });

  it('says what node-saml says of an SP with the same addresses and key, and node-saml signs with the key', async () => {
    const sp = await info();
    const key = await activeSpKey(db(), spOwner(dir), context);
    const idpCert = selfSignedCertificate('idp');
    const saml = new SAML({
      callbackUrl: sp.AcsUrl,
      issuer: sp.EntityId,
      entryPoint: 'https://idp.example.com/sso',
      idpCert,
      privateKey: key.privateKeyPem,
      publicCert: key.certificatePem,
      signatureAlgorithm: 'sha256',
      wantAssertionsSigned: true,
    });
    await sso(server, 'SetExternalSAMLIdentityProvider', {
      DirectoryId: dir,
      EncodedMetadataDocument: idpMetadata({ entityId: 'https://idp.example.com', redirect: 'https://idp.example.com/sso', certificates: [idpCert] }),
      WantRequestSigned: true,
    });
    const ours = spFields(xmlOf(await info()));
    const theirs = spFields(saml.generateServiceProviderMetadata(null, key.certificatePem));
    assert.deepEqual(ours, theirs);
    assert.equal(ours.authnRequestsSigned, 'true', 'AuthnRequestsSigned follows WantRequestSigned');

    // An IdP that imported our metadata verifies what node-saml signs with our key (HTTP-Redirect binding).
    const url = new URL(await saml.getAuthorizeUrlAsync('relay-1', undefined, {}));
    const octetString = url.search
      .slice(1)
      .split('&')
      .filter((part) => !part.startsWith('Signature='))
      .join('&');
    const idp = samlify.IdentityProvider({
      entityID: 'https://idp.example.com',
      signingCert: idpCert,
      wantAuthnRequestsSigned: true,
      singleSignOnService: [{ Binding: samlify.Constants.namespace.binding.redirect, Location: 'https://idp.example.com/sso' }],
    });
    const parsed = await idp.parseLoginRequest(samlify.ServiceProvider({ metadata: xmlOf(await info()) }), 'redirect', {
      query: Object.fromEntries(url.searchParams),
      octetString,
    });
    assert.equal(parsed.extract.issuer, sp.EntityId);
    // A request signed with another key is refused by the same IdP.
    const stranger = new SAML({ callbackUrl: sp.AcsUrl, issuer: sp.EntityId, entryPoint: 'https://idp.example.com/sso', idpCert, privateKey: (await newSpKeyPair('stranger', new Date())).privateKeyPem, signatureAlgorithm: 'sha256' });
    const forged = new URL(await stranger.getAuthorizeUrlAsync('relay-1', undefined, {}));
    await assert.rejects(
      idp.parseLoginRequest(samlify.ServiceProvider({ metadata: xmlOf(await info()) }), 'redirect', {
        query: Object.fromEntries(forged.searchParams),
        octetString: forged.search.slice(1).split('&').filter((p) => !p.startsWith('Signature=')).join('&'),
      }),
      /SIGNATURE/,
    );
  });

  it('keeps the private key sealed at rest; it opens to the key of the published certificate', async () => {
    const rows = await db().selectFrom('saml_sp_keys').selectAll().where('owner', '=', spOwner(dir)).execute();
    assert.equal(rows.length, 1);
    assert.doesNotMatch(rows[0]!.private_key_sealed, /PRIVATE KEY|MII/);
    const key = await activeSpKey(db(), spOwner(dir), context);
    const certificate = new X509Certificate(key.certificatePem);
    const publicKey = createPublicKey(createPrivateKey(key.privateKeyPem)).export({ type: 'spki', format: 'der' });
    assert.deepEqual(publicKey, certificate.publicKey.export({ type: 'spki', format: 'der' }));
    assert.equal(certificate.checkPrivateKey(createPrivateKey(key.privateKeyPem)), true);
    assert.equal(certificate.verify(certificate.publicKey), true, 'self-signed');
    assert.equal((createPrivateKey(key.privateKeyPem).asymmetricKeyDetails ?? {}).modulusLength, 2048);
  });

  it('rotates: the new key signs, the previous certificate stays published until retired or rotated out', async () => {
    const owner = spOwner(dir);
    const first = await activeSpKey(db(), owner, context);
    const second = await db().transaction().execute((tx) => rotateSpKey(tx, owner, context));
    assert.notEqual(second.id, first.id);
    assert.equal((await activeSpKey(db(), owner, context)).id, second.id);
    assert.deepEqual(spFields(xmlOf(await info())).signing, [body(second.certificatePem), body(first.certificatePem)]);

    const third = await db().transaction().execute((tx) => rotateSpKey(tx, owner, context));
    assert.deepEqual(spFields(xmlOf(await info())).signing, [body(third.certificatePem), body(second.certificatePem)], 'the first key is gone');
    assert.equal(await retirePreviousSpKey(db(), owner), true);
    assert.deepEqual(spFields(xmlOf(await info())).signing, [body(third.certificatePem)]);
    assert.equal(await retirePreviousSpKey(db(), owner), false);
    const rows = await db().selectFrom('saml_sp_keys').select(['id', 'state']).where('owner', '=', owner).execute();
    assert.deepEqual(rows, [{ id: third.id, state: 'active' }]);
  });

  it('makes one first key when several requests ask at once', async () => {
    const owner = `test:race-${server.port}`;
    const keys = await Promise.all(Array.from({ length: 4 }, () => activeSpKey(db(), owner, context)));
    assert.equal(new Set(keys.map((k) => k.id)).size, 1);
    assert.equal((await db().selectFrom('saml_sp_keys').select('id').where('owner', '=', owner).execute()).length, 1);
  });

  it('keeps the SP keys when the IdP is cleared, and deletes them with the directory', async () => {
    const before = spFields(xmlOf(await info())).signing;
    await sso(server, 'ClearExternalSAMLIdentityProvider', { DirectoryId: dir });
    const cleared = spFields(xmlOf(await info()));
    assert.deepEqual(cleared.signing, before);
    assert.equal(cleared.authnRequestsSigned, 'false');

    await sso(server, 'DeleteDirectory', { DirectoryId: dir });
    assert.equal((await db().selectFrom('saml_sp_keys').select('id').where('owner', '=', spOwner(dir)).execute()).length, 0);
  });
});

describe('CloudSSO SP key on two nodes', () => {
  let one: TestServer;
  let two: TestServer;
  before(async () => {
    one = await startServer();
    two = await startServer({ shareWith: one });
  });
  after(async () => {
    await two?.close();
    await one?.close();
  });

  it('gives the same SP certificate from both nodes when both make the first key at once', async () => {
    const dir = (await sso(one, 'CreateDirectory', { DirectoryName: `two-${one.port}` })).Directory.DirectoryId;
    const [a, b] = await Promise.all([one, two].map((s) => sso(s, 'GetDirectorySAMLServiceProviderInfo', { DirectoryId: dir })));
    const signing = (sp: any) => spFields(Buffer.from(sp.SAMLServiceProvider.EncodedMetadataDocument, 'base64').toString('utf8')).signing;
    assert.equal(signing(a).length, 1);
    assert.deepEqual(signing(a), signing(b));
  });
});
