import { randomPassword } from '../../crypto/random-password.js';
import { checkPasswordAgainstPolicy, type PasswordPolicy } from '../../ram/password-policy.js';

// "Automatically Regenerate Default Password" (seed 003): a random password that the account's policy accepts,
// shown to the administrator once and never stored in clear.

const CLASSES = ['abcdefghijkmnopqrstuvwxyz', 'ABCDEFGHJKLMNPQRSTUVWXYZ', '23456789', '!@#$%^&*-_=+'];

export function generatePassword(policy: PasswordPolicy, userName: string): string {
  const length = Math.min(32, Math.max(16, policy.minimumPasswordLength));
  for (let attempt = 0; attempt < 1000; attempt++) {
    const password = randomPassword(length, CLASSES);
    if (checkPasswordAgainstPolicy(policy, password, userName).length === 0) return password;
  }
  throw new Error('no generated password satisfies the password policy');
}
