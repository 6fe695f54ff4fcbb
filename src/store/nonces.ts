import type { Redis } from 'ioredis';
import type { DB } from './db.js';
import { preparedQuery } from './prepared.js';

/** Remembers signature nonces for their validity window, shared by every node (database or Redis). */
export interface NonceStore {
  /** Records the nonce; false when it was already used. */
  claim(nonce: string, ttlSeconds: number, now: Date): Promise<boolean>;
  sweep(now: Date): Promise<void>;
}

const insertNonce = preparedQuery((tx, p: { nonce: string; expiresAt: string }) =>
  tx.insertInto('nonces').values({ nonce: p.nonce, expires_at: p.expiresAt }).onConflict((oc) => oc.column('nonce').doNothing()),
);

export function databaseNonces(db: DB): NonceStore {
  return {
    async claim(nonce, ttlSeconds, now) {
      const result = await insertNonce(db, { nonce, expiresAt: new Date(now.getTime() + ttlSeconds * 1000).toISOString() });
      return Number(result.numAffectedRows ?? 0n) === 1;
    },
    async sweep(now) {
      await db.deleteFrom('nonces').where('expires_at', '<', now.toISOString()).execute();
    },
  };
}

export function redisNonces(redis: Redis): NonceStore {
  return {
    async claim(nonce, ttlSeconds) {
      return (await redis.set(`gatehouse:nonce:${nonce}`, '1', 'EX', ttlSeconds, 'NX')) === 'OK';
    },
    async sweep() {
      // Redis expires keys by itself.
    },
  };
}
