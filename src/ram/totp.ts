// RFC 6238 TOTP as authenticator apps implement it: SHA-1, 6 digits, 30-second steps.
import { timingSafeEqual } from 'node:crypto';
import { HOTP, Secret, TOTP } from 'otpauth';

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Steps of clock drift accepted either side of the current one. */
export const TOTP_DRIFT_STEPS = 1;

/** A fresh 160-bit seed (RFC 4226 §4 recommends 160 bits), base32 without padding. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The `otpauth://totp/…` URI that authenticator apps read from a QR code. */
export function otpauthUri(input: { secret: string; accountName: string; issuer: string }): string {
  return new TOTP({
    issuer: input.issuer,
    label: input.accountName,
    secret: Secret.fromBase32(input.secret),
    algorithm: 'SHA1',
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
  }).toString();
}

/** The RFC 6238 time step (T) that `now` falls in. */
export function totpStep(now: Date): number {
  return Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS);
}

/** The code of one time step. */
export function totpCodeAt(secret: string, step: number): string {
  return HOTP.generate({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: TOTP_DIGITS, counter: step });
}

export function isTotpCodeFormat(code: string): boolean {
  return /^\d{6}$/.test(code);
}

/**
 * Checks `code` against the steps around `now` (±TOTP_DRIFT_STEPS) and returns the step it matched,
 * or null. Steps at or before `lastUsedStep` are never matched, so each code is accepted once only.
 */
export function verifyTotp(secret: string, code: string, now: Date, lastUsedStep: number | null = null): number | null {
  if (!isTotpCodeFormat(code)) return null;
  return matchStep(secret, code, totpStep(now) - TOTP_DRIFT_STEPS, totpStep(now) + TOTP_DRIFT_STEPS, lastUsedStep);
}

/**
 * Two codes read one after the other from the same authenticator, as when binding a device: `code1` must be
 * the code of the step just before `code2`'s, and `code2`'s step within the drift window. Returns `code2`'s step.
 */
export function verifyConsecutiveTotp(secret: string, code1: string, code2: string, now: Date): number | null {
  if (!isTotpCodeFormat(code1) || !isTotpCodeFormat(code2)) return null;
  const current = totpStep(now);
  for (let step = current - TOTP_DRIFT_STEPS; step <= current + TOTP_DRIFT_STEPS; step++) {
    if (sameCode(totpCodeAt(secret, step), code2) && sameCode(totpCodeAt(secret, step - 1), code1)) return step;
  }
  return null;
}

function matchStep(secret: string, code: string, from: number, to: number, lastUsedStep: number | null): number | null {
  let matched: number | null = null;
  // Every candidate is computed and compared, so the time taken does not tell which step matched.
  for (let step = from; step <= to; step++) {
    if (sameCode(totpCodeAt(secret, step), code) && (lastUsedStep === null || step > lastUsedStep) && matched === null) matched = step;
  }
  return matched;
}

function sameCode(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
