import type { Services } from '../services.js';
import type { Tx } from '../store/db.js';
import { verifyAgainstDummy } from '../crypto/passwords.js';
import { getPasswordPolicy, type PasswordPolicy } from '../ram/password-policy.js';
import { isSourceIpAllowed, type SecurityPreference } from '../ram/security-preference.js';
import { changePassword, checkLogonPassword, passwordExpiry, passwordStatus, type LoginProfile } from '../ram/login-profiles.js';
import { findUserById, type RamUser } from '../ram/users.js';
import { readLogonState, readLogonStateByName, type LogonState } from '../ram/logon-state.js';
import { bindNewDeviceForLogon, verifyUserMfaCode } from '../ram/mfa.js';
import { ApiError } from '../errors.js';
import { newSession } from '../sessions/sessions.js';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { FLOW_LIFETIME_SECONDS, updateFlow, type LoginFlow } from './flow.js';
import type { StepOutcome } from './step-outcome.js';
import { finishLogon } from './finish-logon.js';
import { accountOfDomain, parseLogonName, type LogonName } from './logon-name.js';
import * as engine from './engine.js';
import type { PasswordChangeAudience } from './engine.js';
import { isPasskeyLogonAllowed, verifyPasskeyLogon, type RelyingParty } from './strategies/passkey.js';

// The RAM user logon (seeds 002 and 003), one audience of the sign-in engine (engine.ts): identify → password (or
// passkey) → MFA or MFA binding → forced password change → session. Every step re-reads the user's state, so an
// administrator's change between two steps takes effect at once; a reset, disable or removal of console logon after
// the password step ends the logon (the flow carries the user's logon generation from then on).


export const MESSAGES = {
  badName: 'Enter your user name as name@domain, for example alice@example.onaliyun.com.',
  wrongCredentials: 'The user name or password is incorrect.',
  consoleDisabled: 'Console logon is disabled for this user. Contact your RAM administrator.',
  initialExpired: 'Your initial password has expired. Ask your RAM administrator to reset your password.',
  passwordExpired: 'Your password has expired. Ask your RAM administrator to reset your password.',
  network: 'You cannot log on from this network address. Contact your RAM administrator.',
  wrongCode: 'The verification code is incorrect or was already used. Enter the next code.',
  passkeyFailed: 'The passkey could not be verified.',
  passkeyDisabled: 'Logon with passkeys is not allowed for this account.',
  startAgain: 'Start the logon again.',
  settingsChanged: 'Your logon settings were changed by an administrator while you were logging on. Log on again.',
} as const;

export function identify(flow: LoginFlow, typed: string): StepOutcome {
  const logon = parseLogonName(typed, flow.fixed_domain);
  if (!logon) return { kind: 'retry', message: MESSAGES.badName };
  // Nothing is looked up yet: an unknown domain or user goes on to the password step like any other, with a flow
  // that differs only by the name typed (the cookie's length must not tell whether the user exists).
  return { kind: 'next', flow: updateFlow(flow, { login_name: `${logon.name}@${logon.domain}`, step: 'password' }) };
}

function logonNameOf(flow: LoginFlow): LogonName | null {
  if (!flow.login_name) return null;
  const at = flow.login_name.lastIndexOf('@');
  return { name: flow.login_name.slice(0, at), domain: flow.login_name.slice(at + 1) };
}

/**
 * Whether the account the flow's logon name is in allows passkey logon (the password page offers it, the passkey
 * ceremony starts only then).
 */
export async function isPasskeyOffered(tx: Tx, flow: LoginFlow): Promise<boolean> {
  const logon = logonNameOf(flow);
  return isPasskeyLogonAllowed(tx, flow.account_id ?? (logon ? await accountOfDomain(tx, logon.domain) : undefined));
}

/** What a step needs to know of the user, read afresh at every step. The login profile names the user and account. */
interface UserState {
  userId: string;
  accountId: string;
  profile: LoginProfile;
  generation: number;
  preference: SecurityPreference;
  policy: PasswordPolicy;
  hasMfaDevice: boolean;
}

const userStateOf = (state: LogonState): UserState => ({ userId: state.profile.user_id, accountId: state.profile.account_id, ...state });

