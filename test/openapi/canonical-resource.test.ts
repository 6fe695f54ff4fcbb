// Issue 12, finding 2: entities are found by name regardless of case, so a Deny written on an entity's stored name
// must hold however a request spells it. Generated from the action registry: every parameter declared as naming an
// entity (`naming` in src/openapi/params.ts) is tried in other cases against a Deny on the stored name, so a new
// action is covered the day it is declared. A parameter that reaches a resource ARN without being declared as
// naming an entity (or listed below as an identifier matched exactly) fails the first test, so it cannot slip past.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { actionRegistry } from '../../src/openapi/actions.js';
import { PRODUCT_VERSIONS, type ActionContext, type ActionDefinition } from '../../src/openapi/define-action.js';
import type { EntityKind } from '../../src/ram/entity-kind.js';
import type { EntityNaming, ParamSpec } from '../../src/openapi/params.js';
import { rootPrincipal } from '../../src/ram/principal.js';
import { idpMetadata, selfSignedCertificate } from '../cloudsso/saml-support.js';
import { FormSession } from '../support/form-session.js';
import { startServer, type TestServer } from '../support/server.js';
import { Ims, Ram, callApi, expectApiError, imsClient, ramClient, type Credentials } from '../support/sdk.js';

const VERSION_OF = Object.fromEntries(Object.entries(PRODUCT_VERSIONS).map(([version, product]) => [product, version]));
const registry = [...actionRegistry().values()];
const policy = (...statements: object[]): string => JSON.stringify({ Version: '1', Statement: statements });

/**
 * Parameters that reach an ARN as given, and may: identifiers looked up exactly as written (never by name in any case),
 * an enumeration parsed exactly, and MFA device names, which become serial numbers matched exactly.
 */
const EXACT_IDENTIFIERS = new Set([
  'DirectoryId', 'AccessConfigurationId', 'UserId', 'GroupId', 'AccountId', 'FolderId', 'SerialNumber', 'ResourceId', 'TaskId',
  'UserProvisioningId', 'ResourceType', 'VirtualMFADeviceName',
]);

/** Each kind's entity, created by root with the stored spelling below; the Deny names exactly these. */
const STORED: Record<EntityKind, { name: string; arn: (account: string) => string }> = {
  user: { name: 'CaseUser', arn: (a) => `acs:ram::${a}:user/CaseUser` },
  'user-principal': { name: 'CaseUser', arn: (a) => `acs:ram::${a}:user/CaseUser` },
  group: { name: 'CaseGroup', arn: (a) => `acs:ram::${a}:group/CaseGroup` },
  role: { name: 'CaseRole', arn: (a) => `acs:ram::${a}:role/CaseRole` },
  'role-arn': { name: 'CaseRole', arn: (a) => `acs:ram::${a}:role/CaseRole` },
  policy: { name: 'CasePolicy', arn: (a) => `acs:ram::${a}:policy/CasePolicy` },
  'saml-provider': { name: 'CaseIdp', arn: (a) => `acs:ram::${a}:saml-provider/CaseIdp` },
};

/** Valid values for the other required parameters, where a generic sample would not do. */
const SAMPLES: Record<string, string> = {
  PolicyType: 'Custom',
  VersionId: 'v1',
  AuthenticationCode1: '123456',
  AuthenticationCode2: '654321',
  PolicyDocument: policy({ Effect: 'Allow', Action: 'ecs:Describe*', Resource: '*' }),
  AssumeRolePolicyDocument: policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: ['acs:ram::1234567890123456:root'] } }),
  NewAssumeRolePolicyDocument: policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: ['acs:ram::1234567890123456:root'] } }),
  Password: 'Case-Passw0rd-Long!',
  RoleSessionName: 'probe',
  Tag: '[{"Key":"k","Value":"v"}]',
  UserAccessKeyId: 'LTAIcasecase',
  SerialNumber: 'acs:ram::1234567890123456:mfa/device',
  PasskeyId: 'pk-1',
  PasskeyName: 'key',
};

function genericSample(spec: ParamSpec<unknown>): string | undefined {
  const limits = spec.limits as { min?: number; max?: number; pattern?: string; enum?: string[]; example?: string };
  if (spec.kind === 'integer') return String(limits.min ?? 1);
  if (spec.kind === 'boolean') return 'false';
  if (spec.kind === 'list') return limits.example;
  if (limits.enum) return limits.enum[0];
  const min = limits.min ?? 1;
  return ['abc', 'ab1'.padEnd(min, 'b'), 'a'.repeat(Math.max(min, 2))].find(
    (c) => (!limits.pattern || new RegExp(limits.pattern).test(c)) && (!limits.max || c.length <= limits.max),
  );
}

const kindsOf = (naming: EntityNaming): readonly EntityKind[] => ('kind' in naming ? [naming.kind] : naming.kinds);

/**
 * The parameters whose values a declared resource ARN is built from, found by giving each parameter a value of its
 * own; undefined for an action without a declaration (its handler authorizes by itself, on whatever it names).
 */
