import type { Tx } from '../store/db.js';

// What every node must know about SAML exchanges in flight. The IdP answers with a cross-site POST that carries no
// SameSite=Lax cookie, so the AuthnRequest it answers is looked up here, by the InResponseTo of the verified
// assertion; and an assertion's ID is claimed here once, so a captured response cannot sign anyone in again.

/** How long the IdP has to answer an AuthnRequest (the user may have to type a password and an MFA code there). */
export const AUTHN_REQUEST_LIFETIME_MS = 10 * 60_000;

export async function rememberAuthnRequest(
  tx: Tx,
  input: { id: string; audience: string; relayState: string | null; now: Date },
): Promise<void> {
  await tx
    .insertInto('saml_authn_requests')
    .values({
      id: input.id,
      audience: input.audience,
      relay_state: input.relayState,
      created_at: input.now.toISOString(),
      expires_at: new Date(input.now.getTime() + AUTHN_REQUEST_LIFETIME_MS).toISOString(),
    })
    .execute();
}

/**
 * Spends the AuthnRequest `id` that `audience` sent, if it is still waiting: once only, on whichever node. Null when
 * this SP never sent it, it expired, or it was answered already.
 */
export async function consumeAuthnRequest(tx: Tx, id: string, audience: string, now: Date): Promise<{ relayState: string | null } | null> {
  const row = await tx
    .deleteFrom('saml_authn_requests')
    .where('id', '=', id)
    .where('audience', '=', audience)
    .where('expires_at', '>', now.toISOString())
    .returning('relay_state')
    .executeTakeFirst();
  return row ? { relayState: row.relay_state } : null;
}

/** Claims an assertion for use: false when `issuer` already had it used (until it expires, after which it is refused anyway). */
export async function claimAssertion(tx: Tx, input: { issuer: string; assertionId: string; expiresAt: Date }): Promise<boolean> {
  const result = await tx
    .insertInto('saml_used_assertions')
    .values({ issuer: input.issuer, assertion_id: input.assertionId, expires_at: input.expiresAt.toISOString() })
    .onConflict((c) => c.columns(['issuer', 'assertion_id']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}

/** Drops requests no one answered and used assertions past their expiry. */
export async function sweepSamlExchanges(tx: Tx, now: Date): Promise<void> {
  const at = now.toISOString();
  await tx.deleteFrom('saml_authn_requests').where('expires_at', '<=', at).execute();
  await tx.deleteFrom('saml_used_assertions').where('expires_at', '<=', at).execute();
}
