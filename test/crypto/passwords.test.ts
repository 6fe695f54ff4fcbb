import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hashingLoad, hashPassword, verifyPassword } from '../../src/crypto/passwords.js';

describe('password hashing', () => {
  it('hashes with argon2id at OWASP parameters (19 MiB, 2 passes, 1 lane), salted', async () => {
    const [a, b] = await Promise.all([hashPassword('Correct-Horse-1'), hashPassword('Correct-Horse-1')]);
    assert.match(a, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    assert.notEqual(a, b);
  });

  it('runs at most one hash per core and answers every queued check correctly', async () => {
    const phc = await hashPassword('Correct-Horse-1');
    const { slots } = hashingLoad();
    const guesses = Array.from({ length: slots * 3 + 1 }, (_, i) => (i % 2 === 0 ? 'Correct-Horse-1' : `wrong-${i}`));
    let mostRunning = 0;
    const sampler = setInterval(() => (mostRunning = Math.max(mostRunning, hashingLoad().running)), 1);
    const queued = guesses.map((guess) => verifyPassword(phc, guess));
    assert.equal(hashingLoad().running, slots);
    assert.equal(hashingLoad().waiting, guesses.length - slots);
    const results = await Promise.all(queued);
    clearInterval(sampler);
    assert.deepEqual(results, guesses.map((guess) => guess === 'Correct-Horse-1'));
    assert.ok(mostRunning <= slots, `${mostRunning} hashes ran at once on ${slots} slots`);
    assert.deepEqual(hashingLoad(), { running: 0, waiting: 0, slots });
  });

  it('treats a malformed stored hash as a wrong password, and frees its slot', async () => {
    assert.equal(await verifyPassword('not-a-phc-string', 'anything'), false);
    assert.equal(hashingLoad().running, 0);
  });
});
