// A hashing thread of src/crypto/passwords.ts: argon2id hashes and checks, one at a time, in the order they come.
// Plain JavaScript, so the thread starts without a TypeScript loader.
import { parentPort } from 'node:worker_threads';
import { hashSync, verifySync } from '@node-rs/argon2';

parentPort.on('message', ({ id, op, password, phc, options }) => {
  try {
    parentPort.postMessage({ id, result: op === 'hash' ? hashSync(password, options) : verifySync(phc, password) });
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
