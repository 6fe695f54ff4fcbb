import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parsePolicyDocument, type PolicyKind } from '../../src/policy/document.js';
import { compiledSystemPolicy, findSystemPolicy, systemPolicies } from '../../src/policy/system-policies.js';

const allowAll = { Effect: 'Allow', Action: '*', Resource: '*' };
const trustAccount = { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: ['acs:ram::123456:root'] } };

function doc(...statements: unknown[]): string {
  return JSON.stringify({ Version: '1', Statement: statements });
}

function rejects(text: string, message: RegExp, kind: PolicyKind = 'permission'): void {
  const result = parsePolicyDocument(text, { kind });
  assert.equal(result.ok, false, `expected ${text} to be rejected`);
  if (result.ok) return;
  assert.equal(result.code, 'MalformedPolicyDocument');
  assert.match(result.message, message);
}

function accepts(text: string, kind: PolicyKind = 'permission'): void {
  const result = parsePolicyDocument(text, { kind });
  assert.ok(result.ok, result.ok ? '' : result.message);
}

describe('policy document grammar', () => {
  it('accepts a minimal permission policy, single strings and arrays alike', () => {
    accepts(doc(allowAll));
    accepts(doc({ Sid: 'Read', Effect: 'Deny', Action: ['ram:Get*', 'ram:List*'], Resource: ['acs:ram:*:123:user/*', 'acs:ram::123:role/x'] }));
    accepts(doc({ Effect: 'Allow', NotAction: 'ram:*', NotResource: 'acs:ram:*:123:user/admin' }));
    accepts(doc({ Effect: 'Allow', Action: 'ecs:Describe?nstances', Resource: 'acs:ecs:cn-hangzhou:123:instance/*', Condition: { Bool: { 'acs:SecureTransport': true } } }));
  });

  it('compiles the statements and splits them by effect', () => {
    const result = parsePolicyDocument(doc(allowAll, { Effect: 'Deny', Action: 'ram:DeleteUser', Resource: '*' }, allowAll));
    assert.ok(result.ok);
    assert.equal(result.policy.kind, 'permission');
    assert.equal(result.policy.statements.length, 3);
    assert.equal(result.policy.denies.length, 1);
    assert.equal(result.policy.allows.length, 2);
  });

  it('rejects text that is not a JSON object', () => {
    rejects('{"Version":"1",', /not valid JSON/);
    rejects('', /not valid JSON/);
    rejects('[]', /must be a JSON object/);
    rejects('"x"', /must be a JSON object/);
    rejects('null', /must be a JSON object/);
  });

  it('rejects a wrong or missing Version', () => {
    rejects(JSON.stringify({ Statement: [allowAll] }), /missing Version/);
    rejects(JSON.stringify({ Version: '2', Statement: [allowAll] }), /Version must be "1"/);
    rejects(JSON.stringify({ Version: 1, Statement: [allowAll] }), /Version must be "1"/);
    rejects(JSON.stringify({ Version: '2012-10-17', Statement: [allowAll] }), /Version must be "1"/);
  });

  it('rejects unknown top-level elements and a missing, non-array or empty Statement', () => {
    rejects(JSON.stringify({ Version: '1', Statement: [allowAll], Id: 'x' }), /unknown element Id/);
    rejects(JSON.stringify({ Version: '1' }), /missing Statement/);
    rejects(JSON.stringify({ Version: '1', Statement: allowAll }), /Statement must be an array/);
    rejects(JSON.stringify({ Version: '1', Statement: [] }), /at least one statement/);
    rejects(doc('Allow'), /Statement\[0\] must be an object/);
    rejects(doc(allowAll, null), /Statement\[1\] must be an object/);
  });

  it('rejects unknown statement elements and a non-string Sid', () => {
    rejects(doc({ ...allowAll, Effects: 'Allow' }), /Statement\[0\] has an unknown element Effects/);
    rejects(doc({ ...allowAll, Sid: 3 }), /Sid must be a string/);
  });

  it('rejects a missing or misspelt Effect', () => {
    rejects(doc({ Action: '*', Resource: '*' }), /missing Effect/);
    rejects(doc({ ...allowAll, Effect: 'allow' }), /Effect must be Allow or Deny/);
    rejects(doc({ ...allowAll, Effect: true }), /Effect must be Allow or Deny/);
  });

  it('rejects a missing Action, both Action and NotAction, and malformed actions', () => {
    rejects(doc({ Effect: 'Allow', Resource: '*' }), /missing Action/);
    rejects(doc({ ...allowAll, NotAction: 'ram:*' }), /both Action and NotAction/);
    rejects(doc({ ...allowAll, Action: [] }), /Action must not be empty/);
    rejects(doc({ ...allowAll, Action: 7 }), /Action must be a non-empty string/);
    rejects(doc({ ...allowAll, Action: ['ram:GetUser', null] }), /Action must be a non-empty string/);
    rejects(doc({ ...allowAll, Action: '' }), /Action must be a non-empty string/);
    rejects(doc({ ...allowAll, Action: 'GetUser' }), /Action GetUser is not of the form service:ActionName/);
    rejects(doc({ ...allowAll, Action: 'ram:Get:User' }), /not of the form/);
    rejects(doc({ ...allowAll, Action: 'ram: GetUser' }), /not of the form/);
    rejects(doc({ Effect: 'Allow', NotAction: 'x', Resource: '*' }), /NotAction x is not of the form/);
  });

  it('rejects a missing Resource, both Resource and NotResource, and resources that are not ARNs', () => {
    rejects(doc({ Effect: 'Allow', Action: '*' }), /missing Resource/);
    rejects(doc({ ...allowAll, NotResource: '*' }), /both Resource and NotResource/);
    rejects(doc({ ...allowAll, Resource: 'user/alice' }), /Resource user\/alice is not \* or an ARN/);
    rejects(doc({ ...allowAll, Resource: 'acs:ram:*:123' }), /not \* or an ARN/);
    rejects(doc({ ...allowAll, Resource: { arn: '*' } }), /Resource must be a non-empty string/);
    rejects(doc({ Effect: 'Allow', Action: '*', NotResource: [] }), /NotResource must not be empty/);
  });

  it('rejects a Principal in a permission or session policy', () => {
    rejects(doc({ ...allowAll, Principal: { RAM: '123' } }), /permission policy must not have Principal/);
    rejects(doc({ ...allowAll, Principal: { RAM: '123' } }), /must not have Principal/, 'session');
  });

  describe('trust policies', () => {
    it('accepts RAM, Service and Federated principals as strings or arrays', () => {
      accepts(doc(trustAccount), 'trust');
      accepts(doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: '123456', Service: ['ecs.aliyuncs.com'] } }), 'trust');
      accepts(doc({ Effect: 'Allow', Action: 'sts:AssumeRoleWithSAML', Principal: { Federated: 'acs:ram::123:saml-provider/okta' }, Condition: { StringEquals: { 'saml:recipient': 'https://signin.aliyun.com/saml-role/sso' } } }), 'trust');
      accepts(doc({ Effect: 'Deny', Action: ['sts:assumerole'], Principal: { RAM: ['acs:ram::123:user/mallory', 'acs:ram::123:role/*'] } }), 'trust');
    });

    it('requires a Principal and refuses a Resource or NotAction', () => {
      rejects(doc({ Effect: 'Allow', Action: 'sts:AssumeRole' }), /trust policy is missing Principal/, 'trust');
      rejects(doc({ ...trustAccount, Resource: '*' }), /trust policy must not have Resource/, 'trust');
      rejects(doc({ ...trustAccount, NotResource: '*' }), /trust policy must not have Resource/, 'trust');
      rejects(doc({ Effect: 'Allow', NotAction: 'sts:AssumeRole', Principal: { RAM: '123' } }), /Action, not NotAction/, 'trust');
    });

    it('allows only the AssumeRole actions', () => {
      rejects(doc({ ...trustAccount, Action: 'ram:GetUser' }), /ram:GetUser is not sts:AssumeRole/, 'trust');
      rejects(doc({ ...trustAccount, Action: 'sts:*' }), /sts:\* is not sts:AssumeRole/, 'trust');
      rejects(doc({ ...trustAccount, Action: '*' }), /is not sts:AssumeRole/, 'trust');
    });

    it('rejects malformed principals', () => {
      rejects(doc({ ...trustAccount, Principal: 'acs:ram::123:root' }), /Principal: must be an object/, 'trust');
      rejects(doc({ ...trustAccount, Principal: ['x'] }), /Principal: must be an object/, 'trust');
      rejects(doc({ ...trustAccount, Principal: {} }), /at least one of RAM, Service or Federated/, 'trust');
      rejects(doc({ ...trustAccount, Principal: { AWS: '123' } }), /unknown principal type AWS/, 'trust');
      rejects(doc({ ...trustAccount, Principal: { RAM: [] } }), /RAM must not be empty/, 'trust');
      rejects(doc({ ...trustAccount, Principal: { RAM: [5] } }), /RAM must be a non-empty string/, 'trust');
      rejects(doc({ ...trustAccount, Principal: { RAM: 'alice' } }), /RAM alice is neither an account ID nor a RAM ARN/, 'trust');
      rejects(doc({ ...trustAccount, Principal: { Service: '' } }), /Service must be a non-empty string/, 'trust');
      rejects(doc({ ...trustAccount, Principal: { Federated: 'okta' } }), /Federated okta is not an identity provider ARN/, 'trust');
    });
  });

  describe('conditions', () => {
    const withCondition = (condition: unknown): string => doc({ ...allowAll, Condition: condition });

    it('accepts every documented operator', () => {
      const values: Record<string, unknown> = {
        String: 'x',
        Numeric: ['1', 2.5, '-3'],
        Date: ['2026-01-01T00:00:00Z', '2026-01-01'],
        Bool: ['true', false],
        Ip: ['10.0.0.0/8', '192.168.1.1', '2001:db8::/32', '::1', '::ffff:10.0.0.0/104'],
      };
      const operators = [
        ['StringEquals', 'String'], ['StringNotEquals', 'String'], ['StringEqualsIgnoreCase', 'String'], ['StringNotEqualsIgnoreCase', 'String'],
        ['StringLike', 'String'], ['StringNotLike', 'String'],
        ['NumericEquals', 'Numeric'], ['NumericNotEquals', 'Numeric'], ['NumericLessThan', 'Numeric'], ['NumericLessThanEquals', 'Numeric'],
        ['NumericGreaterThan', 'Numeric'], ['NumericGreaterThanEquals', 'Numeric'],
        ['DateEquals', 'Date'], ['DateNotEquals', 'Date'], ['DateLessThan', 'Date'], ['DateLessThanEquals', 'Date'],
        ['DateGreaterThan', 'Date'], ['DateGreaterThanEquals', 'Date'],
        ['Bool', 'Bool'], ['IpAddress', 'Ip'], ['NotIpAddress', 'Ip'],
      ];
      for (const [operator, family] of operators) accepts(withCondition({ [operator!]: { 'acs:Key': values[family!] } }));
    });

    it('rejects unknown operators, including near misses and AWS-only ones', () => {
      rejects(withCondition({ StringEqual: { 'acs:Key': 'x' } }), /operator StringEqual is not supported/);
      rejects(withCondition({ stringequals: { 'acs:Key': 'x' } }), /operator stringequals is not supported/);
      rejects(withCondition({ ArnLike: { 'acs:Key': 'x' } }), /operator ArnLike is not supported/);
      rejects(withCondition({ toString: { 'acs:Key': 'x' } }), /operator toString is not supported/);
    });

    it('rejects conditions of the wrong shape', () => {
      rejects(withCondition('StringEquals'), /Condition must be an object/);
      rejects(withCondition([]), /Condition must be an object/);
      rejects(withCondition({ StringEquals: 'x' }), /must map condition keys to values/);
      rejects(withCondition({ StringEquals: {} }), /must map condition keys to values/);
      rejects(withCondition({ StringEquals: { '': 'x' } }), /empty key/);
      rejects(withCondition({ StringEquals: { 'acs:Key': [] } }), /has no values/);
      rejects(withCondition({ StringEquals: { 'acs:Key': { a: 1 } } }), /not a string, number or boolean/);
      rejects(withCondition({ StringEquals: { 'acs:Key': [null] } }), /not a string, number or boolean/);
    });

    it('rejects values the operator cannot compare', () => {
      rejects(withCondition({ NumericLessThan: { 'acs:Key': 'ten' } }), /NumericLessThan on acs:Key: ten is not a number/);
      rejects(withCondition({ NumericEquals: { 'acs:Key': '' } }), /is not a number/);
      rejects(withCondition({ DateLessThan: { 'acs:CurrentTime': 'tomorrow' } }), /tomorrow is not an ISO 8601 date/);
      rejects(withCondition({ DateLessThan: { 'acs:CurrentTime': '2026-13-45T00:00:00Z' } }), /is not an ISO 8601 date/);
      rejects(withCondition({ Bool: { 'acs:MFAPresent': 'yes' } }), /yes is not true or false/);
      for (const bad of ['256.1.1.1', '1.2.3', '1.2.3.4/33', '01.2.3.4', '1.2.3.4/', '1.2.3.4/08', '2001:db8::/129', '1:2:3:4:5:6:7:8:9', ':::1', '1::2::3', 'fe80::1%eth0', 'gggg::1', 'localhost']) {
        rejects(withCondition({ IpAddress: { 'acs:SourceIp': bad } }), /is not an IP address or CIDR block/);
      }
    });
  });

  describe('length limits', () => {
    function padded(length: number, kind: PolicyKind): string {
      const base = kind === 'trust' ? doc({ ...trustAccount, Sid: '' }) : doc({ ...allowAll, Sid: '' });
      return base.replace('"Sid":""', `"Sid":"${'x'.repeat(length - base.length)}"`);
    }

    it('takes a permission policy up to 6144 characters', () => {
      accepts(padded(6144, 'permission'));
      const result = parsePolicyDocument(padded(6145, 'permission'));
      assert.deepEqual(result.ok ? undefined : result.code, 'InvalidParameter.PolicyDocument.Length');
    });

    it('takes a trust policy up to 2048 characters, with its own code', () => {
      accepts(padded(2048, 'trust'), 'trust');
      const result = parsePolicyDocument(padded(2049, 'trust'), { kind: 'trust' });
      assert.equal(result.ok ? undefined : result.code, 'InvalidParameter.AssumeRolePolicyDocument.Length');
    });

    it('uses the PolicyDocument code for session policies and honours an explicit maxLength', () => {
      const session = parsePolicyDocument(padded(2049, 'session'), { kind: 'session' });
      assert.equal(session.ok ? undefined : session.code, 'InvalidParameter.PolicyDocument.Length');
      const custom = parsePolicyDocument(padded(101, 'permission'), { maxLength: 100 });
      assert.equal(custom.ok ? undefined : custom.code, 'InvalidParameter.PolicyDocument.Length');
      accepts(padded(2048, 'session'), 'session');
      assert.ok(parsePolicyDocument(padded(6500, 'permission'), { maxLength: 10_000 }).ok);
    });

    it('checks the length before the JSON, so an oversized document is a length error even when malformed', () => {
      const result = parsePolicyDocument('x'.repeat(7000));
      assert.equal(result.ok ? undefined : result.code, 'InvalidParameter.PolicyDocument.Length');
    });
  });
});