async function paramsInArn(action: ActionDefinition, context: ActionContext): Promise<Set<string> | undefined> {
  if (!action.resource) return undefined;
  const marks = Object.fromEntries(Object.keys(action.params).map((name, i) => [name, `Mark${i}x`]));
  // A UserPrincipalName is authorized on its user-name part, so its mark carries a domain.
  const valueOf = (name: string, spec: ParamSpec<unknown>): string => (spec.names && kindsOf(spec.names).includes('user-principal') ? `${marks[name]}@probe.example` : marks[name]!);
  const params = Object.fromEntries(
    Object.entries(action.params).map(([name, spec]) => [name, spec.kind === 'list' ? [valueOf(name, spec)] : spec.kind === 'string' ? valueOf(name, spec) : undefined]),
  );
  const arns = [await action.resource(params as never, context)].flat().join(' ');
  return new Set(Object.keys(action.params).filter((name) => new RegExp(`[/:@]${marks[name]}(\\b|$)`).test(arns)));
}

interface Attempt {
  action: ActionDefinition;
  param: string;
  kind: EntityKind;
  spelling: 'UPPER' | 'lower';
}

/** Every (action, entity-naming parameter, kind, spelling) the registry declares. */
const declared: Attempt[] = registry.flatMap((action) =>
  Object.entries(action.params).flatMap(([param, spec]) =>
    spec.names ? kindsOf(spec.names).flatMap((kind) => (['UPPER', 'lower'] as const).map((spelling) => ({ action, param, kind, spelling }))) : [],
  ),
);

// Which parameters each declared ARN is built from is worked out before the tests are generated (an ARN built from an
// id looks the id up, so the server starts first).
const server: TestServer = await startServer();
const probe = {
  tx: server.gatehouse.services.store.db,
  accountId: server.accountId,
  caller: rootPrincipal(server.accountId),
  region: server.gatehouse.services.config.region,
} as unknown as ActionContext;
const inArn = new Map<ActionDefinition, Set<string> | undefined>();
for (const action of new Set(declared.map((a) => a.action))) inArn.set(action, await paramsInArn(action, probe));

/** The attempts that authorization sees: a parameter in the declared ARN, or any naming parameter of a self-authorizing action. */
const attempts = declared.filter((a) => inArn.get(a.action)?.has(a.param) ?? true);
/** Named but authorized on another resource by design (AddUserToGroup is authorized on the group, as in RAM). */
const notAuthorized = [...new Set(declared.filter((a) => !attempts.includes(a)).map((a) => `${a.action.product}:${a.action.name} ${a.param}`))];

