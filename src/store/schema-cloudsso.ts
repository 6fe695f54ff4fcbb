// Tables of the CloudSSO directory: directories, users, groups, settings, SCIM credentials (migration 0008_cloudsso).

export interface CloudSsoServiceTable {
  account_id: string;
  status: 'Enabled' | 'Disabled';
  updated_at: string;
}

export interface CloudSsoDirectoryTable {
  id: string; // d-…
  management_account_id: string;
  name: string;
  region: string;
  mfa_authentication_status: 'Enabled' | 'Disabled';
  mfa_authentication_settings: 'Enabled' | 'Byuser' | 'Disabled';
  operation_for_risk_login: 'Autonomous' | 'EnforceVerify';
  login_network_masks: string; // `;`-separated IPv4 addresses or CIDR blocks; empty: any network
  allow_user_to_get_credentials: number;
  scim_sync_status: 'Enabled' | 'Disabled';
  min_password_length: number;
  min_password_different_chars: number;
  password_not_contain_username: number;
  max_password_age: number; // days
  password_reuse_prevention: number;
  max_login_attempts: number; // 0: no lockout; otherwise locked for an hour
  source_identity_passing: 'IdP' | 'UserName' | 'Disabled'; // migration 0022: what SAML sign-in passes on as SourceIdentity
  created_at: string;
  updated_at: string;
}

export interface CloudSsoUserTable {
  id: string; // u-…
  directory_id: string;
  user_name: string;
  user_name_key: string;
  first_name: string;
  last_name: string;
  display_name: string;
  email: string;
  email_key: string | null;
  description: string;
  status: 'Enabled' | 'Disabled';
  provision_type: 'Manual' | 'Synchronized';
  external_id: string | null;
  external_issuer: string | null;
  mfa_authentication_settings: 'Enabled' | 'Disabled';
  password_hash: string | null;
  password_set_at: string | null;
  password_reset_required: number;
  /** Moves on when the user's sessions are ended (a credential changed): sign-ins in progress under the old one end. */
  logon_generation: number;
  failed_attempts: number;
  locked_until: string | null;
  last_login_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface CloudSsoPasswordHistoryTable {
  user_id: string;
  hash: string;
  created_at: string;
}

export interface CloudSsoGroupTable {
  id: string; // g-…
  directory_id: string;
  name: string;
  name_key: string;
  description: string;
  provision_type: 'Manual' | 'Synchronized';
  external_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface CloudSsoGroupMemberTable {
  group_id: string;
  user_id: string;
  joined_at: string;
}

export interface CloudSsoMfaDeviceTable {
  id: string;
  user_id: string;
  name: string;
  secret_sealed: string; // base32 TOTP seed, sealed with services.secrets
  last_used_step: number | string; // bigint: PostgreSQL returns it as a string; read through Number()
  created_at: string;
}

export interface CloudSsoScimCredentialTable {
  id: string; // scimcred-…
  directory_id: string;
  secret_hash: string; // sha256 hex of the bearer token; the token itself is shown once
  status: 'Enabled' | 'Disabled';
  created_at: string;
  expire_time: string;
}

export interface CloudSsoTables {
  cloudsso_services: CloudSsoServiceTable;
  cloudsso_directories: CloudSsoDirectoryTable;
  cloudsso_users: CloudSsoUserTable;
  cloudsso_password_history: CloudSsoPasswordHistoryTable;
  cloudsso_groups: CloudSsoGroupTable;
  cloudsso_group_members: CloudSsoGroupMemberTable;
  cloudsso_mfa_devices: CloudSsoMfaDeviceTable;
  cloudsso_scim_credentials: CloudSsoScimCredentialTable;
}
