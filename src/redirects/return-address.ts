// Where the browser may be sent after a sign-in: one rule for every return address — a RAM user logon's returnTo, a
// direct access link's landingPage, the Log On callback URL, an access configuration's RelayState, the RelayState
// handed to an IdP. Normalize first (as a browser will), check the normalized address against the allow-list, then
// use only that address: checking the raw text and redirecting to its normalized form let `/..//evil.example`
// through as `//evil.example` (issue 12, finding 4).

export interface ReturnAddressRule {
  /** Our own origin, e.g. http://127.0.0.1:8080: absolute addresses on it are kept, http included. */
  selfOrigin: string;
  /** Registrable domains allowed with all their subdomains, https only, e.g. aliyun.com. */
  allowedDomains: readonly string[];
}

/** A return address that passed the rule, in the normalized form the redirect must use. */
export type ReturnAddress = string & { readonly __returnAddress: true };

export const CONSOLE_DOMAINS = ['aliyun.com', 'alibabacloud.com'] as const;

const MAX_LENGTH = 2048;
/** An address must mean the same after this many more rounds of percent-decoding (by a proxy, an IdP, a second hop). */
const DECODING_ROUNDS = 3;
const LOCAL_BASE = new URL('http://gatehouse.invalid');
/** As sent: printable ASCII without the backslash. URL parsers drop tabs and newlines, trim spaces, fold Unicode. */
const SENT = /^[\u0021-\u005b\u005d-\u007e]+$/;
/** Decoded again: nothing a parser would drop, fold into a slash, or put into a header. */
const DECODED_UNSAFE = /[\u0000-\u001f\u007f-\u009f\\]/;
/** The scheme, the authority (up to the first / ? #) and the rest of an absolute address. */
const ABSOLUTE = /^(https?):\/\/([^/?#]*)(.*)$/i;
/** An authority already in its canonical spelling: a host name or bracketed IPv6, an optional port, no userinfo. */
const CANONICAL_AUTHORITY = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:[0-9]{1,5})?$/;
const DEFAULT_PORTS: Record<string, string> = { http: ':80', https: ':443' };

type Reading = { address: string; origin: string };

function isAllowedHost(host: string, domains: readonly string[]): boolean {
  return domains.some((d) => host === d || host.endsWith(`.${d}`));
}

/** A path on our origin, normalized: dot segments resolved, and never one a browser would read as another host. */
function readLocal(text: string): Reading | null {
  if (!text.startsWith('/') || text.startsWith('//')) return null;
  let url: URL;
  try {
    url = new URL(text, LOCAL_BASE);
  } catch {
    return null;
  }
  if (url.origin !== LOCAL_BASE.origin || url.pathname.startsWith('//')) return null;
  return { address: url.pathname + url.search + url.hash, origin: 'local' };
}

/** An absolute http(s) URL on our origin, or https on an allowed domain; its authority must already be canonical. */
function readAbsolute(text: string, rule: ReturnAddressRule): Reading | null {
  const parts = ABSOLUTE.exec(text);
  if (!parts) return null;
  const scheme = parts[1]!.toLowerCase();
  let authority = parts[2]!.toLowerCase();
  if (authority.endsWith(DEFAULT_PORTS[scheme]!)) authority = authority.slice(0, -DEFAULT_PORTS[scheme]!.length);
  if (!CANONICAL_AUTHORITY.test(authority)) return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  // The parser's host must be the one written: no IPv4 in hex, octal or short form, no folded Unicode, no userinfo.
  if (url.host !== authority || url.username || url.password) return null;
  const self = new URL(rule.selfOrigin).origin;
  if (url.origin !== self && !(url.protocol === 'https:' && isAllowedHost(url.hostname, rule.allowedDomains))) return null;
  return { address: url.href, origin: url.origin };
}

function readOnce(text: string, rule: ReturnAddressRule | null): Reading | null {
  return readLocal(text) ?? (rule ? readAbsolute(text, rule) : null);
}

function read(value: unknown, rule: ReturnAddressRule | null): ReturnAddress | null {
  if (typeof value !== 'string' || value.length > MAX_LENGTH || !SENT.test(value)) return null;
  const first = readOnce(value, rule);
  if (!first) return null;
  let current = value;
  for (let round = 0; round < DECODING_ROUNDS; round++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      return null;
    }
    if (next === current) return first.address as ReturnAddress;
    if (DECODED_UNSAFE.test(next) || readOnce(next, rule)?.origin !== first.origin) return null;
    current = next;
  }
  return null;
}

/**
 * A local path (`/console?x=1`), an absolute URL on our origin, or an https URL on an allowed domain or its
 * subdomains: the normalized address to send the browser to, or null for anything else.
 */
export function returnAddress(value: unknown, rule: ReturnAddressRule): ReturnAddress | null {
  return read(value, rule);
}

/** A path on our own origin, normalized, or null. */
export function localReturnPath(value: unknown): ReturnAddress | null {
  return read(value, null);
}

/** Whether an address that passed the rule is a path on our origin rather than an absolute URL. */
export function isLocalPath(address: ReturnAddress): boolean {
  return address.startsWith('/');
}
