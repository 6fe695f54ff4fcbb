import type { Tx } from '../store/db.js';
import { preparedQuery } from '../store/prepared.js';
import type { PasswordPolicyTable } from '../store/schema-login.js';

/** An account's password policy for RAM users' console passwords (IMS field names, camel-cased). */
export interface PasswordPolicy {
  minimumPasswordLength: number; // 8–32
  requireLowercaseCharacters: boolean;
  requireUppercaseCharacters: boolean;
  requireNumbers: boolean;
  requireSymbols: boolean;
  minimumPasswordDifferentCharacter: number; // 0–8, 0 = no rule
  passwordNotContainUserName: boolean;
  /** After MaxPasswordAge: true = only an administrator can reset it; false = the user changes it at logon. */
  hardExpire: boolean;
  maxPasswordAge: number; // days, 0–1095, 0 = never expires
  passwordReusePrevention: number; // 0–24 previous passwords
  initialPasswordAge: number; // days, 0–90, 0 = initial passwords do not expire
  maxLoginAttempts: number; // 0–32 consecutive failures before a one-hour lock, 0 = no lock
  interceptRiskPasswordOnApi: boolean;
}

/** Valid ranges, shared by the actions' parameter specs. */
export const PASSWORD_POLICY_LIMITS = {
  minimumPasswordLength: { min: 8, max: 32 },
  minimumPasswordDifferentCharacter: { min: 0, max: 8 },
  maxPasswordAge: { min: 0, max: 1095 },
  passwordReusePrevention: { min: 0, max: 24 },
  initialPasswordAge: { min: 0, max: 90 },
  maxLoginAttempts: { min: 0, max: 32 },
} as const;

/** The SDK-documented defaults; InitialPasswordAge 14 days per the "initial password" rule (seed 003). */
export const DEFAULT_PASSWORD_POLICY: Readonly<PasswordPolicy> = Object.freeze({
  minimumPasswordLength: 8,
  requireLowercaseCharacters: false,
  requireUppercaseCharacters: false,
  requireNumbers: false,
  requireSymbols: false,
  minimumPasswordDifferentCharacter: 0,
  passwordNotContainUserName: false,
  hardExpire: false,
  maxPasswordAge: 0,
  passwordReusePrevention: 0,
  initialPasswordAge: 14,
  maxLoginAttempts: 0,
  interceptRiskPasswordOnApi: false,
});

/** A password's lock after MaxLoginAttempts consecutive failures. */
export const LOCKOUT_MS = 60 * 60 * 1000;

const SYMBOLS = /[^A-Za-z0-9]/;

/** Every rule of the policy the password breaks, as sentences a user can act on; empty when it complies. */
export function checkPasswordAgainstPolicy(policy: PasswordPolicy, password: string, userName: string): string[] {
  const violations: string[] = [];
  const chars = [...password];
  if (chars.length < policy.minimumPasswordLength) {
    violations.push(`The password must be at least ${policy.minimumPasswordLength} characters long.`);
  }
  if (chars.length > 32) violations.push('The password must be at most 32 characters long.');
  if (policy.requireLowercaseCharacters && !/[a-z]/.test(password)) violations.push('The password must contain a lowercase letter.');
  if (policy.requireUppercaseCharacters && !/[A-Z]/.test(password)) violations.push('The password must contain an uppercase letter.');
  if (policy.requireNumbers && !/[0-9]/.test(password)) violations.push('The password must contain a digit.');
  if (policy.requireSymbols && !SYMBOLS.test(password)) violations.push('The password must contain a symbol.');
  const distinct = new Set(chars).size;
  if (policy.minimumPasswordDifferentCharacter > 0 && distinct < policy.minimumPasswordDifferentCharacter) {
    violations.push(`The password must contain at least ${policy.minimumPasswordDifferentCharacter} different characters.`);
  }
  if (policy.passwordNotContainUserName && userName && password.toLowerCase().includes(userName.toLowerCase())) {
    violations.push('The password must not contain the user name.');
  }
  return violations;
}

const policyRow = preparedQuery((tx, p: { accountId: string }) => tx.selectFrom('password_policies').selectAll().where('account_id', '=', p.accountId));

export async function getPasswordPolicy(tx: Tx, accountId: string): Promise<PasswordPolicy> {
  const [row] = (await policyRow(tx, { accountId })).rows;
  return policyOf(row);
}

/** The policy a stored row says, or the defaults when the account has none. */
export function policyOf(row: PasswordPolicyTable | undefined): PasswordPolicy {
  return row ? fromRow(row) : { ...DEFAULT_PASSWORD_POLICY };
}

/** Applies the given fields over the current policy and stores it. Ranges are the caller's to check. */
export async function setPasswordPolicy(tx: Tx, accountId: string, changes: Partial<PasswordPolicy>, now: string): Promise<PasswordPolicy> {
  const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) as Partial<PasswordPolicy>;
  const policy: PasswordPolicy = { ...(await getPasswordPolicy(tx, accountId)), ...defined };
  const row = toRow(accountId, policy, now);
  const { account_id: _a, ...update } = row;
  await tx
    .insertInto('password_policies')
    .values(row)
    .onConflict((oc) => oc.column('account_id').doUpdateSet(update))
    .execute();
  return policy;
}

function fromRow(row: PasswordPolicyTable): PasswordPolicy {
  return {
    minimumPasswordLength: row.minimum_password_length,
    requireLowercaseCharacters: row.require_lowercase_characters === 1,
    requireUppercaseCharacters: row.require_uppercase_characters === 1,
    requireNumbers: row.require_numbers === 1,
    requireSymbols: row.require_symbols === 1,
    minimumPasswordDifferentCharacter: row.minimum_password_different_character,
    passwordNotContainUserName: row.password_not_contain_user_name === 1,
    hardExpire: row.hard_expire === 1,
    maxPasswordAge: row.max_password_age,
    passwordReusePrevention: row.password_reuse_prevention,
    initialPasswordAge: row.initial_password_age,
    maxLoginAttempts: row.max_login_attempts,
    interceptRiskPasswordOnApi: row.intercept_risk_password_on_api === 1,
  };
}

const flag = (b: boolean): number => (b ? 1 : 0);

function toRow(accountId: string, p: PasswordPolicy, now: string): PasswordPolicyTable {
  return {
    account_id: accountId,
    minimum_password_length: p.minimumPasswordLength,
    require_lowercase_characters: flag(p.requireLowercaseCharacters),
    require_uppercase_characters: flag(p.requireUppercaseCharacters),
    require_numbers: flag(p.requireNumbers),
    require_symbols: flag(p.requireSymbols),
    minimum_password_different_character: p.minimumPasswordDifferentCharacter,
    password_not_contain_user_name: flag(p.passwordNotContainUserName),
    hard_expire: flag(p.hardExpire),
    max_password_age: p.maxPasswordAge,
    password_reuse_prevention: p.passwordReusePrevention,
    initial_password_age: p.initialPasswordAge,
    max_login_attempts: p.maxLoginAttempts,
    intercept_risk_password_on_api: flag(p.interceptRiskPasswordOnApi),
    updated_at: now,
  };
}
