import type { Tx } from '../store/db.js';
import { preparedRows } from '../store/prepared.js';
import type { LoginProfileTable, PasswordPolicyTable, SecurityPreferenceTable } from '../store/schema-login.js';
import type { LoginProfile } from './login-profiles.js';
import { policyOf, type PasswordPolicy } from './password-policy.js';
import { preferenceOf, type SecurityPreference } from './security-preference.js';

// What every step of a console logon reads afresh (the user's login profile, logon generation and whether an MFA
// device is bound, and the account's security preference and password policy) in one query: a logon takes several
// steps, and on PostgreSQL each query is a round trip. The password step finds the user by logon name in the same query.

export interface LogonState {
  profile: LoginProfile;
  /** The user's logon generation (see endSessionsOfUser). */
  generation: number;
  preference: SecurityPreference;
  policy: PasswordPolicy;
  hasMfaDevice: boolean;
}

const PROFILE = [
  'user_id', 'account_id', 'status', 'password_hash', 'password_set_at', 'password_is_initial', 'password_reset_required',
  'mfa_bind_required', 'failed_attempts', 'locked_until', 'last_login_at', 'created_at', 'updated_at',
] as const;
const PREFERENCE = [
  'account_id', 'allow_user_to_change_password', 'allow_user_to_login_with_passkey', 'allow_user_to_manage_access_keys',
  'allow_user_to_manage_mfa_devices', 'allow_user_to_manage_personal_dingtalk', 'allow_user_to_manage_service_credentials',
  'allow_user_to_manage_public_keys', 'enable_save_mfa_ticket', 'login_network_masks', 'login_session_duration',
  'mfa_operation_for_login', 'operation_for_risk_login', 'max_idle_days_for_access_keys', 'max_idle_days_for_users',
  'verification_types', 'updated_at',
] as const;
const POLICY = [
  'account_id', 'minimum_password_length', 'require_lowercase_characters', 'require_uppercase_characters', 'require_numbers',
  'require_symbols', 'minimum_password_different_character', 'password_not_contain_user_name', 'hard_expire',
  'max_password_age', 'password_reuse_prevention', 'initial_password_age', 'max_login_attempts',
  'intercept_risk_password_on_api', 'updated_at',
] as const;

// The lists name every column of their tables: a column added to a table and not here fails the build.
type Names<Table, List extends readonly string[]> = [Exclude<keyof Table, List[number]>] extends [never] ? List : never;
const columns = <Table>() => <List extends readonly (keyof Table & string)[]>(list: Names<Table, List>): List => list;
const profileColumns = columns<LoginProfileTable>()(PROFILE);
const preferenceColumns = columns<SecurityPreferenceTable>()(PREFERENCE);
const policyColumns = columns<PasswordPolicyTable>()(POLICY);

// The select list, in order: rows come back as arrays (see preparedRows), read by position.
const aliased = (table: string, list: readonly string[]): string[] => list.map((c) => `${table}.${c} as ${table}_${c}`);
const SELECTED = [
  'u.logon_generation as u_logon_generation',
  'm.serial_number as m_serial_number',
  ...aliased('p', profileColumns),
  ...aliased('s', preferenceColumns),
  ...aliased('pp', policyColumns),
];
const AT = { generation: 0, device: 1, profile: 2, preference: 2 + PROFILE.length, policy: 2 + PROFILE.length + PREFERENCE.length } as const;

const stateQuery = (tx: Tx) =>
  tx
    .selectFrom('login_profiles as p')
    .innerJoin('ram_users as u', 'u.id', 'p.user_id')
    .leftJoin('security_preferences as s', 's.account_id', 'p.account_id')
    .leftJoin('password_policies as pp', 'pp.account_id', 'p.account_id')
    .leftJoin('mfa_devices as m', 'm.user_id', 'p.user_id')
    .select(SELECTED as never);

const stateOfUser = preparedRows((tx, p: { userId: string }) => stateQuery(tx).where('p.user_id', '=', p.userId));

// A domain is the account's default domain or one of its aliases (account_domains), and user names are unique per
// account regardless of case (name_key).
const stateOfLogonName = preparedRows((tx, p: { domain: string; nameKey: string }) =>
  stateQuery(tx).innerJoin('account_domains as d', 'd.account_id', 'u.account_id').where('d.domain_name', '=', p.domain).where('u.name_key', '=', p.nameKey),
);

/** One table's columns out of the row, from position `at` on; undefined when the join found no row there (its first column, account_id or user_id, is null). */
function part<T>(row: unknown[], at: number, list: readonly string[]): T | undefined {
  if (row[at] === null || row[at] === undefined) return undefined;
  const picked: Record<string, unknown> = {};
  for (let i = 0; i < list.length; i++) picked[list[i]!] = row[at + i];
  return picked as T;
}

/** The user's logon state, or undefined when the user has no console logon (no login profile). */
export async function readLogonState(tx: Tx, userId: string): Promise<LogonState | undefined> {
  return stateOfRow(await stateOfUser(tx, { userId }));
}

/** The logon state of the user a logon name (`name`, `domain`) names, or undefined when there is no such user with console logon. */
export async function readLogonStateByName(tx: Tx, logon: { name: string; domain: string }): Promise<LogonState | undefined> {
  return stateOfRow(await stateOfLogonName(tx, { domain: logon.domain.toLowerCase(), nameKey: logon.name.toLowerCase() }));
}

function stateOfRow(rows: unknown[][]): LogonState | undefined {
  const row = rows[0];
  const profile = row && part<LoginProfile>(row, AT.profile, profileColumns);
  if (!row || !profile) return undefined;
  return {
    profile,
    generation: Number(row[AT.generation]),
    preference: preferenceOf(part<SecurityPreferenceTable>(row, AT.preference, preferenceColumns)),
    policy: policyOf(part<PasswordPolicyTable>(row, AT.policy, policyColumns)),
    hasMfaDevice: row[AT.device] !== null && row[AT.device] !== undefined,
  };
}
