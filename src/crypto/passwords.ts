import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

// OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane.
const OPTIONS = { algorithm: 2 /* Argon2id */, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

// Hashes run on one worker thread per core, each working through its own queue. Through libuv's pool (four threads)
// they were slower twice over on two cores: four 19 MiB hashes at once evicted each other from the caches, and
// with one per core the next hash waited for the event loop to hand it over.

/** argon2 refused its input (a stored hash that is not a PHC string, say): for a check, a wrong password. */
class HashInputError extends Error {}

interface Job {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

interface HashThread {
  worker: Worker;
  jobs: Map<number, Job>;
}

const threads: Array<HashThread | undefined> = Array.from({ length: availableParallelism() }, () => undefined);
let nextJobId = 0;

function startThread(slot: number): HashThread {
  const thread: HashThread = { worker: new Worker(new URL('./hash-worker.mjs', import.meta.url), { execArgv: [] }), jobs: new Map() };
  thread.worker.on('message', (message: { id: number; result?: unknown; error?: string }) => {
    const job = thread.jobs.get(message.id);
    thread.jobs.delete(message.id);
    if (thread.jobs.size === 0) thread.worker.unref();
    if (message.error !== undefined) job?.reject(new HashInputError(message.error));
    else job?.resolve(message.result);
  });
  // A thread that dies fails its queue (an error, not a wrong password) and leaves its slot empty; the next hash
  // starts a new one, so a thread that cannot start fails the calls that need it instead of restarting in a loop.
  const fail = (error: Error): void => {
    if (threads[slot] !== thread) return;
    threads[slot] = undefined;
    for (const job of thread.jobs.values()) job.reject(error);
    thread.jobs.clear();
  };
  thread.worker.on('error', fail);
  thread.worker.on('exit', (code) => fail(new Error(`the hashing thread exited with code ${code}`)));
  // Idle threads do not keep the process alive (after the listeners: attaching one refs the worker again).
  thread.worker.unref();
  return thread;
}

function run<T>(message: { op: 'hash'; password: string; options: typeof OPTIONS } | { op: 'verify'; phc: string; password: string }): Promise<T> {
  let target: HashThread | undefined;
  for (let slot = 0; slot < threads.length; slot++) {
    const thread = (threads[slot] ??= startThread(slot));
    if (!target || thread.jobs.size < target.jobs.size) target = thread;
  }
  const chosen = target!;
  const id = nextJobId++;
  return new Promise<T>((resolve, reject) => {
    chosen.jobs.set(id, { resolve: resolve as (value: unknown) => void, reject });
    chosen.worker.ref();
    chosen.worker.postMessage({ id, ...message });
  });
}

/** The hashing threads and their queue lengths (for tests and diagnostics); empty slots are left out. */
export function hashingThreads(): Array<{ threadId: number; queued: number }> {
  return threads.flatMap((thread) => (thread ? [{ threadId: thread.worker.threadId, queued: thread.jobs.size }] : []));
}

export function hashPassword(password: string): Promise<string> {
  return run<string>({ op: 'hash', password, options: OPTIONS });
}

let verificationsStarted = 0;
/**
 * How many password verifications this process has started. The answer to a logon must not tell whether the user
 * exists, so every one pays for exactly one verification; tests read this to check it without timing anything.
 */
export function passwordVerificationsStarted(): number {
  return verificationsStarted;
}

/** False for a wrong password or an unusable stored hash; a failure of the hashing itself is thrown. */
export async function verifyPassword(phc: string, password: string): Promise<boolean> {
  verificationsStarted++;
  try {
    return await run<boolean>({ op: 'verify', phc, password });
  } catch (error) {
    if (error instanceof HashInputError) return false;
    throw error;
  }
}

let dummyHash: Promise<string> | undefined;
/** Spends the same time as a real check, so an unknown user cannot be told from a wrong password. */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword('gatehouse-dummy-password').catch((error: unknown) => {
    dummyHash = undefined;
    throw error;
  });
  await verifyPassword(await dummyHash, password);
  return false;
}
