// IpAddress / NotIpAddress. Every address is held as 128 bits in four 32-bit words; IPv4 is stored IPv4-mapped
// (::ffff:a.b.c.d, RFC 4291 §2.5.5.2), so `::ffff:10.0.0.1` from a dual-stack socket falls inside `10.0.0.0/8`.

export interface Cidr {
  readonly w0: number;
  readonly w1: number;
  readonly w2: number;
  readonly w3: number;
  readonly prefix: number;
}

// Scratch space for parsing request addresses without allocating.
const hextets = new Uint16Array(8);
const words = new Uint32Array(4);

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** Dotted quad to an unsigned 32-bit number, or -1. */
function parseIPv4(text: string, start: number, end: number): number {
  let result = 0;
  let parts = 0;
  let value = 0;
  let digits = 0;
  for (let i = start; i <= end; i++) {
    const c = i === end ? 46 : text.charCodeAt(i);
    if (c === 46 /* . */) {
      if (digits === 0 || value > 255 || parts > 3) return -1;
      result = result * 256 + value;
      parts++;
      value = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      // No leading zeros: `010` is octal to some parsers and decimal to others.
      if (digits > 0 && value === 0) return -1;
      value = value * 10 + (c - 48);
      if (++digits > 3) return -1;
    } else return -1;
  }
  return parts === 4 ? result : -1;
}

/** Parses an address (no prefix) into the scratch `words`. */
function parseAddress(text: string, start: number, end: number): boolean {
  if (end - start < 2) return false;
  const colon = text.indexOf(':', start);
  if (colon === -1 || colon >= end) {
    const v4 = parseIPv4(text, start, end);
    if (v4 < 0) return false;
    words[0] = 0;
    words[1] = 0;
    words[2] = 0xffff;
    words[3] = v4;
    return true;
  }
  if (!parseIPv6(text, start, end)) return false;
  words[0] = ((hextets[0]! << 16) | hextets[1]!) >>> 0;
  words[1] = ((hextets[2]! << 16) | hextets[3]!) >>> 0;
  words[2] = ((hextets[4]! << 16) | hextets[5]!) >>> 0;
  words[3] = ((hextets[6]! << 16) | hextets[7]!) >>> 0;
  return true;
}

function parseIPv6(text: string, start: number, end: number): boolean {
  let count = 0;
  let gap = -1;
  let i = start;
  if (text.charCodeAt(i) === 58) {
    if (text.charCodeAt(i + 1) !== 58) return false;
    gap = 0;
    i += 2;
    if (i === end) {
      hextets.fill(0);
      return true;
    }
  }
  while (i < end) {
    // An embedded dotted quad may only end the address.
    let j = i;
    let value = 0;
    let dotted = false;
    while (j < end) {
      const c = text.charCodeAt(j);
      if (c === 58) break;
      if (c === 46) dotted = true;
      j++;
    }
    if (dotted) {
      if (j !== end || count > 6) return false;
      const v4 = parseIPv4(text, i, end);
      if (v4 < 0) return false;
      hextets[count++] = v4 >>> 16;
      hextets[count++] = v4 & 0xffff;
      break;
    }
    if (j === i || j - i > 4 || count >= 8) return false;
    for (let k = i; k < j; k++) {
      const h = hexValue(text.charCodeAt(k));
      if (h < 0) return false;
      value = (value << 4) | h;
    }
    hextets[count++] = value;
    if (j === end) break;
    // j is at ':'
    if (text.charCodeAt(j + 1) === 58) {
      if (gap !== -1) return false;
      gap = count;
      i = j + 2;
      if (i === end) break;
    } else {
      i = j + 1;
      if (i === end) return false;
    }
  }
  if (gap === -1) return count === 8;
  if (count >= 8) return false;
  const tail = count - gap;
  for (let k = 0; k < tail; k++) hextets[7 - k] = hextets[count - 1 - k]!;
  hextets.fill(0, gap, 8 - tail);
  return true;
}

function maskWord(word: number, bits: number): number {
  if (bits >= 32) return word >>> 0;
  if (bits <= 0) return 0;
  return (word & (0xffffffff << (32 - bits))) >>> 0;
}

// One request's source address is usually checked against several statements: parse it once.
let lastText: string | undefined;
let lastOk = false;

/** Parses `a.b.c.d`, `a.b.c.d/n`, an IPv6 address or an IPv6 CIDR from a policy. Undefined when malformed. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  const end = slash === -1 ? text.length : slash;
  lastText = undefined; // the scratch words are about to hold this address instead
  if (!parseAddress(text, 0, end)) return undefined;
  const isV4 = text.indexOf(':') === -1;
  let prefix = 128;
  if (slash !== -1) {
    const bits = text.slice(slash + 1);
    if (!/^(0|[1-9][0-9]{0,2})$/.test(bits)) return undefined;
    const n = Number(bits);
    if (n > (isV4 ? 32 : 128)) return undefined;
    prefix = isV4 ? n + 96 : n;
  }
  return {
    w0: maskWord(words[0]!, prefix),
    w1: maskWord(words[1]!, prefix - 32),
    w2: maskWord(words[2]!, prefix - 64),
    w3: maskWord(words[3]!, prefix - 96),
    prefix,
  };
}

/** Parses a request's source address; false when it is not an address (then no IpAddress condition matches it). */
export function loadAddress(text: string): boolean {
  if (text === lastText) return lastOk;
  lastOk = parseAddress(text, 0, text.length);
  lastText = text;
  return lastOk;
}

/** Whether the address last loaded with `loadAddress` lies in `cidr`. */
export function loadedAddressIn(cidr: Cidr): boolean {
  const p = cidr.prefix;
  return (
    maskWord(words[0]!, p) === cidr.w0 &&
    maskWord(words[1]!, p - 32) === cidr.w1 &&
    maskWord(words[2]!, p - 64) === cidr.w2 &&
    maskWord(words[3]!, p - 96) === cidr.w3
  );
}
