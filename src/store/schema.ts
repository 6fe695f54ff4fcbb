// The tables, as queries see them. Times are ISO-8601 UTC strings; flags are 0/1 integers,
// so the same code runs on SQLite and PostgreSQL.

export interface AccountTable {
  id: string; // 16 digits
  display_name: string;
  alias: string; // account alias; the default logon domain is `<alias>.onaliyun.com`
  type: 'management' | 'member';
  root_password_hash: string | null;
  created_at: string;
}

export interface AccountDomainTable {
  account_id: string;
  domain_name: string; // lower case
  kind: 'default' | 'alias';
  created_at: string;
}

export interface RamUserTable {
  id: string;
  account_id: string;
  name: string;
  name_key: string; // lower-cased name: user names are unique regardless of case
  display_name: string;
  email: string;
  mobile_phone: string;
  comments: string;
  provision_type: string;
  created_at: string;
  updated_at: string;
  last_login_at: string | null;
  /** Counts the changes that end the user's logons in progress (reset, disable, removal of console logon). */
  logon_generation: number;
}

export interface RamGroupTable {
  id: string;
  account_id: string;
  name: string;
  name_key: string;
  /** IMS DisplayName; empty: the name. */
  display_name: string;
  comments: string;
  created_at: string;
  updated_at: string;
}

export interface RamGroupMemberTable {
  group_id: string;
  user_id: string;
  joined_at: string;
}

export interface RamRoleTable {
  id: string;
  account_id: string;
  name: string;
  name_key: string;
  description: string;
  assume_role_policy_document: string;
  max_session_duration: number;
  created_at: string;
  updated_at: string;
}

export interface RamPolicyTable {
  id: string;
  account_id: string;
  name: string;
  name_key: string;
  description: string;
  default_version: string;
  next_version: number;
  created_at: string;
  updated_at: string;
}

export interface RamPolicyVersionTable {
  policy_id: string;
  version_id: string; // v1, v2, …
  document: string;
  created_at: string;
}

export interface RamPolicyAttachmentTable {
  account_id: string;
  principal_type: 'User' | 'Group' | 'Role';
  principal_id: string;
  policy_type: 'System' | 'Custom';
  policy_name: string; // as stored on the policy (System: canonical name; Custom: the policy's name)
  attached_at: string;
}

export interface AccessKeyTable {
  id: string;
  account_id: string;
  user_id: string | null; // null: the account's root identity
  secret_sealed: string;
  status: 'Active' | 'Inactive';
  created_at: string;
  last_used_at: string | null;
}

export interface StsSessionTable {
  access_key_id: string; // STS.…
  secret_sealed: string;
  token_hash: string; // sha256 of the SecurityToken
  account_id: string;
  role_id: string;
  role_name: string;
  session_name: string;
  session_policy: string | null;
  source_identity: string | null;
  caller_arn: string;
  console_session_id: string | null;
  created_at: string;
  expires_at: string;
}

export interface NonceTable {
  nonce: string;
  expires_at: string;
}

export interface ConsoleSessionTable {
  id: string;
  account_id: string;
  principal_type: 'root' | 'user' | 'role';
  user_id: string | null;
  mfa_present: number;
  created_at: string;
  expires_at: string;
  /** Set for a role session entered from the CloudSSO portal: the STS session whose permissions it carries. */
  sts_access_key_id?: string | null;
  /** The CloudSSO user who entered this session from the portal. */
  portal_user_id?: string | null;
}

export interface RateLimitTable {
  key: string;
  window_start: string;
  count: number;
}

/** Sign-in flows that ended (finished or refused), kept until they would have expired so none ends twice. */
export interface LoginFlowTable {
  id: string;
  kind: 'ram-user' | 'portal' | 'root';
  step: 'identify' | 'password' | 'mfa' | 'mfa-bind' | 'password-change' | 'done';
  fixed_domain: string | null;
  account_id: string | null;
  user_id: string | null;
  login_name: string | null;
  return_to: string | null;
  mfa_done: number;
  /** The sealed TOTP seed offered while binding a first MFA device. */
  pending_secret: string | null;
  /** The WebAuthn challenge of the passkey ceremony under way. */
  challenge: string | null;
  /** Portal flows: the CloudSSO directory signed in to. */
  directory_id?: string | null;
  created_at: string;
  expires_at: string;
}

/** The root identity's logon state (migration 0019_root_logon); no row: never tried, nothing bound. */
export interface RootLogonTable {
  account_id: string;
  failed_attempts: number;
  failures_since: string | null;
  locked_until: string | null;
  lockouts: number;
  /** Moved on by every change of root's credentials (password, MFA device): sign-ins in progress end. */
  logon_generation: number;
  mfa_secret_sealed: string | null;
  /** Highest accepted TOTP time step: a code is accepted once only. */
  mfa_last_used_step: number;
  mfa_bound_at: string | null;
  last_login_at: string | null;
}

export interface ResourceTagTable {
  account_id: string;
  resource_type: 'role' | 'policy' | 'user' | 'cloudsso-user' | 'cloudsso-access-configuration' | 'account';
  resource_id: string;
  tag_key: string;
  tag_value: string;
}

import type { LoginTables } from './schema-login.js';
import type { MfaTables } from './schema-mfa.js';
import type { DirectoryTables } from './schema-directory.js';
import type { CloudSsoTables } from './schema-cloudsso.js';
import type { CloudSsoAccessTables } from './schema-cloudsso-access.js';
import type { PortalTables } from './schema-portal.js';
import type { CloudSsoSamlTables } from './schema-cloudsso-saml.js';
import type { SamlSpKeyTables } from './schema-saml-sp-keys.js';

export interface Database extends LoginTables, MfaTables, DirectoryTables, CloudSsoTables, CloudSsoAccessTables, PortalTables, CloudSsoSamlTables, SamlSpKeyTables {
  accounts: AccountTable;
  account_domains: AccountDomainTable;
  ram_users: RamUserTable;
  ram_groups: RamGroupTable;
  ram_group_members: RamGroupMemberTable;
  ram_roles: RamRoleTable;
  ram_policies: RamPolicyTable;
  ram_policy_versions: RamPolicyVersionTable;
  ram_policy_attachments: RamPolicyAttachmentTable;
  access_keys: AccessKeyTable;
  sts_sessions: StsSessionTable;
  nonces: NonceTable;
  console_sessions: ConsoleSessionTable;
  login_flows: LoginFlowTable;
  rate_limits: RateLimitTable;
  resource_tags: ResourceTagTable;
  root_logons: RootLogonTable;
}
