import type { Services } from '../services.js';
import { inTransaction, type Tx } from '../store/db.js';
import type { Account } from '../accounts/accounts.js';
import { newSession, storeSession, type ConsoleSession } from '../sessions/sessions.js';
import { endFlow, newFlow, updateFlow, type LoginFlow } from './flow.js';
import { afterFirstFactor, submitMfaCode, type SignInAudience } from './engine.js';
import { checkPassword, type PasswordCandidate } from './strategies/password.js';
import { MESSAGES } from './ram-user.js';
import type { StepOutcome } from './step-outcome.js';
import { claimRootAttempt, clearRootFailures, ensureRootLogonRow, recordRootFailure } from './root-lockout.js';
import { readRootLogonState, verifyRootMfaCode } from './root-credentials.js';

// The root identity's sign-in, one audience of the sign-in engine (engine.ts) like the RAM user logon: password → MFA (when root has a device
// bound) → session. The flow carries root's logon generation from the password step on, so a change of root's
// credentials in between (password, MFA device) ends the sign-in.

export const ROOT_SESSION_SECONDS = 6 * 3600;
export const ROOT_WRONG_CREDENTIALS = 'The account or password is incorrect.';

export interface RootLogon {
  account: Account;
  generation: number;
  hasMfaDevice: boolean;
}

/**
 * The root identity signs in with its account ID or alias and its password.
 * An unknown account and a locked one cost the same hash as a wrong password, so neither answer nor timing tells
 * them apart.
 */
export async function verifyRootCredentials(tx: Tx, identifier: string, password: string, now: Date): Promise<RootLogon | null> {
  const key = identifier.trim().toLowerCase();
  const account = key
    ? await tx
        .selectFrom('accounts')
        .selectAll()
        .where((eb) => eb.or([eb('id', '=', key), eb('alias', '=', key)]))
        .executeTakeFirst()
    : undefined;
  const check = await checkPassword(account && passwordCandidate(tx, account, now), password);
  if (!account || check.kind !== 'accepted') return null;
  await check.attempt.passed();
  const state = await readRootLogonState(tx, account.id);
  return { account, generation: state.generation, hasMfaDevice: state.hasMfaDevice };
}

/** Root's own lockout rule (root-lockout.ts): every attempt is counted before its password is checked. */
function passwordCandidate(tx: Tx, account: Account, now: Date): PasswordCandidate {
  return {
    passwordHash: account.root_password_hash,
    claimAttempt: async () => {
      await ensureRootLogonRow(tx, account.id);
      const attempt = await claimRootAttempt(tx, account.id, now);
      return { allowed: attempt.allowed, failed: () => recordRootFailure(tx, attempt, now), passed: () => clearRootFailures(tx, attempt) };
    },
  };
}

/** Root's flow after the password: its account, and root's logon state (generation, device) read afresh. */
interface RootIdentity {
  accountId: string;
  generation: number;
  hasMfaDevice: boolean;
}

/** Root as a sign-in audience: its device on its logon row, MFA when one is bound, no forced change, a 6-hour session. */
function rootAudience(services: Services): SignInAudience<RootIdentity> {
  return {
    identityOf: async (tx, flow) => (flow.account_id ? { accountId: flow.account_id, ...(await readRootLogonState(tx, flow.account_id)) } : undefined),
    gone: { kind: 'restart' },
    // Root has no status or network rule: only a change of its credentials (or its device's removal) ends the flow.
    refusal: (flow, root) => (root.generation !== flow.logon_generation || !root.hasMfaDevice ? MESSAGES.settingsChanged : null),
    mfaStep: async (_tx, root) => (root.hasMfaDevice ? 'mfa' : null),
    mfa: {
      attemptKey: (root) => `root:${root.accountId}`,
      useCode: (tx, root, code, now) => verifyRootMfaCode(tx, services.secrets, root.accountId, code, now),
      wrongCode: MESSAGES.wrongCode,
    },
    needsPasswordChange: () => false,
    // After an MFA step the flow's cookie exists and must not finish twice; a password-only sign-in had no cookie.
    complete: (tx, flow) => completeRootLogon(services, tx, flow, { endsFlow: flow.mfa_done === 1 }),
  };
}

/** The password step: straight to a session, or on to the MFA step when root has a device bound. */
export async function submitRootPassword(services: Services, tx: Tx, identifier: string, password: string): Promise<StepOutcome> {
  const now = services.clock.now();
  const logon = await verifyRootCredentials(tx, identifier, password, now);
  if (!logon) return { kind: 'retry', message: ROOT_WRONG_CREDENTIALS };
  const flow = updateFlow(newFlow({ kind: 'root', now }), { account_id: logon.account.id, logon_generation: logon.generation });
  const root = { accountId: logon.account.id, generation: logon.generation, hasMfaDevice: logon.hasMfaDevice };
  return afterFirstFactor(services, tx, rootAudience(services), flow, root);
}

export function submitRootMfaCode(services: Services, tx: Tx, flow: LoginFlow, code: string): Promise<StepOutcome> {
  return submitMfaCode(services, tx, rootAudience(services), flow, code);
}

/**
 * Opens root's session all or nothing: the flow's end (after an MFA step, so its cookie cannot finish twice) and the
 * session, only while root's logon generation is the one the password was checked under. The guarded update takes
 * the row's lock, so on PostgreSQL a concurrent change of credentials either comes first (and nothing is opened) or
 * comes after and ends the new session with the others.
 */
async function completeRootLogon(services: Services, tx: Tx, flow: LoginFlow, options: { endsFlow: boolean }): Promise<StepOutcome> {
  const now = services.clock.now();
  const { token, session } = newSession({
    accountId: flow.account_id!,
    principalType: 'root',
    userId: null,
    mfaPresent: flow.mfa_done === 1,
    lifetimeSeconds: ROOT_SESSION_SECONDS,
    now,
  });
  const finished = await inTransaction(tx, async (t): Promise<'opened' | 'overtaken' | 'ended'> => {
    if (options.endsFlow && !(await endFlow(t, flow))) return 'ended';
    return (await openRootSession(t, flow, session, now)) ? 'opened' : 'overtaken';
  });
  if (finished === 'ended') return { kind: 'restart' };
  if (finished === 'overtaken') return { kind: 'refused', message: MESSAGES.settingsChanged };
  return { kind: 'done', token, redirect: '/console' };
}

async function openRootSession(tx: Tx, flow: LoginFlow, session: ConsoleSession, now: Date): Promise<boolean> {
  const recorded = await tx
    .updateTable('root_logons')
    .set({ last_login_at: now.toISOString() })
    .where('account_id', '=', session.account_id)
    .where('logon_generation', '=', flow.logon_generation ?? -1)
    .executeTakeFirst();
  if (Number(recorded.numUpdatedRows) !== 1) return false;
  await storeSession(tx, session);
  return true;
}
