// The pure rules behind console logon: password policy check, PasswordStatus, expiry, network masks.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkPasswordAgainstPolicy, DEFAULT_PASSWORD_POLICY, type PasswordPolicy } from '../../src/ram/password-policy.js';
import { passwordExpiry, passwordStatus, type LoginProfile } from '../../src/ram/login-profiles.js';
import { isSourceIpAllowed, loginNetworkMasksProblem } from '../../src/ram/security-preference.js';

const DAY = 24 * 60 * 60 * 1000;
const T0 = new Date('2026-03-01T00:00:00.000Z');
const at = (days: number): Date => new Date(T0.getTime() + days * DAY);
const policy = (changes: Partial<PasswordPolicy> = {}): PasswordPolicy => ({ ...DEFAULT_PASSWORD_POLICY, ...changes });

function profile(changes: Partial<LoginProfile> = {}): LoginProfile {
  return {
    user_id: '1',
    account_id: '2',
    status: 'Active',
    password_hash: 'x',
    password_set_at: T0.toISOString(),
    password_is_initial: 1,
    password_reset_required: 0,
    mfa_bind_required: 0,
    failed_attempts: 0,
    locked_until: null,
    last_login_at: null,
    created_at: T0.toISOString(),
    updated_at: T0.toISOString(),
    ...changes,
  };
}

describe('checkPasswordAgainstPolicy', () => {
  it('accepts anything of 8 to 32 characters under the default policy', () => {
    assert.deepEqual(checkPasswordAgainstPolicy(DEFAULT_PASSWORD_POLICY, 'abcdefgh', 'alice'), []);
    assert.equal(checkPasswordAgainstPolicy(DEFAULT_PASSWORD_POLICY, 'abcdefg', 'alice').length, 1);
    assert.equal(checkPasswordAgainstPolicy(DEFAULT_PASSWORD_POLICY, 'a'.repeat(33), 'alice').length, 1);
  });

  it('names every rule broken, one sentence each', () => {
    const strict = policy({
      minimumPasswordLength: 12,
      requireLowercaseCharacters: true,
      requireUppercaseCharacters: true,
      requireNumbers: true,
      requireSymbols: true,
      minimumPasswordDifferentCharacter: 8,
    });
    const violations = checkPasswordAgainstPolicy(strict, 'aaaa', 'bob');
    assert.equal(violations.length, 5);
    assert.ok(violations.some((v) => v.includes('12 characters')));
    assert.ok(violations.some((v) => v.includes('uppercase')));
    assert.ok(violations.some((v) => v.includes('digit')));
    assert.ok(violations.some((v) => v.includes('symbol')));
    assert.ok(violations.some((v) => v.includes('8 different')));
    assert.deepEqual(checkPasswordAgainstPolicy(strict, 'Abcdefgh1234!', 'bob'), []);
  });

  it('refuses the user name inside the password, in any case, only when the policy says so', () => {
    assert.deepEqual(checkPasswordAgainstPolicy(policy(), 'xxAlice123', 'alice'), []);
    assert.deepEqual(checkPasswordAgainstPolicy(policy({ passwordNotContainUserName: true }), 'xxAlice123', 'alice'), [
      'The password must not contain the user name.',
    ]);
  });

  it('counts characters, not UTF-16 units', () => {
    assert.deepEqual(checkPasswordAgainstPolicy(policy(), '🔒🔒🔒🔒🔒🔒🔒🔒', 'alice'), []);
  });
});

