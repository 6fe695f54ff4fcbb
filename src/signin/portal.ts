import type { Services } from '../services.js';
import { inTransaction, type Tx } from '../store/db.js';
import { hashPassword } from '../crypto/passwords.js';
import { isSourceIpAllowed } from '../ram/security-preference.js';
import { totpStep, verifyConsecutiveTotp } from '../ram/totp.js';
import { addMfaDevice, listMfaDevices, useMfaCode } from '../cloudsso/mfa.js';
import { clearWrongPasswords, recordWrongPassword } from '../cloudsso/password-lockout.js';
import type { Directory } from '../cloudsso/directories.js';
import {
  findUser,
  findUserByName,
  isPasswordChangeRequired,
  isRecentPassword,
  isUserLocked,
  passwordPolicyViolation,
  storeUserPassword,
  type SsoUser,
} from '../cloudsso/users.js';
import { createPortalSession } from '../sessions/portal-sessions.js';
import { endFlow, hasEnded, updateFlow, type LoginFlow } from './flow.js';
import * as engine from './engine.js';
import type { PasswordChangeAudience } from './engine.js';
import { checkPassword, type PasswordCandidate } from './strategies/password.js';
import type { StepOutcome } from './step-outcome.js';

// Sign-in to the CloudSSO user portal (seed 000): user name and password → MFA (or adding a first MFA device,
// when the directory's MFA settings ask for it) → a forced password change, when an administrator asked for one or
// the password is older than MaxPasswordAge → an 8-hour portal session. One audience of the sign-in engine (engine.ts):
// the flow carries the user's logon generation from the password step on, so a credential change meanwhile ends it.

export const PORTAL_MESSAGES = {
  wrongCredentials: 'The user name or password is incorrect.',
  disabled: 'Your user is disabled. Contact your CloudSSO administrator.',
  network: 'You cannot sign in from this network address. Contact your CloudSSO administrator.',
  wrongCode: 'The verification code is incorrect or was already used. Enter the next code.',
  settingsChanged: 'Your password or MFA settings were changed while you were signing in. Sign in again.',
} as const;

/** The directory's MFA settings: on for everyone, each user's own choice, or off. */
export function isPortalMfaRequired(directory: Directory, user: SsoUser): boolean {
  if (directory.mfa_authentication_settings === 'Enabled') return true;
  return directory.mfa_authentication_settings === 'Byuser' && user.mfa_authentication_settings === 'Enabled';
}

async function userOf(tx: Tx, flow: LoginFlow): Promise<SsoUser | undefined> {
  if (!flow.user_id || !flow.directory_id) return undefined;
  return findUser(tx, flow.directory_id, flow.user_id);
}

/** A CloudSSO user's lockout rule: the directory's MaxLoginAttempts failures in a row lock the user for an hour. */
function passwordCandidate(tx: Tx, user: SsoUser, directory: Directory, now: Date): PasswordCandidate {
  return {
    passwordHash: user.password_hash,
    claimAttempt: async () => {
      const allowed = !isUserLocked(user, now);
      return {
        allowed,
        failed: async () => (allowed ? recordWrongPassword(tx, user, directory, now) : undefined),
        passed: () => clearWrongPasswords(tx, user.id),
      };
    },
  };
}

/** Checks that still apply after the password: no credential change since, the user enabled, the network. */
function refusal(flow: LoginFlow, directory: Directory, user: SsoUser, sourceIp: string): string | null {
  if (flow.logon_generation !== null && flow.logon_generation !== user.logon_generation) return PORTAL_MESSAGES.settingsChanged;
  if (user.status !== 'Enabled') return PORTAL_MESSAGES.disabled;
  if (!isSourceIpAllowed(directory.login_network_masks, sourceIp)) return PORTAL_MESSAGES.network;
  return null;
}

/**
 * A CloudSSO user as a sign-in audience: the directory's MFA and network rules, its password age, the portal session.
 * `boundStep`: after a binding step, the last time step its codes used (the device is added with the session).
 */
