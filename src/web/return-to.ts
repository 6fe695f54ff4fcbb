// Where a sign-in may send the browser afterwards. Everything not provably on the allow-list is refused:
// look-alike hosts, userinfo tricks, backslashes, protocol-relative and scheme-less URLs, non-http schemes,
// control characters, and anything that changes meaning when decoded a second time.

export interface RedirectPolicy {
  /** Our own origin, e.g. http://127.0.0.1:8080: relative paths resolve against it. */
  selfOrigin: string;
  /** Registrable domains allowed with all their subdomains, e.g. aliyun.com, alibabacloud.com. */
  allowedDomains: readonly string[];
}

export const DEFAULT_CONSOLE_DOMAINS = ['aliyun.com', 'alibabacloud.com'] as const;

function hostAllowed(host: string, domains: readonly string[]): boolean {
  const h = host.toLowerCase();
  return domains.some((d) => h === d || h.endsWith(`.${d}`));
}

/** Decoding once, twice or three times must never turn the value into something that leaves the origin. */
function decodesSafely(value: string): boolean {
  let current = value;
  for (let i = 0; i < 3; i++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      return false;
    }
    if (/^\/[\/\\]/.test(next) || next.includes('\\') || /[\u0000-\u001f\u007f]/.test(next)) return false;
    if (next === current) return true;
    current = next;
  }
  return false;
}

/** A local path such as `/console?x=1`, or null. */
export function safeLocalPath(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) return null;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return null;
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return null;
  if (!decodesSafely(value)) return null;
  const url = new URL(value, 'http://gatehouse.invalid');
  if (url.origin !== 'http://gatehouse.invalid') return null;
  return url.pathname + url.search + url.hash;
}

/**
 * An absolute URL on our origin or on an allowed domain (https only, or our own origin's scheme), or a local path.
 * Returns the normalized URL to redirect to, or null.
 */
export function safeRedirect(value: unknown, policy: RedirectPolicy): string | null {
  if (typeof value !== 'string') return null;
  const local = safeLocalPath(value);
  if (local) return local;
  if (value.length > 2048 || /[\u0000-\u0020\u007f\\]/.test(value)) return null;
  if (!/^https?:\/\/[^/]/i.test(value)) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.username || url.password) return null;
  if (/%(25)*(2f|5c|40|3a)/i.test(url.host)) return null;
  const self = new URL(policy.selfOrigin);
  if (url.origin === self.origin) return url.toString();
  if (url.protocol !== 'https:') return null;
  if (!hostAllowed(url.hostname, policy.allowedDomains)) return null;
  return url.toString();
}
