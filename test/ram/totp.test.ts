import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { newTotpSecret, otpauthUri, totpStep, verifyConsecutiveTotp, verifyTotp } from '../../src/ram/totp.js';

/** Debian's oathtool, as an independent RFC 6238 implementation. */
const oathtool = (secret: string, unixSeconds: number): string =>
  execFileSync('oathtool', ['--totp', '-b', '-N', `@${unixSeconds}`, secret], { encoding: 'utf8' }).trim();

const T = 1_767_225_600; // 2026-01-01T00:00:00Z, a step boundary
const at = (unixSeconds: number): Date => new Date(unixSeconds * 1000);

describe('TOTP (RFC 6238)', () => {
  it('makes 160-bit base32 seeds, different each time', () => {
    const a = newTotpSecret();
    assert.match(a, /^[A-Z2-7]{32}$/);
    assert.notEqual(a, newTotpSecret());
  });

  it('accepts the code oathtool computes, and says which step it matched', () => {
    const secret = newTotpSecret();
    for (const offset of [0, 7, 29, 30, 95, 1_000_017]) {
      const code = oathtool(secret, T + offset);
      assert.equal(verifyTotp(secret, code, at(T + offset), null), totpStep(at(T + offset)));
    }
  });

  it('matches the RFC 6238 test vector for SHA-1 (8 digits truncated to 6)', () => {
    // Secret "12345678901234567890"; at T=59 the 8-digit code is 94287082, so the 6-digit code is 287082.
    const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
    assert.equal(verifyTotp(secret, '287082', at(59), null), 1);
  });

  it('accepts one step of drift either side, not two', () => {
    const secret = newTotpSecret();
    const code = oathtool(secret, T);
    const step = T / 30;
    assert.equal(verifyTotp(secret, code, at(T + 30), null), step);
    assert.equal(verifyTotp(secret, code, at(T - 30), null), step);
    assert.equal(verifyTotp(secret, code, at(T + 60), null), null);
    assert.equal(verifyTotp(secret, code, at(T - 60), null), null);
  });

  it('accepts a code once only: not at or before the last used step', () => {
    const secret = newTotpSecret();
    const code = oathtool(secret, T);
    const step = verifyTotp(secret, code, at(T), null);
    assert.equal(step, T / 30);
    assert.equal(verifyTotp(secret, code, at(T), step), null);
    assert.equal(verifyTotp(secret, oathtool(secret, T - 30), at(T), step), null);
    assert.equal(verifyTotp(secret, oathtool(secret, T + 30), at(T + 30), step), step! + 1);
  });

  it('refuses malformed and wrong codes', () => {
    const secret = newTotpSecret();
    const code = oathtool(secret, T);
    assert.equal(verifyTotp(secret, code.slice(1), at(T), null), null);
    assert.equal(verifyTotp(secret, `${code} `, at(T), null), null);
    assert.equal(verifyTotp(secret, String((Number(code) + 1) % 1_000_000).padStart(6, '0'), at(T), null), null);
    assert.equal(verifyTotp(newTotpSecret(), code, at(T), null), null);
  });

  it('binds only with two consecutive codes in order', () => {
    const secret = newTotpSecret();
    const previous = oathtool(secret, T - 30);
    const current = oathtool(secret, T);
    assert.equal(verifyConsecutiveTotp(secret, previous, current, at(T + 10)), T / 30);
    assert.equal(verifyConsecutiveTotp(secret, current, previous, at(T + 10)), null);
    assert.equal(verifyConsecutiveTotp(secret, oathtool(secret, T - 60), current, at(T + 10)), null);
    assert.equal(verifyConsecutiveTotp(secret, current, current, at(T + 10)), null);
    assert.equal(verifyConsecutiveTotp(secret, previous, current, at(T + 90)), null);
  });

  it('writes an otpauth URI that authenticator apps read', () => {
    const uri = new URL(otpauthUri({ secret: 'JBSWY3DPEHPK3PXP', accountName: 'alice@example', issuer: 'Gatehouse' }));
    assert.equal(uri.protocol, 'otpauth:');
    assert.equal(uri.host, 'totp');
    assert.equal(uri.searchParams.get('secret'), 'JBSWY3DPEHPK3PXP');
    assert.equal(uri.searchParams.get('issuer'), 'Gatehouse');
    assert.equal(uri.searchParams.get('digits'), '6');
    assert.equal(uri.searchParams.get('period'), '30');
  });
});
