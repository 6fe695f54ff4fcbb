// Issue 12, finding 4: every return address a browser is sent to after a sign-in — a RAM user logon's returnTo, the
// root sign-in, a direct access link's landingPage (signed in or not, and on Insufficient Access), the Log On
// callback URL, an access configuration's RelayState (at the API and when a Log On lands on it) and the RelayState
// handed to a directory's IdP — goes through one rule. Each trick of the corpus is sent over HTTP to each of them; the
// Location header or the rendered link must stay on our origin or an https page of the allowed domains, and a refused
// value must give a plain error or the safe default, never an off-site redirect.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/server.js';
import { FormSession } from '../support/form-session.js';
import { Ram, ramClient } from '../support/sdk.js';
import { createMember, sso, waitTask } from '../cloudsso/access-support.js';
import { selfSignedCertificate } from '../cloudsso/saml-support.js';
import { KEPT, KEPT_PATHS, OFF_SITE_TRICKS, staysOnSite, withSelf } from '../redirects/corpus.js';

const PASSWORD = 'Return-Passw0rd!';

const unescape = (s: string): string =>
  s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

describe('one redirect rule for every return address, over HTTP', () => {
  let server: TestServer;
  let self: string;
  let domain: string;
  let dirName: string;
  let dirId: string;
  let member: string;
  let acId: string;
  let tricks: string[];

  before(async () => {
    // The corpus logs on a few hundred times from one address: the per-address logon cap is not what is tested here.
    server = await startServer({ env: { GATEHOUSE_LOGON_RATE_LIMIT: '0' } });
    self = server.url;
    tricks = OFF_SITE_TRICKS.map((t) => withSelf(t, self));
    domain = `${server.gatehouse.bootstrap.account.alias}.onaliyun.com`;
    const ram = ramClient(server.url, server.root);
    await ram.createUser(new Ram.CreateUserRequest({ userName: 'plain' }));
    await ram.createLoginProfile(new Ram.CreateLoginProfileRequest({ userName: 'plain', password: PASSWORD, MFABindRequired: false }));

    dirName = `ret-${Math.random().toString(36).slice(2, 8)}`;
    dirId = (await sso(server, 'CreateDirectory', { DirectoryName: dirName })).Directory.DirectoryId;
    await sso(server, 'UpdateMFAAuthenticationSettings', { DirectoryId: dirId, MFAAuthenticationSettings: 'Disabled' });
    member = await createMember(server, 'Production');
    acId = (await sso(server, 'CreateAccessConfiguration', { DirectoryId: dirId, AccessConfigurationName: 'ram-reader', SessionDuration: 900 }))
      .AccessConfiguration.AccessConfigurationId;
    await sso(server, 'AddPermissionPolicyToAccessConfiguration', {
      DirectoryId: dirId,
      AccessConfigurationId: acId,
      PermissionPolicyType: 'System',
      PermissionPolicyName: 'AliyunRAMReadOnlyAccess',
    });
    const alice = (await sso(server, 'CreateUser', { DirectoryId: dirId, UserName: 'alice' })).User.UserId;
    await sso(server, 'ResetUserPassword', { DirectoryId: dirId, UserId: alice, Password: PASSWORD });
    const { Task } = await sso(server, 'CreateAccessAssignment', {
      DirectoryId: dirId,
      AccessConfigurationId: acId,
      TargetType: 'RD-Account',
      TargetId: member,
      PrincipalType: 'User',
      PrincipalId: alice,
    });
    assert.equal((await waitTask(server, dirId, Task.TaskId)).Status, 'Success');

  });
  after(async () => server?.close());

  const show = (value: string): string => JSON.stringify(value);

  /** A RAM user logon begun at `path`, to its end: the Location the browser is finally sent to. */
  async function ramLogon(path: string): Promise<string | null> {
    const session = new FormSession(server.url);
    await session.open(path);
    await session.post('/login/identify', { username: `plain@${domain}` });
    let res = await session.post('/login/password', { password: PASSWORD });
    if (res.headers.get('location') === '/login/mfa-bind') res = await session.post('/login/mfa-bind/skip', {});
    assert.equal(res.status, 303, `${path}: ${res.status}`);
    return res.headers.get('location');
  }

  /** A portal session of alice, with a CSRF token taken from a page she sees signed in. */
  async function portalUser(): Promise<{ session: FormSession; csrf: string }> {
    const session = new FormSession(server.url);
    await session.open(`/sso/${dirName}/login`);
    const signedIn = await session.post(`/sso/${dirName}/login`, { username: 'alice', password: PASSWORD });
    assert.equal(signedIn.status, 303);
    const dialog = await session.get(`/sso/${dirName}/logon?accountId=${member}&accessConfigurationId=${acId}`);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await dialog.text())![1]!;
    return { session, csrf };
  }

  const logon = (user: { session: FormSession; csrf: string }, fields: Record<string, string>): Promise<Response> =>
    fetch(`${server.url}/sso/${dirName}/logon`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: user.session.cookieHeader() },
      body: new URLSearchParams({ _csrf: user.csrf, accountId: member, accessConfigurationId: acId, ...fields }),
    });

  const directLink = (landingPage: string, accessConfigurationName = 'ram-reader'): string =>
    `/sso/${dirName}/login?${new URLSearchParams({ quickLogin: 'true', accountId: member, accessConfigurationName, landingPage })}`;

  it('has a corpus of at least 50 tricks', () => {
    assert.ok(tricks.length >= 50, String(tricks.length));
  });

  it('lands a RAM user logon on its returnTo only when allowed, on /console otherwise', async () => {
    for (const trick of tricks) {
      for (const path of [`/login.htm?${new URLSearchParams({ returnTo: trick })}`, `/${domain}/login.htm?${new URLSearchParams({ redirect: trick })}`]) {
        const location = await ramLogon(path);
        assert.ok(location !== null && staysOnSite(location, self), `${path} → ${location}`);
      }
    }
    assert.equal(await ramLogon(`/login.htm?${new URLSearchParams({ returnTo: '/..//evil.example/x' })}`), '/console');
    for (const { value, address } of [...KEPT, ...KEPT_PATHS]) {
      assert.equal(await ramLogon(`/login.htm?${new URLSearchParams({ returnTo: withSelf(value, self) })}`), withSelf(address, self), value);
    }
  });

  it('sends a root sign-in to the console whatever return address comes with it', async () => {
    for (const trick of tricks) {
      const session = new FormSession(server.url);
      const query = new URLSearchParams({ returnTo: trick });
      await session.open(`/root/login?${query}`);
      const res = await session.post(`/root/login?${query}`, { identifier: server.accountId, password: server.rootPassword });
      assert.equal(res.status, 303, show(trick));
      assert.equal(res.headers.get('location'), '/console', show(trick));
    }
  });

  it('refuses a direct access link whose landingPage is not allowed, signed in or not, without redirecting', async () => {
    const alice = await portalUser();
    for (const trick of tricks) {
      const signedIn = await alice.session.get(directLink(trick));
      if (signedIn.status === 400) {
        assert.equal(signedIn.headers.get('location'), null, show(trick));
        assert.match(await signedIn.text(), /not on an allowed domain/, show(trick));
      } else {
        assert.equal(signedIn.status, 303, show(trick));
        assert.ok(staysOnSite(signedIn.headers.get('location')!, self), `${show(trick)} → ${signedIn.headers.get('location')}`);
      }
      const signedOut = await fetch(`${server.url}${directLink(trick)}`, { redirect: 'manual' });
      assert.ok(signedOut.status === 400 || signedOut.status === 200, `${show(trick)}: ${signedOut.status}`);
      assert.equal(signedOut.headers.get('location'), null, show(trick));
    }
    for (const { value, address } of KEPT) {
      const res = await alice.session.get(directLink(withSelf(value, self)));
      assert.equal(res.headers.get('location'), withSelf(address, self), value);
    }
  });

  it('answers the RAM-user direct link of a signed-in user without provisioning plainly: no RAM session, a way back', async () => {
    const alice = await portalUser();
    const userLink = (extra: Record<string, string> = {}): string =>
      `/sso/${dirName}/login?${new URLSearchParams({ quickLogin: 'true', provisionUser: 'true', accountId: member, ...extra })}`;
    for (const path of [userLink(), userLink({ landingPage: 'https://ecs.console.aliyun.com/' })]) {
      const res = await alice.session.get(path);
      assert.equal(res.status, 403, path);
      assert.equal(res.headers.get('location'), null, path);
      assert.equal(res.headers.getSetCookie().some((c) => c.startsWith('gh_session=')), false, path);
      const body = await res.text();
      assert.equal(/role="alert">([^<]*)</.exec(body)?.[1], 'You have no RAM user on this account: no RAM user provisioning includes you there. Contact your administrator.');
      const back = /<a href="([^"]+)">Back<\/a>/.exec(body)?.[1];
      assert.equal(back, `/sso/${dirName}/portal`);
      assert.equal((await alice.session.get(back!)).status, 200, 'the way back leads to the portal, still signed in');
    }
    assert.equal(alice.session.cookieValue('gh_session'), undefined);
    const consolePage = await alice.session.get('/console');
    assert.equal(consolePage.status, 303);
    assert.equal(consolePage.headers.get('location'), '/login.htm');
  });

  it('refuses or replaces an off-site landingPage or returnTo while a session exists, never redirecting off site', async () => {
    const alice = await portalUser();
    // A RAM user signed in to the console who opens a logon link with an off-site return address.
    const plain = new FormSession(server.url);
    await plain.open('/login.htm');
    await plain.post('/login/identify', { username: `plain@${domain}` });
    await plain.post('/login/password', { password: PASSWORD });
    assert.equal((await plain.post('/login/mfa-bind/skip', {})).headers.get('location'), '/console');
    const dotted = ['/..//evil.example/x', '/./..//evil.example/x', '/%2e%2e//evil.example/x', 'https://evil.example/', '//evil.example/'];
    for (const trick of [...dotted, ...tricks]) {
      // The portal: a direct access link, and the sign-in page with a landingPage but no quick login.
      for (const path of [directLink(trick), `/sso/${dirName}/login?${new URLSearchParams({ landingPage: trick })}`]) {
        const res = await alice.session.get(path);
        const location = res.headers.get('location');
        assert.ok(location === null || staysOnSite(location, self), `${path} → ${location}`);
        if (location === null) assert.equal(res.status, 400, path);
      }
      // The RAM console's logon page, already signed in: the page, or a local address, never the trick.
      for (const path of [`/login.htm?${new URLSearchParams({ returnTo: trick })}`, `/${domain}/login.htm?${new URLSearchParams({ redirect: trick })}`]) {
        const res = await plain.get(path);
        const location = res.headers.get('location');
        assert.ok(location === null || staysOnSite(location, self), `${path} → ${location}`);
      }
    }
    // The still-valid console session is not spent or replaced by any of this.
    assert.equal((await plain.get('/console')).status, 200);
  });

  it('comes back from a signed-out direct access link only to an allowed landing page', async () => {
    const landedOn: string[] = [];
    for (const value of [...tricks, ...KEPT.map((k) => withSelf(k.value, self))]) {
      const session = new FormSession(server.url);
      const first = await fetch(`${server.url}${directLink(value)}`, { redirect: 'manual' });
      if (first.status === 400) continue;
      await session.open(directLink(value));
      const signedIn = await session.post(`/sso/${dirName}/login`, { username: 'alice', password: PASSWORD });
      const back = signedIn.headers.get('location')!;
      assert.ok(staysOnSite(back, self) && back.startsWith(`/sso/${dirName}/login?`), `${show(value)} → ${back}`);
      const landed = await session.get(back);
      const location = landed.headers.get('location');
      assert.ok(location !== null && staysOnSite(location, self), `${show(value)} → ${location}`);
      landedOn.push(location);
    }
    assert.deepEqual(landedOn, KEPT.map((k) => withSelf(k.address, self)));
  });

  it('puts only an allowed landing page into the Insufficient Access forms', async () => {
    const alice = await portalUser();
    const rendered: string[] = [];
    for (const value of [...tricks, ...KEPT.map((k) => withSelf(k.value, self))]) {
      const res = await alice.session.get(directLink(value, 'no-such-configuration'));
      if (res.status === 400) continue;
      assert.equal(res.status, 403, show(value));
      const field = /name="callbackUrl" value="([^"]*)"/.exec(await res.text());
      assert.ok(field, show(value));
      assert.ok(staysOnSite(unescape(field[1]!), self), `${show(value)} → ${field[1]}`);
      rendered.push(unescape(field[1]!));
    }
    assert.deepEqual(rendered, KEPT.map((k) => withSelf(k.address, self)));
  });

  it('refuses a Log On callback URL off the allow-list with a plain error, and lands on an allowed one', async () => {
    const alice = await portalUser();
    for (const trick of tricks) {
      const res = await logon(alice, { callbackUrl: trick });
      if (res.status === 400) {
        assert.equal(res.headers.get('location'), null, show(trick));
        assert.match(await res.text(), /Callback URL must be/, show(trick));
      } else {
        assert.equal(res.status, 303, show(trick));
        assert.ok(staysOnSite(res.headers.get('location')!, self), `${show(trick)} → ${res.headers.get('location')}`);
      }
    }
    for (const { value, address } of KEPT) {
      const res = await logon(alice, { callbackUrl: withSelf(value, self) });
      assert.equal(res.headers.get('location'), withSelf(address, self), value);
    }
  });

  it('refuses an access configuration RelayState off the allow-list at the API, and keeps only the normalized one', async () => {
    for (const [i, trick] of tricks.entries()) {
      const created = await sso(server, 'CreateAccessConfiguration', { DirectoryId: dirId, AccessConfigurationName: `relay-${i}`, RelayState: trick }).catch(
        (e: any) => e,
      );
      if (created instanceof Error) {
        assert.equal((created as any).code, 'InvalidParameter.RelayState', `${show(trick)}: ${created.message}`);
      } else {
        const stored = created.AccessConfiguration.RelayState as string;
        assert.ok(/^https?:\/\//.test(stored) && staysOnSite(stored, self), `${show(trick)} → ${stored}`);
      }
      const updated = await sso(server, 'UpdateAccessConfiguration', { DirectoryId: dirId, AccessConfigurationId: acId, NewRelayState: trick }).catch(
        (e: any) => e,
      );
      if (updated instanceof Error) assert.equal((updated as any).code, 'InvalidParameter.NewRelayState', `${show(trick)}: ${updated.message}`);
      const now = (await sso(server, 'GetAccessConfiguration', { DirectoryId: dirId, AccessConfigurationId: acId })).AccessConfiguration.RelayState as string;
      assert.ok(now === '' || staysOnSite(now, self), `${show(trick)} → ${now}`);
    }
    for (const { value, address } of KEPT) {
      await sso(server, 'UpdateAccessConfiguration', { DirectoryId: dirId, AccessConfigurationId: acId, NewRelayState: withSelf(value, self) });
      const got = await sso(server, 'GetAccessConfiguration', { DirectoryId: dirId, AccessConfigurationId: acId });
      assert.equal(got.AccessConfiguration.RelayState, withSelf(address, self), value);
    }
  });

  it('never lands a Log On on a stored RelayState off the allow-list, whatever put it there', async () => {
    const db = server.gatehouse.services.store.db;
    const alice = await portalUser();
    const setRelay = (relay: string) => db.updateTable('cloudsso_access_configurations').set({ relay_state: relay }).where('id', '=', acId).execute();
    for (const trick of tricks) {
      await setRelay(trick);
      const res = await logon(alice, {});
      assert.equal(res.status, 303, show(trick));
      assert.ok(staysOnSite(res.headers.get('location')!, self), `${show(trick)} → ${res.headers.get('location')}`);
    }
    for (const { value, address } of KEPT) {
      await setRelay(withSelf(value, self));
      assert.equal((await logon(alice, {})).headers.get('location'), withSelf(address, self), value);
    }
    await setRelay('');
  });

  it('hands a directory\'s IdP only a RelayState on this portal', async () => {
    // Last, since from here on the directory signs its users in through the IdP.
    await sso(server, 'SetExternalSAMLIdentityProvider', {
      DirectoryId: dirId,
      EntityId: 'http://www.okta.com/exk-gatehouse',
      LoginUrl: 'https://idp.example.com/app/gatehouse/sso/saml',
      X509Certificate: selfSignedCertificate('okta'),
      BindingType: 'Redirect',
      SSOStatus: 'Enabled',
    });
    const relayed: string[] = [];
    for (const value of [...tricks, ...KEPT.map((k) => withSelf(k.value, self))]) {
      const res = await fetch(`${server.url}${directLink(value)}`, { redirect: 'manual' });
      assert.equal(res.headers.get('location'), null, show(value));
      if (res.status === 400) continue;
      relayed.push(value);
      const href = /class="button" href="([^"]*)"/.exec(await res.text());
      assert.ok(href, show(value));
      const relay = new URL(unescape(href[1]!)).searchParams.get('RelayState')!;
      assert.ok(staysOnSite(relay, self) && relay.startsWith(`/sso/${dirName}/login?`), `${show(value)} → ${relay}`);
    }
    assert.deepEqual(relayed, KEPT.map((k) => withSelf(k.value, self)));
  });
});
