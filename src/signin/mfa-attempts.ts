import type { Services } from '../services.js';

// Verification codes are six digits, so whoever has the password could otherwise try all of them within one
// 15-minute flow (and start a new flow after that). Codes typed for one user are counted across flows and nodes.

export const MFA_ATTEMPTS = 5;
export const MFA_ATTEMPT_WINDOW_SECONDS = 15 * 60;

export const MFA_ATTEMPTS_MESSAGE = 'Too many verification codes were entered. Wait 15 minutes, then log on again.';

/** Counts one code typed for the user; false once the cap is reached, and then the code must not even be checked. */
export function mfaAttemptAllowed(services: Services, key: string, now: Date): Promise<boolean> {
  return services.rateLimits.consume(`mfa:${key}`, MFA_ATTEMPTS, MFA_ATTEMPT_WINDOW_SECONDS, now);
}
