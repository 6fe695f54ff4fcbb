// The attack corpus for SAML response validation: every refusal the issue lists, one test each, against responses an
// independent IdP (samlify's signer, its own key) signed and then bent the ways attackers bend them.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { SamlRefusal, verifySamlResponse, type SamlTrust } from '../../src/saml/response.js';
import { TestIdp, base64, newKeyPair, newSamlId, type KeyPair } from '../support/saml-idp.js';

const SP = 'https://gatehouse.test/saml/sp/d-corpus';
const ACS = 'https://gatehouse.test/saml/acs/d-corpus';

let idp: TestIdp;
let attacker: KeyPair;
let trust: SamlTrust;

before(async () => {
  idp = await TestIdp.create({ entityId: 'https://idp.corpus.test/metadata' });
  attacker = await newKeyPair('attacker.test');
  trust = { idpEntityId: idp.entityId, certificates: [idp.certificatePem], spEntityId: SP, acsUrl: ACS };
});

const base = (over: Partial<Parameters<TestIdp['responseXml']>[0]> = {}) => ({ audience: SP, acsUrl: ACS, nameId: 'alice@corp.test', ...over });

async function refusal(samlResponse: string, at = new Date(), against = trust): Promise<SamlRefusal> {
  try {
    await verifySamlResponse(samlResponse, against, at);
  } catch (error) {
    assert.ok(error instanceof SamlRefusal, `expected a SamlRefusal, got ${String(error)}`);
    return error;
  }
  assert.fail('the response was accepted');
}

/** The signed assertion element of a signed response, as XML text. */
const assertionOf = (xml: string): string => /<saml:Assertion\b[\s\S]*<\/saml:Assertion>/.exec(xml)![0];

describe('a SAML response from the configured IdP', () => {
  it('yields the facts of its signed assertion: subject, attributes (all values), request answered, limits', async () => {
    const session = new Date(Date.now() + 3_600_000);
    const facts = await verifySamlResponse(
      idp.respond(base({ inResponseTo: '_req1', attributes: { groups: ['admins', 'devs'], mail: ['alice@corp.test'] }, sessionNotOnOrAfter: session })),
      trust,
      new Date(),
    );
    assert.equal(facts.nameId, 'alice@corp.test');
    assert.equal(facts.issuer, idp.entityId);
    assert.equal(facts.inResponseTo, '_req1');
    assert.deepEqual(facts.attributes, { groups: ['admins', 'devs'], mail: ['alice@corp.test'] });
    assert.equal(facts.sessionNotOnOrAfter?.toISOString(), session.toISOString());
    assert.ok(facts.notOnOrAfter.getTime() > Date.now());
    assert.match(facts.assertionId, /^_/);
  });

  it('is accepted with the Response signed as well, and with no InResponseTo (IdP-initiated)', async () => {
    const facts = await verifySamlResponse(idp.respond(base(), { assertion: true, response: true }), trust, new Date());
    assert.equal(facts.inResponseTo, null);
  });

  it('is accepted when signed by the second of two configured certificates (rotation)', async () => {
    const next = await newKeyPair('idp-next.test');
    const rotated = { ...trust, certificates: [idp.certificatePem, next.certificatePem] };
    const facts = await verifySamlResponse(base64(idp.sign(idp.responseXml(base()), { assertion: true, key: next })), rotated, new Date());
    assert.equal(facts.nameId, 'alice@corp.test');
  });

  it('is accepted a little outside its validity window while the clocks differ by less than the skew', async () => {
    const issued = new Date(Date.now() + 60_000); // the IdP's clock runs a minute ahead
    await verifySamlResponse(idp.respond(base({ now: issued, notBefore: issued })), trust, new Date());
  });
});

