import { availableParallelism } from 'node:os';
import { hash, verify } from '@node-rs/argon2';

// OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane. Runs on libuv's pool, off the event loop.
const OPTIONS = { algorithm: 2 /* Argon2id */, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

// At most one hash per core at a time. Each hash walks 19 MiB, so more of them than cores evict each other from the
// caches: on two cores, libuv's four threads hashing at once did ~190 hashes/s where two did ~235/s. The rest wait
// in line here and libuv's other threads stay free for the file system and crypto.
const HASHING_SLOTS = availableParallelism();
let hashing = 0;
const waiting: Array<() => void> = [];

/** Hashes running and waiting now (for tests and diagnostics). */
export function hashingLoad(): { running: number; waiting: number; slots: number } {
  return { running: hashing, waiting: waiting.length, slots: HASHING_SLOTS };
}

async function inSlot<T>(work: () => Promise<T>): Promise<T> {
  if (hashing >= HASHING_SLOTS) await new Promise<void>((resolve) => waiting.push(resolve));
  else hashing++;
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else hashing--;
  }
}

export function hashPassword(password: string): Promise<string> {
  return inSlot(() => hash(password, OPTIONS));
}

export async function verifyPassword(phc: string, password: string): Promise<boolean> {
  try {
    return await inSlot(() => verify(phc, password));
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;
/** Spends the same time as a real check, so an unknown user cannot be told from a wrong password. */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword('gatehouse-dummy-password');
  await verifyPassword(await dummyHash, password);
  return false;
}
