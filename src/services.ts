import type { Redis } from 'ioredis';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { SecretBox, Sealer } from './crypto/secrets.js';
import type { Store } from './store/db.js';
import type { NonceStore } from './store/nonces.js';
import type { RateLimiter } from './store/rate-limits.js';

/** What domain code may use besides the transaction: no HTTP here. */
export interface Services {
  config: Config;
  clock: Clock;
  store: Store;
  secrets: SecretBox;
  /** Seals the logons in progress that travel in the browser's cookie. */
  flowSealer: Sealer;
  nonces: NonceStore;
  rateLimits: RateLimiter;
  redis?: Redis;
}
