// The AuthnRequests Gatehouse sends, read by an independent IdP (samlify) in both bindings, signed and unsigned.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import samlify from 'samlify';
import { buildAuthnRequest } from '../../src/saml/authn-request.js';
import { TestIdp, newKeyPair, type KeyPair } from '../support/saml-idp.js';

const SP = 'https://gatehouse.test/saml/sp/d-req';
const ACS = 'https://gatehouse.test/saml/acs/d-req';
let idp: TestIdp;
let spKey: KeyPair;

before(async () => {
  idp = await TestIdp.create();
  spKey = await newKeyPair('gatehouse-sp.test');
});

const body = (pem: string) => pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, '');
const spMetadata = (signed: boolean) =>
  samlify
    .ServiceProvider({
      entityID: SP,
      authnRequestsSigned: signed,
      signingCert: signed ? body(spKey.certificatePem) : undefined,
      assertionConsumerService: [{ Binding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST', Location: ACS }],
    })
    .getMetadata();

const request = (binding: 'Redirect' | 'Post', signed: boolean) =>
  buildAuthnRequest({
    spEntityId: SP,
    acsUrl: ACS,
    idp: { loginUrl: idp.loginUrl, certificates: [idp.certificatePem] },
    binding,
    relayState: '/sso/req/link?x=1',
    signing: signed ? { ...spKey, algorithm: 'rsa-sha256' } : undefined,
  });

for (const binding of ['Redirect', 'Post'] as const) {
  describe(`an AuthnRequest in the HTTP-${binding} binding`, () => {
    for (const signed of [false, true]) {
      it(`${signed ? 'signed' : 'unsigned'}: the IdP reads our ID, issuer, ACS and relay state${signed ? ' and verifies the signature' : ''}`, async () => {
        const sent = await request(binding, signed);
        assert.equal(sent.binding, binding);
        const received = sent.binding === 'Redirect' ? { url: sent.url } : { fields: sent.fields };
        if (sent.binding === 'Post') assert.equal(sent.action, idp.loginUrl);
        else assert.ok(sent.url.startsWith(`${idp.loginUrl}?`));
        const parsed = await idp.parseRequest(spMetadata(signed), received, { wantAuthnRequestsSigned: signed });
        assert.equal(parsed.id, sent.id);
        assert.equal(parsed.issuer, SP);
        assert.equal(parsed.acsUrl, ACS);
        assert.equal(parsed.relayState, '/sso/req/link?x=1');
      });
    }

    it('signed, but altered on the way: the IdP refuses it', async () => {
      const sent = await request(binding, true);
      // Redirect: another request's body under this request's signature. POST: the signed XML with its ACS changed.
      const other = await request(binding, true);
      let forged: { url: string } | { fields: Record<string, string> };
      if (sent.binding === 'Redirect' && other.binding === 'Redirect') {
        forged = { url: sent.url.replace(/SAMLRequest=[^&]+/, /SAMLRequest=[^&]+/.exec(other.url)![0]) };
      } else {
        const fields = (sent as { fields: Record<string, string> }).fields;
        const xml = Buffer.from(fields.SAMLRequest!, 'base64').toString('utf8').replace(ACS, 'https://evil.test/acs');
        forged = { fields: { ...fields, SAMLRequest: Buffer.from(xml).toString('base64') } };
      }
      await assert.rejects(idp.parseRequest(spMetadata(true), forged, { wantAuthnRequestsSigned: true }), /ERR_FAILED_MESSAGE_SIGNATURE_VERIFICATION|signature/i);
    });
  });
}
