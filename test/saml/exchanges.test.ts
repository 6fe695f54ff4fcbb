// The SAML state every node shares: an AuthnRequest is answered once, only for the SP that sent it and only in time;
// an assertion ID is used once. Two nodes on one store see the same state.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AUTHN_REQUEST_LIFETIME_MS, claimAssertion, consumeAuthnRequest, rememberAuthnRequest, sweepSamlExchanges } from '../../src/saml/exchanges.js';
import { newRequestId } from '../../src/saml/authn-request.js';
import { startServer, type TestServer } from '../support/server.js';

let one: TestServer;
let two: TestServer;
before(async () => {
  one = await startServer();
  two = await startServer({ shareWith: one });
});
after(async () => {
  await two.stop();
  await one.close();
});

const db = (node: TestServer) => node.gatehouse.services.store.db;

describe('AuthnRequests sent', () => {
  it('are answered once, on any node, with the relay state they were sent with', async () => {
    const id = newRequestId();
    const now = new Date();
    await rememberAuthnRequest(db(one), { id, audience: 'cloudsso:d-a', relayState: '/sso/a/portal', now });
    assert.deepEqual(await consumeAuthnRequest(db(two), id, 'cloudsso:d-a', now), { relayState: '/sso/a/portal' });
    assert.equal(await consumeAuthnRequest(db(one), id, 'cloudsso:d-a', now), null);
  });

  it('are not answered for another SP, nor after they expire, nor when never sent', async () => {
    const id = newRequestId();
    const now = new Date();
    await rememberAuthnRequest(db(one), { id, audience: 'cloudsso:d-a', relayState: null, now });
    assert.equal(await consumeAuthnRequest(db(one), id, 'cloudsso:d-b', now), null);
    assert.equal(await consumeAuthnRequest(db(one), id, 'cloudsso:d-a', new Date(now.getTime() + AUTHN_REQUEST_LIFETIME_MS)), null);
    assert.equal(await consumeAuthnRequest(db(one), newRequestId(), 'cloudsso:d-a', now), null);
  });

  it('are swept once expired, and only then', async () => {
    const now = new Date();
    const [kept, gone] = [newRequestId(), newRequestId()];
    await rememberAuthnRequest(db(one), { id: gone, audience: 'cloudsso:d-s', relayState: null, now: new Date(now.getTime() - AUTHN_REQUEST_LIFETIME_MS) });
    await rememberAuthnRequest(db(one), { id: kept, audience: 'cloudsso:d-s', relayState: null, now });
    await sweepSamlExchanges(db(one), now);
    const left = await db(one).selectFrom('saml_authn_requests').select('id').where('audience', '=', 'cloudsso:d-s').execute();
    assert.deepEqual(left.map((r) => r.id), [kept]);
  });
});

describe('assertions used', () => {
  it('are claimed once across nodes, per issuer', async () => {
    const expiresAt = new Date(Date.now() + 300_000);
    const claim = (node: TestServer, issuer: string) => claimAssertion(db(node), { issuer, assertionId: '_a1', expiresAt });
    const first = await Promise.all([claim(one, 'https://idp.a'), claim(two, 'https://idp.a')]);
    assert.deepEqual(first.sort(), [false, true]);
    assert.equal(await claim(two, 'https://idp.b'), true);
  });
});
