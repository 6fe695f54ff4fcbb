// The portal's logon method over plain HTTP, as the sign-in page's links and form work without any script: with SSO
// enabled the page offers only a Redirect to the enterprise IdP and password sign-in is refused, even with a valid
// form; with SSO disabled the password form is back. (Was a browser file; nothing on these pages runs a script.)
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/server.js';
import { FormSession } from '../support/form-session.js';
import { sso } from '../cloudsso/access-support.js';
import { selfSignedCertificate } from '../cloudsso/saml-support.js';

const PASSWORD = 'Portal-Passw0rd!';
const IDP_LOGIN = 'https://idp.example.com/app/gatehouse/sso/saml';

const alertOf = (page: string): string | undefined => /role="alert">([^<]*)</.exec(page)?.[1];
const redirectHref = (page: string): string | undefined => /<a [^>]*href="([^"]*)"[^>]*>Redirect<\/a>/.exec(page)?.[1]?.replaceAll('&amp;', '&');

describe('CloudSSO portal sign-in with SSO as the logon method', () => {
  let server: TestServer;
  let dir: string;
  let dirName: string;
  let login: string;
  const setSso = (status: 'Enabled' | 'Disabled') => sso(server, 'SetExternalSAMLIdentityProvider', { DirectoryId: dir, SSOStatus: status });

  before(async () => {
    server = await startServer();
    dirName = `sso-${server.port}`;
    login = `/sso/${dirName}/login`;
    dir = (await sso(server, 'CreateDirectory', { DirectoryName: dirName })).Directory.DirectoryId;
    await sso(server, 'UpdateMFAAuthenticationSettings', { DirectoryId: dir, MFAAuthenticationSettings: 'Disabled' });
    const userId = (await sso(server, 'CreateUser', { DirectoryId: dir, UserName: 'alice' })).User.UserId;
    await sso(server, 'ResetUserPassword', { DirectoryId: dir, UserId: userId, Password: PASSWORD });
    await sso(server, 'SetExternalSAMLIdentityProvider', {
      DirectoryId: dir,
      EntityId: 'http://www.okta.com/exk-gatehouse',
      LoginUrl: IDP_LOGIN,
      X509Certificate: selfSignedCertificate('okta'),
      BindingType: 'Redirect',
    });
  });
  after(async () => server?.close());

  it('offers only a Redirect to the IdP while SSO is enabled', async () => {
    await setSso('Enabled');
    const page = await fetch(`${server.url}${login}`);
    assert.equal(page.status, 200);
    const text = await page.text();
    assert.equal(redirectHref(text), IDP_LOGIN);
    assert.doesNotMatch(text, /type="password"/);
    assert.doesNotMatch(text, /name="username"/);
    assert.match(text, /identity provider/);

    // A direct access link comes back through RelayState.
    const quick = `${login}?quickLogin=true&accountId=1234567890123456&accessConfigurationName=ops`;
    const href = new URL(redirectHref(await (await fetch(`${server.url}${quick}`)).text()) ?? 'http://missing.invalid/');
    assert.equal(`${href.origin}${href.pathname}`, IDP_LOGIN);
    assert.equal(href.searchParams.get('RelayState'), quick);
  });

  it('refuses password sign-in while SSO is enabled, even with a valid form and the right password', async () => {
    await setSso('Disabled');
    const session = new FormSession(server.url);
    await session.open(login);
    await setSso('Enabled'); // the administrator switches the logon method while the form is open
    const refused = await session.post(login, { username: 'alice', password: PASSWORD });
    assert.equal(refused.status, 403);
    const text = await refused.text();
    assert.match(alertOf(text) ?? '', /identity provider/);
    assert.match(text, /Password sign-in is off/);
    assert.equal(refused.headers.getSetCookie().length, 0, 'no session cookie is set');

    const portal = await session.get(`/sso/${dirName}/portal`);
    assert.equal(portal.status, 303, 'no portal session was created');
    assert.notEqual(new URL(portal.headers.get('location') ?? '', server.url).pathname, `/sso/${dirName}/portal`);
  });

  it('brings the password form back when SSO is disabled', async () => {
    await setSso('Disabled');
    const session = new FormSession(server.url);
    await session.open(login);
    const form = await session.get(login);
    assert.equal(redirectHref(await form.text()), undefined);
    const signedIn = await session.post(login, { username: 'alice', password: PASSWORD });
    assert.equal(signedIn.status, 303);
    assert.equal(signedIn.headers.get('location'), `/sso/${dirName}/portal`);
    assert.equal((await session.get(`/sso/${dirName}/portal`)).status, 200);
  });
});
