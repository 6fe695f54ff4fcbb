import { randomBytes } from 'node:crypto';
import { SAML } from '@node-saml/node-saml';

// The AuthnRequest an SP sends the browser to its IdP with, in the binding the IdP asked for: HTTP-Redirect (a
// deflated request in the query, the signature over the query when signed) or HTTP-POST (a form the browser posts,
// the signature inside the XML). @node-saml/node-saml writes and signs the XML; the caller keeps the ID it returns
// (src/saml/exchanges.ts) to recognise the answer.

export type SamlBinding = 'Redirect' | 'Post';
export type SamlSignAlgo = 'rsa-sha256' | 'rsa-sha1';

export interface AuthnRequestInput {
  spEntityId: string;
  acsUrl: string;
  idp: { loginUrl: string; certificates: string[] };
  binding: SamlBinding;
  relayState: string | null;
  /** Sign the request with the SP's key (the IdP's WantAuthnRequestsSigned). */
  signing?: { privateKeyPem: string; certificatePem: string; algorithm: SamlSignAlgo };
}

export type AuthnRequest =
  | { id: string; binding: 'Redirect'; url: string }
  | { id: string; binding: 'Post'; action: string; fields: Record<string, string> };

/** A request ID: an XML NCName (it must not start with a digit), unguessable. */
export const newRequestId = (): string => `_${randomBytes(20).toString('hex')}`;

export async function buildAuthnRequest(input: AuthnRequestInput): Promise<AuthnRequest> {
  const id = newRequestId();
  const post = input.binding === 'Post';
  const saml = new SAML({
    entryPoint: input.idp.loginUrl,
    issuer: input.spEntityId,
    callbackUrl: input.acsUrl,
    idpCert: input.idp.certificates,
    generateUniqueId: () => id,
    // Which user the IdP names is its choice: CloudSSO matches the NameID against user names whatever its format.
    identifierFormat: null,
    disableRequestedAuthnContext: true,
    authnRequestBinding: post ? 'HTTP-POST' : 'HTTP-Redirect',
    // The POST binding carries the XML base64-encoded as it is; only the Redirect binding deflates it.
    skipRequestCompression: post,
    ...(input.signing
      ? {
          privateKey: input.signing.privateKeyPem,
          publicCert: input.signing.certificatePem,
          signatureAlgorithm: input.signing.algorithm === 'rsa-sha1' ? ('sha1' as const) : ('sha256' as const),
        }
      : {}),
  });
  const relayState = input.relayState ?? '';
  if (post) {
    const message = await saml.getAuthorizeMessageAsync(relayState, undefined, {});
    const fields: Record<string, string> = {};
    for (const [name, value] of Object.entries(message)) if (typeof value === 'string' && value !== '') fields[name] = value;
    return { id, binding: 'Post', action: input.idp.loginUrl, fields };
  }
  return { id, binding: 'Redirect', url: await saml.getAuthorizeUrlAsync(relayState, undefined, {}) };
}
