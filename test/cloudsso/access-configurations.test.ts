import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/server.js';
import { Ram, expectApiError, ramClient, type Credentials } from '../support/sdk.js';
import { systemPolicies } from '../../src/policy/system-policies.js';
import { createDirectory, sso } from './access-support.js';

describe('CloudSSO access configurations', () => {
  let s: TestServer;
  let dir: string;
  before(async () => {
    s = await startServer();
    dir = await createDirectory(s);
  });
  after(async () => s?.close());

  const create = (q: Record<string, string | number>) => sso(s, 'CreateAccessConfiguration', { DirectoryId: dir, ...q });

  it('creates with defaults and reads it back', async () => {
    const { AccessConfiguration: ac } = await create({ AccessConfigurationName: 'Ops-Admin' });
    assert.match(ac.AccessConfigurationId, /^ac-[a-z0-9]{20}$/);
    assert.equal(ac.SessionDuration, 3600);
    assert.deepEqual(ac.StatusNotifications, []);
    assert.match(ac.CreateTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const got = await sso(s, 'GetAccessConfiguration', { DirectoryId: dir, AccessConfigurationId: ac.AccessConfigurationId });
    assert.equal(got.AccessConfiguration.AccessConfigurationName, 'Ops-Admin');
    const dup = await expectApiError(create({ AccessConfigurationName: 'ops-admin' }));
    assert.equal(dup.code, 'EntityAlreadyExists.AccessConfiguration');
    assert.equal(dup.statusCode, 409);
  });

  it('refuses every documented limit on create', async () => {
    const cases: Array<[Record<string, string | number>, string]> = [
      [{ AccessConfigurationName: 'a'.repeat(33) }, 'InvalidParameter.AccessConfigurationName'],
      [{ AccessConfigurationName: 'bad_name' }, 'InvalidParameter.AccessConfigurationName'],
      [{ AccessConfigurationName: 'x1', Description: 'd'.repeat(1025) }, 'InvalidParameter.Description'],
      [{ AccessConfigurationName: 'x2', SessionDuration: 899 }, 'InvalidParameter.SessionDuration'],
      [{ AccessConfigurationName: 'x3', SessionDuration: 43201 }, 'InvalidParameter.SessionDuration'],
      [{ AccessConfigurationName: 'x4', RelayState: 'https://evil.example.com/' }, 'InvalidParameter.RelayState'],
      [{ AccessConfigurationName: 'x5', RelayState: 'https://aliyun.com.evil.example/' }, 'InvalidParameter.RelayState'],
      [{ AccessConfigurationName: 'x6', RelayState: 'http://ecs.console.aliyun.com/' }, 'InvalidParameter.RelayState'],
      [{ AccessConfigurationName: 'x7', RelayState: '/console' }, 'InvalidParameter.RelayState'],
    ];
    for (const [q, code] of cases) {
      const e = await expectApiError(create(q));
      assert.equal(e.code, code, JSON.stringify(q));
      assert.equal(e.statusCode, 400);
    }
    const list = await sso(s, 'ListAccessConfigurations', { DirectoryId: dir, Filter: 'AccessConfigurationName sw x' });
    assert.equal(list.TotalCounts, 0);
    const ok = await create({ AccessConfigurationName: 'x8', SessionDuration: 43200, RelayState: 'https://ecs.console.aliyun.com/#/home' });
    assert.equal(ok.AccessConfiguration.RelayState, 'https://ecs.console.aliyun.com/#/home');
    const own = await create({ AccessConfigurationName: 'x9', RelayState: `${s.config.publicUrl}/console` });
    assert.equal(own.AccessConfiguration.RelayState, `${s.config.publicUrl}/console`);
  });

  it('UpdateAccessConfiguration refuses out-of-range values and changes nothing', async () => {
    const { AccessConfiguration: ac } = await create({ AccessConfigurationName: 'Upd', Description: 'first', SessionDuration: 7200 });
    const id = ac.AccessConfigurationId;
    const cases: Array<[Record<string, string | number>, string]> = [
      [{ NewSessionDuration: 899 }, 'InvalidParameter.NewSessionDuration'],
      [{ NewSessionDuration: 43201 }, 'InvalidParameter.NewSessionDuration'],
      [{ NewDescription: 'd'.repeat(1025) }, 'InvalidParameter.NewDescription'],
      [{ NewRelayState: 'https://example.org/' }, 'InvalidParameter.NewRelayState'],
      [{ NewDescription: 'changed', NewRelayState: 'javascript:alert(1)' }, 'InvalidParameter.NewRelayState'],
    ];
    for (const [q, code] of cases) {
      const e = await expectApiError(sso(s, 'UpdateAccessConfiguration', { DirectoryId: dir, AccessConfigurationId: id, ...q }));
      assert.equal(e.code, code, JSON.stringify(q));
      assert.equal(e.statusCode, 400);
    }
    const after = (await sso(s, 'GetAccessConfiguration', { DirectoryId: dir, AccessConfigurationId: id })).AccessConfiguration;
    assert.deepEqual(after, ac);
    const upd = await sso(s, 'UpdateAccessConfiguration', { DirectoryId: dir, AccessConfigurationId: id, NewSessionDuration: 900, NewDescription: 'second' });
    assert.equal(upd.AccessConfiguration.SessionDuration, 900);
    assert.equal(upd.AccessConfiguration.Description, 'second');
    // Nothing provisioned yet: nothing to re-provision.
    assert.deepEqual(upd.AccessConfiguration.StatusNotifications, []);
  });

  it('UpdateAccessConfiguration accepts the contract\'s maxima and a new RelayState', async () => {
    const { AccessConfiguration: ac } = await create({ AccessConfigurationName: 'Bounds', SessionDuration: 3600 });
    const ref = { DirectoryId: dir, AccessConfigurationId: ac.AccessConfigurationId };
    const description = 'D'.repeat(1024);
    const relay = 'https://oss.console.aliyun.com/overview';
    const upd = await sso(s, 'UpdateAccessConfiguration', { ...ref, NewSessionDuration: 43200, NewDescription: description, NewRelayState: relay });
    assert.equal(upd.AccessConfiguration.SessionDuration, 43200);
    assert.equal(upd.AccessConfiguration.Description, description);
    assert.equal(upd.AccessConfiguration.RelayState, relay);
    const got = (await sso(s, 'GetAccessConfiguration', ref)).AccessConfiguration;
    assert.equal(got.SessionDuration, 43200);
    assert.equal(got.Description, description);
    assert.equal(got.RelayState, relay);

    // One past each maximum is refused with the code naming the parameter, and the accepted values stay.
    for (const [q, code] of [
      [{ NewSessionDuration: 43201 }, 'InvalidParameter.NewSessionDuration'],
      [{ NewDescription: 'D'.repeat(1025) }, 'InvalidParameter.NewDescription'],
    ] as const) {
      const e = await expectApiError(sso(s, 'UpdateAccessConfiguration', { ...ref, ...q }));
      assert.equal(e.code, code);
      assert.equal(e.statusCode, 400);
    }
    assert.deepEqual((await sso(s, 'GetAccessConfiguration', ref)).AccessConfiguration, got);
  });

  it('holds up to 20 system policies and one inline policy', async () => {
    const { AccessConfiguration: ac } = await create({ AccessConfigurationName: 'Many' });
    const ref = { DirectoryId: dir, AccessConfigurationId: ac.AccessConfigurationId };
    const names = systemPolicies.map((p) => p.name);
    assert.ok(names.length >= 21);
    for (const name of names.slice(0, 20)) await sso(s, 'AddPermissionPolicyToAccessConfiguration', { ...ref, PermissionPolicyType: 'System', PermissionPolicyName: name });
    const over = await expectApiError(sso(s, 'AddPermissionPolicyToAccessConfiguration', { ...ref, PermissionPolicyType: 'System', PermissionPolicyName: names[20]! }));
    assert.equal(over.code, 'LimitExceeded.AccessConfiguration.SystemPolicy');
    assert.equal(over.statusCode, 409);
    const unknown = await expectApiError(sso(s, 'AddPermissionPolicyToAccessConfiguration', { ...ref, PermissionPolicyType: 'System', PermissionPolicyName: 'NoSuchPolicy' }));
    assert.equal(unknown.code, 'EntityNotExists.PermissionPolicy');

    const doc = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'ecs:Describe*', Resource: '*' }] });
    const tooLong = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'ecs:Describe*', Resource: '*' }], Pad: 'x' }).padEnd(4097, ' ');
    const long = await expectApiError(sso(s, 'AddPermissionPolicyToAccessConfiguration', { ...ref, PermissionPolicyType: 'Inline', PermissionPolicyName: 'p1', InlinePolicyDocument: tooLong }));
    assert.equal(long.code, 'InvalidParameter.InlinePolicyDocument');
    const bad = await expectApiError(sso(s, 'AddPermissionPolicyToAccessConfiguration', { ...ref, PermissionPolicyType: 'Inline', PermissionPolicyName: 'p1', InlinePolicyDocument: '{"Version":"1"}' }));
    assert.equal(bad.statusCode, 400);
    await sso(s, 'AddPermissionPolicyToAccessConfiguration', { ...ref, PermissionPolicyType: 'Inline', PermissionPolicyName: 'p1', InlinePolicyDocument: doc });
    const second = await expectApiError(sso(s, 'AddPermissionPolicyToAccessConfiguration', { ...ref, PermissionPolicyType: 'Inline', PermissionPolicyName: 'p2', InlinePolicyDocument: doc }));
    assert.equal(second.code, 'LimitExceeded.AccessConfiguration.InlinePolicy');

    const listed = await sso(s, 'ListPermissionPoliciesInAccessConfiguration', ref);
    assert.equal(listed.TotalCounts, 21);
    assert.equal(listed.PermissionPolicies.find((p: any) => p.PermissionPolicyType === 'Inline').PermissionPolicyDocument, doc);

    const doc2 = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'oss:Get*', Resource: '*' }] });
    await sso(s, 'UpdateInlinePolicyForAccessConfiguration', { ...ref, InlinePolicyName: 'p1', NewInlinePolicyDocument: doc2 });
    await sso(s, 'RemovePermissionPolicyFromAccessConfiguration', { ...ref, PermissionPolicyType: 'System', PermissionPolicyName: names[0]! });
    const gone = await expectApiError(sso(s, 'RemovePermissionPolicyFromAccessConfiguration', { ...ref, PermissionPolicyType: 'System', PermissionPolicyName: names[0]! }));
    assert.equal(gone.code, 'EntityNotExists.PermissionPolicy');

    const refused = await expectApiError(sso(s, 'DeleteAccessConfiguration', ref));
    assert.equal(refused.statusCode, 409);
    await sso(s, 'DeleteAccessConfiguration', { ...ref, ForceRemovePermissionPolicies: true });
    const missing = await expectApiError(sso(s, 'GetAccessConfiguration', ref));
    assert.equal(missing.code, 'EntityNotExists.AccessConfiguration');
    assert.equal(missing.statusCode, 404);
  });

  it('lists with Filter and NextToken paging', async () => {
    for (const n of ['pg-a', 'pg-b', 'pg-c']) await create({ AccessConfigurationName: n });
    const first = await sso(s, 'ListAccessConfigurations', { DirectoryId: dir, Filter: 'AccessConfigurationName sw PG-', MaxResults: 2 });
    assert.equal(first.TotalCounts, 3);
    assert.equal(first.IsTruncated, true);
    assert.deepEqual(first.AccessConfigurations.map((a: any) => a.AccessConfigurationName), ['pg-a', 'pg-b']);
    const next = await sso(s, 'ListAccessConfigurations', { DirectoryId: dir, Filter: 'AccessConfigurationName sw pg-', MaxResults: 2, NextToken: first.NextToken });
    assert.deepEqual(next.AccessConfigurations.map((a: any) => a.AccessConfigurationName), ['pg-c']);
    assert.equal(next.IsTruncated, false);
    const eq = await sso(s, 'ListAccessConfigurations', { DirectoryId: dir, Filter: 'AccessConfigurationName eq pg-b' });
    assert.equal(eq.TotalCounts, 1);
    const e = await expectApiError(sso(s, 'ListAccessConfigurations', { DirectoryId: dir, MaxResults: 101 }));
    assert.equal(e.code, 'InvalidParameter.MaxResults');
  });
});

