import type { PasswordStatus } from '../../ram/login-profiles.js';

// The words the RAM console uses for stored values (seed 003, "View console logon settings of a RAM user").

export function consoleAccessLabel(status: string | undefined): 'Unset' | 'Inactive' | 'Active' {
  if (status === undefined) return 'Unset';
  return status === 'Active' ? 'Active' : 'Inactive';
}

export const PASSWORD_STATUS_LABELS: Record<PasswordStatus, string> = {
  InitialValid: 'Initial Password Available',
  InitialExpired: 'Initial Password Expired',
  NotInitial: 'Not Initial Password',
};

export const MFA_OPERATION_LABELS: Record<string, string> = {
  mandatory: 'Required for all users (mandatory)',
  independent: 'Per user setting (independent)',
  adaptive: 'Only for unusual logons (adaptive)',
};
