import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomPassword } from '../../src/crypto/random-password.js';

describe('random passwords', () => {
  it('are as long as asked, drawn from the classes only, with one of each class at least', () => {
    const classes = ['abc', 'XYZ', '789', '!@#'];
    for (let i = 0; i < 200; i++) {
      const password = randomPassword(i % 2 === 0 ? 4 : 16, classes);
      assert.equal(password.length, i % 2 === 0 ? 4 : 16);
      assert.match(password, /^[abcXYZ789!@#]+$/);
      for (const c of classes) assert.ok([...password].some((ch) => c.includes(ch)), `${password} lacks one of ${c}`);
    }
  });

  it('do not put a class in a fixed place', () => {
    const firsts = new Set(Array.from({ length: 200 }, () => randomPassword(4, ['a', 'B', '1', '!'])[0]));
    assert.equal(firsts.size, 4);
  });
});