describe('CloudSSO access authorization', () => {
  let s: TestServer;
  let dir: string;
  let ac1: string;
  let ac2: string;
  let reader: Credentials;
  let scoped: Credentials;

  async function ramUserWith(name: string, policy: { type: 'System' | 'Custom'; name: string }): Promise<Credentials> {
    const ram = ramClient(s.url, s.root);
    await ram.createUser(new Ram.CreateUserRequest({ userName: name }));
    await ram.attachPolicyToUser(new Ram.AttachPolicyToUserRequest({ userName: name, policyType: policy.type, policyName: policy.name }));
    const key = (await ram.createAccessKey(new Ram.CreateAccessKeyRequest({ userName: name }))).body.accessKey;
    return { accessKeyId: key.accessKeyId, accessKeySecret: key.accessKeySecret };
  }

  before(async () => {
    s = await startServer();
    dir = await createDirectory(s);
    ac1 = (await sso(s, 'CreateAccessConfiguration', { DirectoryId: dir, AccessConfigurationName: 'auth-1' })).AccessConfiguration.AccessConfigurationId;
    ac2 = (await sso(s, 'CreateAccessConfiguration', { DirectoryId: dir, AccessConfigurationName: 'auth-2' })).AccessConfiguration.AccessConfigurationId;
    reader = await ramUserWith('sso-reader', { type: 'System', name: 'AliyunCloudSSOReadOnlyAccess' });
    const ram = ramClient(s.url, s.root);
    await ram.createPolicy(
      new Ram.CreatePolicyRequest({
        policyName: 'only-auth-1',
        policyDocument: JSON.stringify({
          Version: '1',
          Statement: [{ Effect: 'Allow', Action: 'cloudsso:UpdateAccessConfiguration', Resource: `acs:cloudsso:*:*:directory/${dir}/access-configuration/${ac1}` }],
        }),
      }),
    );
    scoped = await ramUserWith('sso-scoped', { type: 'Custom', name: 'only-auth-1' });
  });
  after(async () => s?.close());

  it('AliyunCloudSSOReadOnlyAccess reads and cannot write', async () => {
    const list = await sso(s, 'ListAccessConfigurations', { DirectoryId: dir }, reader);
    assert.equal(list.TotalCounts, 2);
    await sso(s, 'GetAccessConfiguration', { DirectoryId: dir, AccessConfigurationId: ac1 }, reader);
    await sso(s, 'ListPermissionPoliciesInAccessConfiguration', { DirectoryId: dir, AccessConfigurationId: ac1 }, reader);
    await sso(s, 'ListTasks', { DirectoryId: dir }, reader);
    // The other test may have changed ac1's description; what counts is that the refused writes change nothing.
    const unchanged = (await sso(s, 'GetAccessConfiguration', { DirectoryId: dir, AccessConfigurationId: ac1 })).AccessConfiguration;
    for (const [action, q] of [
      ['CreateAccessConfiguration', { AccessConfigurationName: 'nope' }],
      ['UpdateAccessConfiguration', { AccessConfigurationId: ac1, NewDescription: 'x' }],
      ['DeleteAccessConfiguration', { AccessConfigurationId: ac1 }],
      ['AddPermissionPolicyToAccessConfiguration', { AccessConfigurationId: ac1, PermissionPolicyType: 'System', PermissionPolicyName: 'ReadOnlyAccess' }],
    ] as const) {
      const e = await expectApiError(sso(s, action, { DirectoryId: dir, ...q }, reader));
      assert.equal(e.code, 'NoPermission', action);
      assert.equal(e.statusCode, 403);
    }
    assert.deepEqual((await sso(s, 'GetAccessConfiguration', { DirectoryId: dir, AccessConfigurationId: ac1 })).AccessConfiguration, unchanged);
    assert.equal((await sso(s, 'ListAccessConfigurations', { DirectoryId: dir })).TotalCounts, 2, 'nothing created');
  });

  it('a policy on one access-configuration ARN allows that one only', async () => {
    const ok = await sso(s, 'UpdateAccessConfiguration', { DirectoryId: dir, AccessConfigurationId: ac1, NewDescription: 'scoped' }, scoped);
    assert.equal(ok.AccessConfiguration.Description, 'scoped');
    const denied = await expectApiError(sso(s, 'UpdateAccessConfiguration', { DirectoryId: dir, AccessConfigurationId: ac2, NewDescription: 'scoped' }, scoped));
    assert.equal(denied.code, 'NoPermission');
    const get = await expectApiError(sso(s, 'GetAccessConfiguration', { DirectoryId: dir, AccessConfigurationId: ac1 }, scoped));
    assert.equal(get.code, 'NoPermission');
  });
});