describe('the SAML attack corpus: each is refused', () => {
  it('an unsigned response', async () => {
    assert.equal((await refusal(base64(idp.responseXml(base())))).reason, 'signature');
  });

  it('a response whose Response is signed but whose assertion is not', async () => {
    assert.equal((await refusal(idp.respond(base(), { response: true }))).reason, 'signature');
  });

  it('a response signed with a key that is not the IdP certificate’s', async () => {
    assert.equal((await refusal(idp.respond(base(), { assertion: true, key: attacker }))).reason, 'signature');
  });

  it('a signed assertion whose NameID was changed afterwards', async () => {
    const signed = idp.sign(idp.responseXml(base({ nameId: 'mallory@corp.test' })));
    assert.equal((await refusal(base64(signed.replace('mallory@corp.test', 'alice@corp.test')))).reason, 'signature');
  });

  it('a signed assertion whose attribute values were changed afterwards', async () => {
    const signed = idp.sign(idp.responseXml(base({ attributes: { role: ['reader'] } })));
    assert.equal((await refusal(base64(signed.replace('>reader<', '>admin<')))).reason, 'signature');
  });

  it('XSW: a forged assertion placed before the signed one (two assertions)', async () => {
    const signed = idp.sign(idp.responseXml(base({ nameId: 'mallory@corp.test' })));
    const forged = assertionOf(idp.responseXml(base({ nameId: 'admin@corp.test' })));
    const wrapped = signed.replace('<saml:Assertion', `${forged}<saml:Assertion`);
    assert.equal((await refusal(base64(wrapped))).reason, 'multiple-assertions');
  });

  it('XSW: a duplicated signed assertion', async () => {
    const signed = idp.sign(idp.responseXml(base()));
    const assertion = assertionOf(signed);
    assert.equal((await refusal(base64(signed.replace(assertion, assertion + assertion)))).reason, 'multiple-assertions');
  });

  it('XSW: the signed assertion moved into Extensions and a forged one put in its place', async () => {
    const signed = idp.sign(idp.responseXml(base({ nameId: 'mallory@corp.test' })));
    const original = assertionOf(signed);
    const forged = assertionOf(idp.responseXml(base({ nameId: 'admin@corp.test' })));
    const moved = signed.replace(original, forged).replace('<samlp:Status>', `<samlp:Extensions>${original}</samlp:Extensions><samlp:Status>`);
    assert.equal((await refusal(base64(moved))).reason, 'signature');
  });

  it('XSW: a forged assertion that carries the signature of the original, which it wraps', async () => {
    const signed = idp.sign(idp.responseXml(base({ nameId: 'mallory@corp.test' })));
    const original = assertionOf(signed);
    const signature = /<ds:Signature[\s\S]*<\/ds:Signature>/.exec(original)![0];
    const forged = assertionOf(idp.responseXml(base({ nameId: 'admin@corp.test' }))).replace(
      '</saml:Issuer>',
      `</saml:Issuer>${signature}<saml:Advice>${original.replace(signature, '')}</saml:Advice>`,
    );
    assert.equal((await refusal(base64(signed.replace(original, forged)))).reason, 'signature');
  });

  it('XSW: a forged assertion given the signed assertion’s ID, with the signed one hidden inside it', async () => {
    const id = newSamlId();
    const signed = idp.sign(idp.responseXml(base({ nameId: 'mallory@corp.test', assertionId: id })));
    const original = assertionOf(signed);
    const forged = assertionOf(idp.responseXml(base({ nameId: 'admin@corp.test', assertionId: id }))).replace('</saml:Subject>', `</saml:Subject><saml:Advice>${original}</saml:Advice>`);
    assert.equal((await refusal(base64(signed.replace(original, forged)))).reason, 'signature');
  });

  it('a signature whose reference points at another element than the assertion it sits in', async () => {
    // The Response is signed (reference "" / its own ID), then its signature is moved into a forged, unsigned assertion.
    const signedResponse = idp.sign(idp.responseXml(base({ nameId: 'admin@corp.test' })), { response: true });
    const signature = /<ds:Signature[\s\S]*<\/ds:Signature>/.exec(signedResponse)![0];
    const moved = signedResponse.replace(signature, '').replace(/(<saml:Assertion\b[^>]*>\s*<saml:Issuer>[^<]*<\/saml:Issuer>)/, `$1${signature}`);
    assert.equal((await refusal(base64(moved))).reason, 'signature');
  });

  it('an assertion for another service (wrong Audience)', async () => {
    assert.equal((await refusal(idp.respond(base({ audience: 'https://gatehouse.test/saml/sp/d-other' })))).reason, 'audience');
  });

  it('an assertion for another ACS (wrong Recipient)', async () => {
    const xml = idp.responseXml(base({ destination: null })).replace(`Recipient="${ACS}"`, 'Recipient="https://gatehouse.test/saml/acs/d-other"');
    assert.equal((await refusal(base64(idp.sign(xml)))).reason, 'recipient');
  });

  it('a response sent to another address (wrong Destination)', async () => {
    assert.equal((await refusal(idp.respond(base({ destination: 'https://gatehouse.test/saml/acs/d-other' })))).reason, 'destination');
  });

  it('a response for one directory posted to another directory’s ACS', async () => {
    const other = { ...trust, spEntityId: 'https://gatehouse.test/saml/sp/d-other', acsUrl: 'https://gatehouse.test/saml/acs/d-other' };
    assert.ok(['audience', 'destination', 'recipient'].includes((await refusal(idp.respond(base()), new Date(), other)).reason));
  });

  it('an assertion issued by another IdP, even with the right key', async () => {
    assert.equal((await refusal(idp.respond(base({ issuer: 'https://idp.elsewhere.test' })))).reason, 'issuer');
  });

  it('an expired assertion (past NotOnOrAfter plus the clock skew)', async () => {
    const issued = new Date(Date.now() - 20 * 60_000);
    assert.equal((await refusal(idp.respond(base({ now: issued, notBefore: issued })))).reason, 'expired');
  });

  it('an assertion not valid yet (NotBefore beyond the clock skew)', async () => {
    const issued = new Date(Date.now() + 10 * 60_000);
    assert.equal((await refusal(idp.respond(base({ now: issued, notBefore: issued })))).reason, 'not-yet-valid');
  });

  it('a Response whose InResponseTo differs from the one its signed assertion answers', async () => {
    const xml = idp.sign(idp.responseXml(base({ inResponseTo: '_signed' })));
    const forged = xml.replace(/(<samlp:Response\b[^>]*?)InResponseTo="_signed"/, '$1InResponseTo="_other"');
    assert.equal((await refusal(base64(forged))).reason, 'in-response-to');
  });

  it('a document type declaration (entities, XXE)', async () => {
    const xml = idp.sign(idp.responseXml(base()));
    const withDoctype = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]>${xml}`;
    assert.equal((await refusal(base64(withDoctype))).reason, 'doctype');
  });

  it('a response that is not base64 or not XML', async () => {
    assert.equal((await refusal('not base64!')).reason, 'malformed');
    assert.equal((await refusal(base64('<hello'))).reason, 'malformed');
  });

  it('a response whose status is not Success', async () => {
    const failed = `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_x" Version="2.0" IssueInstant="${new Date().toISOString()}"><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Requester"/></samlp:Status></samlp:Response>`;
    assert.equal((await refusal(base64(failed))).reason, 'status');
  });
});

describe('XML comments inside the NameID', () => {
  it('do not cut the name short: the whole signed text is the user name', async () => {
    // The IdP signed "alice@corp.test.evil.test" for a user who registered that name; a parser that reads only the
    // first text node would see "alice@corp.test".
    const facts = await verifySamlResponse(idp.respond(base({ nameId: '', rawNameId: 'alice@corp.test<!---->.evil.test' })), trust, new Date());
    assert.equal(facts.nameId, 'alice@corp.test.evil.test');
  });

  it('added after signing break the signature only if they change the canonical text; the name read is never the prefix', async () => {
    const signed = idp.sign(idp.responseXml(base({ nameId: 'alice@corp.test.evil.test' })));
    const commented = signed.replace('alice@corp.test.evil.test', 'alice@corp.test<!---->.evil.test');
    // Exclusive canonicalization drops comments, so the signature still holds; what matters is the value read.
    const facts = await verifySamlResponse(base64(commented), trust, new Date());
    assert.equal(facts.nameId, 'alice@corp.test.evil.test');
  });
});
