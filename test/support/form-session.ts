// Logging on over plain HTTP, as a browser would: the cookies the server sets, the CSRF token of the last form page
// seen (it is bound to the session, so it changes at logon), and form POSTs that carry both (redirects are not
// followed, so each answer can be inspected).

export class FormSession {
  private readonly jar = new Map<string, string>();
  private csrf = '';

  /** The node the next request goes to: several nodes are one service, so a session may move between them. */
  constructor(public baseUrl: string) {}

  /** Opens a form page (the RAM user logon page by default) with the cookies held so far, and keeps its cookies and CSRF token. */
  async open(path = '/login.htm'): Promise<void> {
    const page = this.keep(await fetch(`${this.baseUrl}${path}`, { headers: { cookie: this.cookieHeader() } }));
    this.csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
  }

  /** A GET with the session's cookies, keeping what it sets (a step's page can move the flow on). */
  async get(path: string): Promise<Response> {
    const res = this.keep(await fetch(`${this.baseUrl}${path}`, { redirect: 'manual', headers: { cookie: this.cookieHeader() } }));
    await this.readToken(res);
    return res;
  }

  async post(path: string, fields: Record<string, string>): Promise<Response> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: this.cookieHeader() },
      body: new URLSearchParams({ _csrf: this.csrf, ...fields }),
    });
    this.keep(res);
    await this.readToken(res);
    return res;
  }

  /** A JSON POST with the same cookies and CSRF token, as the passkey scripts send. */
  async postJson(path: string, body: Record<string, unknown>): Promise<Response> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: this.cookieHeader() },
      body: JSON.stringify({ _csrf: this.csrf, ...body }),
    });
    return this.keep(res);
  }

  /** The form's CSRF token, for requests built by hand. */
  get csrfToken(): string {
    return this.csrf;
  }

  cookieValue(name: string): string | undefined {
    return this.jar.get(name);
  }

  /** The Cookie header a browser would send now. */
  cookieHeader(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /** A page with a form gives the token its forms carry now (the body stays readable for the caller). */
  private async readToken(res: Response): Promise<void> {
    if (!String(res.headers.get('content-type') ?? '').startsWith('text/html')) return;
    const token = /name="_csrf" value="([^"]+)"/.exec(await res.clone().text())?.[1];
    if (token) this.csrf = token;
  }

  private keep(res: Response): Response {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      this.jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    return res;
  }
}
