import { randomInt } from 'node:crypto';
import { checkPasswordAgainstPolicy, type PasswordPolicy } from '../../ram/password-policy.js';

// "Automatically Regenerate Default Password" (seed 003): a random password that the account's policy accepts,
// shown to the administrator once and never stored in clear.

const CLASSES = ['abcdefghijkmnopqrstuvwxyz', 'ABCDEFGHJKLMNPQRSTUVWXYZ', '23456789', '!@#$%^&*-_=+'];
const ALL = CLASSES.join('');

function pick(chars: string): string {
  return chars[randomInt(chars.length)] as string;
}

function candidate(length: number): string {
  const chars = CLASSES.map(pick);
  while (chars.length < length) chars.push(pick(ALL));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j] as string, chars[i] as string];
  }
  return chars.join('');
}

export function generatePassword(policy: PasswordPolicy, userName: string): string {
  const length = Math.min(32, Math.max(16, policy.minimumPasswordLength));
  for (let attempt = 0; attempt < 1000; attempt++) {
    const password = candidate(length);
    if (checkPasswordAgainstPolicy(policy, password, userName).length === 0) return password;
  }
  throw new Error('no generated password satisfies the password policy');
}
