// Random bytes handed out from a pool: each value is its own copy, never repeated, and a refill changes none of them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytesPooled } from '../../src/crypto/random.js';

describe('pooled random bytes', () => {
  it('hands out values of the asked size that never repeat and never change afterwards', () => {
    const drawn = Array.from({ length: 2000 }, () => randomBytesPooled(16)); // several refills of the pool
    const copies = drawn.map((b) => Buffer.from(b).toString('hex'));
    randomBytesPooled(4096); // and a large draw besides
    for (const b of drawn) assert.equal(b.length, 16);
    assert.deepEqual(drawn.map((b) => b.toString('hex')), copies, 'a refill changed a value handed out earlier');
    assert.equal(new Set(copies).size, copies.length);
  });

  it('draws sizes larger than the pool directly', () => {
    const big = randomBytesPooled(10_000);
    assert.equal(big.length, 10_000);
    // 10,000 random bytes take many distinct values (an all-zero or constant buffer would not).
    assert.ok(new Set(big).size > 200);
  });
});
