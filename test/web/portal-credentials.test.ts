// The CloudSSO user portal over HTTP, as a browser drives it: Log On as RAM user reaches the RAM user that RAM user
// provisioning made for this user (never one that merely has a matching name); a changed credential (an
// administrator's reset, the user's own change, an MFA device removed) ends the user's portal session and the
// member-console sessions entered from it, on every node at once; the portal makes the user change a password an
// administrator marked for reset, or one older than the directory's MaxPasswordAge, before going on.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/server.js';
import { FormSession } from '../support/form-session.js';
import { Ram, createMember, memberRam, sso } from '../cloudsso/access-support.js';

const PASSWORD = 'Portal-Passw0rd!';
const NEW_PASSWORD = 'Changed-Passw0rd#';
const RESET_PASSWORD = 'Reset-Passw0rd!';
const DAY_MS = 24 * 3600 * 1000;

describe('CloudSSO user portal: RAM users and credentials', () => {
  let server: TestServer;
  let dir: string;
  let dirName: string;
  let member: string;
  let ram: any;
  const ids: Record<string, string> = {};

  async function ssoUser(name: string, options: { requireReset?: boolean } = {}): Promise<string> {
    const id = (await sso(server, 'CreateUser', { DirectoryId: dir, UserName: name })).User.UserId;
    await sso(server, 'ResetUserPassword', { DirectoryId: dir, UserId: id, Password: PASSWORD, RequirePasswordResetForNextLogin: options.requireReset ?? false });
    ids[name] = id;
    return id;
  }

  const provision = async (userId: string, deletion = 'Delete'): Promise<string> =>
    (
      await sso(server, 'CreateUserProvisioning', {
        DirectoryId: dir,
        PrincipalType: 'User',
        PrincipalId: userId,
        TargetType: 'RD-Account',
        TargetId: member,
        DeletionStrategy: deletion,
        DuplicationStrategy: 'KeepBoth',
      })
    ).UserProvisioning.UserProvisioningId;

  async function portalSignIn(node: TestServer, userName: string, password = PASSWORD): Promise<{ session: FormSession; res: Response }> {
    const session = new FormSession(node.url);
    await session.open(`/sso/${dirName}/login`);
    const res = await session.post(`/sso/${dirName}/login`, { username: userName, password });
    return { session, res };
  }

  async function signedIn(userName: string, node = server): Promise<FormSession> {
    const { session, res } = await portalSignIn(node, userName);
    assert.equal(res.headers.get('location'), `/sso/${dirName}/portal`, userName);
    // The browser follows the redirect: the portal's forms carry the token bound to the new session.
    assert.equal((await session.get(`/sso/${dirName}/portal`)).status, 200);
    return session;
  }

  /** Log On as RAM user: the member-console session's cookie, or the refusal's status. */
  async function logOnAsRamUser(session: FormSession): Promise<{ status: number; cookie?: string }> {
    const res = await session.post(`/sso/${dirName}/logon`, { accountId: member, provisionUser: 'true' });
    const token = res.headers.getSetCookie().find((c) => c.startsWith('gh_session='));
    return { status: res.status, cookie: token?.split(';')[0] };
  }

  /** The "Current Identity" the member console shows for a session (null when it sends the browser to log on). */
  async function consoleIdentity(cookie: string, node = server): Promise<string | null> {
    const res = await fetch(`${node.url}/console`, { redirect: 'manual', headers: { cookie } });
    if (res.status !== 200) return null;
    return /Current Identity<\/th><td>([^@<]+)@/.exec(await res.text())?.[1] ?? null;
  }

  const portalStatus = async (session: FormSession, node = server): Promise<number> =>
    (await fetch(`${node.url}/sso/${dirName}/portal`, { redirect: 'manual', headers: { cookie: session.cookieHeader() } })).status;

  before(async () => {
    server = await startServer();
    dirName = `portal-cred-${Math.random().toString(36).slice(2, 8)}`;
    dir = (await sso(server, 'CreateDirectory', { DirectoryName: dirName })).Directory.DirectoryId;
    await sso(server, 'UpdateMFAAuthenticationSettings', { DirectoryId: dir, MFAAuthenticationSettings: 'Disabled' });
    member = await createMember(server, 'portal-cred-member');
    ram = await memberRam(server, member);
  });
  after(async () => server?.close());

  it('logs each user on as the RAM user provisioned for them, whatever the names', async () => {
    // bob@corp.com is provisioned first, as RAM user bob-corp.com; bob-corp.com then gets bob-corp.com_sso.
    await provision(await ssoUser('bob@corp.com'));
    await provision(await ssoUser('bob-corp.com'));
    const names = (await ram.listUsers(new Ram.ListUsersRequest({}))).body.users.user.map((u: any) => u.userName).sort();
    assert.deepEqual(names.filter((n: string) => n.startsWith('bob')), ['bob-corp.com', 'bob-corp.com_sso']);

    const bob = await logOnAsRamUser(await signedIn('bob@corp.com'));
    assert.equal(bob.status, 303, 'bob@corp.com reaches his own RAM user');
    assert.equal(await consoleIdentity(bob.cookie!), 'bob-corp.com');
    const other = await logOnAsRamUser(await signedIn('bob-corp.com'));
    assert.equal(other.status, 303);
    assert.equal(await consoleIdentity(other.cookie!), 'bob-corp.com_sso', "bob-corp.com does not land as bob@corp.com's RAM user");
  });

  it('never hands out a RAM user that is not the provisioning record of this user', async () => {
    // carol's first provisioning kept its RAM user when deleted: RAM user carol is the member account's own now.
    const carolId = await ssoUser('carol');
    const first = await provision(carolId, 'Keep');
    await sso(server, 'DeleteUserProvisioning', { DirectoryId: dir, UserProvisioningId: first });
    // A manually created RAM user with the name of another CloudSSO user.
    await ram.createUser(new Ram.CreateUserRequest({ userName: 'dora' }));
    await ssoUser('dora');
    // Both are covered by a provisioning again, with nothing made for them yet: no RAM user at all.
    const group = (await sso(server, 'CreateGroup', { DirectoryId: dir, GroupName: 'named-alike' })).Group.GroupId;
    const carol = await signedIn('carol');
    const dora = await signedIn('dora');
    await sso(server, 'CreateUserProvisioning', {
      DirectoryId: dir,
      PrincipalType: 'Group',
      PrincipalId: group,
      TargetType: 'RD-Account',
      TargetId: member,
      DeletionStrategy: 'Delete',
      DuplicationStrategy: 'KeepBoth',
    });
    for (const id of [carolId, ids.dora!]) await sso(server, 'AddUserToGroup', { DirectoryId: dir, GroupId: group, UserId: id });
    // Joining the group provisioned them, beside the RAM users named like them.
    const viaGroup = await logOnAsRamUser(carol);
    assert.equal(viaGroup.status, 303);
    assert.equal(await consoleIdentity(viaGroup.cookie!), 'carol_sso', 'carol gets the RAM user made for her, not RAM user carol');
    const doraOwn = await logOnAsRamUser(dora);
    assert.equal(await consoleIdentity(doraOwn.cookie!), 'dora_sso', 'the manual RAM user dora is not handed to CloudSSO user dora');
  });

  it('refuses Log On as RAM user when nothing was provisioned for the user, even with a RAM user of that name', async () => {
    await ram.createUser(new Ram.CreateUserRequest({ userName: 'erin' }));
    await ram.createUser(new Ram.CreateUserRequest({ userName: 'erin_sso' }));
    await provision(await ssoUser('erin')); // fails: erin and erin_sso both exist
    const erin = await logOnAsRamUser(await signedIn('erin'));
    assert.equal(erin.status, 403);
    assert.equal(erin.cookie, undefined);
  });

  it("ends the user's portal and member-console sessions when an administrator resets the password", async () => {
    await provision(await ssoUser('frank'));
    const portal = await signedIn('frank');
    const consoleSession = await logOnAsRamUser(portal);
    assert.equal(await consoleIdentity(consoleSession.cookie!), 'frank');
    await ssoUser('reset-bystander');
    const bystander = await signedIn('reset-bystander');
    await sso(server, 'ResetUserPassword', { DirectoryId: dir, UserId: ids.frank, Password: 'Another-Passw0rd!' });
    assert.equal(await portalStatus(portal), 303, 'the portal session ended');
    assert.equal(await consoleIdentity(consoleSession.cookie!), null, 'the member-console session entered from it ended');
    assert.equal(await portalStatus(bystander), 200, "another user's session goes on");
    const old = await portalSignIn(server, 'frank');
    assert.equal(old.res.status, 400, 'the old password no longer works');
  });

  it('ends the sessions when an MFA device is removed', async () => {
    await ssoUser('gina');
    const { addMfaDevice } = await import('../../src/cloudsso/mfa.js');
    const db = server.gatehouse.services.store.db;
    const user = await db.selectFrom('cloudsso_users').selectAll().where('id', '=', ids.gina!).executeTakeFirstOrThrow();
    const device = await addMfaDevice(db, user, { name: 'phone', secretSealed: server.gatehouse.services.secrets.seal('JBSWY3DPEHPK3PXP'), lastUsedStep: 0 }, new Date().toISOString());
    const portal = await signedIn('gina');
    await sso(server, 'DeleteMFADeviceForUser', { DirectoryId: dir, UserId: ids.gina, MFADeviceId: device.id });
    assert.equal(await portalStatus(portal), 303);
  });

  it('makes the user change a password marked for reset, under the password policy, and ends their other sessions', async () => {
    await provision(await ssoUser('hank'));
    const earlier = await signedIn('hank');
    const consoleSession = await logOnAsRamUser(earlier);
    await sso(server, 'ResetUserPassword', { DirectoryId: dir, UserId: ids.hank, Password: RESET_PASSWORD, RequirePasswordResetForNextLogin: true });
    const { session, res } = await portalSignIn(server, 'hank', RESET_PASSWORD);
    assert.equal(res.headers.get('location'), `/sso/${dirName}/password-change`);
    assert.equal(session.cookieValue('gh_portal'), undefined, 'no portal session before the change');
    // The portal is not reachable on the way.
    assert.equal(await portalStatus(session), 303);
    const page = await session.get(`/sso/${dirName}/password-change`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /New password/);
    const weak = await session.post(`/sso/${dirName}/password-change`, { newPassword: 'short', confirmPassword: 'short' });
    assert.equal(weak.status, 400);
    const withName = await session.post(`/sso/${dirName}/password-change`, { newPassword: 'Hank-Passw0rd!', confirmPassword: 'Hank-Passw0rd!' });
    assert.equal(withName.status, 400, 'PasswordNotContainUsername');
    const reused = await session.post(`/sso/${dirName}/password-change`, { newPassword: RESET_PASSWORD, confirmPassword: RESET_PASSWORD });
    assert.equal(reused.status, 400, 'PasswordReusePrevention');
    const changed = await session.post(`/sso/${dirName}/password-change`, { newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD });
    assert.equal(changed.status, 303);
    assert.equal(changed.headers.get('location'), `/sso/${dirName}/portal`);
    assert.equal(await portalStatus(session), 200);
    assert.equal(await portalStatus(earlier), 303, 'the session from before the change ended');
    assert.equal(await consoleIdentity(consoleSession.cookie!), null);
    // Signed in again with the new password: no change asked this time.
    const again = await portalSignIn(server, 'hank', NEW_PASSWORD);
    assert.equal(again.res.headers.get('location'), `/sso/${dirName}/portal`);
  });

  it('ends a sign-in waiting at the change step when an administrator resets the password meanwhile', async () => {
    await ssoUser('ivy', { requireReset: true });
    const { session, res } = await portalSignIn(server, 'ivy');
    assert.equal(res.headers.get('location'), `/sso/${dirName}/password-change`);
    await sso(server, 'ResetUserPassword', { DirectoryId: dir, UserId: ids.ivy, Password: 'Admin-Chosen-Passw0rd!', RequirePasswordResetForNextLogin: true });
    const late = await session.post(`/sso/${dirName}/password-change`, { newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD });
    assert.equal(late.status, 403);
    assert.equal(session.cookieValue('gh_portal'), undefined);
    assert.equal((await portalSignIn(server, 'ivy', NEW_PASSWORD)).res.status, 400, 'the late change did not take');
  });

  it('makes the user change a password older than MaxPasswordAge', async () => {
    await ssoUser('jack');
    await sso(server, 'SetPasswordPolicy', { DirectoryId: dir, MaxPasswordAge: 30 });
    assert.equal((await portalSignIn(server, 'jack')).res.headers.get('location'), `/sso/${dirName}/portal`);
    // API calls are signed with the real time, so the clock goes back once the portal steps are done.
    server.clock.advance(31 * DAY_MS);
    try {
      const { session, res } = await portalSignIn(server, 'jack');
      assert.equal(res.headers.get('location'), `/sso/${dirName}/password-change`);
      const changed = await session.post(`/sso/${dirName}/password-change`, { newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD });
      assert.equal(changed.headers.get('location'), `/sso/${dirName}/portal`);
      assert.equal((await portalSignIn(server, 'jack', NEW_PASSWORD)).res.headers.get('location'), `/sso/${dirName}/portal`);
    } finally {
      server.clock.advance(-31 * DAY_MS);
      await sso(server, 'SetPasswordPolicy', { DirectoryId: dir, MaxPasswordAge: 90 });
    }
  });
});

