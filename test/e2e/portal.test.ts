// Seed 000 end to end in a real browser: portal sign-in (with and without MFA), the account list, Log On as a RAM
// role (with and without a callback URL) and as a RAM user, direct access links signed in and out, Insufficient
// Access, bad landing pages, CLI credentials through the SDK, session expiry and a revoked assignment.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startServer, type TestServer } from '../support/server.js';
import { Ram, Sts, expectApiError, ramClient, stsClient } from '../support/sdk.js';
import { launchBrowser, oathtoolCode } from '../support/browser.js';
import { createMember, sso, waitTask } from '../cloudsso/access-support.js';

const PASSWORD = 'Portal-Passw0rd!';

describe('CloudSSO user portal in the browser', () => {
  let server: TestServer;
  let browser: Browser;
  let base: string;
  let dir: string;
  let dirName: string;
  let member: string;
  let aliceId: string;
  let acId: string;

  async function ssoUser(name: string): Promise<string> {
    const id = (await sso(server, 'CreateUser', { DirectoryId: dir, UserName: name })).User.UserId;
    await sso(server, 'ResetUserPassword', { DirectoryId: dir, UserId: id, Password: PASSWORD });
    return id;
  }

  async function assign(principalId: string, configurationId = acId): Promise<void> {
    const { Task } = await sso(server, 'CreateAccessAssignment', {
      DirectoryId: dir,
      AccessConfigurationId: configurationId,
      TargetType: 'RD-Account',
      TargetId: member,
      PrincipalType: 'User',
      PrincipalId: principalId,
    });
    assert.equal((await waitTask(server, dir, Task.TaskId)).Status, 'Success');
  }

  async function signIn(page: Page, user: string, url = `${base}/sso/${dirName}/login`): Promise<void> {
    await page.goto(url);
    await page.getByLabel('User name').fill(user);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log On', exact: true }).click();
  }

  const newPage = async (): Promise<Page> => (await browser.newContext()).newPage();

  before(async () => {
    server = await startServer();
    base = `http://localhost:${server.port}`;
    dirName = `acme-${server.port}`;
    dir = (await sso(server, 'CreateDirectory', { DirectoryName: dirName })).Directory.DirectoryId;
    await sso(server, 'UpdateMFAAuthenticationSettings', { DirectoryId: dir, MFAAuthenticationSettings: 'Disabled' });
    member = await createMember(server, 'Production');
    acId = (await sso(server, 'CreateAccessConfiguration', { DirectoryId: dir, AccessConfigurationName: 'ram-reader', SessionDuration: 900 }))
      .AccessConfiguration.AccessConfigurationId;
    await sso(server, 'AddPermissionPolicyToAccessConfiguration', {
      DirectoryId: dir,
      AccessConfigurationId: acId,
      PermissionPolicyType: 'System',
      PermissionPolicyName: 'AliyunRAMReadOnlyAccess',
    });
    aliceId = await ssoUser('alice');
    await assign(aliceId);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('signs in, lists the account with its configurations, and logs on as the RAM role', async () => {
    const page = await newPage();
    await signIn(page, 'alice');
    await page.waitForURL(`${base}/sso/${dirName}/portal`);
    const accounts = page.getByRole('table', { name: 'Accounts' });
    assert.match(await accounts.innerText(), /Production/);
    assert.match(await accounts.innerText(), new RegExp(member));
    await page.getByText('Show Details').click();
    await page.getByRole('link', { name: `Log On to ${member} as ram-reader` }).click();
    assert.equal(await page.getByLabel('Alibaba Cloud Account ID').inputValue(), member);
    assert.equal(await page.getByLabel('Access Configuration Name').inputValue(), 'ram-reader');
    assert.equal(await page.getByLabel('Access Configuration Name').getAttribute('readonly'), '');
    await page.getByRole('button', { name: 'Log On', exact: true }).click();
    await page.waitForURL(`${base}/console`);
    const panel = await page.getByRole('region', { name: 'Identity' }).innerText();
    assert.match(panel, /AliyunReservedSSO-ram-reader\/alice/);
    assert.match(panel, /RAM role/);
    assert.match(panel, new RegExp(`Management Account ID\\s+${server.accountId}`));
    // Switching accounts: back to the portal, still signed in there.
    await page.getByRole('link', { name: 'Back to the CloudSSO user portal' }).click();
    await page.waitForURL(`${base}/sso/${dirName}/portal`);
    assert.equal(await page.getByRole('table', { name: 'Accounts' }).count(), 1);
  });

  it('gives the role session exactly the configuration\'s permissions in the RAM console', async () => {
    const page = await newPage();
    await signIn(page, 'alice');
    await page.goto(`${base}/sso/${dirName}/logon?accountId=${member}&accessConfigurationId=${acId}`);
    await page.getByRole('button', { name: 'Log On', exact: true }).click();
    await page.waitForURL(`${base}/console`);
    const users = await page.goto(`${base}/ram/users`);
    assert.equal(users?.status(), 200, 'AliyunRAMReadOnlyAccess reads the users');
    assert.equal(await page.getByRole('button', { name: 'Create User' }).count(), 0, 'and sees no write control');
    const settings = await page.goto(`${base}/ram/settings/password-policy`);
    assert.equal(settings?.status(), 403);
    assert.match(await page.getByRole('alert').innerText(), /Action: ram:SetPasswordPolicy/);
  });

  it('lands on the callback URL when one is given, and refuses one off the allow-list', async () => {
    const page = await newPage();
    await signIn(page, 'alice');
    await page.goto(`${base}/sso/${dirName}/logon?accountId=${member}&accessConfigurationId=${acId}`);
    await page.getByLabel('Callback URL (optional)').fill('https://evil.example/steal');
    await page.getByRole('button', { name: 'Log On', exact: true }).click();
    assert.match(await page.getByRole('alert').innerText(), /Callback URL must be/);
    await page.getByLabel('Callback URL (optional)').fill(`${base}/console?from=callback`);
    await page.getByRole('button', { name: 'Log On', exact: true }).click();
    await page.waitForURL(`${base}/console?from=callback`);
  });

  it('follows a direct access link after sign-in, and shows Insufficient Access for a configuration not assigned', async () => {
    const page = await newPage();
    const landing = encodeURIComponent(`${base}/console?landed=1`);
    await signIn(page, 'alice', `${base}/sso/${dirName}/login?quickLogin=true&accountId=${member}&accessConfigurationName=ram-reader&landingPage=${landing}`);
    await page.waitForURL(`${base}/console?landed=1`);
    assert.match(await page.getByRole('region', { name: 'Identity' }).innerText(), /AliyunReservedSSO-ram-reader/);

    // Already signed in to the portal: the link goes straight to the account.
    await page.goto(`${base}/sso/${dirName}/login?quickLogin=true&accountId=${member}&accessConfigurationName=no-such-config`);
    assert.equal(await page.getByRole('heading', { name: 'Insufficient Access' }).count(), 1);
    await page.getByRole('button', { name: 'Continue as ram-reader' }).click();
    await page.waitForURL(`${base}/console`);
  });

  it('refuses every bad landing page without redirecting', async () => {
    const corpus = [
      'https://evil.example/',
      'https://aliyun.com.evil.example/',
      'https://evilaliyun.com/',
      'https://user@evil.example/',
      'https://aliyun.com@evil.example/',
      'javascript:alert(1)',
      '//evil.example/x',
      '/\\evil.example',
      'https:\\\\evil.example',
      'http://ram.console.aliyun.com/',
      '%2F%2Fevil.example',
      'https%3A%2F%2Fevil.example',
      'data:text/html,hi',
    ];
    for (const bad of corpus) {
      const res = await fetch(
        `${server.url}/sso/${dirName}/login?quickLogin=true&accountId=${member}&accessConfigurationName=ram-reader&landingPage=${encodeURIComponent(bad)}`,
        { redirect: 'manual' },
      );
      assert.equal(res.status, 400, bad);
      assert.equal(res.headers.get('location'), null, bad);
      assert.match(await res.text(), /not on an allowed domain/, bad);
    }
  });

  it('hands out STS credentials for the CLI that carry exactly the configuration\'s permissions', async () => {
    const page = await newPage();
    await signIn(page, 'alice');
    await page.goto(`${base}/sso/${dirName}/credentials?accountId=${member}&accessConfigurationId=${acId}`);
    const creds = {
      accessKeyId: (await page.locator('#access-key-id').innerText()).trim(),
      accessKeySecret: (await page.locator('#access-key-secret').innerText()).trim(),
      securityToken: (await page.locator('#security-token').innerText()).trim(),
    };
    assert.match(creds.accessKeyId, /^STS\./);
    assert.match(await page.getByLabel('Environment variables').innerText(), /ALIBABA_CLOUD_SECURITY_TOKEN=/);
    const identity = (await stsClient(server.url, creds).getCallerIdentity()).body;
    assert.equal(identity.accountId, member);
    assert.match(identity.arn, /assumed-role\/AliyunReservedSSO-ram-reader\/alice$/);
    const ram = ramClient(server.url, creds);
    await ram.listUsers(new Ram.ListUsersRequest({}));
    const denied = await expectApiError(ram.createUser(new Ram.CreateUserRequest({ userName: 'intruder' })));
    assert.equal(denied.code, 'NoPermission');
    void Sts;
  });

  it('ends the role session when its SessionDuration is over', async () => {
    const page = await newPage();
    await signIn(page, 'alice');
    await page.goto(`${base}/sso/${dirName}/logon?accountId=${member}&accessConfigurationId=${acId}`);
    await page.getByRole('button', { name: 'Log On', exact: true }).click();
    await page.waitForURL(`${base}/console`);
    const later = 901 * 1000;
    server.clock.advance(later);
    try {
      await page.goto(`${base}/console`);
      assert.match(page.url(), /\/login\.htm$/);
    } finally {
      server.clock.advance(-later);
    }
  });

  it('asks for a first MFA device when the directory requires MFA, then for a code', async () => {
    await sso(server, 'UpdateMFAAuthenticationSettings', { DirectoryId: dir, MFAAuthenticationSettings: 'Enabled' });
    try {
      await ssoUser('mallory-mfa');
      const page = await newPage();
      await signIn(page, 'mallory-mfa');
      await page.waitForURL(/\/mfa-bind$/);
      assert.equal(await page.getByAltText('MFA QR code').count(), 1);
      const secret = (await page.locator('#mfa-secret').innerText()).trim();
      const now = server.clock.now();
      await page.getByLabel('Verification code 1').fill(oathtoolCode(secret, new Date(now.getTime() - 30_000)));
      await page.getByLabel('Verification code 2').fill(oathtoolCode(secret, now));
      await page.getByRole('button', { name: 'Bind' }).click();
      await page.waitForURL(`${base}/sso/${dirName}/portal`);
      assert.match(await page.locator('.notice').innerText(), /do not have access permissions/);

      const again = await newPage();
      await signIn(again, 'mallory-mfa');
      await again.waitForURL(/\/mfa$/);
      await again.getByLabel('Verification code').fill(oathtoolCode(secret, new Date(server.clock.now().getTime() + 30_000)));
      await again.getByRole('button', { name: 'Verify' }).click();
      await again.waitForURL(`${base}/sso/${dirName}/portal`);
    } finally {
      await sso(server, 'UpdateMFAAuthenticationSettings', { DirectoryId: dir, MFAAuthenticationSettings: 'Disabled' });
    }
  });

  it('signs in as the provisioned RAM user from the RAM user tab', async () => {
    const bob = await ssoUser('bob');
    await sso(server, 'CreateUserProvisioning', {
      DirectoryId: dir,
      PrincipalType: 'User',
      PrincipalId: bob,
      TargetType: 'RD-Account',
      TargetId: member,
      DeletionStrategy: 'Delete',
      DuplicationStrategy: 'KeepBoth',
    });
    const page = await newPage();
    await signIn(page, 'bob');
    await page.getByRole('link', { name: 'Sign in as RAM user' }).click();
    await page.waitForURL(/[?&]tab=user/);
    for (let i = 0; i < 50 && (await page.getByRole('link', { name: `Log On to ${member} as RAM user` }).count()) === 0; i++) {
      await new Promise((r) => setTimeout(r, 200));
      await page.reload();
    }
    await page.getByRole('link', { name: `Log On to ${member} as RAM user` }).click();
    await page.getByRole('button', { name: 'Log On', exact: true }).waitFor();
    assert.equal(await page.getByLabel('Access Configuration Name').count(), 0, 'no configuration field for a RAM user');
    for (let i = 0; i < 50; i++) {
      await page.getByRole('button', { name: 'Log On', exact: true }).click();
      if (page.url().endsWith('/console')) break;
      await new Promise((r) => setTimeout(r, 200));
      await page.goto(`${base}/sso/${dirName}/logon?provisionUser=true&accountId=${member}`);
    }
    await page.waitForURL(`${base}/console`);
    const panel = await page.getByRole('region', { name: 'Identity' }).innerText();
    assert.match(panel, /bob@/);
    assert.match(panel, /RAM user/);
  });

  it('follows a RAM-user direct access link for a signed-out user', async () => {
    const page = await newPage();
    const landing = encodeURIComponent(`${base}/console?as=ram-user`);
    await signIn(page, 'bob', `${base}/sso/${dirName}/login?quickLogin=true&provisionUser=true&accountId=${member}&landingPage=${landing}`);
    await page.waitForURL(`${base}/console?as=ram-user`);
    const panel = await page.getByRole('region', { name: 'Identity' }).innerText();
    assert.match(panel, /bob@/);
    assert.match(panel, /RAM user/);
  });

  it('refuses sign-in from outside the directory\'s LoginNetworkMasks with a plain message', async () => {
    await sso(server, 'SetLoginPreference', { DirectoryId: dir, LoginNetworkMasks: '10.0.0.0/8' });
    try {
      const page = await newPage();
      await signIn(page, 'alice');
      assert.match(await page.getByRole('alert').innerText(), /network address/);
      assert.equal(await page.context().cookies().then((c) => c.some((x) => x.name === 'gh_portal')), false);
    } finally {
      await sso(server, 'SetLoginPreference', { DirectoryId: dir, LoginNetworkMasks: '' });
    }
  });

  it('ends the portal session and the role sessions entered from it at once when the user is disabled', async () => {
    const page = await newPage();
    await signIn(page, 'alice');
    await page.goto(`${base}/sso/${dirName}/logon?accountId=${member}&accessConfigurationId=${acId}`);
    await page.getByRole('button', { name: 'Log On', exact: true }).click();
    await page.waitForURL(`${base}/console`);
    await sso(server, 'UpdateUserStatus', { DirectoryId: dir, UserId: aliceId, NewStatus: 'Disabled' });
    try {
      await page.goto(`${base}/console`);
      assert.match(page.url(), /\/login\.htm$/);
      await page.goto(`${base}/sso/${dirName}/portal`);
      assert.match(page.url(), /\/login$/);
      await signIn(page, 'alice');
      assert.match(await page.getByRole('alert').innerText(), /disabled/);
    } finally {
      await sso(server, 'UpdateUserStatus', { DirectoryId: dir, UserId: aliceId, NewStatus: 'Enabled' });
    }
  });

  it('refuses a revoked assignment at the next sign-in', async () => {
    const { Task } = await sso(server, 'DeleteAccessAssignment', {
      DirectoryId: dir,
      AccessConfigurationId: acId,
      TargetType: 'RD-Account',
      TargetId: member,
      PrincipalType: 'User',
      PrincipalId: aliceId,
    });
    assert.equal((await waitTask(server, dir, Task.TaskId)).Status, 'Success');
    const page = await newPage();
    await signIn(page, 'alice');
    await page.goto(`${base}/sso/${dirName}/logon?accountId=${member}&accessConfigurationId=${acId}`);
    assert.match(await page.getByRole('alert').innerText(), /do not have this permission/);
    const direct = await page.goto(`${base}/sso/${dirName}/login?quickLogin=true&accountId=${member}&accessConfigurationName=ram-reader`);
    assert.equal(direct?.status(), 403);
    assert.equal(await page.getByRole('heading', { name: 'Insufficient Access' }).count(), 1);
  });
});
