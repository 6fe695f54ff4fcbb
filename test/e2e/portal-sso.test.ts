// The portal's logon method in a real browser: with SSO enabled the sign-in page offers only a Redirect to the
// enterprise IdP and password sign-in is refused, even with a valid form; with SSO disabled the password form is back.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startServer, type TestServer } from '../support/server.js';
import { launchBrowser } from '../support/browser.js';
import { sso } from '../cloudsso/access-support.js';
import { selfSignedCertificate } from '../cloudsso/saml-support.js';

const PASSWORD = 'Portal-Passw0rd!';
const IDP_LOGIN = 'https://idp.example.com/app/gatehouse/sso/saml';

describe('CloudSSO portal sign-in with SSO as the logon method', () => {
  let server: TestServer;
  let browser: Browser;
  let base: string;
  let dir: string;
  let dirName: string;
  const setSso = (status: 'Enabled' | 'Disabled') => sso(server, 'SetExternalSAMLIdentityProvider', { DirectoryId: dir, SSOStatus: status });
  const newPage = async (): Promise<Page> => (await browser.newContext()).newPage();

  before(async () => {
    server = await startServer();
    base = `http://localhost:${server.port}`;
    dirName = `sso-${server.port}`;
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
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('offers only a Redirect to the IdP while SSO is enabled', async () => {
    await setSso('Enabled');
    const page = await newPage();
    const response = await page.goto(`${base}/sso/${dirName}/login`);
    assert.equal(response?.status(), 200);
    const redirect = page.getByRole('link', { name: 'Redirect', exact: true });
    assert.equal(await redirect.getAttribute('href'), IDP_LOGIN);
    assert.equal(await page.locator('input[type=password]').count(), 0);
    assert.equal(await page.getByLabel('User name').count(), 0);
    assert.match(await page.locator('main, body').first().innerText(), /identity provider/);

    // A direct access link comes back through RelayState.
    const quick = `/sso/${dirName}/login?quickLogin=true&accountId=1234567890123456&accessConfigurationName=ops`;
    await page.goto(`${base}${quick}`);
    const href = new URL((await page.getByRole('link', { name: 'Redirect', exact: true }).getAttribute('href'))!);
    assert.equal(`${href.origin}${href.pathname}`, IDP_LOGIN);
    assert.equal(href.searchParams.get('RelayState'), quick);
  });

  it('refuses password sign-in while SSO is enabled, even with a valid form and the right password', async () => {
    await setSso('Disabled');
    const page = await newPage();
    await page.goto(`${base}/sso/${dirName}/login`);
    const csrf = await page.locator('input[name="_csrf"]').first().getAttribute('value');
    await page.getByLabel('User name').fill('alice');
    await page.getByLabel('Password').fill(PASSWORD);
    await setSso('Enabled'); // the administrator switches the logon method while the form is open
    const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: 'Log On', exact: true }).click()]);
    assert.equal(response.status(), 403);
    assert.match(await page.getByRole('alert').innerText(), /identity provider/);

    // A hand-made POST with the form's token: the route itself refuses the password step.
    const forged = await page.evaluate(async ({ url, csrf }) => {
      const r = await fetch(url, { method: 'POST', body: new URLSearchParams({ _csrf: csrf ?? '', username: 'alice', password: 'Portal-Passw0rd!' }), redirect: 'manual' });
      return { status: r.status, text: await r.text() };
    }, { url: `${base}/sso/${dirName}/login`, csrf });
    assert.equal(forged.status, 403);
    assert.match(forged.text, /Password sign-in is off/);

    const portal = await page.goto(`${base}/sso/${dirName}/portal`);
    // No portal session was created: the portal sends the visitor back to the sign-in page, which offers only SSO.
    assert.equal(portal?.status(), 200);
    assert.equal(new URL(page.url()).pathname, `/sso/${dirName}/login`);
    assert.equal(await page.getByLabel('Password').count(), 0);
  });

  it('brings the password form back when SSO is disabled', async () => {
    await setSso('Disabled');
    const page = await newPage();
    await page.goto(`${base}/sso/${dirName}/login`);
    assert.equal(await page.getByRole('link', { name: 'Redirect', exact: true }).count(), 0);
    await page.getByLabel('User name').fill('alice');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log On', exact: true }).click();
    await page.waitForURL(`${base}/sso/${dirName}/portal`);
  });
});
