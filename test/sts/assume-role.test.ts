import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createAccount } from '../../src/accounts/accounts.js';
import { issueAccessKey } from '../../src/ram/access-keys-store.js';
import { apiTime } from '../../src/clock.js';
import { restoreClockAfterEach, startServer, type TestServer } from '../support/server.js';
import { Ram, Sts, expectApiError, ramClient, stsClient, type Credentials } from '../support/sdk.js';

const document = (...statements: object[]): string => JSON.stringify({ Version: '1', Statement: statements });
const trusting = (...principals: string[]): string => document({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: principals } });

describe('STS AssumeRole and GetCallerIdentity', () => {
  let server: TestServer;
  restoreClockAfterEach(() => server);
  let ram: any;
  let account: string;
  let caller: Credentials;
  let stranger: Credentials;
  let roleArn: string;
  let roleId: string;

  async function userKey(name: string, policies: string[]): Promise<Credentials> {
    await ram.createUser(new Ram.CreateUserRequest({ userName: name }));
    for (const p of policies) await ram.attachPolicyToUser(new Ram.AttachPolicyToUserRequest({ policyType: 'System', policyName: p, userName: name }));
    const key = (await ram.createAccessKey(new Ram.CreateAccessKeyRequest({ userName: name }))).body.accessKey;
    return { accessKeyId: key.accessKeyId, accessKeySecret: key.accessKeySecret };
  }

  const assume = (creds: Credentials, request: Record<string, unknown>, options?: { signatureAlgorithm: 'v2' }) =>
    stsClient(server.url, creds, options).assumeRole(new Sts.AssumeRoleRequest(request));

  const asSession = (body: any, options?: { signatureAlgorithm: 'v2' }): any =>
    ramClient(
      server.url,
      { accessKeyId: body.credentials.accessKeyId, accessKeySecret: body.credentials.accessKeySecret, securityToken: body.credentials.securityToken },
      options,
    );

  before(async () => {
    server = await startServer();
    account = server.accountId;
    ram = ramClient(server.url, server.root);
    const role = (
      await ram.createRole(new Ram.CreateRoleRequest({ roleName: 'Reader', assumeRolePolicyDocument: trusting(`acs:ram::${account}:root`), maxSessionDuration: 7200 }))
    ).body.role;
    roleArn = role.arn;
    roleId = role.roleId;
    await ram.attachPolicyToRole(new Ram.AttachPolicyToRoleRequest({ policyType: 'System', policyName: 'AliyunRAMReadOnlyAccess', roleName: 'Reader' }));
    await ram.createRole(new Ram.CreateRoleRequest({ roleName: 'alice-only', assumeRolePolicyDocument: trusting(`acs:ram::${account}:user/alice`) }));
    caller = await userKey('caller', ['AliyunSTSAssumeRoleAccess']);
    stranger = await userKey('stranger', []);
  });
  after(async () => server.close());

  it('issues role credentials to the root identity (V3 signature) that act within the role’s policies', async () => {
    const issuedAt = server.clock.freeze();
    const body = (await assume(server.root, { roleArn, roleSessionName: 'root-session' })).body;
    assert.match(body.credentials.accessKeyId, /^STS\./);
    assert.ok(body.credentials.accessKeySecret.length >= 20);
    assert.ok(body.credentials.securityToken.length > 20);
    assert.match(body.credentials.expiration, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    assert.equal(body.credentials.expiration, apiTime(new Date(issuedAt.getTime() + 3600_000).toISOString()), 'an hour by default');
    assert.equal(body.assumedRoleUser.assumedRoleId, `${roleId}:root-session`);
    assert.equal(body.assumedRoleUser.arn, `acs:ram::${account}:role/Reader/root-session`);

    const session = asSession(body);
    assert.equal((await session.getUser(new Ram.GetUserRequest({ userName: 'caller' }))).body.user.userName, 'caller');
    const denied = await expectApiError(session.createUser(new Ram.CreateUserRequest({ userName: 'by-role' })));
    assert.equal(denied.code, 'NoPermission');
    assert.equal(denied.statusCode, 403);

    const wrongToken = ramClient(server.url, { ...body.credentials, securityToken: 'CAISforged' });
    assert.match((await expectApiError(wrongToken.getUser(new Ram.GetUserRequest({ userName: 'caller' })))).code, /^InvalidSecurityToken/);
  });

  it('serves a RAM user signing with V1, and the session works with V1 too', async () => {
    const issuedAt = server.clock.freeze();
    const body = (await assume(caller, { roleArn, roleSessionName: 'ci@build_1.x', durationSeconds: 7200 }, { signatureAlgorithm: 'v2' })).body;
    assert.equal(body.credentials.expiration, apiTime(new Date(issuedAt.getTime() + 7200_000).toISOString()));
    const session = asSession(body, { signatureAlgorithm: 'v2' });
    // Only the roles made in \`before\`: the other tests add roles of their own to this account.
    const roles = (await session.listRoles(new Ram.ListRolesRequest({}))).body.roles.role.map((r: any) => r.roleName);
    assert.deepEqual(roles.filter((name: string) => ['Reader', 'alice-only'].includes(name)).sort(), ['Reader', 'alice-only']);
  });

  it('narrows the session with a session policy', async () => {
    const policy = document({ Effect: 'Allow', Action: ['ram:GetRole', 'ram:CreateUser'], Resource: '*' });
    const session = asSession((await assume(caller, { roleArn, roleSessionName: 'narrow', policy })).body);
    assert.equal((await session.getRole(new Ram.GetRoleRequest({ roleName: 'Reader' }))).body.role.roleName, 'Reader');
    // Outside the session policy, though the role allows it.
    assert.equal((await expectApiError(session.listRoles(new Ram.ListRolesRequest({})))).code, 'NoPermission');
    // Inside the session policy, but the role does not allow it: a session policy never widens.
    assert.equal((await expectApiError(session.createUser(new Ram.CreateUserRequest({ userName: 'widened' })))).code, 'NoPermission');

    const grammar = await expectApiError(assume(caller, { roleArn, roleSessionName: 'narrow', policy: '{"Version":"1","Statement":[]}' }));
    assert.equal(grammar.code, 'InvalidParameter.PolicyGrammar');
    assert.equal(grammar.statusCode, 400);
  });

  it('refuses the credentials once they expire', async () => {
    // The SDK stamps requests with the real time and the gateway allows 15 minutes of skew, so issue the session
    // with the server clock 850 s behind, then move it 60 s past the real time: the session has expired by then.
    server.clock.advance(-850_000);
    let body: any;
    try {
      body = (await assume(caller, { roleArn, roleSessionName: 'short', durationSeconds: 900 })).body;
      await asSession(body).getRole(new Ram.GetRoleRequest({ roleName: 'Reader' }));
    } finally {
      server.clock.advance(850_000 + 60_000);
    }
    try {
      assert.ok(Date.parse(body.credentials.expiration) < server.clock.now().getTime());
      const error = await expectApiError(asSession(body).getRole(new Ram.GetRoleRequest({ roleName: 'Reader' })));
      assert.equal(error.code, 'InvalidSecurityToken.Expired');
      assert.equal(error.statusCode, 400);
    } finally {
      server.clock.advance(-60_000);
    }
  });

  it('refuses a caller the trust policy does not name, and one without sts:AssumeRole', async () => {
    const untrusted = await expectApiError(assume(caller, { roleArn: `acs:ram::${account}:role/alice-only`, roleSessionName: 'nope' }));
    assert.equal(untrusted.code, 'NoPermission');
    assert.equal(untrusted.statusCode, 403);
    assert.match(untrusted.data.Message, /sts:AssumeRole/);
    assert.ok(untrusted.data.Message.includes(`acs:ram::${account}:role/alice-only`));

    const unauthorized = await expectApiError(assume(stranger, { roleArn, roleSessionName: 'nope' }));
    assert.equal(unauthorized.code, 'NoPermission');
    assert.ok(unauthorized.data.Message.includes(roleArn));
  });

  it('a trust policy requiring sts:ExternalId lets in only the caller that sends that value', async () => {
    const trust = document({
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Principal: { RAM: [`acs:ram::${account}:root`] },
      Condition: { StringEquals: { 'sts:ExternalId': 'partner-7c1e' } },
    });
    const arn = (await ram.createRole(new Ram.CreateRoleRequest({ roleName: 'partner', assumeRolePolicyDocument: trust }))).body.role.arn;
    for (const externalId of [undefined, 'partner-7c1f', 'PARTNER-7C1E']) {
      const refused = await expectApiError(assume(server.root, { roleArn: arn, roleSessionName: 'partner-session', externalId }));
      assert.equal(refused.code, 'NoPermission', String(externalId));
      assert.equal(refused.statusCode, 403);
      assert.ok(refused.data.Message.includes(arn));
    }
    const body = (await assume(server.root, { roleArn: arn, roleSessionName: 'partner-session', externalId: 'partner-7c1e' })).body;
    assert.match(body.credentials.accessKeyId, /^STS\./);
    assert.equal(body.assumedRoleUser.arn, `acs:ram::${account}:role/partner/partner-session`);
  });

  it('validates the role, session name and duration', async () => {
    const cases: Array<[Record<string, unknown>, string, number]> = [
      [{ roleArn: `acs:ram::${account}:role/ghost`, roleSessionName: 'ok-name' }, 'EntityNotExist.Role', 404],
      [{ roleArn: 'arn:aws:iam::1:role/x', roleSessionName: 'ok-name' }, 'InvalidParameter.RoleArn', 400],
      [{ roleArn, roleSessionName: 'x' }, 'InvalidParameter.RoleSessionName', 400],
      [{ roleArn, roleSessionName: 'bad name!' }, 'InvalidParameter.RoleSessionName', 400],
      [{ roleArn, roleSessionName: 'ok-name', durationSeconds: 899 }, 'InvalidParameter.DurationSeconds', 400],
      [{ roleArn, roleSessionName: 'ok-name', durationSeconds: 7201 }, 'InvalidParameter.DurationSeconds', 400],
      [{ roleArn: `acs:ram::${account}:role/alice-only`, roleSessionName: 'ok-name', durationSeconds: 3601 }, 'NoPermission', 403],
      [{ roleSessionName: 'ok-name' }, 'MissingParameter.RoleArn', 400],
    ];
    for (const [request, code, status] of cases) {
      const error = await expectApiError(assume(server.root, request));
      assert.equal(error.code, code, JSON.stringify(request));
      assert.equal(error.statusCode, status);
    }
    await ram.createRole(new Ram.CreateRoleRequest({ roleName: 'hour', assumeRolePolicyDocument: trusting(account) }));
    const error = await expectApiError(assume(server.root, { roleArn: `acs:ram::${account}:role/hour`, roleSessionName: 'ok-name', durationSeconds: 3601 }));
    assert.equal(error.code, 'InvalidParameter.DurationSeconds');
  });

  it('tells root, RAM users and role sessions who they are', async () => {
    const asRoot = (await stsClient(server.url, server.root).getCallerIdentity()).body;
    assert.equal(asRoot.identityType, 'Account');
    assert.equal(asRoot.accountId, account);
    assert.equal(asRoot.userId, account);
    assert.equal(asRoot.arn, `acs:ram::${account}:root`);

    const userId = (await ram.getUser(new Ram.GetUserRequest({ userName: 'caller' }))).body.user.userId;
    const asUser = (await stsClient(server.url, caller, { signatureAlgorithm: 'v2' }).getCallerIdentity()).body;
    assert.equal(asUser.identityType, 'RAMUser');
    assert.equal(asUser.userId, userId);
    assert.equal(asUser.principalId, userId);
    assert.equal(asUser.arn, `acs:ram::${account}:user/caller`);

    const creds = (await assume(caller, { roleArn, roleSessionName: 'who' })).body.credentials;
    const asRole = (await stsClient(server.url, creds).getCallerIdentity()).body;
    assert.equal(asRole.identityType, 'AssumedRoleUser');
    assert.equal(asRole.accountId, account);
    assert.equal(asRole.roleId, roleId);
    assert.equal(asRole.principalId, `${roleId}:who`);
    assert.match(asRole.arn, new RegExp(`^acs:ram::${account}:assumed-role/Reader/who$`));
  });

  it('lets another account’s root in only when the trust policy names that account', async () => {
    const { store, secrets, clock } = server.gatehouse.services;
    const now = clock.now().toISOString();
    const other = await createAccount(store.db, { displayName: 'Partner', alias: `partner-${randomBytes(4).toString('hex')}`, type: 'member', rootPasswordHash: null, now });
    const key = await issueAccessKey(store.db, secrets, { accountId: other.id, userId: null, now });
    const partner: Credentials = { accessKeyId: key.row.id, accessKeySecret: key.secret };

    const refused = await expectApiError(assume(partner, { roleArn, roleSessionName: 'partner' }));
    assert.equal(refused.code, 'NoPermission');

    await ram.createRole(new Ram.CreateRoleRequest({ roleName: 'partner-access', assumeRolePolicyDocument: trusting(`acs:ram::${other.id}:root`) }));
    await ram.attachPolicyToRole(new Ram.AttachPolicyToRoleRequest({ policyType: 'System', policyName: 'AliyunRAMReadOnlyAccess', roleName: 'partner-access' }));
    const body = (await assume(partner, { roleArn: `acs:ram::${account}:role/partner-access`, roleSessionName: 'partner' })).body;
    const session = asSession(body);
    // The session acts in the role's account, not the partner's.
    assert.equal((await session.getRole(new Ram.GetRoleRequest({ roleName: 'partner-access' }))).body.role.arn, `acs:ram::${account}:role/partner-access`);
    const identity = (await stsClient(server.url, body.credentials).getCallerIdentity()).body;
    assert.equal(identity.accountId, account);
  });
  it('lets a role session assume a role whose trust policy names the first role', async () => {
    await ram.attachPolicyToRole(new Ram.AttachPolicyToRoleRequest({ policyType: 'System', policyName: 'AliyunSTSAssumeRoleAccess', roleName: 'Reader' }));
    await ram.createRole(new Ram.CreateRoleRequest({ roleName: 'hop', assumeRolePolicyDocument: trusting(roleArn) }));
    const first = (await assume(caller, { roleArn, roleSessionName: 'first' })).body.credentials;
    const second = (await assume(first, { roleArn: `acs:ram::${account}:role/hop`, roleSessionName: 'second' })).body;
    assert.equal(second.assumedRoleUser.arn, `acs:ram::${account}:role/hop/second`);
    const identity = (await stsClient(server.url, second.credentials).getCallerIdentity()).body;
    assert.match(identity.arn, /:assumed-role\/hop\/second$/);
    // The trust policy names the role, not the user behind it.
    assert.equal((await expectApiError(assume(caller, { roleArn: `acs:ram::${account}:role/hop`, roleSessionName: 'direct' }))).code, 'NoPermission');
  });
});
