// Seed 001's SSO logon settings in a real browser: the administrator sets the IdP up from its metadata file, switches
// the logon method to SSO and back, copies the SP information and downloads the SP metadata, rolls the IdP's
// certificates over and rotates the SP certificate; a read-only RAM user sees it all but changes nothing.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startServer, type TestServer } from '../support/server.js';
import { Ram, ramClient } from '../support/sdk.js';
import { launchBrowser, ramUserLogon, rootSignIn } from '../support/browser.js';
import { sso } from '../cloudsso/access-support.js';
import { idpMetadata, selfSignedCertificate } from '../cloudsso/saml-support.js';

const PASSWORD = 'Console-Passw0rd!';
const body = (pem: string): string => pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');

describe('CloudSSO console: SSO logon settings', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let base: string;
  let admin: Page;
  let dir: string;
  let certA: string;
  let certB: string;
  const idp = async () => (await sso(server, 'GetExternalSAMLIdentityProvider', { DirectoryId: dir })).SAMLIdentityProviderConfiguration;
  const spXml = async () =>
    Buffer.from((await sso(server, 'GetDirectorySAMLServiceProviderInfo', { DirectoryId: dir })).SAMLServiceProvider.EncodedMetadataDocument, 'base64').toString('utf8');
  const section = () => admin.getByRole('region', { name: 'SSO Logon' });
  const logonMethod = () => section().locator('[data-field="logon-method"]').innerText();

  before(async () => {
    server = await startServer();
    base = `http://localhost:${server.port}`;
    dir = (await sso(server, 'CreateDirectory', { DirectoryName: 'sso-console' })).Directory.DirectoryId;
    certA = selfSignedCertificate('idp-a');
    certB = selfSignedCertificate('idp-b');
    browser = await launchBrowser();
    context = await browser.newContext({ acceptDownloads: true });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    admin = await context.newPage();
    await rootSignIn(admin, base, server);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('starts with password logon and refuses SSO before the IdP is configured, changing nothing', async () => {
    await admin.goto(`${base}/cloudsso/settings`);
    assert.equal(await logonMethod(), 'Username and password');
    assert.match(await section().innerText(), /Enabling SSO turns password logon off; disabling\s+SSO turns password logon back on/);
    await admin.getByRole('button', { name: 'Switch to SSO' }).click();
    assert.match(await section().getByRole('alert').innerText(), /SSO can be enabled only when the IdP has an EntityId, a LoginUrl and at least one certificate/);
    assert.equal(await logonMethod(), 'Username and password');
    assert.equal((await idp()).SSOStatus, 'Disabled');
  });

  it('keeps what was typed when the metadata is refused', async () => {
    await admin.goto(`${base}/cloudsso/settings`);
    await admin.getByLabel('IdP Metadata XML (paste it, or choose the file)').fill('<not metadata');
    await admin.getByRole('button', { name: 'Save IdP Configuration' }).click();
    assert.match(await section().getByRole('alert').innerText(), /EncodedMetadataDocument/);
    assert.equal(await admin.getByLabel('IdP Metadata XML (paste it, or choose the file)').inputValue(), '<not metadata');
    assert.equal((await idp()).EntityId, '');
  });

  it('sets the IdP up from its metadata file: entity, login URL of the chosen binding, signed requests, certificate', async () => {
    await admin.goto(`${base}/cloudsso/settings`);
    const xml = Buffer.from(
      idpMetadata({ entityId: 'https://idp.example.com/app', post: 'https://idp.example.com/sso/post', redirect: 'https://idp.example.com/sso/redirect', certificates: [certA] }),
      'base64',
    );
    await admin.getByLabel('IdP Metadata File').setInputFiles({ name: 'idp-metadata.xml', mimeType: 'application/xml', buffer: xml });
    // The page reads the file into the text area the form posts.
    await admin.waitForFunction(() => (document.getElementById('idp-metadata') as HTMLTextAreaElement).value.includes('EntityDescriptor'));
    await admin.getByLabel('HTTP-Redirect').check();
    await admin.getByLabel(/Sign authentication requests/).check();
    await admin.getByRole('button', { name: 'Save IdP Configuration' }).click();
    await admin.waitForURL(`${base}/cloudsso/settings`);

    const saved = await idp();
    assert.equal(saved.EntityId, 'https://idp.example.com/app');
    assert.equal(saved.LoginUrl, 'https://idp.example.com/sso/redirect');
    assert.equal(saved.BindingType, 'Redirect');
    assert.equal(saved.WantRequestSigned, true);
    assert.equal(await section().locator('[data-field="idp-entity-id"]').innerText(), 'https://idp.example.com/app');
    assert.equal(await admin.getByRole('table', { name: 'IdP certificates' }).locator('tr[data-certificate]').count(), 1);
    assert.match(await spXml(), /AuthnRequestsSigned="true"/);
    assert.equal(await admin.getByLabel('HTTP-Redirect').isChecked(), true);
  });

  it('switches the logon method to SSO and back to username and password', async () => {
    await admin.getByRole('button', { name: 'Switch to SSO' }).click();
    await admin.waitForURL(`${base}/cloudsso/settings`);
    assert.equal(await logonMethod(), 'SSO');
    assert.equal((await idp()).SSOStatus, 'Enabled');

    await admin.getByRole('button', { name: 'Switch to Username and Password' }).click();
    await admin.waitForURL(`${base}/cloudsso/settings`);
    assert.equal(await logonMethod(), 'Username and password');
    assert.equal((await idp()).SSOStatus, 'Disabled');
  });

  it('copies the SP entity ID and ACS URL and downloads the SP metadata the API answers', async () => {
    const sp = (await sso(server, 'GetDirectorySAMLServiceProviderInfo', { DirectoryId: dir })).SAMLServiceProvider;
    await admin.goto(`${base}/cloudsso/settings`);
    assert.equal(await admin.getByLabel('SP Entity ID', { exact: true }).inputValue(), sp.EntityId);
    await admin.getByRole('button', { name: 'Copy SP Entity ID' }).click();
    assert.equal(await admin.evaluate(() => navigator.clipboard.readText()), sp.EntityId);
    await admin.getByRole('button', { name: 'Copy SP ACS URL (Reply URL)' }).click();
    assert.equal(await admin.evaluate(() => navigator.clipboard.readText()), sp.AcsUrl);

    const [download] = await Promise.all([admin.waitForEvent('download'), admin.getByRole('link', { name: 'Download SP Metadata (XML)' }).click()]);
    assert.equal(download.suggestedFilename(), 'gatehouse-sp-metadata.xml');
    assert.equal(await readFile((await download.path())!, 'utf8'), Buffer.from(sp.EncodedMetadataDocument, 'base64').toString('utf8'));
  });

  it('rolls the IdP certificate over: two trusted at once, then the old one removed', async () => {
    await admin.goto(`${base}/cloudsso/settings`);
    await admin.getByLabel('New IdP Certificate (PEM)').fill(certB);
    await admin.getByRole('button', { name: 'Add Certificate' }).click();
    await admin.waitForURL(`${base}/cloudsso/settings`);
    const rows = admin.getByRole('table', { name: 'IdP certificates' }).locator('tr[data-certificate]');
    assert.equal(await rows.count(), 2);

    await admin.getByLabel('New IdP Certificate (PEM)').fill(certB);
    await admin.getByRole('button', { name: 'Add Certificate' }).click();
    assert.match(await section().getByRole('alert').innerText(), /already a certificate of the IdP/);
    assert.equal(body(await admin.getByLabel('New IdP Certificate (PEM)').inputValue()), body(certB), 'the certificate typed is kept');
    assert.equal(await rows.count(), 2);

    const first = (await rows.first().getAttribute('data-certificate'))!;
    await admin.getByRole('button', { name: `Remove ${first}` }).click();
    await admin.waitForURL(`${base}/cloudsso/settings`);
    const left = (await sso(server, 'ListExternalSAMLIdPCertificates', { DirectoryId: dir })).SAMLIdPCertificates;
    assert.deepEqual(left.map((c: any) => body(c.X509Certificate)), [body(certB)]);
  });

  it('rotates the SP certificate: the new one signs, the previous one stays published until it is no longer published', async () => {
    const before = await spXml();
    await admin.goto(`${base}/cloudsso/settings`);
    await admin.getByRole('button', { name: 'Rotate SP Certificate' }).click();
    assert.match(await section().getByRole('status').innerText(), /A new SP certificate signs requests from now on/);
    const table = admin.getByRole('table', { name: 'SP certificates' });
    assert.equal(await table.locator('tr[data-sp-certificate="active"]').count(), 1);
    assert.equal(await table.locator('tr[data-sp-certificate="previous"]').count(), 1);
    const after = await spXml();
    assert.equal(after.match(/<md:KeyDescriptor use="signing">/g)?.length, 2);
    const oldCertificate = /<ds:X509Certificate>([^<]+)</.exec(before)![1]!;
    assert.ok(after.indexOf(oldCertificate) > after.indexOf('<ds:X509Certificate>') + '<ds:X509Certificate>'.length, 'the old certificate comes second');

    await admin.getByRole('button', { name: 'Stop Publishing' }).click();
    await admin.waitForURL(`${base}/cloudsso/settings`);
    assert.equal(await table.locator('tr[data-sp-certificate]').count(), 1);
    const retired = await spXml();
    assert.equal(retired.match(/<md:KeyDescriptor use="signing">/g)?.length, 1);
    assert.ok(!retired.includes(oldCertificate));
  });

  it('shows a read-only RAM user the settings without SSO controls and refuses its forged rotation with 403', async () => {
    const ram = ramClient(server.url, server.root);
    await ram.createUser(new Ram.CreateUserRequest({ userName: 'ssoreader' }));
    await ram.createLoginProfile(new Ram.CreateLoginProfileRequest({ userName: 'ssoreader', password: PASSWORD }));
    await ram.attachPolicyToUser(new Ram.AttachPolicyToUserRequest({ policyType: 'System', policyName: 'AliyunCloudSSOReadOnlyAccess', userName: 'ssoreader' }));
    const reader = await (await browser.newContext()).newPage();
    await ramUserLogon(reader, base, `ssoreader@${server.gatehouse.bootstrap.account.alias}.onaliyun.com`, PASSWORD);
    await reader.goto(`${base}/cloudsso/settings`);
    assert.equal(await reader.locator('[data-field="logon-method"]').innerText(), 'Username and password');
    for (const name of ['Switch to SSO', 'Save IdP Configuration', 'Add Certificate', 'Rotate SP Certificate', 'Clear IdP Configuration']) {
      assert.equal(await reader.getByRole('button', { name }).count(), 0, name);
    }
    const metadata = await reader.request.get(`${base}/cloudsso/settings/sso/sp-metadata.xml`);
    assert.equal(metadata.status(), 200, 'reading the SP metadata is a read');

    const before = await spXml();
    const csrf = await reader.locator('input[name="_csrf"]').first().getAttribute('value');
    assert.ok(csrf);
    const forged = await reader.request.post(`${base}/cloudsso/settings/sso/sp-certificate/rotate`, { form: { _csrf: csrf }, maxRedirects: 0 });
    assert.equal(forged.status(), 403);
    assert.match(await forged.text(), /Action: cloudsso:SetExternalSAMLIdentityProvider/);
    assert.equal(await spXml(), before);
    const status = await reader.request.post(`${base}/cloudsso/settings/sso/status`, { form: { _csrf: csrf, SSOStatus: 'Enabled' }, maxRedirects: 0 });
    assert.equal(status.status(), 403);
    assert.equal((await idp()).SSOStatus, 'Disabled');
  });
});