/** The password and passkey steps find the user by the logon name typed, in the same query as the state. */
async function stateByName(tx: Tx, flow: LoginFlow): Promise<{ state: UserState; flow: LoginFlow } | null> {
  const logon = logonNameOf(flow);
  const state = logon && (await readLogonStateByName(tx, logon));
  if (!state) return null;
  const user = userStateOf(state);
  return { state: user, flow: updateFlow(flow, { account_id: user.accountId, user_id: user.userId }) };
}

async function stateOf(tx: Tx, flow: LoginFlow): Promise<UserState | null> {
  if (!flow.user_id || !flow.account_id) return null;
  // Deleting the user deletes the profile first, so a profile means the user is there.
  const state = await readLogonState(tx, flow.user_id);
  if (!state || state.profile.account_id !== flow.account_id) return null;
  return userStateOf(state);
}

/** The user's row, for the few steps that need more than the ids (the name). */
async function userOf(tx: Tx, state: UserState): Promise<RamUser | null> {
  return (await findUserById(tx, state.accountId, state.userId)) ?? null;
}

/** Checks that still apply after the first factor: no administrator's change since, console access, initial-password validity, network. */
function refusal(flow: LoginFlow, state: UserState, sourceIp: string, now: Date): string | null {
  if (flow.logon_generation !== null && flow.logon_generation !== state.generation) return MESSAGES.settingsChanged;
  if (state.profile.status !== 'Active') return MESSAGES.consoleDisabled;
  if (passwordStatus(state.profile, state.policy, now) === 'InitialExpired') return MESSAGES.initialExpired;
  if (!isSourceIpAllowed(state.preference.loginNetworkMasks, sourceIp)) return MESSAGES.network;
  return null;
}

/** Seed 003's MFA precedence: the global "enforce for all", the user's own setting, or a bound device. */
function isMfaRequired(state: UserState): boolean {
  return state.preference.mfaOperationForLogin === 'mandatory' || state.profile.mfa_bind_required === 1;
}

function needsPasswordChange(state: UserState, now: Date): boolean {
  return state.profile.password_reset_required === 1 || passwordExpiry(state.profile, state.policy, now) === 'ChangeAtLogon';
}

/** A RAM user as a sign-in audience: MFA always asked for (a device to bind when none is), the RAM session. */
function ramAudience(services: Services, sourceIp: string): PasswordChangeAudience<UserState> {
  return {
    identityOf: async (tx, flow) => (await stateOf(tx, flow)) ?? undefined,
    gone: { kind: 'refused', message: MESSAGES.consoleDisabled },
    refusal: (flow, state, now) => refusal(flow, state, sourceIp, now),
    // Binding can be skipped when the policy allows (skipMfaBinding), so the step comes even when MFA is not required.
    mfaStep: async (_tx, state) => (state.hasMfaDevice ? 'mfa' : 'mfa-bind'),
    mfa: {
      attemptKey: (state) => `ram:${state.userId}`,
      useCode: (tx, state, code, now) => verifyUserMfaCode(tx, services.secrets, state.userId, code, now),
      wrongCode: MESSAGES.wrongCode,
    },
    needsPasswordChange,
    complete: (tx, flow, state) => complete(services, tx, flow, state),
    changePassword: (tx, flow, state, newPassword) => changeOwnPassword(services, tx, flow, state, newPassword),
  };
}

/** The first factor passed under the profile as it was read before the check: a change since then ends the logon. */
function afterFirstFactor(services: Services, tx: Tx, flow: LoginFlow, state: UserState, sourceIp: string): Promise<StepOutcome> {
  return engine.afterFirstFactor(services, tx, ramAudience(services, sourceIp), updateFlow(flow, { logon_generation: state.generation }), state);
}

function afterMfa(services: Services, tx: Tx, flow: LoginFlow, state: UserState, sourceIp: string): Promise<StepOutcome> {
  return engine.afterMfa(services, tx, ramAudience(services, sourceIp), flow, state);
}