function portalAudience(services: Services, directory: Directory, sourceIp: string, boundStep?: number): PasswordChangeAudience<SsoUser> {
  return {
    identityOf: userOf,
    gone: { kind: 'refused', message: PORTAL_MESSAGES.disabled },
    refusal: (flow, user) => refusal(flow, directory, user, sourceIp),
    mfaStep: async (tx, user) => {
      if (!isPortalMfaRequired(directory, user)) return null;
      return (await listMfaDevices(tx, user.id)).length > 0 ? 'mfa' : 'mfa-bind';
    },
    mfa: {
      attemptKey: (user) => `portal:${user.id}`,
      useCode: (tx, user, code, now) => useMfaCode(tx, services.secrets, user.id, code, now),
      wrongCode: PORTAL_MESSAGES.wrongCode,
    },
    needsPasswordChange: (user, now) => isPasswordChangeRequired(user, directory, now),
    complete: (tx, flow, user) => {
      const now = services.clock.now();
      return complete(services, tx, flow, user, bindingOf(flow, user, boundStep ?? totpStep(now) + 1, now));
    },
    changePassword: (tx, flow, user, newPassword) => changeOwnPassword(services, tx, flow, directory, user, newPassword),
  };
}

export async function submitPortalPassword(
  services: Services,
  tx: Tx,
  flow: LoginFlow,
  directory: Directory,
  input: { userName: string; password: string; sourceIp: string },
): Promise<StepOutcome> {
  const now = services.clock.now();
  const user = await findUserByName(tx, directory.id, input.userName.trim());
  // A locked user is answered as a wrong password, also for the right one: the answer may not tell a lock (an existing
  // user). Administrators see the lock on the user's console page.
  const check = await checkPassword(user && passwordCandidate(tx, user, directory, now), input.password);
  if (!user || check.kind !== 'accepted') return { kind: 'retry', message: PORTAL_MESSAGES.wrongCredentials };
  const next = updateFlow(flow, { user_id: user.id, login_name: user.user_name, logon_generation: user.logon_generation });
  const refused = refusal(next, directory, user, input.sourceIp);
  if (refused) return { kind: 'refused', message: refused };
  await check.attempt.passed();
  return engine.afterFirstFactor(services, tx, portalAudience(services, directory, input.sourceIp), next, user);
}

export function submitPortalMfaCode(
  services: Services,
  tx: Tx,
  flow: LoginFlow,
  directory: Directory,
  input: { code: string; sourceIp: string },
): Promise<StepOutcome> {
  return engine.submitMfaCode(services, tx, portalAudience(services, directory, input.sourceIp), flow, input.code);
}

export async function submitPortalMfaBinding(
  services: Services,
  tx: Tx,
  flow: LoginFlow,
  directory: Directory,
  input: { code1: string; code2: string; sourceIp: string },
): Promise<StepOutcome> {
  const now = services.clock.now();
  if (!flow.pending_secret) return { kind: 'refused', message: PORTAL_MESSAGES.disabled };
  const opened = await engine.openStep(services, tx, portalAudience(services, directory, input.sourceIp), flow);
  if ('outcome' in opened) return opened.outcome;
  const secret = services.secrets.open(flow.pending_secret);
  const step = verifyConsecutiveTotp(secret, input.code1.trim(), input.code2.trim(), now);
  if (step === null) return { kind: 'retry', message: PORTAL_MESSAGES.wrongCode };
  // The device is added with the session, in the transaction that ends the flow (a flow sent twice adds it once);
  // after a forced password change, when one is due, with the seed still sealed in the flow until then.
  return engine.afterMfa(services, tx, portalAudience(services, directory, input.sourceIp, step), updateFlow(flow, { mfa_done: 1 }), opened.identity);
}

/** The new device of a binding step, added when the sign-in finishes; no code seen by then can be used again. */
function bindingOf(flow: LoginFlow, user: SsoUser, lastUsedStep: number, now: Date): ((tx: Tx) => Promise<void>) | undefined {
  const secretSealed = flow.pending_secret;
  if (!secretSealed || flow.mfa_done !== 1) return undefined;
  return (t) => addMfaDevice(t, user, { name: 'Virtual MFA device', secretSealed, lastUsedStep }, now.toISOString()).then(() => undefined);
}

/** What the password-change page lists: the directory's password policy. */
export function portalPasswordRules(directory: Directory): string[] {
  const rules = [`${directory.min_password_length} to 32 characters.`, 'Upper-case and lower-case letters, digits and symbols.'];
  if (directory.min_password_different_chars > 0) rules.push(`At least ${directory.min_password_different_chars} different characters.`);
  if (directory.password_not_contain_username) rules.push('It must not contain your user name.');
  rules.push(`It must differ from your last ${Math.max(1, directory.password_reuse_prevention)} password(s).`);
  return rules;
}

