// Tables of MFA: virtual MFA devices and passkeys (migration 0003_mfa).
export interface MfaTables {}
