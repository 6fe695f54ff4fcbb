import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { verify } from '@node-rs/argon2';
import { hashingThreads, hashPassword, verifyPassword } from '../../src/crypto/passwords.js';

describe('password hashing', () => {
  it('hashes with argon2id at OWASP parameters (19 MiB, 2 passes, 1 lane), salted, verifiable by the library itself', async () => {
    const [a, b] = await Promise.all([hashPassword('Correct-Horse-1'), hashPassword('Correct-Horse-1')]);
    assert.match(a, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    assert.notEqual(a, b);
    assert.equal(await verify(a, 'Correct-Horse-1'), true);
  });

  it('spreads checks over one thread per core and answers every one correctly', async () => {
    const phc = await hashPassword('Correct-Horse-1');
    const cores = availableParallelism();
    const guesses = Array.from({ length: cores * 3 + 1 }, (_, i) => (i % 2 === 0 ? 'Correct-Horse-1' : `wrong-${i}`));
    const checks = guesses.map((guess) => verifyPassword(phc, guess));
    const queues = hashingThreads().map((thread) => thread.queued);
    assert.equal(queues.length, cores);
    assert.equal(queues.reduce((a, b) => a + b, 0), guesses.length);
    assert.ok(Math.max(...queues) - Math.min(...queues) <= 1, `uneven queues ${queues.join(',')}`);
    assert.deepEqual(await Promise.all(checks), guesses.map((guess) => guess === 'Correct-Horse-1'));
    assert.deepEqual(hashingThreads().map((thread) => thread.queued), Array(cores).fill(0));
  });

  it('treats a malformed stored hash as a wrong password, on the same threads', async () => {
    const phc = await hashPassword('Correct-Horse-1');
    const before = hashingThreads().map((thread) => thread.threadId);
    assert.equal(before.length, availableParallelism());
    const malformed = Array.from({ length: before.length }, () => verifyPassword('not-a-phc-string', 'anything'));
    assert.deepEqual(await Promise.all(malformed), Array(before.length).fill(false));
    assert.equal(await verifyPassword(phc, 'Correct-Horse-1'), true);
    assert.deepEqual(hashingThreads().map((thread) => thread.threadId), before);
  });
});
