import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/server.js';
import { Ram, expectApiError, ramClient } from '../support/sdk.js';

const trust = (principal: string): string =>
  JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: [principal] } }] });

describe('RAM roles', () => {
  let server: TestServer;
  let ram: any;
  before(async () => {
    server = await startServer();
    ram = ramClient(server.url, server.root);
  });
  after(async () => server.close());

  const getRole = async (name: string) => (await ram.getRole(new Ram.GetRoleRequest({ roleName: name }))).body.role;

  it('creates a role with its trust policy, ARN and default MaxSessionDuration', async () => {
    const document = trust(`acs:ram::${server.accountId}:root`);
    const created = (await ram.createRole(new Ram.CreateRoleRequest({ roleName: 'ops.Admin-1', assumeRolePolicyDocument: document, description: 'operators' }))).body.role;
    assert.match(created.roleId, /^\d+$/);
    assert.equal(created.roleName, 'ops.Admin-1');
    assert.equal(created.arn, `acs:ram::${server.accountId}:role/ops.Admin-1`);
    assert.equal(created.description, 'operators');
    assert.equal(created.assumeRolePolicyDocument, document);
    assert.equal(created.maxSessionDuration, 3600);
    assert.match(created.createDate, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);

    const got = await getRole('OPS.admin-1');
    assert.equal(got.roleId, created.roleId);
    assert.equal(got.roleName, 'ops.Admin-1');
    assert.equal(got.maxSessionDuration, 3600);
  });

  it('refuses a duplicate name regardless of case, and changes nothing', async () => {
    await ram.createRole(new Ram.CreateRoleRequest({ roleName: 'dup.Role-1', assumeRolePolicyDocument: trust('acs:ram::1:root') }));
    const error = await expectApiError(
      ram.createRole(new Ram.CreateRoleRequest({ roleName: 'DUP.ROLE-1', assumeRolePolicyDocument: trust('acs:ram::1:root'), maxSessionDuration: 7200 })),
    );
    assert.equal(error.code, 'EntityAlreadyExists.Role');
    assert.equal(error.statusCode, 409);
    assert.equal((await getRole('dup.Role-1')).maxSessionDuration, 3600);
  });

  it('validates names, descriptions, durations and the trust policy', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ roleName: 'bad_name', assumeRolePolicyDocument: trust('acs:ram::1:root') }, 'InvalidParameter.RoleName.InvalidChars'],
      [{ roleName: 'r'.repeat(65), assumeRolePolicyDocument: trust('acs:ram::1:root') }, 'InvalidParameter.RoleName.Length'],
      [{ roleName: 'x1', assumeRolePolicyDocument: trust('acs:ram::1:root'), description: 'd'.repeat(1025) }, 'InvalidParameter.Description.Length'],
      [{ roleName: 'x1', assumeRolePolicyDocument: trust('acs:ram::1:root'), maxSessionDuration: 3599 }, 'InvalidParameter.MaxSessionDuration'],
      [{ roleName: 'x1', assumeRolePolicyDocument: trust('acs:ram::1:root'), maxSessionDuration: 43201 }, 'InvalidParameter.MaxSessionDuration'],
      [{ roleName: 'x1', assumeRolePolicyDocument: '{not json' }, 'MalformedPolicyDocument'],
      [{ roleName: 'x1', assumeRolePolicyDocument: JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole' }] }) }, 'MalformedPolicyDocument'],
      [{ roleName: 'x1' }, 'MissingParameter.AssumeRolePolicyDocument'],
    ];
    for (const [request, code] of cases) {
      const error = await expectApiError(ram.createRole(new Ram.CreateRoleRequest(request)));
      assert.equal(error.code, code, JSON.stringify(request).slice(0, 80));
      assert.equal(error.statusCode, 400);
    }
    assert.equal((await expectApiError(ram.getRole(new Ram.GetRoleRequest({ roleName: 'x1' })))).code, 'EntityNotExist.Role');
  });

  it('accepts the longest session duration', async () => {
    const role = (await ram.createRole(new Ram.CreateRoleRequest({ roleName: 'long', assumeRolePolicyDocument: trust('acs:ram::1:root'), maxSessionDuration: 43200 }))).body.role;
    assert.equal(role.maxSessionDuration, 43200);
  });

  it('updates the trust policy, duration and description', async () => {
    await ram.createRole(new Ram.CreateRoleRequest({ roleName: 'upd.Role-1', assumeRolePolicyDocument: trust('acs:ram::1:root') }));
    const document = trust(`acs:ram::${server.accountId}:user/alice`);
    const updated = (
      await ram.updateRole(
        new Ram.UpdateRoleRequest({ roleName: 'upd.role-1', newAssumeRolePolicyDocument: document, newMaxSessionDuration: 7200, newDescription: 'new' }),
      )
    ).body.role;
    assert.equal(updated.assumeRolePolicyDocument, document);
    assert.equal(updated.maxSessionDuration, 7200);
    assert.equal(updated.description, 'new');
    const got = await getRole('upd.Role-1');
    assert.equal(got.maxSessionDuration, 7200);
    assert.equal(got.assumeRolePolicyDocument, document);

    const bad = await expectApiError(ram.updateRole(new Ram.UpdateRoleRequest({ roleName: 'upd.Role-1', newAssumeRolePolicyDocument: '[]', newMaxSessionDuration: 3600 })));
    assert.equal(bad.code, 'MalformedPolicyDocument');
    assert.equal((await getRole('upd.Role-1')).maxSessionDuration, 7200);
    const range = await expectApiError(ram.updateRole(new Ram.UpdateRoleRequest({ roleName: 'upd.Role-1', newMaxSessionDuration: 100 })));
    assert.equal(range.statusCode, 400);
    const missing = await expectApiError(ram.updateRole(new Ram.UpdateRoleRequest({ roleName: 'nobody', newDescription: 'x' })));
    assert.equal(missing.code, 'EntityNotExist.Role');
    assert.equal(missing.statusCode, 404);
  });

  it('lists roles in pages with an opaque marker', async () => {
    // ListRoles has no filter: the pages hold the roles other tests made too, known beforehand.
    const existing = (await ram.listRoles(new Ram.ListRolesRequest({ maxItems: 1000 }))).body.roles.role.map((r: any) => r.roleName);
    const names = ['page-a', 'page-b', 'page-c'];
    for (const name of names) {
      await ram.createRole(new Ram.CreateRoleRequest({ roleName: name, assumeRolePolicyDocument: trust('acs:ram::1:root') }));
    }
    const seen: string[] = [];
    let marker: string | undefined;
    for (let i = 0; i < 10; i++) {
      const body = (await ram.listRoles(new Ram.ListRolesRequest({ maxItems: 2, marker }))).body;
      seen.push(...body.roles.role.map((r: any) => r.roleName));
      assert.ok(body.roles.role.every((r: any) => r.arn && r.roleId && r.maxSessionDuration));
      if (!body.isTruncated) break;
      marker = body.marker;
    }
    assert.deepEqual([...seen].sort(), [...existing, ...names].sort());
    assert.deepEqual(seen.filter((name) => names.includes(name)), names);
    const bad = await expectApiError(ram.listRoles(new Ram.ListRolesRequest({ marker: 'not-ours' })));
    assert.equal(bad.code, 'InvalidParameter.Marker');
  });

  it('refuses to delete a role with attached policies, then deletes it once detached', async () => {
    await ram.createRole(new Ram.CreateRoleRequest({ roleName: 'del-a', assumeRolePolicyDocument: trust('acs:ram::1:root') }));
    await ram.attachPolicyToRole(new Ram.AttachPolicyToRoleRequest({ policyType: 'System', policyName: 'ReadOnlyAccess', roleName: 'del-a' }));
    const conflict = await expectApiError(ram.deleteRole(new Ram.DeleteRoleRequest({ roleName: 'del-a' })));
    assert.equal(conflict.code, 'DeleteConflict.Role.Policy');
    assert.equal(conflict.statusCode, 409);
    assert.equal((await getRole('del-a')).roleName, 'del-a');

    await ram.detachPolicyFromRole(new Ram.DetachPolicyFromRoleRequest({ policyType: 'System', policyName: 'ReadOnlyAccess', roleName: 'del-a' }));
    await ram.deleteRole(new Ram.DeleteRoleRequest({ roleName: 'DEL-A' }));
    assert.equal((await expectApiError(ram.getRole(new Ram.GetRoleRequest({ roleName: 'del-a' })))).code, 'EntityNotExist.Role');
    assert.equal((await expectApiError(ram.deleteRole(new Ram.DeleteRoleRequest({ roleName: 'del-a' })))).code, 'EntityNotExist.Role');
  });
});