/**
 * The forced password change: a new password under the directory's policy (never the current one), then the session.
 * The change ends the user's other sessions and sign-ins by moving the logon generation on by one; this sign-in goes
 * on under the new one, unless another change came in between.
 */
export async function submitPortalPasswordChange(
  services: Services,
  tx: Tx,
  flow: LoginFlow,
  directory: Directory,
  input: { newPassword: string; confirmPassword: string; sourceIp: string },
): Promise<StepOutcome> {
  return engine.submitPasswordChange(services, tx, portalAudience(services, directory, input.sourceIp), flow, input);
}

async function changeOwnPassword(services: Services, tx: Tx, flow: LoginFlow, directory: Directory, user: SsoUser, newPassword: string): Promise<StepOutcome> {
  if (flow.logon_generation === null) return { kind: 'refused', message: PORTAL_MESSAGES.disabled };
  const violation = passwordPolicyViolation(newPassword, user, directory);
  if (violation) return { kind: 'retry', message: `The new password does not meet the password policy: ${violation}.` };
  const reuse = Math.max(1, directory.password_reuse_prevention);
  if (await isRecentPassword(tx, user, newPassword, reuse)) {
    return { kind: 'retry', message: `The new password must differ from your last ${reuse} password(s).` };
  }
  const passwordHash = await hashPassword(newPassword);
  const now = services.clock.now();
  const generation = flow.logon_generation;
  try {
    return await inTransaction(tx, async (t): Promise<StepOutcome> => {
      if (await hasEnded(t, flow)) return { kind: 'restart' };
      // Only under the generation the password was checked under: an administrator's reset since then wins.
      if (!(await touchUnderGeneration(t, user.id, generation, { updated_at: now.toISOString() }))) throw new Overtaken();
      await storeUserPassword(t, user, passwordHash, { resetRequired: false }, now.toISOString());
      const changed = { ...user, logon_generation: generation + 1 };
      const outcome = await complete(services, t, updateFlow(flow, { logon_generation: generation + 1 }), changed, bindingOf(flow, changed, totpStep(now) + 1, now));
      // The password changes with the session or not at all.
      if (outcome.kind !== 'done') throw new Overtaken();
      return outcome;
    });
  } catch (error) {
    if (error instanceof Overtaken) return { kind: 'refused', message: PORTAL_MESSAGES.settingsChanged };
    throw error;
  }
}

/** Thrown to roll back a sign-in's last writes when the user's logon generation moved on meanwhile. */
class Overtaken extends Error {}

/** Writes `set` on the user only if still enabled and still at `generation`; false when a change came first. */
async function touchUnderGeneration(tx: Tx, userId: string, generation: number, set: { updated_at?: string; last_login_at?: string }): Promise<boolean> {
  const result = await tx
    .updateTable('cloudsso_users')
    .set(set)
    .where('id', '=', userId)
    .where('logon_generation', '=', generation)
    .where('status', '=', 'Enabled')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

async function complete(services: Services, tx: Tx, flow: LoginFlow, user: SsoUser, withSession?: (tx: Tx) => Promise<void>): Promise<StepOutcome> {
  const now = services.clock.now();
  const generation = flow.logon_generation;
  if (generation === null) return { kind: 'refused', message: PORTAL_MESSAGES.settingsChanged };
  // One transaction: the flow ends once, with its session, and only if no credential change ended the user's
  // sign-ins since the password was checked (the generation is compared in the write, so a change committed
  // meanwhile on any node is seen).
  try {
    return await inTransaction(tx, async (t): Promise<StepOutcome> => {
      if (!(await endFlow(t, flow))) return { kind: 'restart' };
      if (!(await touchUnderGeneration(t, user.id, generation, { last_login_at: now.toISOString() }))) throw new Overtaken();
      await withSession?.(t);
      const { token } = await createPortalSession(t, { directoryId: user.directory_id, userId: user.id, mfaPresent: flow.mfa_done === 1, now });
      return { kind: 'done', token, redirect: flow.return_to ?? '' };
    });
  } catch (error) {
    if (error instanceof Overtaken) return { kind: 'refused', message: PORTAL_MESSAGES.settingsChanged };
    throw error;
  }
}
