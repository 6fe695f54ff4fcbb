import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { randomBytesPooled } from './random.js';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePrivateDirectory, restrictFiles } from '../data-dir.js';

/** Seals secrets at rest with AES-256-GCM. Sealed form: `v1.<iv>.<tag>.<ciphertext>` (base64url). */
export interface SecretBox {
  seal(plaintext: string): string;
  open(sealed: string): string;
}

/** Keeps `key` → `value` in `memory`, dropping the oldest entry once `limit` are kept (none when the limit is 0). */
function remember(memory: Map<string, string>, limit: number, key: string, value: string): void {
  if (limit <= 0) return;
  if (memory.size >= limit) memory.delete(memory.keys().next().value as string);
  memory.set(key, value);
}

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new Error('secret key must be 32 bytes');
  // AccessKey secrets are opened on every signed call; a sealed value always opens to the same text, so the result
  // is kept (bounded). A deleted key is gone from the database, so the cache never revives it.
  const opened = new Map<string, string>();
  const MAX_OPENED = 10_000;
  return {
    seal(plaintext) {
      const iv = randomBytesPooled(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
    },
    open(sealed) {
      const known = opened.get(sealed);
      if (known !== undefined) return known;
      const [version, iv, tag, data] = sealed.split('.');
      if (version !== 'v1' || !iv || !tag || data === undefined) throw new Error('unknown sealed secret format');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      const plaintext = Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
      remember(opened, MAX_OPENED, sealed, plaintext);
      return plaintext;
    },
  };
}

/** Seals short-lived values handed to the browser (a logon in progress): only this server can read or make them. */
export interface Sealer {
  seal(value: unknown): string;
  /** The sealed value, or undefined when the text was not sealed by this sealer (tampered, another key or purpose). */
  open(sealed: string): unknown;
}

/**
 * AES-256-GCM under a key derived for `purpose` alone, which is also the associated data: a value sealed for one
 * purpose, or a secret sealed at rest, never opens as another. Form: base64url(iv ‖ tag ‖ ciphertext).
 *
 * A logon's flow is sealed at one step and opened at the next, usually on the same node: the texts this sealer made
 * lately are kept (bounded) with their JSON, so opening one of them skips the cipher. Only its own output gets in,
 * never a text a request brought (which may be a slice pinning a large header, or another spelling of the same
 * bytes), and the key is the whole text, so a kept entry is exactly what the cipher would give; any other text,
 * on any node, opens the long way.
 */
export function createSealer(
  masterKey: Buffer,
  purpose: string,
  options: { remember?: number; memory?: Map<string, string> } = {},
): Sealer {
  const key = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), `gatehouse sealer: ${purpose}`, 32));
  const aad = Buffer.from(purpose);
  const limit = options.remember ?? 10_000;
  const known = options.memory ?? new Map<string, string>();
  return {
    seal(value) {
      const json = JSON.stringify(value);
      const iv = randomBytesPooled(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(aad);
      const data = Buffer.concat([cipher.update(json, 'utf8'), cipher.final()]);
      const sealed = Buffer.concat([iv, cipher.getAuthTag(), data]).toString('base64url');
      remember(known, limit, sealed, json);
      return sealed;
    },
    open(sealed) {
      const kept = known.get(sealed);
      if (kept !== undefined) return JSON.parse(kept);
      const raw = Buffer.from(sealed, 'base64url');
      if (raw.length < 29) return undefined;
      let json: string;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12)).setAAD(aad);
        decipher.setAuthTag(raw.subarray(12, 28));
        json = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      } catch {
        return undefined;
      }
      return JSON.parse(json);
    },
  };
}

/** A MAC over short texts, base64url. */
export type Mac = (text: string) => string;

/**
 * HMAC-SHA256 under a key derived for `purpose` alone (as the sealer's is): every node that shares the secret key
 * computes the same value, and no other use of the key (a seal, another purpose) ever gives it.
 */
export function createMac(masterKey: Buffer, purpose: string): Mac {
  const key = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), `gatehouse mac: ${purpose}`, 32));
  return (text) => createHmac('sha256', key).update(text).digest('base64url');
}

/**
 * The key comes from GATEHOUSE_SECRET_KEY (base64, 32 bytes) or from `<dataDir>/secret.key`, created on first start.
 * Several nodes on one PostgreSQL must share the key, so they set GATEHOUSE_SECRET_KEY.
 */
export function loadSecretKey(dataDir: string, fromEnv?: string): Buffer {
  if (fromEnv) {
    const key = Buffer.from(fromEnv, 'base64');
    if (key.length !== 32) throw new Error('GATEHOUSE_SECRET_KEY must be 32 bytes, base64-encoded');
    return key;
  }
  ensurePrivateDirectory(dataDir);
  const path = join(dataDir, 'secret.key');
  if (!existsSync(path)) writeFileSync(path, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
  restrictFiles([path]);
  return Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
}

export function sha256Hex(value: string | Buffer): string {
  return createHash('sha256').update(value).digest('hex');
}

/** Constant-time string equality; unequal lengths compare a hash so timing does not leak the length. */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  if (left.length !== right.length) {
    timingSafeEqual(createHash('sha256').update(left).digest(), createHash('sha256').update(right).digest());
    return false;
  }
  return timingSafeEqual(left, right);
}
