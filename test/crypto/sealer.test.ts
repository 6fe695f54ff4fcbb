// The sealer that carries a logon's flow in the browser's cookie: what one node seals, any node with the key opens;
// anything else (tampered, another key, another purpose) opens as nothing, whether or not the text was kept in memory.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createSealer } from '../../src/crypto/secrets.js';

const key = randomBytes(32);
const flow = { id: 'f1', step: 'password', login_name: 'alice@example.onaliyun.com', expires_at: '2999-01-01T00:00:00.000Z' };

/** The same bytes with one bit of the ciphertext flipped, as base64url again. */
function flipped(sealed: string, at: number): string {
  const raw = Buffer.from(sealed, 'base64url');
  raw[at] ^= 1;
  return raw.toString('base64url');
}

describe('flow sealer', () => {
  it('opens what it sealed, and another node with the same key opens it too', () => {
    const sealer = createSealer(key, 'login flow');
    const sealed = sealer.seal(flow);
    assert.deepEqual(sealer.open(sealed), flow);
    assert.deepEqual(createSealer(key, 'login flow', { remember: 0 }).open(sealed), flow, 'a node that keeps nothing');
    assert.deepEqual(createSealer(key, 'login flow').open(sealed), flow, 'a node that did not seal it');
  });

  it('hands out a fresh value at each open, so a caller changing one cannot change what the next open gives', () => {
    const sealer = createSealer(key, 'login flow');
    const sealed = sealer.seal(flow);
    const first = sealer.open(sealed) as Record<string, unknown>;
    first.step = 'done';
    assert.equal((sealer.open(sealed) as Record<string, unknown>).step, 'password');
  });

  it('opens nothing tampered with, sealed under another key or for another purpose, kept or not', () => {
    const sealer = createSealer(key, 'login flow');
    const sealed = sealer.seal(flow);
    assert.deepEqual(sealer.open(sealed), flow, 'the genuine text opens (and is kept)');
    for (const at of [0, 13, 30, Buffer.from(sealed, 'base64url').length - 1]) assert.equal(sealer.open(flipped(sealed, at)), undefined, `bit flipped at ${at}`);
    assert.equal(sealer.open(sealed.slice(0, -2)), undefined);
    assert.equal(sealer.open(''), undefined);
    assert.equal(createSealer(randomBytes(32), 'login flow').open(sealed), undefined);
    assert.equal(createSealer(key, 'portal flow').open(sealed), undefined);
    assert.equal(sealer.open(createSealer(key, 'other purpose').seal(flow)), undefined);
  });

  it('keeps only the texts it sealed, at most `remember` of them, and still opens the ones it let go', () => {
    const memory = new Map<string, string>();
    const sealer = createSealer(key, 'login flow', { remember: 2, memory });
    const texts = Array.from({ length: 5 }, (_, i) => sealer.seal({ ...flow, id: `f${i}` }));
    assert.deepEqual([...memory.keys()], texts.slice(3), 'the two latest texts');
    texts.forEach((sealed, i) => assert.equal((sealer.open(sealed) as { id: string }).id, `f${i}`));
    assert.deepEqual([...memory.keys()], texts.slice(3), 'opening keeps nothing more');
    assert.equal(sealer.open(flipped(texts[4]!, 20)), undefined);
  });

  it('opens another spelling of its own text the long way, without keeping it', () => {
    const memory = new Map<string, string>();
    const sealer = createSealer(key, 'login flow', { memory });
    const sealed = sealer.seal(flow);
    // base64url's last character carries spare low bits when the length is not a multiple of three: flipping one
    // gives another text for the same bytes. A character outside the alphabet is skipped by the decoder.
    const spellings = [`${sealed.slice(0, 10)}!${sealed.slice(10)}`];
    if (Buffer.from(sealed, 'base64url').length % 3 !== 0) {
      const last = sealed.at(-1)!;
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      spellings.push(`${sealed.slice(0, -1)}${alphabet[alphabet.indexOf(last) ^ 1]}`);
    }
    for (const spelling of spellings) {
      assert.notEqual(spelling, sealed);
      assert.deepEqual(sealer.open(spelling), flow);
    }
    assert.deepEqual([...memory.keys()], [sealed]);
  });
});