describe('CloudSSO user portal on two nodes', () => {
  let a: TestServer;
  let b: TestServer;
  before(async () => {
    a = await startServer();
    b = await startServer({ shareWith: a });
  });
  after(async () => {
    await b?.close();
    await a?.close();
  });

  it('refuses on one node, right after the reset on the other, the portal session and the console session entered from it', async () => {
    const dirName = `two-nodes-${Math.random().toString(36).slice(2, 8)}`;
    const dir = (await sso(a, 'CreateDirectory', { DirectoryName: dirName })).Directory.DirectoryId;
    await sso(a, 'UpdateMFAAuthenticationSettings', { DirectoryId: dir, MFAAuthenticationSettings: 'Disabled' });
    const member = await createMember(a, 'two-nodes-member');
    const userId = (await sso(a, 'CreateUser', { DirectoryId: dir, UserName: 'kim' })).User.UserId;
    await sso(a, 'ResetUserPassword', { DirectoryId: dir, UserId: userId, Password: PASSWORD });
    await sso(a, 'CreateUserProvisioning', {
      DirectoryId: dir,
      PrincipalType: 'User',
      PrincipalId: userId,
      TargetType: 'RD-Account',
      TargetId: member,
      DeletionStrategy: 'Delete',
      DuplicationStrategy: 'KeepBoth',
    });
    const session = new FormSession(a.url);
    await session.open(`/sso/${dirName}/login`);
    assert.equal((await session.post(`/sso/${dirName}/login`, { username: 'kim', password: PASSWORD })).status, 303);
    await session.get(`/sso/${dirName}/portal`);
    const logon = await session.post(`/sso/${dirName}/logon`, { accountId: member, provisionUser: 'true' });
    const consoleCookie = logon.headers.getSetCookie().find((c) => c.startsWith('gh_session='))!.split(';')[0]!;
    const portalOn = async (node: TestServer): Promise<number> =>
      (await fetch(`${node.url}/sso/${dirName}/portal`, { redirect: 'manual', headers: { cookie: session.cookieHeader() } })).status;
    const consoleOn = async (node: TestServer): Promise<number> => (await fetch(`${node.url}/console`, { redirect: 'manual', headers: { cookie: consoleCookie } })).status;
    assert.equal(await portalOn(a), 200);
    assert.equal(await portalOn(b), 200);
    assert.equal(await consoleOn(a), 200);
    await sso(b, 'ResetUserPassword', { DirectoryId: dir, UserId: userId, Password: 'Another-Passw0rd!' });
    assert.equal(await portalOn(a), 303);
    assert.equal(await consoleOn(a), 303);
  });
});
