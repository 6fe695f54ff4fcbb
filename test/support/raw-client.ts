import { createHash, randomUUID } from 'node:crypto';
import OpenApiUtilModule from '@alicloud/openapi-util';

/** The official SDK's signers (`@alicloud/openapi-util`), so hand-built requests are checked against Alibaba's code, not ours. */
export const OpenApiUtil = (OpenApiUtilModule as any).default;

type Creds = { accessKeyId: string; accessKeySecret: string };

/** Builds a V1-signed RPC query by hand, for cases the SDK will not produce (replays, stale clocks, XML). */
export function signedV1Query(
  creds: Creds,
  params: Record<string, string>,
  options: { timestamp?: Date; nonce?: string; method?: string } = {},
): URLSearchParams {
  const all: Record<string, string> = {
    Format: 'JSON',
    AccessKeyId: creds.accessKeyId,
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    SignatureNonce: options.nonce ?? randomUUID(),
    Timestamp: (options.timestamp ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    ...params,
  };
  const signature: string = OpenApiUtil.getRPCSignature(all, options.method ?? 'GET', creds.accessKeySecret);
  return new URLSearchParams([...Object.entries(all), ['Signature', signature]]);
}

export interface SignedV3 {
  /** Path and query as sent: `/?` + the query encoded as the SDK's transport does. */
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * A V3-signed (ACS3-HMAC-SHA256) RPC request built and signed with the official SDK's `getAuthorization`,
 * as `@alicloud/openapi-client` sends it: the action and version in signed `x-acs-*` headers, parameters in the
 * query, or in a form or JSON body.
 */
export function signedV3Request(
  creds: Creds & { securityToken?: string },
  host: string,
  call: { action: string; version: string; query?: Record<string, string>; form?: Record<string, string>; json?: object },
  options: { date?: Date; nonce?: string } = {},
): SignedV3 {
  let body = Buffer.alloc(0);
  const headers: Record<string, string> = {
    host,
    'x-acs-action': call.action,
    'x-acs-version': call.version,
    'x-acs-date': (options.date ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'x-acs-signature-nonce': options.nonce ?? randomUUID().replace(/-/g, ''),
    accept: 'application/json',
  };
  if (creds.securityToken) headers['x-acs-security-token'] = creds.securityToken;
  if (call.form) {
    body = Buffer.from(new URLSearchParams(call.form).toString().replace(/\+/g, '%20'));
    headers['content-type'] = 'application/x-www-form-urlencoded';
  } else if (call.json) {
    body = Buffer.from(JSON.stringify(call.json));
    headers['content-type'] = 'application/json; charset=utf-8';
  }
  headers['x-acs-content-sha256'] = createHash('sha256').update(body).digest('hex');
  const query = call.query ?? {};
  headers.authorization = OpenApiUtil.getAuthorization(
    { pathname: '/', method: 'POST', query, headers },
    'ACS3-HMAC-SHA256',
    headers['x-acs-content-sha256'],
    creds.accessKeyId,
    creds.accessKeySecret,
  );
  const qs = new URLSearchParams(query).toString().replace(/\+/g, '%20');
  return { path: qs ? `/?${qs}` : '/', headers, body };
}

/** Sends a signed V3 request (or a tampered copy of one) and returns the status and parsed JSON body. */
export async function sendV3(url: string, request: SignedV3): Promise<{ status: number; body: any }> {
  const { host: _host, ...headers } = request.headers;
  const response = await fetch(`${url}${request.path}`, {
    method: 'POST',
    headers,
    body: request.body.length ? new Uint8Array(request.body) : undefined,
  });
  const text = await response.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body };
}
