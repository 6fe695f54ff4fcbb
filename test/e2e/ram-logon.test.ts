// Seed 002 and 003 in a real browser: the RAM user logon pages, MFA, forced password change, refusals, passkeys.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startServer, type TestServer, restoreClockAfterEach } from '../support/server.js';
import { Ims, Ram, callApi, imsClient, ramClient } from '../support/sdk.js';
import { addVirtualAuthenticator, launchBrowser, oathtoolCode } from '../support/browser.js';

const PASSWORD = 'Initial-Passw0rd!';

describe('RAM user logon in the browser', () => {
  let server: TestServer;
  restoreClockAfterEach(() => server);
  let browser: Browser;
  let base: string;
  let domain: string;
  let ram: any;
  let ims: any;

  async function createLogonUser(name: string, options: { resetRequired?: boolean; mfaRequired?: boolean } = {}): Promise<void> {
    await ram.createUser(new Ram.CreateUserRequest({ userName: name }));
    await ram.createLoginProfile(
      new Ram.CreateLoginProfileRequest({
        userName: name,
        password: PASSWORD,
        passwordResetRequired: options.resetRequired ?? false,
        MFABindRequired: options.mfaRequired ?? false,
      }),
    );
  }

  async function newPage(): Promise<Page> {
    const context = await browser.newContext();
    return context.newPage();
  }

  async function enterPassword(page: Page, name: string, password = PASSWORD): Promise<void> {
    await page.goto(`${base}/login.htm`);
    await page.getByLabel('User name').fill(`${name}@${domain}`);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log On', exact: true }).click();
  }

  before(async () => {
    server = await startServer();
    base = `http://localhost:${server.port}`;
    domain = `${server.gatehouse.bootstrap.account.alias}.onaliyun.com`;
    ram = ramClient(server.url, server.root);
    ims = imsClient(server.url, server.root);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('logs on through the general page, offers optional MFA binding, and shows the identity panel', async () => {
    await createLogonUser('alice');
    const page = await newPage();
    await enterPassword(page, 'alice');
    await page.getByRole('button', { name: 'Skip for Now' }).click();
    await page.waitForURL(`${base}/console`);
    const panel = page.getByRole('region', { name: 'Identity' });
    await assert.doesNotReject(panel.getByText(`alice@${domain}`).waitFor());
    assert.match(await panel.innerText(), /RAM user/);
    assert.match(await panel.innerText(), new RegExp(server.accountId));
    const profile = await ram.getLoginProfile(new Ram.GetLoginProfileRequest({ userName: 'alice' }));
    assert.equal(profile.body.loginProfile?.userName, 'alice');
    // The IMS SDK model has no PasswordStatus field yet, so read the raw body through callApi.
    const raw = await callApi(server.url, server.root, 'GetLoginProfile', '2019-08-15', { UserPrincipalName: `alice@${domain}` });
    assert.notEqual(raw.LoginProfile.LastLoginTime ?? '', '', 'LastLoginTime is recorded');
    assert.equal(raw.LoginProfile.PasswordStatus, 'NotInitial', 'a successful logon ends the initial password');
  });

  it('asks only for the short name on the dedicated page, and prefills ?username=', async () => {
    await createLogonUser('bob');
    const page = await newPage();
    await page.goto(`${base}/${domain}/login.htm`);
    assert.match(await page.content(), new RegExp(`@${domain.replace(/\./g, '\\.')}`));
    await page.getByLabel('User name').fill('bob');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log On', exact: true }).click();
    await page.getByRole('button', { name: 'Skip for Now' }).click();
    await page.waitForURL(`${base}/console`);

    const prefilled = await newPage();
    await prefilled.goto(`${base}/login.htm?username=${encodeURIComponent(`bob@${domain}`)}`);
    assert.equal(await prefilled.getByLabel('User name').inputValue(), `bob@${domain}`);
  });

  it('makes a user bind an MFA device when required (QR code and secret), then asks for a code at the next logon', async () => {
    await createLogonUser('carol', { mfaRequired: true });
    const page = await newPage();
    await enterPassword(page, 'carol');
    // The binding page has loaded before anything is counted on it.
    await page.getByAltText('MFA QR code').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Skip for Now' }).count(), 0, 'binding is not optional');
    assert.equal(await page.getByAltText('MFA QR code').count(), 1);
    const secret = (await page.locator('#mfa-secret').innerText()).trim();
    const now = server.clock.now();
    await page.getByLabel('Verification code 1').fill(oathtoolCode(secret, new Date(now.getTime() - 30_000)));
    await page.getByLabel('Verification code 2').fill(oathtoolCode(secret, now));
    await page.getByRole('button', { name: 'Bind' }).click();
    await page.waitForURL(`${base}/console`);
    const info = await ram.getUserMFAInfo(new Ram.GetUserMFAInfoRequest({ userName: 'carol' }));
    assert.ok(info.body.MFADevice.serialNumber);

    server.clock.advance(60_000);
    const again = await newPage();
    await enterPassword(again, 'carol');
    await again.getByLabel('Verification code').fill('000000');
    await again.getByRole('button', { name: 'Verify' }).click();
    assert.match(await again.getByRole('alert').innerText(), /incorrect/);
    const code = oathtoolCode(secret, server.clock.now());
    await again.getByLabel('Verification code').fill(code);
    await again.getByRole('button', { name: 'Verify' }).click();
    await again.waitForURL(`${base}/console`);

    // The same code again, in a new logon: refused (a code is accepted once only).
    const replay = await newPage();
    await enterPassword(replay, 'carol');
    await replay.getByLabel('Verification code').fill(code);
    await replay.getByRole('button', { name: 'Verify' }).click();
    assert.match(await replay.getByRole('alert').innerText(), /already used|incorrect/);
  });

  it('registers a passkey in the security settings and logs on with it', async () => {
    await createLogonUser('heidi');
    const context = await browser.newContext();
    const page = await context.newPage();
    await addVirtualAuthenticator(context, page);
    await enterPassword(page, 'heidi');
    await page.getByRole('button', { name: 'Skip for Now' }).click();
    await page.waitForURL(`${base}/console`);
    await page.goto(`${base}/console/security`);
    await page.getByLabel('Passkey name').fill('Laptop');
    await page.getByRole('button', { name: 'Add Passkey' }).click();
    await page.getByRole('cell', { name: 'Laptop', exact: true }).waitFor();
    const listed = await ims.listPasskeys(new Ims.ListPasskeysRequest({ userPrincipalName: `heidi@${domain}` }));
    assert.equal(JSON.stringify(listed.body).includes('Laptop'), true);

    await page.goto(`${base}/console`);
    await page.getByRole('button', { name: 'Log Out' }).click();
    await page.waitForURL(/\/login\.htm$/);
    await page.getByLabel('User name').fill(`heidi@${domain}`);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Log on with Passkey' }).click();
    await page.waitForURL(`${base}/console`);
    assert.match(await page.getByRole('region', { name: 'Identity' }).innerText(), /heidi@/);
  });

  it('accepts name@domain-alias once the administrator sets a domain alias', async () => {
    await createLogonUser('judy');
    const admin = await newPage();
    await admin.goto(`${base}/root/login`);
    await admin.getByLabel('Account ID or alias').fill(server.accountId);
    await admin.getByLabel('Password').fill(server.rootPassword);
    await admin.getByRole('button', { name: 'Log On', exact: true }).click();
    await admin.waitForURL(`${base}/console`);
    await admin.goto(`${base}/ram/settings/logon-domains`);
    await admin.getByLabel('Domain alias').fill('corp.onaliyun.com');
    await admin.getByRole('button', { name: 'Save Domain Alias' }).click();
    assert.match(await admin.getByRole('alert').innerText(), /cannot end with \.onaliyun\.com/);
    await admin.getByLabel('Domain alias').fill('Corp.Example.com');
    await admin.getByRole('button', { name: 'Save Domain Alias' }).click();
    assert.match(await admin.getByRole('table', { name: 'Logon domains' }).innerText(), /corp\.example\.com/);

    const page = await newPage();
    await page.goto(`${base}/login.htm`);
    await page.getByLabel('User name').fill('judy@corp.example.com');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log On', exact: true }).click();
    await page.getByRole('button', { name: 'Skip for Now' }).click();
    await page.waitForURL(`${base}/console`);
    assert.match(await page.getByRole('region', { name: 'Identity' }).innerText(), /judy@/);
    await page.goto(`${base}/corp.example.com/login.htm`);
    assert.equal(await page.getByRole('button', { name: 'Next' }).count(), 1, 'the alias has a dedicated logon page too');
  });

  it('offers "Log on with Passkey" only while the global setting allows it', async () => {
    const page = await newPage();
    await page.goto(`${base}/login.htm`);
    await page.getByLabel('User name').fill(`alice@${domain}`);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Password').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Log on with Passkey' }).count(), 1);
    await ims.setSecurityPreference(new Ims.SetSecurityPreferenceRequest({ allowUserToLoginWithPasskey: false }));
    try {
      await page.goto(`${base}/login.htm`);
      await page.getByLabel('User name').fill(`alice@${domain}`);
      await page.getByRole('button', { name: 'Next' }).click();
      // The password step is shown before the passkey button's absence is counted.
      await page.getByLabel('Password').waitFor();
      assert.equal(await page.getByRole('button', { name: 'Log on with Passkey' }).count(), 0);
      assert.equal(await page.getByLabel('Password').count(), 1, 'password stays as the way in');
    } finally {
      await ims.setSecurityPreference(new Ims.SetSecurityPreferenceRequest({ allowUserToLoginWithPasskey: true }));
    }
  });
});
