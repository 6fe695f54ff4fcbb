import { createHmac } from 'node:crypto';
import { safeEqual } from '../crypto/secrets.js';
import { byKey, percentEncode } from './percent-encode.js';

export type SignatureCheck = { ok: true } | { ok: false; code: string; message: string };

/**
 * Signature version 1.0 (HMAC-SHA1): every query and form pair but `Signature`, sorted by key,
 * `enc(k)=enc(v)` joined by `&`; StringToSign = `METHOD&%2F&` + enc(that); key = secret + '&'.
 */
export function signV1(method: string, pairs: ReadonlyArray<readonly [string, string]>, secret: string): string {
  const canonical = pairs
    .filter(([k]) => k !== 'Signature')
    .map(([k, v]): [string, string] => [k, v])
    .sort(byKey)
    .map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`)
    .join('&');
  const stringToSign = `${method.toUpperCase()}&${percentEncode('/')}&${percentEncode(canonical)}`;
  return createHmac('sha1', `${secret}&`).update(stringToSign, 'utf8').digest('base64');
}

export function verifyV1(method: string, pairs: ReadonlyArray<readonly [string, string]>, secret: string): SignatureCheck {
  const given = pairs.find(([k]) => k === 'Signature')?.[1];
  if (!given) return { ok: false, code: 'IncompleteSignature', message: 'The request signature is missing.' };
  const expected = signV1(method, pairs, secret);
  return safeEqual(given, expected)
    ? { ok: true }
    : { ok: false, code: 'SignatureDoesNotMatch', message: 'Specified signature is not matched with our calculation.' };
}
