import { randomUUID } from 'node:crypto';
import { signV1 } from '../../src/openapi/signature-v1.js';

/** Builds a V1-signed RPC query by hand, for cases the SDK will not produce (replays, stale clocks, XML). */
export function signedV1Query(
  creds: { accessKeyId: string; accessKeySecret: string },
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
  const pairs = Object.entries(all) as Array<[string, string]>;
  const signature = signV1(options.method ?? 'GET', pairs, creds.accessKeySecret);
  return new URLSearchParams([...pairs, ['Signature', signature]]);
}
