// Tables of MFA: virtual MFA devices and passkeys (migration 0003_mfa).

export interface MfaDeviceTable {
  serial_number: string; // acs:ram::<accountId>:mfa/<name>
  account_id: string;
  name: string;
  user_id: string | null; // null until bound
  secret_sealed: string; // base32 TOTP seed, sealed with services.secrets
  last_used_step: number; // highest accepted TOTP time step: a code is accepted once only
  bound_at: string | null;
  created_at: string;
}

export interface PasskeyTable {
  id: string; // PASSKEY-…
  user_id: string;
  account_id: string;
  credential_id: string; // base64url
  public_key: string; // base64url
  counter: number | string; // bigint: PostgreSQL returns it as a string; read through Number()
  transports: string; // JSON array of AuthenticatorTransport
  name: string;
  created_at: string;
  last_used_at: string | null;
}

export interface MfaTables {
  mfa_devices: MfaDeviceTable;
  passkeys: PasskeyTable;
}
