import { ApiError } from '../errors.js';
import { verifyV1, type SignatureCheck } from './signature-v1.js';
import { parseV3Authorization, verifyV3, type SignedRequest } from './signature-v3.js';

/** An HTTP request as it reached the gateway: the raw request-target, the headers and the body bytes. */
export interface HttpRequestParts {
  method: string;
  /** Path and query exactly as sent (`/?Action=…`). */
  url: string;
  headers: SignedRequest['headers'];
  body: Buffer;
}

/**
 * One RPC call, read only from what its signature covers: the action, version and parameters that run, and the
 * clock, nonce and token material that authenticate it. `verify` checks the signature over the same request.
 */
export interface ApiCall {
  scheme: 'v3' | 'v1' | 'unsigned';
  action: string;
  version: string;
  /** Every parameter, common ones included: strings from a query or form, or JSON values from a V3 JSON body. */
  params: Record<string, unknown>;
  /** For a signed call; empty for an unsigned one. */
  accessKeyId: string;
  timestamp: { name: string; value: string | undefined };
  nonce: string | undefined;
  securityToken: string | undefined;
  verify(secret: string): SignatureCheck;
}

/**
 * A parameter name is made of RFC 3986 unreserved characters. The official SDKs put V3 query keys into the
 * canonical string without encoding them, so a key holding `&` or `=` could pass for two parameters under one
 * signature; no API parameter is named like that, so such a key is refused rather than guessed at.
 */
const PARAMETER_NAME = /^[A-Za-z0-9._~-]+$/;

function refuse(code: string, message: string): never {
  throw new ApiError(code, 400, message);
}

