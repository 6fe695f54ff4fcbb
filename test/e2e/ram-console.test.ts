// Seed 003 in a real browser: an administrator manages RAM users' console logon settings and the account's
// security settings in the RAM console; every page and form is authorized like the API.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startServer, type TestServer } from '../support/server.js';
import { Ims, Ram, expectApiError, imsClient, ramClient } from '../support/sdk.js';
import { launchBrowser, ramUserLogon, rootSignIn } from '../support/browser.js';

const PASSWORD = 'Console-Passw0rd!';

describe('RAM console: login settings and security settings', () => {
  let server: TestServer;
  let browser: Browser;
  let base: string;
  let domain: string;
  let ram: any;
  let admin: Page;

  async function newPage(): Promise<Page> {
    const context = await browser.newContext();
    return context.newPage();
  }

  const userLogon = (page: Page, name: string, password: string, options: { newPassword?: string } = {}): Promise<void> =>
    ramUserLogon(page, base, `${name}@${domain}`, password, options);

  async function openUser(name: string): Promise<void> {
    await admin.goto(`${base}/ram/users`);
    await admin.getByRole('link', { name, exact: true }).click();
    await admin.waitForURL(`${base}/ram/users/${name}`);
  }

  const field = (page: Page, name: string): Promise<string> => page.locator(`[data-field="${name}"]`).innerText();

  /** Enables console logon from the user's page with the given choices; stays on the result page. */
  async function enableLogon(name: string, choice: { password?: string; resetRequired?: boolean; mfaRequired?: boolean }): Promise<void> {
    await openUser(name);
    await admin.getByRole('button', { name: 'Enable Console Logon' }).click();
    assert.equal(await admin.getByLabel('Required', { exact: true }).isChecked(), true, 'MFA is required by default (seed 003)');
    await admin.getByLabel('Enabled', { exact: true }).check();
    if (choice.password !== undefined) {
      await admin.getByLabel('Reset Custom Password').check();
      await admin.getByLabel('Custom Password', { exact: true }).fill(choice.password);
    } else {
      await admin.getByLabel('Automatically Regenerate Default Password').check();
    }
    await admin.getByLabel('Required at Next Logon').setChecked(choice.resetRequired ?? false);
    await admin.getByLabel('Required', { exact: true }).setChecked(choice.mfaRequired ?? false);
    await admin.getByRole('button', { name: 'OK' }).click();
  }

  before(async () => {
    server = await startServer();
    base = `http://localhost:${server.port}`;
    domain = `${server.gatehouse.bootstrap.account.alias}.onaliyun.com`;
    ram = ramClient(server.url, server.root);
    browser = await launchBrowser();
    admin = await newPage();
    await rootSignIn(admin, base, server);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('lists users with their console access and creates one from the Users page', async () => {
    await admin.goto(`${base}/ram/users`);
    await admin.getByLabel('Logon Name').fill('alice');
    await admin.getByLabel('Display Name').fill('Alice A.');
    await admin.getByRole('button', { name: 'Create User' }).click();
    await admin.waitForURL(`${base}/ram/users/alice`);
    const user = await ram.getUser(new Ram.GetUserRequest({ userName: 'alice' }));
    assert.equal(user.body.user.displayName, 'Alice A.');
    await admin.goto(`${base}/ram/users`);
    const row = admin.getByRole('row').filter({ hasText: 'alice' });
    assert.match(await row.innerText(), /Alice A\.\s+\S+\s+Unset/);
  });

  it('pages the user list with a Next page link', async () => {
    for (let i = 0; i < 21; i++) await ram.createUser(new Ram.CreateUserRequest({ userName: `pager-${String(i).padStart(2, '0')}` }));
    await admin.goto(`${base}/ram/users`);
    const first = await admin.getByRole('table', { name: 'Users' }).innerText();
    await admin.getByRole('link', { name: 'Next page' }).click();
    const second = await admin.getByRole('table', { name: 'Users' }).innerText();
    assert.match(first, /alice/);
    assert.doesNotMatch(second, /alice/);
    assert.match(second, /pager-20/);
    assert.equal(await admin.getByRole('link', { name: 'Next page' }).count(), 0);
  });

  it('enables console logon with a custom password, shows the status and the Logon URL, and the user logs on', async () => {
    await ram.createUser(new Ram.CreateUserRequest({ userName: 'bob' }));
    await enableLogon('bob', { password: PASSWORD, resetRequired: true });
    await admin.waitForURL(`${base}/ram/users/bob`);
    assert.equal(await field(admin, 'console-access'), 'Active');
    assert.equal(await field(admin, 'password-status'), 'Initial Password Available');
    assert.equal(await field(admin, 'reset-password'), 'Yes');
    assert.equal(await field(admin, 'enable-mfa'), 'Not required');
    assert.equal(await admin.getByLabel('Logon URL').inputValue(), `${server.url}/login.htm?username=bob@${domain}`);
    assert.equal(await admin.getByLabel('Logon URL').getAttribute('readonly'), '');
    assert.equal(await admin.getByRole('button', { name: 'Enable Console Logon' }).count(), 0);
    await admin.getByRole('button', { name: 'Modify Logon Settings' }).waitFor();
    await admin.getByRole('button', { name: 'Remove Logon Settings' }).waitFor();

    const user = await newPage();
    await userLogon(user, 'bob', PASSWORD, { newPassword: 'Bobs-New-Passw0rd!' });
    await admin.reload();
    assert.equal(await field(admin, 'password-status'), 'Not Initial Password');
    assert.equal(await field(admin, 'reset-password'), 'No');
    assert.match(await field(admin, 'last-login'), /^\d{4}-\d{2}-\d{2}T/);
  });

  it('ends the user\'s open session at once when console access is disabled, then clears the settings after confirmation', async () => {
    await ram.createUser(new Ram.CreateUserRequest({ userName: 'carol' }));
    await ram.createLoginProfile(new Ram.CreateLoginProfileRequest({ userName: 'carol', password: PASSWORD }));
    const user = await newPage();
    await userLogon(user, 'carol', PASSWORD);

    await openUser('carol');
    await admin.getByRole('button', { name: 'Modify Logon Settings' }).click();
    assert.equal(await admin.getByLabel('Keep Current Password').isChecked(), true);
    await admin.getByLabel('Disabled', { exact: true }).check();
    await admin.getByRole('button', { name: 'OK' }).click();
    await admin.waitForURL(`${base}/ram/users/carol`);
    assert.equal(await field(admin, 'console-access'), 'Inactive');
    await user.goto(`${base}/console`);
    assert.match(user.url(), /\/login\.htm$/, 'the open session is gone');

    await admin.getByRole('button', { name: 'Remove Logon Settings' }).click();
    await admin.getByRole('heading', { name: 'Clear Login Settings' }).waitFor();
    await admin.getByRole('button', { name: 'OK' }).click();
    await admin.waitForURL(`${base}/ram/users/carol`);
    assert.equal(await admin.getByRole('region', { name: 'Login Profile' }).getByRole('row', { name: /Console Access/ }).innerText(), 'Console Access\tUnset');
    await admin.getByRole('button', { name: 'Enable Console Logon' }).waitFor();
    const gone = await expectApiError(ram.getLoginProfile(new Ram.GetLoginProfileRequest({ userName: 'carol' })));
    assert.equal(gone.code, 'EntityNotExist.User.LoginProfile');
  });

  it('shows a generated password once, and it works', async () => {
    await ram.createUser(new Ram.CreateUserRequest({ userName: 'dave' }));
    await enableLogon('dave', {});
    const generated = await admin.getByLabel('Generated Password').inputValue();
    assert.ok(generated.length >= 16);
    assert.match(await admin.getByRole('status').innerText(), /only once/);
    await openUser('dave');
    assert.doesNotMatch(await admin.content(), new RegExp(generated.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), 'never shown again');
    const user = await newPage();
    await userLogon(user, 'dave', generated);
  });

  it('changes the password policy in Settings, refuses out-of-range values, and applies the new minimum', async (t) => {
    // The policy is the account's, which the other tests share: put the default minimum back however this ends.
    t.after(async () => {
      await ram.setPasswordPolicy(new Ram.SetPasswordPolicyRequest({ minimumPasswordLength: 8 }));
    });
    await admin.goto(`${base}/ram/settings`);
    await admin.getByRole('region', { name: 'Global Security' }).waitFor();
    await admin.getByRole('region', { name: 'Password Policy' }).getByRole('button', { name: 'Modify' }).click();
    await admin.getByLabel(/Minimum password length/).fill('40');
    await admin.getByRole('button', { name: 'OK' }).click();
    assert.match(await admin.getByRole('alert').innerText(), /from 8 to 32/);
    const unchanged = await ram.getPasswordPolicy();
    assert.equal(unchanged.body.passwordPolicy.minimumPasswordLength, 8);

    await admin.getByLabel(/Minimum password length/).fill('12');
    await admin.getByRole('button', { name: 'OK' }).click();
    await admin.waitForURL(`${base}/ram/settings`);
    const policy = await ram.getPasswordPolicy();
    assert.equal(policy.body.passwordPolicy.minimumPasswordLength, 12);

    await ram.createUser(new Ram.CreateUserRequest({ userName: 'frank' }));
    await enableLogon('frank', { password: 'Short-Pw1!' });
    assert.match(await admin.getByRole('alert').innerText(), /at least 12 characters/);
    await expectApiError(ram.getLoginProfile(new Ram.GetLoginProfileRequest({ userName: 'frank' })));
  });

  it('changes the global security settings with the API ranges', async (t) => {
    // The settings are the account's, which the other tests share: put them back however this ends. IMS is the API
    // that carries the passkey switch.
    const ims = imsClient(server.url, server.root);
    const before = (await ims.getSecurityPreference()).body.securityPreference.loginProfilePreference;
    t.after(async () => {
      await ims.setSecurityPreference(
        new Ims.SetSecurityPreferenceRequest({
          loginSessionDuration: before.loginSessionDuration,
          loginNetworkMasks: before.loginNetworkMasks ?? '',
          allowUserToLoginWithPasskey: before.allowUserToLoginWithPasskey,
        }),
      );
    });
    await admin.goto(`${base}/ram/settings`);
    await admin.getByRole('region', { name: 'Global Security' }).getByRole('button', { name: 'Modify' }).click();
    await admin.getByLabel(/Logon session duration/).fill('25');
    await admin.getByRole('button', { name: 'OK' }).click();
    assert.match(await admin.getByRole('alert').innerText(), /from 1 to 24/);
    await admin.getByLabel(/Logon network masks/).fill('10.0.0.0/33');
    await admin.getByLabel(/Logon session duration/).fill('8');
    await admin.getByRole('button', { name: 'OK' }).click();
    assert.match(await admin.getByRole('alert').innerText(), /not an IPv4 address or CIDR/);
    let preference = await ram.getSecurityPreference();
    assert.equal(preference.body.securityPreference.loginProfilePreference.loginSessionDuration, 6);

    await admin.getByLabel(/Logon network masks/).fill('');
    await admin.getByLabel('Allow users to log on with passkeys').uncheck();
    await admin.getByRole('button', { name: 'OK' }).click();
    await admin.waitForURL(`${base}/ram/settings`);
    preference = await ram.getSecurityPreference();
    assert.equal(preference.body.securityPreference.loginProfilePreference.loginSessionDuration, 8);
    assert.match(await admin.getByRole('region', { name: 'Global Security' }).innerText(), /Allow users to log on with passkeys\s+No/);
  });

  it('lets a read-only RAM user see the pages without write buttons, and refuses its forged POST with 403', async () => {
    await ram.createUser(new Ram.CreateUserRequest({ userName: 'reader' }));
    await ram.createLoginProfile(new Ram.CreateLoginProfileRequest({ userName: 'reader', password: PASSWORD }));
    await ram.attachPolicyToUser(new Ram.AttachPolicyToUserRequest({ policyType: 'System', policyName: 'AliyunRAMReadOnlyAccess', userName: 'reader' }));
    await ram.createUser(new Ram.CreateUserRequest({ userName: 'target' }));
    const reader = await newPage();
    await userLogon(reader, 'reader', PASSWORD);

    await reader.goto(`${base}/ram/users`);
    await reader.getByRole('link', { name: 'alice', exact: true }).waitFor();
    assert.equal(await reader.getByRole('button', { name: 'Create User' }).count(), 0);
    await reader.goto(`${base}/ram/users/target`);
    await reader.getByRole('region', { name: 'Login Profile' }).waitFor();
    assert.equal(await reader.getByRole('button', { name: 'Enable Console Logon' }).count(), 0);
    await reader.goto(`${base}/ram/users/reader`);
    assert.equal(await reader.getByRole('button', { name: 'Modify Logon Settings' }).count(), 0);
    assert.equal(await reader.getByRole('button', { name: 'Remove Logon Settings' }).count(), 0);
    await reader.goto(`${base}/ram/settings`);
    assert.equal(await reader.getByRole('button', { name: 'Modify' }).count(), 0);

    const direct = await reader.goto(`${base}/ram/users/target/login-profile/new`);
    assert.equal(direct?.status(), 403);
    assert.match(await reader.getByRole('alert').innerText(), new RegExp(`Action: ram:CreateLoginProfile, Resource: acs:ram:\\*:${server.accountId}:user/target`));

    // The token of the page the reader is on (bound to the reader's session), so only authorization can refuse.
    const csrf = await reader.locator('input[name="_csrf"]').first().getAttribute('value');
    assert.ok(csrf);
    const forged = await reader.request.post(`${base}/ram/users/target/login-profile`, {
      form: { _csrf: csrf, status: 'Active', passwordMode: 'custom', password: PASSWORD },
      maxRedirects: 0,
    });
    assert.equal(forged.status(), 403);
    assert.match(await forged.text(), /You are not authorized to do this action\. Action: ram:CreateLoginProfile/);
    const policyPost = await reader.request.post(`${base}/ram/settings/password-policy`, { form: { _csrf: csrf, minimumPasswordLength: '30' }, maxRedirects: 0 });
    assert.equal(policyPost.status(), 403);
    await expectApiError(ram.getLoginProfile(new Ram.GetLoginProfileRequest({ userName: 'target' })));
  });
});
