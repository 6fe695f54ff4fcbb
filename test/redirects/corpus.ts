// Open-redirect tricks, as an attacker puts them in a return address (returnTo, landingPage, callback URL,
// RelayState), after the query string's own decoding. `{self}` stands for the server's origin. Every one of them must
// be refused, or end on our own origin or an https page of the allowed domains — seen the way a browser resolves a
// Location header, and still there after one or two more rounds of percent-decoding by whatever reads it next.

export const ALLOWED_DOMAINS = ['aliyun.com', 'alibabacloud.com'] as const;

export const OFF_SITE_TRICKS: readonly string[] = [
  // Dot segments that collapse into a protocol-relative path (issue 12, finding 4).
  '/..//evil.example/x',
  '/../..//evil.example',
  '/./..//evil.example',
  '/.//evil.example',
  '/console/../..//evil.example',
  '/%2e%2e//evil.example',
  '/%2E%2E//evil.example',
  '/.%2e//evil.example',
  '/..%2f%2fevil.example',
  '/%2e%2e%2f%2fevil.example',
  '/..%5c%5cevil.example',
  '/..\\evil.example',
  // Protocol-relative and backslash forms.
  '//evil.example/',
  '///evil.example',
  '////evil.example',
  '/\\evil.example',
  '\\\\evil.example',
  '\\/evil.example',
  // Encoded and double-encoded slashes and backslashes.
  '/%2F%2Fevil.example',
  '/%2f/evil.example',
  '/%252F%252Fevil.example',
  '/%25252F%25252Fevil.example',
  '/%5Cevil.example',
  '/%5C%5Cevil.example',
  '/%255C%255Cevil.example',
  '%2F%2Fevil.example',
  'https%3A%2F%2Fevil.example',
  // Tabs, newlines and control characters, which URL parsers drop or trim.
  '/\t/evil.example',
  '/\n/evil.example',
  '/%09/evil.example',
  '/%0a/evil.example',
  '\t//evil.example',
  ' //evil.example',
  '/console\r\nLocation: https://evil.example',
  '/console%0d%0aLocation:%20https://evil.example',
  '\u0001//evil.example',
  // Other origins, look-alike hosts and userinfo.
  'https://evil.example/',
  'http://evil.example/',
  'HTTPS://EVIL.EXAMPLE/',
  'https://aliyun.com.evil.example/',
  'https://evilaliyun.com/',
  'https://aliyun.com@evil.example/',
  'https://user:pw@ram.console.aliyun.com/',
  'https://ram.console.aliyun.com:443@evil.example/',
  'https://ram.console.aliyun.com%40evil.example/',
  'https://ram.console.aliyun.com%2F@evil.example/',
  'https://evil.example%2F.aliyun.com/',
  'https://evil.example%252F@aliyun.com/',
  'https://ram.console.aliyun.com\\@evil.example',
  'https://evil.example\\.aliyun.com/',
  'https://evil.example#.aliyun.com',
  'https://evil.example?.aliyun.com',
  'http://ram.console.aliyun.com/',
  '{self}@evil.example/',
  '{self}.evil.example/',
  '{self}\\@evil.example',
  // Scheme tricks.
  'https:\\\\evil.example',
  'https:/\\evil.example',
  'https:evil.example',
  'https:/evil.example',
  'https:///evil.example',
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  'java\tscript:alert(1)',
  ' javascript:alert(1)',
  'javascript://aliyun.com/%0aalert(1)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
  'ftp://aliyun.com/',
  'file:///etc/passwd',
  // Unicode that URL parsers fold into ASCII.
  'https://\uff45vil.example/',
  'https://evil\u3002example/',
  'https://ram.console.aliyun.com\u3002evil.example/',
  'https://\u0430liyun.com/',
  'https://aliyun.com\uff0f.evil.example/',
  'https://evil.example\u200b.aliyun.com/',
  '/\uff0f\uff0fevil.example',
  '\uff0f\uff0fevil.example',
  // IPv4 spellings of other hosts, and numbers on the allowed domains.
  'http://2130706433/',
  'http://0x7f.1/',
  'http://0177.0.0.1/',
  'https://127.1/',
  'https://aliyun.com.0x7f.1/',
  'https://alibabacloud.com.2130706433/',
];

/** Values every entry point that takes them must keep, with the address it must then use. */
export const KEPT: ReadonlyArray<{ value: string; address: string }> = [
  { value: '{self}/console?landed=1', address: '{self}/console?landed=1' },
  { value: 'https://ram.console.aliyun.com/users', address: 'https://ram.console.aliyun.com/users' },
  { value: 'https://RAM.Console.Alibabacloud.com/#/home', address: 'https://ram.console.alibabacloud.com/#/home' },
];

/** Local paths a sign-in may return to (not a landing page: those are absolute). */
export const KEPT_PATHS: ReadonlyArray<{ value: string; address: string }> = [
  { value: '/console', address: '/console' },
  { value: '/ram/users/../users?tab=1#top', address: '/ram/users?tab=1#top' },
];

export const withSelf = (value: string, self: string): string => value.replaceAll('{self}', self);

const isAllowedHost = (host: string): boolean => ALLOWED_DOMAINS.some((d) => host === d || host.endsWith(`.${d}`));

/**
 * Whether a browser told to go to `address` (from a Location header or a rendered link on `self`) stays on our origin
 * or on an https page of the allowed domains — also after up to two more rounds of percent-decoding.
 */
export function staysOnSite(address: string, self: string): boolean {
  let current = address;
  for (let round = 0; round < 3; round++) {
    // As sent, an address is printable ASCII; decoded again, it must still hold nothing a URL parser drops or folds.
    if ((round === 0 ? /[^\u0021-\u007e]|\\/ : /[\u0000-\u001f\u007f-\u009f\\]/).test(current)) return false;
    let url: URL;
    try {
      url = new URL(current, self);
    } catch {
      return false;
    }
    const onOrigin = url.origin === new URL(self).origin;
    if (!onOrigin && !(url.protocol === 'https:' && isAllowedHost(url.hostname))) return false;
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      return true;
    }
    if (next === current) return true;
    current = next;
  }
  return true;
}
