import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

// OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane.
const OPTIONS = { algorithm: 2 /* Argon2id */, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

// Hashes run on one worker thread per core, each working through its own queue. Through libuv's pool (four threads)
// they were slower twice over on two cores: four 19 MiB hashes at once evicted each other from the caches, and
// with one per core the next hash waited for the event loop to hand it over.

interface Job {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

interface HashThread {
  worker: Worker;
  jobs: Map<number, Job>;
}

let threads: HashThread[] | undefined;
let nextJobId = 0;

function startThread(): HashThread {
  const thread: HashThread = { worker: new Worker(new URL('./hash-worker.mjs', import.meta.url), { execArgv: [] }), jobs: new Map() };
  thread.worker.on('message', (message: { id: number; result?: unknown; error?: string }) => {
    const job = thread.jobs.get(message.id);
    thread.jobs.delete(message.id);
    if (thread.jobs.size === 0) thread.worker.unref();
    if (message.error !== undefined) job?.reject(new Error(message.error));
    else job?.resolve(message.result);
  });
  // A thread that dies fails its queue and is replaced, so no caller waits forever.
  const fail = (error: Error): void => {
    const index = threads?.indexOf(thread) ?? -1;
    if (index < 0) return;
    threads![index] = startThread();
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
  threads ??= Array.from({ length: availableParallelism() }, startThread);
  let target = threads[0]!;
  for (const thread of threads) if (thread.jobs.size < target.jobs.size) target = thread;
  const id = nextJobId++;
  return new Promise<T>((resolve, reject) => {
    target.jobs.set(id, { resolve: resolve as (value: unknown) => void, reject });
    target.worker.ref();
    target.worker.postMessage({ id, ...message });
  });
}

/** The hashing threads' queue lengths (for tests and diagnostics); empty before the first hash. */
export function hashingQueues(): number[] {
  return (threads ?? []).map((thread) => thread.jobs.size);
}

export function hashPassword(password: string): Promise<string> {
  return run<string>({ op: 'hash', password, options: OPTIONS });
}

export async function verifyPassword(phc: string, password: string): Promise<boolean> {
  try {
    return await run<boolean>({ op: 'verify', phc, password });
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
