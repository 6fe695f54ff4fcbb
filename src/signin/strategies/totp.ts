import type { Services } from '../../services.js';
import { mfaAttemptAllowed } from '../mfa-attempts.js';

// The MFA code step (a TOTP code from the user's virtual MFA device), the same for every audience: the code is
// counted against the user's cap first (a capped user's code is not even checked), then checked and used up by the
// audience's own device store, which knows where the device lives (a RAM user's, a CloudSSO user's, root's).

export type TotpCodeCheck = 'accepted' | 'wrong-code' | 'too-many-attempts';

export async function checkTotpCode(
  services: Services,
  input: {
    /** Whose codes are counted together, across flows and nodes: `ram:<user>`, `portal:<user>`, `root:<account>`. */
    attemptKey: string;
    code: string;
    /** True uses the code up: the device store's compare-and-set lets a code pass once. */
    useCode(code: string, now: Date): Promise<boolean>;
  },
): Promise<TotpCodeCheck> {
  const now = services.clock.now();
  if (!(await mfaAttemptAllowed(services, input.attemptKey, now))) return 'too-many-attempts';
  return (await input.useCode(input.code.trim(), now)) ? 'accepted' : 'wrong-code';
}
