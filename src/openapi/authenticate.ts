import { safeEqual, sha256Hex } from '../crypto/secrets.js';
import { findCredential, touchAccessKey, type Credential } from '../ram/credentials.js';
import type { Services } from '../services.js';
import { ApiError } from './errors.js';
import { verifyV1 } from './signature-v1.js';
import { parseV3Authorization, verifyV3, type SignedRequest } from './signature-v3.js';

/** How far a request's clock may be from ours, and how long its nonce is remembered. */
export const MAX_CLOCK_SKEW_SECONDS = 15 * 60;

export interface ApiInput {
  signed: SignedRequest;
  /** Query and form pairs, decoded, in order. */
  pairs: Array<[string, string]>;
  /** Merged parameters (query, form or JSON body). */
  params: Record<string, unknown>;
}

function header(input: ApiInput, name: string): string | undefined {
  const value = input.signed.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function param(input: ApiInput, name: string): string | undefined {
  const value = input.params[name];
  return typeof value === 'string' ? value : undefined;
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

function checkTimestamp(value: string | undefined, name: string, now: Date): void {
  if (!value) throw new ApiError('MissingParameter.Timestamp', 400, `The input parameter "${name}" that is mandatory for processing this request is not supplied.`);
  if (!TIMESTAMP.test(value)) throw new ApiError('InvalidTimeStamp.Format', 400, 'Specified time stamp or date value is not well formatted.');
  const skew = Math.abs(Date.parse(value) - now.getTime()) / 1000;
  if (!(skew <= MAX_CLOCK_SKEW_SECONDS)) throw new ApiError('InvalidTimeStamp.Expired', 400, 'Specified time stamp or date value is expired.');
}

async function loadCredential(services: Services, accessKeyId: string, now: Date): Promise<Credential> {
  const credential = await findCredential(services.store.db, services.secrets, accessKeyId);
  if (!credential) throw new ApiError('InvalidAccessKeyId.NotFound', 404, 'Specified access key is not found.');
  if (credential.type === 'access-key' && !credential.active) {
    throw new ApiError('InvalidAccessKeyId.Inactive', 400, 'Specified access key is disabled.');
  }
  if (credential.type === 'sts' && Date.parse(credential.expiresAt) <= now.getTime()) {
    throw new ApiError('InvalidSecurityToken.Expired', 400, 'Specified SecurityToken is expired.');
  }
  return credential;
}

function checkSecurityToken(credential: Credential, token: string | undefined): void {
  if (credential.type !== 'sts') return;
  if (!token) throw new ApiError('InvalidSecurityToken.Malformed', 400, 'A SecurityToken is required with an STS AccessKey.');
  if (!safeEqual(sha256Hex(token), credential.tokenHash)) {
    throw new ApiError('InvalidSecurityToken.MismatchWithAccessKey', 400, 'Specified SecurityToken mismatch with the AccessKey.');
  }
}

/**
 * Verifies a V3 (ACS3-HMAC-SHA256, Authorization header) or V1 (HMAC-SHA1, query) signature, the clock and
 * the one-time nonce, and returns the credential of the caller. The nonce is claimed only after the signature
 * holds, so nobody can burn another caller's nonces.
 */
export async function authenticate(input: ApiInput, services: Services): Promise<Credential> {
  const now = services.clock.now();
  const authorization = header(input, 'authorization');
  let credential: Credential;
  let nonce: string | undefined;
  if (authorization) {
    const auth = parseV3Authorization(authorization);
    if (!auth) throw new ApiError('IncompleteSignature', 400, 'The Authorization header is not a valid ACS3-HMAC-SHA256 signature.');
    checkTimestamp(header(input, 'x-acs-date'), 'x-acs-date', now);
    nonce = header(input, 'x-acs-signature-nonce');
    credential = await loadCredential(services, auth.accessKeyId, now);
    const check = verifyV3(input.signed, auth, credential.secret);
    if (!check.ok) throw new ApiError(check.code, 400, check.message);
    checkSecurityToken(credential, header(input, 'x-acs-security-token'));
  } else {
    const accessKeyId = param(input, 'AccessKeyId');
    if (!accessKeyId || !param(input, 'Signature')) {
      throw new ApiError('IncompleteSignature', 400, 'The request is not signed: send an ACS3-HMAC-SHA256 Authorization header or a V1 Signature.');
    }
    if ((param(input, 'SignatureMethod') ?? 'HMAC-SHA1') !== 'HMAC-SHA1') {
      throw new ApiError('InvalidParameter.SignatureMethod', 400, 'Only HMAC-SHA1 is supported for signature version 1.0.');
    }
    checkTimestamp(param(input, 'Timestamp'), 'Timestamp', now);
    nonce = param(input, 'SignatureNonce');
    credential = await loadCredential(services, accessKeyId, now);
    const check = verifyV1(input.signed.method, input.pairs, credential.secret);
    if (!check.ok) throw new ApiError(check.code, 400, check.message);
    checkSecurityToken(credential, param(input, 'SecurityToken'));
  }
  if (!nonce) throw new ApiError('MissingParameter.SignatureNonce', 400, 'The input parameter "SignatureNonce" that is mandatory for processing this request is not supplied.');
  if (nonce.length > 128) throw new ApiError('InvalidParameter.SignatureNonce', 400, 'The signature nonce is too long.');
  if (!(await services.nonces.claim(`${credential.accessKeyId}:${nonce}`, MAX_CLOCK_SKEW_SECONDS * 2, now))) {
    throw new ApiError('SignatureNonceUsed', 400, 'Specified signature nonce was used already.');
  }
  await touchAccessKey(services.store.db, credential, now);
  return credential;
}
