import { randomFillSync } from 'node:crypto';

// Every call to randomBytes() runs a native job, which under load costs more than the bytes it draws. Like Node's own
// randomUUID(), draw a few kilobytes from the CSPRNG at once and hand them out, each byte once (copied, so a later
// refill never changes a value already handed out).

const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let offset = 0;

/** `size` bytes from the CSPRNG (the same as crypto.randomBytes), for tokens, ids and IVs. */
export function randomBytesPooled(size: number): Buffer {
  if (size > 256) return randomFillSync(Buffer.allocUnsafe(size));
  if (offset + size > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafeSlow(POOL_BYTES));
    offset = 0;
  }
  const bytes = Buffer.allocUnsafe(size);
  pool.copy(bytes, 0, offset, offset + size);
  pool.fill(0, offset, offset + size);
  offset += size;
  return bytes;
}
