import { createHash, createHmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { safeEqual } from '../crypto/secrets.js';
import { byKey, percentEncode } from './percent-encode.js';
import type { SignatureCheck } from './signature-v1.js';

export const V3_ALGORITHM = 'ACS3-HMAC-SHA256';

/** What a V3 signature covers, as the server received it. */
export interface SignedRequest {
  method: string;
  pathname: string;
  /** Decoded query pairs, in order. */
  query: Array<[string, string]>;
  headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface V3Authorization {
  accessKeyId: string;
  signedHeaders: string[];
  signature: string;
}

/** `ACS3-HMAC-SHA256 Credential=<AK>,SignedHeaders=a;b,Signature=<hex>`, or null when it is not that. */
export function parseV3Authorization(header: string): V3Authorization | null {
  if (!header.startsWith(`${V3_ALGORITHM} `)) return null;
  const fields = new Map<string, string>();
  for (const part of header.slice(V3_ALGORITHM.length + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const accessKeyId = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!accessKeyId || !signedHeaders || !signature || !/^[0-9a-f]{64}$/i.test(signature)) return null;
  return { accessKeyId, signedHeaders: signedHeaders.toLowerCase().split(';').filter(Boolean), signature: signature.toLowerCase() };
}

function headerValues(headers: SignedRequest['headers'], name: string): string[] {
  const value = headers[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map((v) => v.replace(/[\t\n\r\f]/g, ' ').trim());
}

function canonicalRequest(request: SignedRequest, signedHeaders: string[]): string {
  // Keys are encoded too, so `a=x&b=y` and one key `a=x&b` can never canonicalize alike (the SDKs leave keys
  // as they are; for the parameter names readCall accepts, encoding changes nothing).
  const query = [...request.query]
    .sort(byKey)
    .map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`)
    .join('&');
  const names = [...signedHeaders].sort();
  const headers = names.map((name) => `${name}:${headerValues(request.headers, name).sort().join(',')}\n`).join('');
  const payloadHash = createHash('sha256').update(request.body).digest('hex');
  return [request.method.toUpperCase(), request.pathname || '/', query, headers, names.join(';'), payloadHash].join('\n');
}

function signCanonical(canonical: string, secret: string): string {
  const stringToSign = `${V3_ALGORITHM}\n${createHash('sha256').update(canonical, 'utf8').digest('hex')}`;
  return createHmac('sha256', secret).update(stringToSign, 'utf8').digest('hex');
}

/** Signs a request the way @alicloud/openapi-client does: `host`, `content-type` and every `x-acs-*` header. */
export function signV3(request: SignedRequest, accessKeyId: string, secret: string): string {
  const signedHeaders = Object.keys(request.headers)
    .map((h) => h.toLowerCase())
    .filter((h) => h === 'host' || h === 'content-type' || h.startsWith('x-acs-'))
    .sort();
  const signature = signCanonical(canonicalRequest(request, signedHeaders), secret);
  return `${V3_ALGORITHM} Credential=${accessKeyId},SignedHeaders=${signedHeaders.join(';')},Signature=${signature}`;
}

/**
 * Checks a V3 signature. Every `x-acs-*` header the request carries must be signed, so nobody can add an
 * unsigned action, date or nonce to a captured request; the body is hashed here, never taken from a header.
 */
export function verifyV3(request: SignedRequest, auth: V3Authorization, secret: string): SignatureCheck {
  const present = Object.keys(request.headers).map((h) => h.toLowerCase());
  const unsigned = present.filter((h) => h.startsWith('x-acs-') && !auth.signedHeaders.includes(h));
  if (unsigned.length > 0) {
    return { ok: false, code: 'IncompleteSignature', message: `The header ${unsigned.join(', ')} must be signed.` };
  }
  for (const required of ['host', 'x-acs-action', 'x-acs-version', 'x-acs-date', 'x-acs-signature-nonce']) {
    if (!auth.signedHeaders.includes(required)) {
      return { ok: false, code: 'IncompleteSignature', message: `The header ${required} must be signed.` };
    }
  }
  const declaredHash = headerValues(request.headers, 'x-acs-content-sha256')[0];
  const bodyHash = createHash('sha256').update(request.body).digest('hex');
  if (declaredHash !== undefined && declaredHash.toLowerCase() !== bodyHash) {
    return { ok: false, code: 'SignatureDoesNotMatch', message: 'The x-acs-content-sha256 header does not match the request body.' };
  }
  const expected = signCanonical(canonicalRequest(request, auth.signedHeaders), secret);
  return safeEqual(expected, auth.signature)
    ? { ok: true }
    : { ok: false, code: 'SignatureDoesNotMatch', message: 'Specified signature is not matched with our calculation.' };
}