describe('a Deny on an entity’s stored name holds however a request spells it', () => {
  let attacker: Credentials;
  let domain: string;

  /** Everything an action could change, to show that a refused call changed nothing. */
  async function snapshot(): Promise<string> {
    const db = server.gatehouse.services.store.db as any;
    const tables = ['ram_users', 'ram_groups', 'ram_group_members', 'ram_roles', 'ram_policies', 'ram_policy_versions', 'ram_policy_attachments',
      'ram_saml_providers', 'login_profiles', 'mfa_devices', 'passkeys', 'resource_tags', 'sts_sessions'];
    const out: Record<string, unknown> = {};
    for (const table of tables) out[table] = await db.selectFrom(table).selectAll().execute();
    out.access_keys = await db.selectFrom('access_keys').select(['id', 'user_id', 'status']).execute();
    return JSON.stringify(out, (_k, v) => (typeof v === 'bigint' ? String(v) : v));
  }

  before(async () => {
    domain = `${server.gatehouse.bootstrap.account.alias}.onaliyun.com`;
    const ram = ramClient(server.url, server.root);
    const account = server.accountId;
    await ram.createUser(new Ram.CreateUserRequest({ userName: STORED.user.name }));
    await ram.createGroup(new Ram.CreateGroupRequest({ groupName: STORED.group.name }));
    const trust = policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: [`acs:ram::${account}:root`] } });
    await ram.createRole(new Ram.CreateRoleRequest({ roleName: STORED.role.name, assumeRolePolicyDocument: trust }));
    await ram.createPolicy(new Ram.CreatePolicyRequest({ policyName: STORED.policy.name, policyDocument: SAMPLES.PolicyDocument }));
    const metadata = idpMetadata({ entityId: 'https://idp.example.com/case', post: 'https://idp.example.com/sso', certificates: [selfSignedCertificate('case-idp')] });
    await imsClient(server.url, server.root).createSAMLProvider(
      new Ims.CreateSAMLProviderRequest({ SAMLProviderName: STORED['saml-provider'].name, encodedSAMLMetadataDocument: metadata }),
    );

    // The attacker may do anything (its own policies allow *) except what the Deny names, spelled as stored.
    const denied = [...new Set(Object.values(STORED).map((s) => s.arn(account)))];
    await ram.createPolicy(new Ram.CreatePolicyRequest({ policyName: 'anything', policyDocument: policy({ Effect: 'Allow', Action: '*', Resource: '*' }) }));
    await ram.createPolicy(new Ram.CreatePolicyRequest({ policyName: 'not-these', policyDocument: policy({ Effect: 'Deny', Action: '*', Resource: denied }) }));
    await ram.createUser(new Ram.CreateUserRequest({ userName: 'attacker' }));
    for (const name of ['anything', 'not-these']) {
      await ram.attachPolicyToUser(new Ram.AttachPolicyToUserRequest({ policyType: 'Custom', policyName: name, userName: 'attacker' }));
    }
    const key = (await ram.createAccessKey(new Ram.CreateAccessKeyRequest({ userName: 'attacker' }))).body.accessKey;
    attacker = { accessKeyId: key.accessKeyId, accessKeySecret: key.accessKeySecret };
    await ram.createLoginProfile(new Ram.CreateLoginProfileRequest({ userName: 'attacker', password: SAMPLES.Password }));
  });
  after(async () => server.close());

  it('finds every parameter that reaches a resource ARN declared as naming an entity, or an exact identifier', async () => {
    const undeclared: string[] = [];
    for (const action of registry) {
      for (const name of (await paramsInArn(action, probe)) ?? []) {
        if (!action.params[name]!.names && !EXACT_IDENTIFIERS.has(name)) undeclared.push(`${action.product}:${action.name} ${name}`);
      }
    }
    assert.deepEqual(undeclared, [], 'these parameters reach an ARN but are not declared with naming() (nor listed as exact identifiers)');
  });

  it('knows how to set up every kind of entity the registry declares a parameter for', () => {
    const kinds = new Set(attempts.map((a) => a.kind));
    assert.ok(kinds.size > 0 && attempts.length > 100, `only ${attempts.length} attempts: the registry lost its naming declarations`);
    for (const kind of kinds) assert.ok(STORED[kind], `no entity set up for kind ${kind}: add it to STORED`);
    assert.deepEqual(notAuthorized.sort(), ['ims:AddUserToGroup UserPrincipalName', 'ims:RemoveUserFromGroup UserPrincipalName', 'ram:AddUserToGroup UserName', 'ram:RemoveUserFromGroup UserName']);
  });

  for (const attempt of attempts) {
    const { action, param, kind, spelling } = attempt;
    it(`${action.product}:${action.name} refuses ${param} in ${spelling} case (${kind})`, async () => {
      const stored = STORED[kind].name;
      const spelled = spelling === 'UPPER' ? stored.toUpperCase() : stored.toLowerCase();
      const value = (k: EntityKind, name: string): string =>
        k === 'user-principal' ? `${name}@${domain}` : k === 'role-arn' ? `acs:ram::${server.accountId}:role/${name}` : name;
      const query: Record<string, string> = {};
      for (const [name, spec] of Object.entries(action.params)) {
        if (name === param) {
          query[name] = spec.kind === 'list' ? JSON.stringify([value(kind, spelled)]) : value(kind, spelled);
          if (spec.names && 'kindFrom' in spec.names) query[spec.names.kindFrom] = kind;
        } else if (spec.names && spec.required) {
          // Another entity of the call: one that does not exist, which the attacker's Allow * covers.
          const other = kindsOf(spec.names)[0]!;
          query[name] = spec.kind === 'list' ? JSON.stringify([value(other, 'Free-one')]) : value(other, 'Free-one');
        } else if (spec.required || name === 'PolicyType') {
          query[name] ??= SAMPLES[name] ?? genericSample(spec) ?? assert.fail(`no sample value for ${action.name}.${name}: add one to SAMPLES`);
        }
      }
      const before = await snapshot();
      const error = await expectApiError(callApi(server.url, attacker, action.name, VERSION_OF[action.product]!, query));
      assert.equal(error.code, 'NoPermission', `${error.code}: ${error.data?.Message}`);
      assert.equal(error.statusCode, 403);
      assert.match(error.data.Message, new RegExp(`/${stored}(\\b|$)`), 'the refusal names the stored spelling');
      assert.equal(await snapshot(), before, 'a refused call changes nothing');
    });
  }

  describe('the RAM console pages', () => {
    let session: FormSession;
    before(async () => {
      session = new FormSession(server.url);
      await session.open();
      await session.post('/login/identify', { username: `attacker@${domain}` });
      await session.post('/login/password', { password: SAMPLES.Password });
      await session.post('/login/mfa-bind/skip', {});
      assert.equal((await session.get('/ram/users/attacker')).status, 200, 'the attacker is signed in to the console');
    });

    it('refuses the user page and the logon settings of the denied user named in another case', async () => {
      for (const name of ['CASEUSER', 'caseuser', 'CaseUser']) {
        assert.equal((await session.get(`/ram/users/${name}`)).status, 403, name);
        assert.equal((await session.get(`/ram/users/${name}/login-profile/new`)).status, 403, name);
      }
      const before = await snapshot();
      const enable = await session.post('/ram/users/CASEUSER/login-profile', { status: 'Active', passwordMode: 'custom', password: SAMPLES.Password });
      assert.equal(enable.status, 403);
      assert.match(await enable.text(), /user\/CaseUser/);
      assert.equal(await snapshot(), before, 'no login profile was made');
    });
  });
});
