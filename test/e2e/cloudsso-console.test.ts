// Seed 001's administrator journey in a real browser: the CloudSSO console builds the directory, users, groups,
// access configurations and multi-account assignments, and every page and form is authorized like the API.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startServer, type TestServer } from '../support/server.js';
import { Ram, ramClient } from '../support/sdk.js';
import { launchBrowser, ramUserLogon as logon, rootSignIn } from '../support/browser.js';
import { createMember, memberRam, sso, waitTasksSettled } from '../cloudsso/access-support.js';

const PASSWORD = 'Console-Passw0rd!';

describe('CloudSSO console', () => {
  let server: TestServer;
  let browser: Browser;
  let base: string;
  let admin: Page;
  let dir: string;
  let member: string;
  let userId: string;
  let acId: string;

  async function newPage(): Promise<Page> {
    return (await browser.newContext()).newPage();
  }

  const ramUserLogon = (page: Page, name: string): Promise<void> =>
    logon(page, base, `${name}@${server.gatehouse.bootstrap.account.alias}.onaliyun.com`, PASSWORD);

  /** Waits through the API until no task of the directory is InProgress, then reads the statuses the Tasks page shows. */
  async function waitTasks(page: Page, acName: string): Promise<string[]> {
    await waitTasksSettled(server, dir);
    await page.goto(page.url());
    const rows = page.getByRole('table', { name: 'Tasks' }).getByRole('row').filter({ hasText: acName });
    return rows.locator('[data-field="status"]').allInnerTexts();
  }

  before(async () => {
    server = await startServer();
    base = `http://localhost:${server.port}`;
    member = await createMember(server, 'Member One');
    browser = await launchBrowser();
    admin = await newPage();
    await rootSignIn(admin, base, server);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('sends a visitor without a session to the logon page', async () => {
    const page = await newPage();
    await page.goto(`${base}/cloudsso/users`);
    assert.equal(new URL(page.url()).pathname, '/login.htm');
  });

  it('creates the directory on the Overview page and shows the user portal Login URL', async () => {
    await admin.goto(`${base}/cloudsso`);
    await admin.getByLabel('Directory Name').fill('Bad_Name');
    await admin.getByRole('button', { name: 'Create Directory' }).click();
    assert.match(await admin.getByRole('alert').innerText(), /DirectoryName/);
    assert.equal((await sso(server, 'ListDirectories')).Directories.length, 0, 'nothing created');

    await admin.getByLabel('Directory Name').fill('console-dir');
    await admin.getByRole('button', { name: 'Create Directory' }).click();
    await admin.waitForURL(`${base}/cloudsso`);
    const loginUrl = admin.getByLabel('Login URL');
    assert.equal(await loginUrl.inputValue(), `${server.url}/sso/console-dir`);
    assert.equal(await loginUrl.getAttribute('readonly'), '');
    const directories = (await sso(server, 'ListDirectories')).Directories;
    assert.equal(directories[0].DirectoryName, 'console-dir');
    dir = directories[0].DirectoryId;
    assert.equal(await admin.locator('[data-field="directory-id"]').innerText(), dir);
  });

  it('creates a user, resets the password (a generated one shown once, a weak custom one refused) and disables the user', async () => {
    await admin.goto(`${base}/cloudsso/users`);
    await admin.getByLabel('User Name').fill('ann');
    await admin.getByLabel('Display Name').fill('Ann Admin');
    await admin.getByLabel('Email').fill('ann@example.com');
    await admin.getByLabel('Description').fill('first user');
    await admin.getByRole('button', { name: 'Create User' }).click();
    await admin.waitForURL(/\/cloudsso\/users\/u-/);
    userId = await admin.locator('[data-field="user-id"]').innerText();
    const user = (await sso(server, 'GetUser', { DirectoryId: dir, UserId: userId })).User;
    assert.equal(user.DisplayName, 'Ann Admin');
    assert.equal(user.Email, 'ann@example.com');

    await admin.getByLabel('Set a custom password').check();
    await admin.getByLabel('Custom Password', { exact: true }).fill('short');
    await admin.getByRole('button', { name: 'Reset Password' }).click();
    assert.match(await admin.getByRole('alert').innerText(), /Password/);

    await admin.getByLabel('Generate a random password').check();
    assert.equal(await admin.getByLabel('Require password reset at next logon').isChecked(), true);
    await admin.getByRole('button', { name: 'Reset Password' }).click();
    const password = await admin.getByLabel('New Password').inputValue();
    assert.equal(password.length, 32);
    assert.match(await admin.getByRole('status').innerText(), /shown only once/);
    await admin.getByRole('link', { name: 'Back to the user' }).click();
    assert.ok(!(await admin.content()).includes(password), 'the password is not shown again');

    await admin.getByRole('button', { name: 'Disable' }).click();
    await admin.waitForURL(`${base}/cloudsso/users/${userId}`);
    assert.equal(await admin.locator('[data-field="status"]').innerText(), 'Disabled');
    assert.equal((await sso(server, 'GetUser', { DirectoryId: dir, UserId: userId })).User.Status, 'Disabled');
    await admin.getByRole('region', { name: 'MFA Devices' }).getByText('No MFA devices.').waitFor();

    await sso(server, 'CreateUser', { DirectoryId: dir, UserName: 'bob' });
    await admin.goto(`${base}/cloudsso/users`);
    await admin.getByLabel('Filter').fill('an');
    await admin.getByRole('button', { name: 'Search' }).click();
    const table = await admin.getByRole('table', { name: 'Users' }).innerText();
    assert.match(table, /ann/);
    assert.doesNotMatch(table, /bob/);
  });

  it('pages the user list', async () => {
    for (let i = 0; i < 20; i++) await sso(server, 'CreateUser', { DirectoryId: dir, UserName: `pager-${String(i).padStart(2, '0')}` });
    await admin.goto(`${base}/cloudsso/users`);
    const first = await admin.getByRole('table', { name: 'Users' }).innerText();
    await admin.getByRole('link', { name: 'Next page' }).click();
    const second = await admin.getByRole('table', { name: 'Users' }).innerText();
    assert.match(first, /ann/);
    assert.doesNotMatch(second, /ann/);
    assert.match(second, /pager-19/);
  });

  it('creates a group and adds the user', async () => {
    await admin.goto(`${base}/cloudsso/groups`);
    await admin.getByLabel('Group Name').fill('ops');
    await admin.getByLabel('Description').fill('operators');
    await admin.getByRole('button', { name: 'Create Group' }).click();
    await admin.waitForURL(/\/cloudsso\/groups\/g-/);
    await admin.getByLabel('User').selectOption({ label: 'ann' });
    await admin.getByRole('button', { name: 'Add Member' }).click();
    await admin.getByRole('table', { name: 'Members' }).getByRole('link', { name: 'ann' }).waitFor();
    const groupId = new URL(admin.url()).pathname.split('/').pop()!;
    const members = (await sso(server, 'ListGroupMembers', { DirectoryId: dir, GroupId: groupId })).GroupMembers;
    assert.deepEqual(members.map((m: any) => m.UserName), ['ann']);
    await admin.goto(`${base}/cloudsso/users/${userId}`);
    await admin.getByRole('table', { name: 'Joined groups' }).getByRole('link', { name: 'ops' }).waitFor();
  });

  it('creates an access configuration (899 seconds refused, nothing saved) and adds a system policy', async () => {
    await admin.goto(`${base}/cloudsso/access-configurations`);
    await admin.getByLabel('Access Configuration Name').fill('ecs-admin');
    await admin.getByLabel('Description').fill('ECS administrators');
    await admin.getByLabel(/^Session Duration/).fill('899');
    await admin.getByRole('button', { name: 'Create Access Configuration' }).click();
    assert.match(await admin.getByRole('alert').innerText(), /SessionDuration.*900 and 43200/);
    assert.equal((await sso(server, 'ListAccessConfigurations', { DirectoryId: dir })).TotalCounts, 0);
    assert.equal(await admin.getByLabel('Access Configuration Name').inputValue(), 'ecs-admin', 'the form keeps what was typed');

    await admin.getByLabel(/^Session Duration/).fill('3600');
    await admin.getByRole('button', { name: 'Create Access Configuration' }).click();
    await admin.waitForURL(/\/cloudsso\/access-configurations\/ac-/);
    acId = new URL(admin.url()).pathname.split('/').pop()!;
    await admin.getByLabel('System Policy').selectOption('AliyunECSFullAccess');
    await admin.getByRole('button', { name: 'Add System Policy' }).click();
    await admin.getByRole('table', { name: 'Permission policies' }).getByText('AliyunECSFullAccess').waitFor();
    const policies = (await sso(server, 'ListPermissionPoliciesInAccessConfiguration', { DirectoryId: dir, AccessConfigurationId: acId })).PermissionPolicies;
    assert.deepEqual(policies.map((p: any) => p.PermissionPolicyName), ['AliyunECSFullAccess']);

    await admin.getByLabel('Inline Policy Name').fill('ecs-extra');
    await admin.getByLabel('Policy Document').fill('{"Version": "1", "Statement": [');
    await admin.getByRole('button', { name: 'Add Inline Policy' }).click();
    await admin.getByRole('alert').waitFor();
    const count = async (): Promise<number> =>
      (await sso(server, 'ListPermissionPoliciesInAccessConfiguration', { DirectoryId: dir, AccessConfigurationId: acId })).TotalCounts;
    assert.equal(await count(), 1, 'nothing saved');
    const doc = (action: string) => JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });
    await admin.getByLabel('Policy Document').fill(doc('oss:GetObject'));
    await admin.getByRole('button', { name: 'Add Inline Policy' }).click();
    await admin.getByRole('table', { name: 'Permission policies' }).getByText('Inline').waitFor();
    await admin.getByLabel('Policy Document').fill(doc('oss:ListObjects'));
    await admin.getByRole('button', { name: 'Replace Inline Policy' }).click();
    await admin.waitForURL(`${base}/cloudsso/access-configurations/${acId}`);
    const inline = (await sso(server, 'ListPermissionPoliciesInAccessConfiguration', { DirectoryId: dir, AccessConfigurationId: acId })).PermissionPolicies.find(
      (p: any) => p.PermissionPolicyType === 'Inline',
    );
    assert.equal(inline.PermissionPolicyName, 'ecs-extra');
    assert.match(inline.PermissionPolicyDocument, /oss:ListObjects/);
  });

  it('assigns the configuration on a member account to the user and follows the task to Success', async () => {
    await admin.goto(`${base}/cloudsso/permissions`);
    await admin.getByLabel(`Member One (${member})`).check();
    await admin.getByLabel('ecs-admin').check();
    await admin.getByLabel('User: ann').check();
    await admin.getByRole('button', { name: 'Assign' }).click();
    await admin.waitForURL(`${base}/cloudsso/tasks`);
    assert.deepEqual(await waitTasks(admin, 'ecs-admin'), ['Success']);

    const ram = await memberRam(server, member);
    const role = await ram.getRole(new Ram.GetRoleRequest({ roleName: 'AliyunReservedSSO-ecs-admin' }));
    assert.equal(role.body.role.roleName, 'AliyunReservedSSO-ecs-admin');
    await admin.goto(`${base}/cloudsso/permissions/${member}`);
    const assignments = await admin.getByRole('table', { name: 'Access assignments' }).innerText();
    assert.match(assignments, /ecs-admin\s+User\s+ann/);
  });

  it('edits the configuration: 43201 seconds refused; a change shows "Re-provision required" until Re-provision', async () => {
    await admin.goto(`${base}/cloudsso/access-configurations/${acId}`);
    await admin.getByLabel(/^Session Duration/).fill('43201');
    await admin.getByRole('button', { name: 'Save' }).click();
    assert.match(await admin.getByRole('alert').innerText(), /NewSessionDuration/);
    assert.equal((await sso(server, 'GetAccessConfiguration', { DirectoryId: dir, AccessConfigurationId: acId })).AccessConfiguration.SessionDuration, 3600);

    await admin.getByLabel(/^Session Duration/).fill('7200');
    await admin.getByLabel('Description', { exact: true }).fill('ECS admins, two hours');
    await admin.getByLabel('Initial Page').fill('https://ecs.console.aliyun.com');
    await admin.getByRole('button', { name: 'Save' }).click();
    await admin.waitForURL(`${base}/cloudsso/access-configurations/${acId}`);
    assert.equal(await admin.locator('[data-field="session-duration"]').innerText(), '7200');
    // Stored as the redirect rule normalizes it: the root path made explicit.
    assert.equal(await admin.locator('[data-field="relay-state"]').innerText(), 'https://ecs.console.aliyun.com/');
    await admin.getByText('Re-provision required').waitFor();

    await admin.goto(`${base}/cloudsso/access-configurations`);
    const row = admin.locator('tr[data-ac="ecs-admin"]');
    await row.getByText('Re-provision required').waitFor();
    await row.getByRole('button', { name: 'Re-provision ecs-admin' }).click();
    await admin.waitForURL(/\/cloudsso\/tasks/);
    assert.deepEqual(await waitTasks(admin, 'ecs-admin'), ['Success', 'Success']);
    await admin.goto(`${base}/cloudsso/access-configurations`);
    assert.equal(await admin.getByText('Re-provision required').count(), 0);
    assert.equal(await admin.getByRole('button', { name: 'Re-provision ecs-admin' }).count(), 0);
    const ac = (await sso(server, 'GetAccessConfiguration', { DirectoryId: dir, AccessConfigurationId: acId })).AccessConfiguration;
    assert.deepEqual(ac.StatusNotifications, []);
    const ram = await memberRam(server, member);
    const role = await ram.getRole(new Ram.GetRoleRequest({ roleName: 'AliyunReservedSSO-ecs-admin' }));
    assert.equal(role.body.role.maxSessionDuration, 7200);
  });

  it('assigns one configuration to a user and a group at once (one task each, the second once the first has ended) and removes an assignment', async () => {
    await sso(server, 'CreateAccessConfiguration', { DirectoryId: dir, AccessConfigurationName: 'vpc-admin' });
    await admin.goto(`${base}/cloudsso/permissions`);
    await admin.getByLabel(`Member One (${member})`).check();
    await admin.getByLabel('vpc-admin').check();
    await admin.getByLabel('User: ann').check();
    await admin.getByLabel('Group: ops').check();
    await admin.getByRole('button', { name: 'Assign' }).click();
    // The configuration and account take one task at a time: the user's task runs, the group waits on the Tasks page.
    await admin.waitForURL(/\/cloudsso\/tasks\?waiting=/);
    const waiting = admin.getByRole('region', { name: 'Waiting assignments' });
    assert.deepEqual(await waiting.getByRole('listitem').allInnerTexts(), [`vpc-admin for Group: ops on account ${member}`]);
    const vpcTasks = admin.getByRole('table', { name: 'Tasks' }).getByRole('row').filter({ hasText: 'vpc-admin' });
    assert.equal(await vpcTasks.count(), 1);
    assert.match(await vpcTasks.innerText(), /User: ann/);
    // Once the task has ended, the reloaded page offers to assign the waiting group.
    assert.deepEqual(await waitTasks(admin, 'vpc-admin'), ['Success']);
    await waiting.getByRole('button', { name: 'Assign the waiting ones' }).click();
    await admin.waitForURL(`${base}/cloudsso/tasks`);
    assert.deepEqual(await waitTasks(admin, 'vpc-admin'), ['Success', 'Success']);
    // A waiting list edited in the address keeps only what can be an assignment; the Tasks page still shows.
    const edited = `${member}:${'x'.repeat(65)}:User:u-1,${member}:ac-1:Role:u-1,${member}:a c:User:u-1`;
    await admin.goto(`${base}/cloudsso/tasks?waiting=${encodeURIComponent(edited)}`);
    assert.equal(await admin.getByRole('region', { name: 'Waiting assignments' }).count(), 0);
    assert.equal(await admin.getByRole('table', { name: 'Tasks' }).getByRole('row').filter({ hasText: 'vpc-admin' }).count(), 2);

    await admin.goto(`${base}/cloudsso/permissions/${member}`);
    const table = await admin.getByRole('table', { name: 'Access assignments' }).innerText();
    assert.match(table, /vpc-admin\s+User\s+ann/);
    assert.match(table, /vpc-admin\s+Group\s+ops/);
    await admin.getByRole('button', { name: 'Remove vpc-admin from ann' }).click();
    await admin.waitForURL(`${base}/cloudsso/tasks`);
    assert.deepEqual(await waitTasks(admin, 'vpc-admin'), ['Success', 'Success', 'Success']);
    const left = (await sso(server, 'ListAccessAssignments', { DirectoryId: dir, TargetType: 'RD-Account', TargetId: member })).AccessAssignments;
    assert.deepEqual(
      left.map((a: any) => `${a.AccessConfigurationName}:${a.PrincipalType}:${a.PrincipalName}`).sort(),
      ['ecs-admin:User:ann', 'vpc-admin:Group:ops'],
    );
  });

  it('answers a RAM user without CloudSSO permissions with the 403 page naming the action and resource', async () => {
    const ram = ramClient(server.url, server.root);
    await ram.createUser(new Ram.CreateUserRequest({ userName: 'nobody' }));
    await ram.createLoginProfile(new Ram.CreateLoginProfileRequest({ userName: 'nobody', password: PASSWORD }));
    const page = await newPage();
    await ramUserLogon(page, 'nobody');
    const response = await page.goto(`${base}/cloudsso`);
    assert.equal(response?.status(), 403);
    assert.match(
      await page.getByRole('alert').innerText(),
      new RegExp(`^You are not authorized to do this action\\. Action: cloudsso:ListDirectories, Resource: acs:cloudsso:[a-z0-9-]+:${server.accountId}:directory/\\*$`),
    );
    assert.equal((await page.goto(`${base}/cloudsso/users/${userId}`))?.status(), 403);
  });

  it('saves MFA and password policy settings, refuses out-of-range values with nothing saved', async () => {
    await admin.goto(`${base}/cloudsso/settings`);
    assert.equal(await admin.getByRole('region', { name: 'SSO Logon' }).locator('[data-field="logon-method"]').innerText(), 'Username and password');
    await admin.getByLabel('Set per user').check();
    await admin.getByRole('button', { name: 'Save MFA Settings' }).click();
    await admin.waitForURL(`${base}/cloudsso/settings`);
    assert.equal((await sso(server, 'GetMFAAuthenticationSettings', { DirectoryId: dir })).MFAAuthenticationAdvanceSettings, 'Byuser');
    assert.equal(await admin.getByLabel('Set per user').isChecked(), true);

    await admin.getByLabel(/^Minimum Password Length/).fill('12');
    await admin.getByLabel(/^Password Reuse Prevention/).fill('3');
    await admin.getByRole('button', { name: 'Save Password Policy' }).click();
    await admin.waitForURL(`${base}/cloudsso/settings`);
    let policy = (await sso(server, 'GetPasswordPolicy', { DirectoryId: dir })).PasswordPolicy;
    assert.equal(policy.MinPasswordLength, 12);
    assert.equal(policy.PasswordReusePrevention, 3);

    await admin.getByLabel(/^Minimum Password Length/).fill('33');
    await admin.getByLabel(/^Password Reuse Prevention/).fill('5');
    await admin.getByRole('button', { name: 'Save Password Policy' }).click();
    assert.match(await admin.getByRole('region', { name: 'Password Policy' }).getByRole('alert').innerText(), /MinPasswordLength/);
    assert.equal(await admin.getByLabel(/^Minimum Password Length/).inputValue(), '33', 'the form keeps what was typed');
    policy = (await sso(server, 'GetPasswordPolicy', { DirectoryId: dir })).PasswordPolicy;
    assert.equal(policy.MinPasswordLength, 12);
    assert.equal(policy.PasswordReusePrevention, 3);

    await admin.goto(`${base}/cloudsso/settings`);
    await admin.getByLabel(/^Logon Network Masks/).fill('10.0.0.0/33');
    await admin.getByRole('button', { name: 'Save Login Preference' }).click();
    assert.match(await admin.getByRole('region', { name: 'Login Preference' }).getByRole('alert').innerText(), /LoginNetworkMasks/);
    await admin.getByLabel(/^Logon Network Masks/).fill('10.0.0.0/8');
    await admin.getByLabel(/^Allow users to get access credentials/).uncheck();
    await admin.getByRole('button', { name: 'Save Login Preference' }).click();
    await admin.waitForURL(`${base}/cloudsso/settings`);
    const preference = (await sso(server, 'GetLoginPreference', { DirectoryId: dir })).LoginPreference;
    assert.deepEqual(preference, { LoginNetworkMasks: '10.0.0.0/8', AllowUserToGetCredentials: false });
  });

  it('creates a SCIM credential whose secret is shown once, then disables and deletes it', async () => {
    await admin.goto(`${base}/cloudsso/settings`);
    await admin.getByRole('button', { name: 'Create SCIM Credential' }).click();
    const secret = await admin.getByLabel('Credential Secret').inputValue();
    assert.ok(secret.length >= 20);
    const credentials = (await sso(server, 'ListSCIMServerCredentials', { DirectoryId: dir })).SCIMServerCredentials;
    assert.equal(credentials.length, 1);
    const id = credentials[0].CredentialId;
    await admin.goto(`${base}/cloudsso/settings`);
    assert.equal(await admin.getByLabel('Credential Secret').count(), 0);
    assert.ok(!(await admin.content()).includes(secret));
    await admin.getByRole('button', { name: `Disable ${id}` }).click();
    await admin.waitForURL(`${base}/cloudsso/settings`);
    assert.equal(await admin.locator(`tr[data-credential="${id}"] [data-field="credential-status"]`).innerText(), 'Disabled');
    await admin.getByRole('button', { name: `Delete ${id}` }).click();
    await admin.waitForURL(`${base}/cloudsso/settings`);
    assert.equal((await sso(server, 'ListSCIMServerCredentials', { DirectoryId: dir })).SCIMServerCredentials.length, 0);
  });

  it('shows a read-only RAM user the pages without write buttons and refuses its forged POSTs with 403', async () => {
    const ram = ramClient(server.url, server.root);
    await ram.createUser(new Ram.CreateUserRequest({ userName: 'ssoreader' }));
    await ram.createLoginProfile(new Ram.CreateLoginProfileRequest({ userName: 'ssoreader', password: PASSWORD }));
    await ram.attachPolicyToUser(new Ram.AttachPolicyToUserRequest({ policyType: 'System', policyName: 'AliyunCloudSSOReadOnlyAccess', userName: 'ssoreader' }));
    const reader = await newPage();
    await ramUserLogon(reader, 'ssoreader');

    await reader.goto(`${base}/cloudsso`);
    assert.equal(await reader.getByLabel('Login URL').inputValue(), `${server.url}/sso/console-dir`);
    await reader.goto(`${base}/cloudsso/users`);
    await reader.getByRole('link', { name: 'ann', exact: true }).waitFor();
    assert.equal(await reader.getByRole('button', { name: 'Create User' }).count(), 0);
    await reader.goto(`${base}/cloudsso/users/${userId}`);
    await reader.getByRole('region', { name: 'Basic Information' }).waitFor();
    for (const name of ['Reset Password', 'Enable', 'Disable', 'Delete User']) assert.equal(await reader.getByRole('button', { name, exact: true }).count(), 0, name);
    await reader.goto(`${base}/cloudsso/groups`);
    assert.equal(await reader.getByRole('button', { name: 'Create Group' }).count(), 0);
    await reader.goto(`${base}/cloudsso/access-configurations/${acId}`);
    await reader.getByRole('table', { name: 'Permission policies' }).waitFor();
    for (const name of ['Save', 'Add System Policy', 'Add Inline Policy', 'Replace Inline Policy', 'Remove AliyunECSFullAccess', 'Re-provision ecs-admin', 'Delete Access Configuration']) {
      assert.equal(await reader.getByRole('button', { name }).count(), 0, name);
    }
    await reader.goto(`${base}/cloudsso/permissions`);
    await reader.getByRole('table', { name: 'Accounts' }).waitFor();
    assert.equal(await reader.getByRole('button', { name: 'Assign' }).count(), 0);
    await reader.goto(`${base}/cloudsso/permissions/${member}`);
    assert.equal(await reader.getByRole('button', { name: /^Remove/ }).count(), 0);
    await reader.goto(`${base}/cloudsso/tasks`);
    await reader.getByRole('table', { name: 'Tasks' }).waitFor();
    await reader.goto(`${base}/cloudsso/settings`);
    assert.equal(await reader.getByRole('button', { name: /^Save|^Create SCIM/ }).count(), 0);

    // The token of the page the reader is on (bound to the reader's session), so only authorization can refuse.
    const csrf = await reader.locator('input[name="_csrf"]').first().getAttribute('value');
    assert.ok(csrf);
    const users = (await sso(server, 'ListUsers', { DirectoryId: dir })).TotalCounts;
    const forged = await reader.request.post(`${base}/cloudsso/users`, { form: { _csrf: csrf, UserName: 'mallory' }, maxRedirects: 0 });
    assert.equal(forged.status(), 403);
    assert.match(
      await forged.text(),
      new RegExp(`You are not authorized to do this action\\. Action: cloudsso:CreateUser, Resource: acs:cloudsso:[a-z0-9-]+:${server.accountId}:directory/${dir}/user/\\*`),
    );
    assert.equal((await sso(server, 'ListUsers', { DirectoryId: dir })).TotalCounts, users);
    const settings = await reader.request.post(`${base}/cloudsso/settings/password-policy`, { form: { _csrf: csrf, MinPasswordLength: '20' }, maxRedirects: 0 });
    assert.equal(settings.status(), 403);
    assert.equal((await sso(server, 'GetPasswordPolicy', { DirectoryId: dir })).PasswordPolicy.MinPasswordLength, 12);
    const noCsrf = await admin.request.post(`${base}/cloudsso/users`, { form: { UserName: 'nocsrf' }, maxRedirects: 0 });
    assert.equal(noCsrf.status(), 403);
  });

  it('deletes a user, a group and an access configuration once confirmed; refuses one still assigned, deleting nothing', async () => {
    const temp = (await sso(server, 'CreateUser', { DirectoryId: dir, UserName: 'temp' })).User.UserId;
    const group = (await sso(server, 'CreateGroup', { DirectoryId: dir, GroupName: 'temp-group' })).Group.GroupId;
    const spare = (await sso(server, 'CreateAccessConfiguration', { DirectoryId: dir, AccessConfigurationName: 'spare' })).AccessConfiguration.AccessConfigurationId;
    const userNames = async (): Promise<string[]> => (await sso(server, 'ListUsers', { DirectoryId: dir, MaxResults: 100 })).Users.map((u: any) => u.UserName);

    // The server insists on the confirmation too, not only the browser's required checkbox.
    await admin.goto(`${base}/cloudsso/users/${temp}`);
    const csrf = await admin.locator('input[name="_csrf"]').first().getAttribute('value');
    const unconfirmed = await admin.request.post(`${base}/cloudsso/users/${temp}/delete`, { form: { _csrf: csrf! }, maxRedirects: 0 });
    assert.equal(unconfirmed.status(), 400);
    assert.ok((await userNames()).includes('temp'));

    await admin.goto(`${base}/cloudsso/users/${temp}`);
    await admin.getByLabel('I understand that temp is deleted and cannot be restored').check();
    await admin.getByRole('button', { name: 'Delete User' }).click();
    await admin.waitForURL(`${base}/cloudsso/users`);
    assert.ok(!(await userNames()).includes('temp'));

    await admin.goto(`${base}/cloudsso/groups/${group}`);
    await admin.getByLabel('I understand that temp-group is deleted and cannot be restored').check();
    await admin.getByRole('button', { name: 'Delete Group' }).click();
    await admin.waitForURL(`${base}/cloudsso/groups`);
    assert.equal((await sso(server, 'ListGroups', { DirectoryId: dir })).Groups.filter((g: any) => g.GroupId === group).length, 0);

    // ecs-admin is assigned on the member account: the API's refusal is shown and the configuration stays.
    await admin.goto(`${base}/cloudsso/access-configurations/${acId}`);
    await admin.getByLabel('I understand that ecs-admin is deleted and cannot be restored').check();
    await admin.getByRole('button', { name: 'Delete Access Configuration' }).click();
    assert.equal(await admin.getByRole('alert').innerText(), 'The access configuration is still assigned. Delete the assignments first.');
    assert.equal((await sso(server, 'GetAccessConfiguration', { DirectoryId: dir, AccessConfigurationId: acId })).AccessConfiguration.AccessConfigurationName, 'ecs-admin');

    await admin.goto(`${base}/cloudsso/access-configurations/${spare}`);
    await admin.getByLabel('I understand that spare is deleted and cannot be restored').check();
    await admin.getByRole('button', { name: 'Delete Access Configuration' }).click();
    await admin.waitForURL(`${base}/cloudsso/access-configurations`);
    const names = (await sso(server, 'ListAccessConfigurations', { DirectoryId: dir })).AccessConfigurations.map((a: any) => a.AccessConfigurationName);
    assert.ok(names.includes('ecs-admin') && !names.includes('spare'));
  });
});