export async function submitPassword(services: Services, tx: Tx, named: LoginFlow, password: string, sourceIp: string): Promise<StepOutcome> {
  const now = services.clock.now();
  const found = await stateByName(tx, named);
  if (!found) {
    await verifyAgainstDummy(password);
    return { kind: 'retry', message: MESSAGES.wrongCredentials };
  }
  const { state, flow } = found;
  const check = await checkLogonPassword(tx, state.profile, password, state.policy, now);
  if (!check.ok) {
    if (check.reason === 'disabled') return { kind: 'refused', message: MESSAGES.consoleDisabled };
    // A lock is answered as a wrong password: telling it would tell that the user exists. Administrators see it on
    // the user's page in the RAM console.
    return { kind: 'retry', message: MESSAGES.wrongCredentials };
  }
  const refused = refusal(flow, state, sourceIp, now);
  if (refused) return { kind: 'refused', message: refused };
  if (passwordExpiry(state.profile, state.policy, now) === 'AdminResetRequired') return { kind: 'refused', message: MESSAGES.passwordExpired };
  return afterFirstFactor(services, tx, flow, state, sourceIp);
}

export function submitMfaCode(services: Services, tx: Tx, flow: LoginFlow, code: string, sourceIp: string): Promise<StepOutcome> {
  return engine.submitMfaCode(services, tx, ramAudience(services, sourceIp), flow, code);
}

export async function isBindingRequired(tx: Tx, flow: LoginFlow): Promise<boolean> {
  const state = await stateOf(tx, flow);
  return state ? isMfaRequired(state) : true;
}

export async function submitMfaBinding(
  services: Services,
  tx: Tx,
  flow: LoginFlow,
  input: { code1: string; code2: string; sourceIp: string },
): Promise<StepOutcome> {
  const now = services.clock.now();
  if (!flow.pending_secret) return { kind: 'refused', message: MESSAGES.consoleDisabled };
  const opened = await engine.openStep(services, tx, ramAudience(services, input.sourceIp), flow);
  if ('outcome' in opened) return opened.outcome;
  const state = opened.identity;
  const user = await userOf(tx, state);
  if (!user) return { kind: 'refused', message: MESSAGES.consoleDisabled };
  try {
    await bindNewDeviceForLogon(tx, services.secrets, {
      accountId: user.account_id,
      userId: user.id,
      userName: user.name,
      secret: services.secrets.open(flow.pending_secret),
      code1: input.code1.trim(),
      code2: input.code2.trim(),
      now,
    });
  } catch (error) {
    if (error instanceof ApiError) return { kind: 'retry', message: MESSAGES.wrongCode };
    throw error;
  }
  return afterMfa(services, tx, updateFlow(flow, { mfa_done: 1, pending_secret: null }), state, input.sourceIp);
}

export async function skipMfaBinding(services: Services, tx: Tx, flow: LoginFlow, sourceIp: string): Promise<StepOutcome> {
  const opened = await engine.openStep(services, tx, ramAudience(services, sourceIp), flow);
  if ('outcome' in opened) return opened.outcome;
  const state = opened.identity;
  if (isMfaRequired(state)) return { kind: 'retry', message: 'Your administrator requires an MFA device: bind one to continue.' };
  return afterMfa(services, tx, updateFlow(flow, { pending_secret: null }), state, sourceIp);
}

export async function passwordRules(tx: Tx, flow: LoginFlow): Promise<string[]> {
  if (!flow.account_id) return [];
  const policy = await getPasswordPolicy(tx, flow.account_id);
  return describePolicy(policy);
}

function describePolicy(policy: Awaited<ReturnType<typeof getPasswordPolicy>>): string[] {
  const rules = [`At least ${policy.minimumPasswordLength} characters.`];
  if (policy.requireLowercaseCharacters) rules.push('At least one lowercase letter.');
  if (policy.requireUppercaseCharacters) rules.push('At least one uppercase letter.');
  if (policy.requireNumbers) rules.push('At least one digit.');
  if (policy.requireSymbols) rules.push('At least one symbol.');
  if (policy.passwordNotContainUserName) rules.push('It must not contain your user name.');
  if (policy.passwordReusePrevention > 0) rules.push(`It must differ from your last ${policy.passwordReusePrevention} passwords.`);
  return rules;
}

