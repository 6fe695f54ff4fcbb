import type { SecretBox } from '../crypto/secrets.js';
import { hashPassword } from '../crypto/passwords.js';
import { inTransaction, type Tx } from '../store/db.js';
import { checkPasswordAgainstPolicy, DEFAULT_PASSWORD_POLICY, type PasswordPolicy } from '../ram/password-policy.js';
import { verifyConsecutiveTotp, verifyTotp } from '../ram/totp.js';
import { endSessionsOfRoot } from '../sessions/sessions.js';
import { ensureRootLogonRow } from './root-lockout.js';

// The root identity's own credentials, changed from its console: its password and its virtual MFA device (Alibaba's
// root accounts have MFA). The device is root's alone, not one of the account's RAM virtual MFA devices, so it is
// kept on root's logon row. Every change ends root's other sessions and its sign-ins in progress.

export interface RootLogonState {
  generation: number;
  hasMfaDevice: boolean;
  mfaBoundAt: string | null;
}

export async function readRootLogonState(tx: Tx, accountId: string): Promise<RootLogonState> {
  const row = await tx
    .selectFrom('root_logons')
    .select(['logon_generation', 'mfa_secret_sealed', 'mfa_bound_at'])
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return { generation: row?.logon_generation ?? 0, hasMfaDevice: Boolean(row?.mfa_secret_sealed), mfaBoundAt: row?.mfa_bound_at ?? null };
}

/**
 * Checks a code against root's device. True consumes the code: the conditional UPDATE lets only one node (or
 * request) accept a given time step, so a code cannot be replayed, not even concurrently.
 */
export async function verifyRootMfaCode(tx: Tx, secrets: SecretBox, accountId: string, code: string, now: Date): Promise<boolean> {
  const row = await tx
    .selectFrom('root_logons')
    .select(['mfa_secret_sealed', 'mfa_last_used_step'])
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  if (!row?.mfa_secret_sealed) return false;
  const step = verifyTotp(secrets.open(row.mfa_secret_sealed), code, now, row.mfa_last_used_step);
  if (step === null) return false;
  const result = await tx
    .updateTable('root_logons')
    .set({ mfa_last_used_step: step })
    .where('account_id', '=', accountId)
    .where('mfa_secret_sealed', '=', row.mfa_secret_sealed)
    .where('mfa_last_used_step', '<', step)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface RootCredentialChange {
  accountId: string;
  /** The console session making the change: it goes on, root's others end. */
  sessionId: string;
  now: Date;
}

export type RootMfaBinding = 'bound' | 'wrong-code' | 'already-bound';

/** Binds a device from the seed the console showed, once two consecutive codes match it (like BindMFADevice). */
export async function bindRootMfaDevice(
  tx: Tx,
  secrets: SecretBox,
  input: RootCredentialChange & { secret: string; code1: string; code2: string },
): Promise<RootMfaBinding> {
  const step = verifyConsecutiveTotp(input.secret, input.code1, input.code2, input.now);
  if (step === null) return 'wrong-code';
  return inTransaction(tx, async (t) => {
    await ensureRootLogonRow(t, input.accountId);
    const bound = await t
      .updateTable('root_logons')
      .set({ mfa_secret_sealed: secrets.seal(input.secret), mfa_last_used_step: step, mfa_bound_at: input.now.toISOString() })
      .where('account_id', '=', input.accountId)
      .where('mfa_secret_sealed', 'is', null)
      .executeTakeFirst();
    if (Number(bound.numUpdatedRows) !== 1) return 'already-bound';
    await endSessionsOfRoot(t, input.accountId, { except: input.sessionId });
    return 'bound';
  });
}

/** Removes root's device; the current code is required (and used up). False: the code did not match. */
export async function removeRootMfaDevice(tx: Tx, secrets: SecretBox, input: RootCredentialChange & { code: string }): Promise<boolean> {
  return inTransaction(tx, async (t) => {
    if (!(await verifyRootMfaCode(t, secrets, input.accountId, input.code, input.now))) return false;
    await t
      .updateTable('root_logons')
      .set({ mfa_secret_sealed: null, mfa_bound_at: null, mfa_last_used_step: 0 })
      .where('account_id', '=', input.accountId)
      .execute();
    await endSessionsOfRoot(t, input.accountId, { except: input.sessionId });
    return true;
  });
}

/** Root's password rule: RAM's defaults, plus a lowercase letter, an uppercase letter and a digit. */
export const ROOT_PASSWORD_POLICY: Readonly<PasswordPolicy> = Object.freeze({
  ...DEFAULT_PASSWORD_POLICY,
  requireLowercaseCharacters: true,
  requireUppercaseCharacters: true,
  requireNumbers: true,
});

/** What the new password breaks of root's rule; empty when it complies. */
export function rootPasswordViolations(password: string): string[] {
  return checkPasswordAgainstPolicy(ROOT_PASSWORD_POLICY, password, '');
}

/** Sets root's new password (the caller checked the current one) and ends root's other sessions. */
export async function changeRootPassword(tx: Tx, input: RootCredentialChange & { newPassword: string }): Promise<void> {
  const hash = await hashPassword(input.newPassword);
  await inTransaction(tx, async (t) => {
    await ensureRootLogonRow(t, input.accountId);
    await t.updateTable('accounts').set({ root_password_hash: hash }).where('id', '=', input.accountId).execute();
    await endSessionsOfRoot(t, input.accountId, { except: input.sessionId });
  });
}
