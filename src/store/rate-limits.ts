import { sql } from 'kysely';
import type { Redis } from 'ioredis';
import type { DB } from './db.js';
import { preparedQuery } from './prepared.js';

/** Fixed-window counters shared by every node (database, or Redis when REDIS_URL is set). */
export interface RateLimiter {
  /** Counts one event for `key`; false once more than `limit` happened in the current window. */
  consume(key: string, limit: number, windowSeconds: number, now: Date): Promise<boolean>;
  sweep(now: Date): Promise<void>;
}

const windowOf = (now: Date, windowSeconds: number): string =>
  new Date(Math.floor(now.getTime() / (windowSeconds * 1000)) * windowSeconds * 1000).toISOString();

const countEvent = preparedQuery((tx, p: { key: string; windowStart: string }) =>
  tx
    .insertInto('rate_limits')
    .values({ key: p.key, window_start: p.windowStart, count: 1 })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        count: sql`case when rate_limits.window_start = excluded.window_start then rate_limits.count + 1 else 1 end`,
        window_start: sql`excluded.window_start`,
      }),
    )
    .returning('count'),
);

export function databaseRateLimits(db: DB): RateLimiter {
  return {
    async consume(key, limit, windowSeconds, now) {
      const { rows } = await countEvent(db, { key, windowStart: windowOf(now, windowSeconds) });
      return Number(rows[0]?.count ?? 0) <= limit;
    },
    async sweep(now) {
      // Every window in use is at most a day long; older rows only take space.
      await db.deleteFrom('rate_limits').where('window_start', '<', new Date(now.getTime() - 86_400_000).toISOString()).execute();
    },
  };
}

export function redisRateLimits(redis: Redis, prefix: string): RateLimiter {
  return {
    async consume(key, limit, windowSeconds, now) {
      const redisKey = `${prefix}rate:${key}:${windowOf(now, windowSeconds)}`;
      const [[, count]] = (await redis.multi().incr(redisKey).expire(redisKey, windowSeconds * 2).exec()) as [[unknown, number]];
      return count <= limit;
    },
    async sweep() {
      // Keys expire by themselves.
    },
  };
}
