import type { Redis } from 'ioredis';
import type { DB } from './db.js';

/** Remembers signature nonces for their validity window, shared by every node (database or Redis). */
export interface NonceStore {
  /** Records the nonce; false when it was already used. */
  claim(nonce: string, ttlSeconds: number, now: Date): Promise<boolean>;
  sweep(now: Date): Promise<void>;
}

const MAX_BATCH = 500;

interface PendingClaim {
  nonce: string;
  expiresAt: string;
  settle(fresh: boolean): void;
  fail(error: unknown): void;
}

/**
 * Claims are written in batches: the calls that arrive while one INSERT runs share the next one (group commit), so
 * under load a commit (WAL frames on SQLite, a round trip on PostgreSQL) is paid once for many requests. Every call
 * still waits for its nonce to be stored before it is answered.
 */
export function databaseNonces(db: DB): NonceStore {
  let queue: PendingClaim[] = [];
  let writing = false;

  async function write(batch: PendingClaim[]): Promise<void> {
    const first = new Map<string, PendingClaim>();
    for (const claim of batch) if (!first.has(claim.nonce)) first.set(claim.nonce, claim);
    try {
      const stored = await db
        .insertInto('nonces')
        .values([...first.values()].map((c) => ({ nonce: c.nonce, expires_at: c.expiresAt })))
        .onConflict((oc) => oc.column('nonce').doNothing())
        .returning('nonce')
        .execute();
      const fresh = new Set(stored.map((row) => row.nonce));
      for (const claim of batch) claim.settle(first.get(claim.nonce) === claim && fresh.has(claim.nonce));
    } catch (error) {
      for (const claim of batch) claim.fail(error);
    }
  }

  async function drain(): Promise<void> {
    writing = true;
    while (queue.length > 0) {
      const batch = queue.slice(0, MAX_BATCH);
      queue = queue.slice(batch.length);
      await write(batch);
    }
    writing = false;
  }

  return {
    claim(nonce, ttlSeconds, now) {
      const expiresAt = new Date(now.getTime() + ttlSeconds * 1000).toISOString();
      return new Promise<boolean>((settle, fail) => {
        queue.push({ nonce, expiresAt, settle, fail });
        // The first claim of a quiet moment waits one turn of the event loop, so requests read in the same turn join it.
        if (!writing) {
          writing = true;
          setImmediate(() => void drain());
        }
      });
    },
    async sweep(now) {
      await db.deleteFrom('nonces').where('expires_at', '<', now.toISOString()).execute();
    },
  };
}

export function redisNonces(redis: Redis, prefix: string): NonceStore {
  return {
    async claim(nonce, ttlSeconds) {
      return (await redis.set(`${prefix}nonce:${nonce}`, '1', 'EX', ttlSeconds, 'NX')) === 'OK';
    },
    async sweep() {
      // Redis expires keys by itself.
    },
  };
}
