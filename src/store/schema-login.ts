// Tables of RAM console logon: login profiles, password policy, security preference (migration 0005_login).
// Absent policy/preference rows mean "the documented defaults".

export interface LoginProfileTable {
  user_id: string;
  account_id: string;
  status: 'Active' | 'Inactive';
  password_hash: string | null; // argon2id PHC string; null: no password set (IMS allows it)
  password_set_at: string | null;
  /** 1 while the password is an initial one (set by an administrator, not yet used for a successful logon). */
  password_is_initial: number;
  password_reset_required: number;
  mfa_bind_required: number;
  failed_attempts: number;
  locked_until: string | null;
  last_login_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface PasswordHistoryTable {
  user_id: string;
  hash: string;
  created_at: string;
}

export interface PasswordPolicyTable {
  account_id: string;
  minimum_password_length: number;
  require_lowercase_characters: number;
  require_uppercase_characters: number;
  require_numbers: number;
  require_symbols: number;
  minimum_password_different_character: number;
  password_not_contain_user_name: number;
  hard_expire: number;
  max_password_age: number;
  password_reuse_prevention: number;
  initial_password_age: number;
  max_login_attempts: number;
  intercept_risk_password_on_api: number;
  updated_at: string;
}

export interface SecurityPreferenceTable {
  account_id: string;
  allow_user_to_change_password: number;
  allow_user_to_login_with_passkey: number;
  allow_user_to_manage_access_keys: number;
  allow_user_to_manage_mfa_devices: number;
  allow_user_to_manage_personal_dingtalk: number;
  allow_user_to_manage_service_credentials: number;
  allow_user_to_manage_public_keys: number;
  enable_save_mfa_ticket: number;
  login_network_masks: string; // `;`-separated IPv4 CIDRs, '' = anywhere
  login_session_duration: number; // hours
  mfa_operation_for_login: 'mandatory' | 'independent' | 'adaptive';
  operation_for_risk_login: 'autonomous' | 'enforceVerify';
  max_idle_days_for_access_keys: number;
  max_idle_days_for_users: number;
  verification_types: string; // JSON array
  updated_at: string;
}

export interface LoginTables {
  login_profiles: LoginProfileTable;
  password_history: PasswordHistoryTable;
  password_policies: PasswordPolicyTable;
  security_preferences: SecurityPreferenceTable;
}
