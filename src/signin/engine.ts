import type { Services } from '../services.js';
import type { Tx } from '../store/db.js';
import { updateFlow, type LoginFlow } from './flow.js';
import { MFA_ATTEMPTS_MESSAGE } from './mfa-attempts.js';
import type { StepOutcome } from './step-outcome.js';
import { checkTotpCode } from './strategies/totp.js';

// The one sign-in flow every audience (RAM user, CloudSSO portal user, root) goes through: identify → password or
// passkey → MFA (a code, or binding a first device) → a forced password change → session. The engine decides which
// step comes next; the audience says what differs: where its identity lives, what refuses it, its MFA rule, and
// where its session goes. Every step reads the identity afresh, so a change between two steps takes effect at once.

/** What differs between audiences; `Identity` is what a step reads of the signing-in identity. */
export interface SignInAudience<Identity> {
  /** The flow's identity as it is now; undefined when it is gone. */
  identityOf(tx: Tx, flow: LoginFlow): Promise<Identity | undefined>;
  /** A step's answer when the identity is gone. */
  gone: StepOutcome;
  /** Why the sign-in cannot go on (a change since the first factor, a disabled identity, the network), or null. */
  refusal(flow: LoginFlow, identity: Identity, now: Date): string | null;
  /** The step after the first factor: a code, binding a first device, or none (the audience's MFA rule). */
  mfaStep(tx: Tx, identity: Identity): Promise<'mfa' | 'mfa-bind' | null>;
  /** The audience's virtual MFA device, for the code step. */
  mfa: {
    /** Whose codes are counted together (see strategies/totp.ts). */
    attemptKey(identity: Identity): string;
    useCode(tx: Tx, identity: Identity, code: string, now: Date): Promise<boolean>;
    wrongCode: string;
  };
  /** Whether the password must be changed before the session opens. */
  needsPasswordChange(identity: Identity, now: Date): boolean;
  /** Ends the flow with the audience's session. */
  complete(tx: Tx, flow: LoginFlow, identity: Identity): Promise<StepOutcome>;
}

/** The start of every step after the first factor: the identity read afresh, or the step's refusal. */
export async function openStep<Identity>(
  services: Services,
  tx: Tx,
  audience: SignInAudience<Identity>,
  flow: LoginFlow,
): Promise<{ identity: Identity } | { outcome: StepOutcome }> {
  const identity = await audience.identityOf(tx, flow);
  if (identity === undefined) return { outcome: audience.gone };
  const refused = audience.refusal(flow, identity, services.clock.now());
  if (refused) return { outcome: { kind: 'refused', message: refused } };
  return { identity };
}

/** The first factor passed (the flow carries the identity and its logon generation): MFA when the rule asks, or on. */
export async function afterFirstFactor<Identity>(
  services: Services,
  tx: Tx,
  audience: SignInAudience<Identity>,
  flow: LoginFlow,
  identity: Identity,
): Promise<StepOutcome> {
  const step = await audience.mfaStep(tx, identity);
  if (step) return { kind: 'next', flow: updateFlow(flow, { step }) };
  return afterMfa(services, tx, audience, flow, identity);
}

/** After the second factor (or without one): the forced password change when one is due, else the session. */
export async function afterMfa<Identity>(
  services: Services,
  tx: Tx,
  audience: SignInAudience<Identity>,
  flow: LoginFlow,
  identity: Identity,
): Promise<StepOutcome> {
  if (audience.needsPasswordChange(identity, services.clock.now())) return { kind: 'next', flow: updateFlow(flow, { step: 'password-change' }) };
  return audience.complete(tx, flow, identity);
}

/** An audience whose sign-in can make the user change their password (root's never does). */
export interface PasswordChangeAudience<Identity> extends SignInAudience<Identity> {
  /** Changes the password under the audience's policy and, when it is changed, opens the session. */
  changePassword(tx: Tx, flow: LoginFlow, identity: Identity, newPassword: string): Promise<StepOutcome>;
}

/** The forced password change step: the new password typed twice alike, then the audience's change. */
export async function submitPasswordChange<Identity>(
  services: Services,
  tx: Tx,
  audience: PasswordChangeAudience<Identity>,
  flow: LoginFlow,
  input: { newPassword: string; confirmPassword: string },
): Promise<StepOutcome> {
  const opened = await openStep(services, tx, audience, flow);
  if ('outcome' in opened) return opened.outcome;
  if (input.newPassword !== input.confirmPassword) return { kind: 'retry', message: 'The two passwords do not match.' };
  return audience.changePassword(tx, flow, opened.identity, input.newPassword);
}

/** The MFA code step, the same for every audience. */
export async function submitMfaCode<Identity>(
  services: Services,
  tx: Tx,
  audience: SignInAudience<Identity>,
  flow: LoginFlow,
  code: string,
): Promise<StepOutcome> {
  const opened = await openStep(services, tx, audience, flow);
  if ('outcome' in opened) return opened.outcome;
  const { identity } = opened;
  const check = await checkTotpCode(services, {
    attemptKey: audience.mfa.attemptKey(identity),
    code,
    useCode: (typed, at) => audience.mfa.useCode(tx, identity, typed, at),
  });
  if (check === 'too-many-attempts') return { kind: 'refused', message: MFA_ATTEMPTS_MESSAGE };
  if (check === 'wrong-code') return { kind: 'retry', message: audience.mfa.wrongCode };
  return afterMfa(services, tx, audience, updateFlow(flow, { mfa_done: 1 }), identity);
}