describe('passwordStatus (seed 003, initial passwords)', () => {
  it('is InitialValid for 14 days, then InitialExpired', () => {
    assert.equal(passwordStatus(profile(), policy(), at(13.99)), 'InitialValid');
    assert.equal(passwordStatus(profile(), policy(), at(14)), 'InitialExpired');
  });

  it('follows InitialPasswordAge, 0 meaning no limit', () => {
    assert.equal(passwordStatus(profile(), policy({ initialPasswordAge: 3 }), at(3)), 'InitialExpired');
    assert.equal(passwordStatus(profile(), policy({ initialPasswordAge: 0 }), at(1000)), 'InitialValid');
  });

  it('lets the shorter of InitialPasswordAge and MaxPasswordAge win', () => {
    assert.equal(passwordStatus(profile(), policy({ maxPasswordAge: 5 }), at(5)), 'InitialExpired');
    assert.equal(passwordStatus(profile(), policy({ maxPasswordAge: 30 }), at(14)), 'InitialExpired');
    assert.equal(passwordStatus(profile(), policy({ initialPasswordAge: 0, maxPasswordAge: 30 }), at(29)), 'InitialValid');
  });

  it('counts from when the password was set, so a reset restarts it', () => {
    assert.equal(passwordStatus(profile({ password_set_at: at(10).toISOString() }), policy(), at(20)), 'InitialValid');
  });

  it('is NotInitial once the user has logged on, or without a password', () => {
    assert.equal(passwordStatus(profile({ password_is_initial: 0 }), policy(), at(400)), 'NotInitial');
    assert.equal(passwordStatus(profile({ password_hash: null, password_set_at: null }), policy(), at(400)), 'NotInitial');
  });
});

describe('passwordExpiry', () => {
  const used = profile({ password_is_initial: 0 });
  it('never expires with MaxPasswordAge 0', () => {
    assert.equal(passwordExpiry(used, policy(), at(5000)), 'Valid');
  });
  it('asks for a change at logon after MaxPasswordAge without HardExpire', () => {
    assert.equal(passwordExpiry(used, policy({ maxPasswordAge: 90 }), at(89)), 'Valid');
    assert.equal(passwordExpiry(used, policy({ maxPasswordAge: 90 }), at(90)), 'ChangeAtLogon');
  });
  it('needs an administrator with HardExpire, or for an expired initial password', () => {
    assert.equal(passwordExpiry(used, policy({ maxPasswordAge: 90, hardExpire: true }), at(90)), 'AdminResetRequired');
    assert.equal(passwordExpiry(profile(), policy(), at(14)), 'AdminResetRequired');
    assert.equal(passwordExpiry(profile(), policy(), at(1)), 'Valid');
  });
});

describe('LoginNetworkMasks', () => {
  it('accepts IPv4 addresses and CIDRs separated by ;', () => {
    assert.equal(loginNetworkMasksProblem(''), null);
    assert.equal(loginNetworkMasksProblem('10.0.0.0/8;192.168.1.7;0.0.0.0/0'), null);
  });
  it('refuses bad blocks, more than 40 masks or more than 512 characters', () => {
    assert.match(loginNetworkMasksProblem('10.0.0.0/33') ?? '', /not an IPv4/);
    assert.match(loginNetworkMasksProblem('10.0.0/8') ?? '', /not an IPv4/);
    assert.match(loginNetworkMasksProblem('10.0.0.0/8;') ?? '', /not an IPv4/);
    assert.match(loginNetworkMasksProblem('::1/128') ?? '', /not an IPv4/);
    assert.match(loginNetworkMasksProblem(Array.from({ length: 41 }, (_, i) => `1.1.1.${i}`).join(';')) ?? '', /at most 40/);
    assert.match(loginNetworkMasksProblem(Array.from({ length: 40 }, (_, i) => `100.100.${i}.100/32`).join(';')) ?? '', /512/);
  });
  it('matches a source address against the masks', () => {
    assert.equal(isSourceIpAllowed('', '203.0.113.9'), true);
    assert.equal(isSourceIpAllowed('10.0.0.0/8;192.168.1.7', '10.200.3.4'), true);
    assert.equal(isSourceIpAllowed('10.0.0.0/8;192.168.1.7', '192.168.1.7'), true);
    assert.equal(isSourceIpAllowed('10.0.0.0/8;192.168.1.7', '192.168.1.8'), false);
    assert.equal(isSourceIpAllowed('10.0.0.0/8', '::ffff:10.1.1.1'), true);
    assert.equal(isSourceIpAllowed('0.0.0.0/0', '::1'), false);
  });
});