function headerOf(headers: HttpRequestParts['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function splitTarget(url: string): { pathname: string; query: Array<[string, string]> } {
  const q = url.indexOf('?');
  const pathname = q < 0 ? url : url.slice(0, q);
  return { pathname: pathname || '/', query: q < 0 ? [] : [...new URLSearchParams(url.slice(q + 1))] };
}

function contentTypeOf(parts: HttpRequestParts): string {
  return String(headerOf(parts.headers, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}

function formPairs(body: Buffer): Array<[string, string]> {
  return [...new URLSearchParams(body.toString('utf8'))];
}

function jsonObject(body: Buffer): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    refuse('InvalidParameter', 'The request body is not valid JSON.');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) refuse('InvalidParameter', 'The request body must be a JSON object.');
  return parsed as Record<string, unknown>;
}

/** Collects parameters from every place they came from; a name given twice, or not a parameter name, is refused. */
function collect(sources: Array<Iterable<readonly [string, unknown]>>): Record<string, unknown> {
  const params: Record<string, unknown> = Object.create(null);
  for (const source of sources) {
    for (const [key, value] of source) {
      if (!PARAMETER_NAME.test(key)) refuse('InvalidParameter', `"${key.slice(0, 64)}" is not a parameter name.`);
      if (key in params) refuse('InvalidParameter', `The parameter "${key}" is given more than once.`);
      params[key] = value;
    }
  }
  return params;
}

function text(params: Record<string, unknown>, name: string): string | undefined {
  const value = params[name];
  return typeof value === 'string' ? value : undefined;
}

/** A header that names the action or version must agree with the signed one; it never chooses. */
function agree(name: string, signed: string | undefined, other: string | undefined): void {
  if (other !== undefined && signed !== undefined && other !== signed) {
    refuse('IncompleteSignature', `The ${name} in the request does not match the signed ${name}.`);
  }
}

function readV3(parts: HttpRequestParts, authorization: string): ApiCall {
  const auth = parseV3Authorization(authorization);
  if (!auth) refuse('IncompleteSignature', 'The Authorization header is not a valid ACS3-HMAC-SHA256 signature.');
  const { pathname, query } = splitTarget(parts.url);
  const contentType = contentTypeOf(parts);
  let body: Iterable<readonly [string, unknown]> = [];
  if (parts.body.length > 0) {
    // The body is hashed into the signature; its type decides how it is read, so the type must be signed too.
    if (!auth.signedHeaders.includes('content-type')) refuse('IncompleteSignature', 'The header content-type must be signed when the request has a body.');
    if (contentType === 'application/json') body = Object.entries(jsonObject(parts.body));
    else if (contentType === 'application/x-www-form-urlencoded') body = formPairs(parts.body);
    else refuse('InvalidParameter', 'The request body must be application/x-www-form-urlencoded or application/json.');
  }
  const params = collect([query, body]);
  const action = headerOf(parts.headers, 'x-acs-action');
  const version = headerOf(parts.headers, 'x-acs-version');
  agree('Action', action, text(params, 'Action'));
  agree('Version', version, text(params, 'Version'));
  const signed: SignedRequest = { method: parts.method, pathname, query, headers: parts.headers, body: parts.body };
  return {
    scheme: 'v3',
    action: action ?? '',
    version: version ?? '',
    params,
    accessKeyId: auth.accessKeyId,
    timestamp: { name: 'x-acs-date', value: headerOf(parts.headers, 'x-acs-date') },
    nonce: headerOf(parts.headers, 'x-acs-signature-nonce'),
    securityToken: headerOf(parts.headers, 'x-acs-security-token'),
    // verifyV3 requires every x-acs-* header present (action, version, date, nonce, token) to be signed.
    verify: (secret) => verifyV3(signed, auth, secret),
  };
}

function readV1(parts: HttpRequestParts, pairs: Array<[string, string]>, params: Record<string, unknown>): ApiCall {
  const action = text(params, 'Action');
  const version = text(params, 'Version');
  // The official SDK's V1 mode also sends x-acs-action/x-acs-version; they are not signed, so they may only agree.
  agree('Action', action, headerOf(parts.headers, 'x-acs-action'));
  agree('Version', version, headerOf(parts.headers, 'x-acs-version'));
  if ((text(params, 'SignatureMethod') ?? 'HMAC-SHA1') !== 'HMAC-SHA1') {
    refuse('InvalidParameter.SignatureMethod', 'Only HMAC-SHA1 is supported for signature version 1.0.');
  }
  return {
    scheme: 'v1',
    action: action ?? '',
    version: version ?? '',
    params,
    accessKeyId: text(params, 'AccessKeyId') ?? '',
    timestamp: { name: 'Timestamp', value: text(params, 'Timestamp') },
    nonce: text(params, 'SignatureNonce'),
    securityToken: text(params, 'SecurityToken'),
    verify: (secret) => verifyV1(parts.method, pairs, secret),
  };
}

/**
 * Turns an HTTP request into the call that runs, taking the action, version and parameters only from signed
 * material: for V3 the signed `x-acs-*` headers, the query and the hashed body; for V1 the signed query and form
 * pairs, with no JSON body and no header choosing anything. What a signature cannot cover is refused, not merged.
 */
export function readCall(parts: HttpRequestParts): ApiCall {
  const authorization = headerOf(parts.headers, 'authorization');
  if (authorization) return readV3(parts, authorization);

  const { query } = splitTarget(parts.url);
  const contentType = contentTypeOf(parts);
  const signedV1 = query.some(([k]) => k === 'Signature');
  let pairs: Array<[string, string]> = query;
  let json: Array<[string, unknown]> = [];
  if (parts.body.length > 0) {
    if (contentType === 'application/x-www-form-urlencoded' || contentType === '') pairs = [...query, ...formPairs(parts.body)];
    else if (contentType === 'application/json' && !signedV1) json = Object.entries(jsonObject(parts.body));
    else refuse('IncompleteSignature', 'A signature version 1.0 covers only the query and a form body: send the parameters there.');
  }
  const params = collect([pairs, json]);
  if ('Signature' in params) {
    if (json.length > 0) refuse('IncompleteSignature', 'A signature version 1.0 covers only the query and a form body: send the parameters there.');
    return readV1(parts, pairs, params);
  }
  const action = headerOf(parts.headers, 'x-acs-action');
  const version = headerOf(parts.headers, 'x-acs-version');
  agree('Action', text(params, 'Action'), action);
  agree('Version', text(params, 'Version'), version);
  return {
    scheme: 'unsigned',
    action: action ?? text(params, 'Action') ?? '',
    version: version ?? text(params, 'Version') ?? '',
    params,
    accessKeyId: '',
    timestamp: { name: 'Timestamp', value: undefined },
    nonce: undefined,
    securityToken: undefined,
    verify: () => ({ ok: false, code: 'IncompleteSignature', message: 'The request is not signed.' }),
  };
}