export async function submitPasswordChange(
  services: Services,
  tx: Tx,
  flow: LoginFlow,
  input: { newPassword: string; confirmPassword: string; sourceIp: string },
): Promise<StepOutcome> {
  return engine.submitPasswordChange(services, tx, ramAudience(services, input.sourceIp), flow, input);
}

async function changeOwnPassword(services: Services, tx: Tx, flow: LoginFlow, state: UserState, newPassword: string): Promise<StepOutcome> {
  const now = services.clock.now();
  const user = await userOf(tx, state);
  if (!user) return { kind: 'refused', message: MESSAGES.consoleDisabled };
  const changed = await changePassword(tx, user, newPassword, { by: 'self', now });
  if (!changed.ok) return { kind: 'retry', message: changed.violations.join(' ') };
  // The change ended the user's other logons by moving the generation on by one; this one goes on under the new
  // generation, unless another change (an administrator's) came in between.
  const after = await readLogonState(tx, state.userId);
  if (!after || after.generation !== state.generation + 1) return { kind: 'refused', message: MESSAGES.settingsChanged };
  return complete(services, tx, updateFlow(flow, { logon_generation: after.generation }), { ...state, ...after });
}

/**
 * The passkey step, on the password page: the flow's challenge is single-use whatever happens next (the cookie that
 * carries it can be sent again), then the assertion is verified (the passkey's use recorded) and the logon goes on.
 */
export async function submitPasskey(
  services: Services,
  tx: Tx,
  flow: LoginFlow,
  input: { response: AuthenticationResponseJSON | undefined; party: RelyingParty; sourceIp: string },
): Promise<StepOutcome> {
  const now = services.clock.now();
  if (!flow.challenge || !(await services.nonces.claim(`webauthn:${flow.challenge}`, FLOW_LIFETIME_SECONDS, now))) {
    return { kind: 'retry', message: MESSAGES.startAgain };
  }
  const verified = await verifyPasskeyLogon(tx, { response: input.response, expectedChallenge: flow.challenge, party: input.party, now });
  if (!verified.verified) return { kind: 'retry', message: MESSAGES.passkeyFailed };
  return completeWithPasskey(services, tx, flow, verified.userId, input.sourceIp);
}

/**
 * Passkey logon stands for both factors (user verification is required), not for the password's state: the same
 * refusals as the password step (an expired initial password, a hard-expired one), and a password that must be
 * changed (marked for reset, or past MaxPasswordAge) is changed in the same step the password path goes to.
 */
async function completeWithPasskey(services: Services, tx: Tx, named: LoginFlow, userId: string, sourceIp: string): Promise<StepOutcome> {
  const now = services.clock.now();
  const found = await stateByName(tx, named);
  if (!found || found.state.userId !== userId) return { kind: 'retry', message: MESSAGES.passkeyFailed };
  const { state, flow } = found;
  if (!state.preference.allowUserToLoginWithPasskey) return { kind: 'refused', message: MESSAGES.passkeyDisabled };
  const refused = refusal(flow, state, sourceIp, now);
  if (refused) return { kind: 'refused', message: refused };
  if (passwordExpiry(state.profile, state.policy, now) === 'AdminResetRequired') return { kind: 'refused', message: MESSAGES.passwordExpired };
  return afterMfa(services, tx, updateFlow(flow, { mfa_done: 1, logon_generation: state.generation }), state, sourceIp);
}

async function complete(services: Services, tx: Tx, flow: LoginFlow, state: UserState): Promise<StepOutcome> {
  const now = services.clock.now();
  const lifetimeSeconds = state.preference.loginSessionDuration * 3600;
  const { token, session } = newSession({
    accountId: state.accountId,
    principalType: 'user',
    userId: state.userId,
    mfaPresent: flow.mfa_done === 1,
    lifetimeSeconds,
    now,
  });
  // The logon's only write: the flow's end, the logon's record and the session, all or nothing.
  switch (await finishLogon(tx, { flow, userId: state.userId, session, now })) {
    case 'opened':
      return { kind: 'done', token, redirect: flow.return_to ?? '/console' };
    case 'overtaken':
      return { kind: 'refused', message: MESSAGES.settingsChanged };
    case 'ended':
      return { kind: 'restart' };
  }
}