describe('system policies', () => {
  it('all parse, with a description and dates', () => {
    assert.ok(systemPolicies.length >= 9);
    for (const policy of systemPolicies) {
      assert.ok(compiledSystemPolicy(policy.name), policy.name);
      assert.ok(policy.description.length > 20, policy.name);
      assert.equal(policy.defaultVersion, 'v1');
      assert.ok(!Number.isNaN(Date.parse(policy.createDate)) && !Number.isNaN(Date.parse(policy.updateDate)));
    }
  });

  it('are found by name regardless of case, and compiled once', () => {
    assert.equal(findSystemPolicy('administratoraccess')?.name, 'AdministratorAccess');
    assert.equal(findSystemPolicy('ALIYUNRAMREADONLYACCESS')?.name, 'AliyunRAMReadOnlyAccess');
    assert.equal(findSystemPolicy('NoSuchPolicy'), undefined);
    assert.equal(compiledSystemPolicy('NoSuchPolicy'), undefined);
    assert.equal(compiledSystemPolicy('ReadOnlyAccess'), compiledSystemPolicy('readonlyaccess'));
  });

  it('include every policy the product relies on', () => {
    for (const name of [
      'AdministratorAccess', 'ReadOnlyAccess', 'AliyunRAMFullAccess', 'AliyunRAMReadOnlyAccess', 'AliyunCloudSSOFullAccess',
      'AliyunCloudSSOReadOnlyAccess', 'AliyunSTSAssumeRoleAccess', 'AliyunResourceDirectoryFullAccess', 'AliyunResourceDirectoryReadOnlyAccess',
    ]) {
      assert.ok(findSystemPolicy(name), name);
    }
  });
});
