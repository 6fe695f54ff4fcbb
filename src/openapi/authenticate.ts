import { safeEqual, sha256Hex } from '../crypto/secrets.js';
import { findCredential, touchAccessKey, type Credential } from '../ram/credentials.js';
import type { Services } from '../services.js';
import { ApiError } from '../errors.js';
import type { ApiCall } from './signed-call.js';

/** How far a request's clock may be from ours, and how long its nonce is remembered. */
export const MAX_CLOCK_SKEW_SECONDS = 15 * 60;

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

function checkTimestamp({ name, value }: ApiCall['timestamp'], now: Date): void {
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
 * Checks a call's signature (V3 or V1, as read by readCall), its clock and its one-time nonce, and returns the
 * caller's credential. The nonce is claimed only after the signature holds, so nobody can burn another caller's
 * nonces; the clock, nonce and token are those the signature covers.
 */
export async function authenticate(call: ApiCall, services: Services): Promise<Credential> {
  const now = services.clock.now();
  if (call.scheme === 'unsigned' || !call.accessKeyId) {
    throw new ApiError('IncompleteSignature', 400, 'The request is not signed: send an ACS3-HMAC-SHA256 Authorization header or a V1 Signature.');
  }
  checkTimestamp(call.timestamp, now);
  const credential = await loadCredential(services, call.accessKeyId, now);
  const check = call.verify(credential.secret);
  if (!check.ok) throw new ApiError(check.code, 400, check.message);
  checkSecurityToken(credential, call.securityToken);
  const nonce = call.nonce;
  if (!nonce) throw new ApiError('MissingParameter.SignatureNonce', 400, 'The input parameter "SignatureNonce" that is mandatory for processing this request is not supplied.');
  if (nonce.length > 128) throw new ApiError('InvalidParameter.SignatureNonce', 400, 'The signature nonce is too long.');
  if (!(await services.nonces.claim(`${credential.accessKeyId}:${nonce}`, MAX_CLOCK_SKEW_SECONDS * 2, now))) {
    throw new ApiError('SignatureNonceUsed', 400, 'Specified signature nonce was used already.');
  }
  await touchAccessKey(services.store.db, credential, now);
  return credential;
}
