import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parsePolicyDocument, type CompiledPolicy } from '../../src/policy/document.js';
import { evaluatePolicies, evaluateTrustPolicy, type RequestContext, type RequestPrincipal } from '../../src/policy/evaluate.js';
import { compiledSystemPolicy } from '../../src/policy/system-policies.js';
import { matchGlob } from '../../src/policy/wildcard.js';

const ACCOUNT = '1234567890123456';
const USER_ALICE = `acs:ram:*:${ACCOUNT}:user/alice`;

function policy(...statements: unknown[]): CompiledPolicy {
  const result = parsePolicyDocument(JSON.stringify({ Version: '1', Statement: statements }));
  if (!result.ok) throw new Error(result.message);
  return result.policy;
}

function trust(...statements: unknown[]): CompiledPolicy {
  const result = parsePolicyDocument(JSON.stringify({ Version: '1', Statement: statements }), { kind: 'trust' });
  if (!result.ok) throw new Error(result.message);
  return result.policy;
}

function decide(policies: CompiledPolicy | CompiledPolicy[], action: string, resource: string, context: RequestContext = {}): string {
  return evaluatePolicies(Array.isArray(policies) ? policies : [policies], { action, resource, context }).effect;
}

describe('actions and resources', () => {
  it('denies implicitly when no policy applies', () => {
    assert.equal(decide([], 'ram:GetUser', USER_ALICE), 'ImplicitDeny');
    assert.equal(decide(policy({ Effect: 'Allow', Action: 'ram:GetUser', Resource: '*' }), 'ram:CreateUser', USER_ALICE), 'ImplicitDeny');
  });

  it('matches actions case-insensitively, with * and ?', () => {
    const p = policy({ Effect: 'Allow', Action: ['ram:Get*', 'ecs:?tartInstance', 'oss:*Object', 'vpc:Describe*Vpc?'], Resource: '*' });
    assert.equal(decide(p, 'ram:GetUser', USER_ALICE), 'Allow');
    assert.equal(decide(p, 'RAM:getuser', USER_ALICE), 'Allow');
    assert.equal(decide(p, 'ram:Get', USER_ALICE), 'Allow');
    assert.equal(decide(p, 'ram:ListUsers', USER_ALICE), 'ImplicitDeny');
    assert.equal(decide(p, 'ecs:StartInstance', '*'), 'Allow');
    assert.equal(decide(p, 'ecs:tartInstance', '*'), 'ImplicitDeny');
    assert.equal(decide(p, 'ecs:XXtartInstance', '*'), 'ImplicitDeny');
    assert.equal(decide(p, 'oss:PutObject', '*'), 'Allow');
    assert.equal(decide(p, 'oss:PutObjectAcl', '*'), 'ImplicitDeny');
    assert.equal(decide(p, 'vpc:DescribeRouterVpcs', '*'), 'Allow');
    assert.equal(decide(p, 'vpc:DescribeVpc', '*'), 'ImplicitDeny');
  });

  it('matches action wildcards across the service part', () => {
    const p = policy({ Effect: 'Allow', Action: ['*:List*', 'r?m:GetRole'], Resource: '*' });
    assert.equal(decide(p, 'ecs:ListTagResources', '*'), 'Allow');
    assert.equal(decide(p, 'cloudsso:ListUsers', '*'), 'Allow');
    assert.equal(decide(p, 'ram:GetRole', '*'), 'Allow');
    assert.equal(decide(p, 'ram:GetUser', '*'), 'ImplicitDeny');
  });

  it('matches resources case-sensitively, * spanning / and :', () => {
    const p = policy({ Effect: 'Allow', Action: 'ram:*', Resource: [`acs:ram:*:${ACCOUNT}:user/a?ice`, `acs:ram:*:${ACCOUNT}:group/dev-*`] });
    assert.equal(decide(p, 'ram:GetUser', USER_ALICE), 'Allow');
    assert.equal(decide(p, 'ram:GetUser', `acs:ram:*:${ACCOUNT}:user/Alice`), 'ImplicitDeny');
    assert.equal(decide(p, 'ram:GetUser', `acs:ram:*:${ACCOUNT}:user/aalice`), 'ImplicitDeny');
    assert.equal(decide(p, 'ram:GetGroup', `acs:ram:*:${ACCOUNT}:group/dev-ops/sub:x`), 'Allow');
    assert.equal(decide(p, 'ram:GetGroup', `acs:ram:*:${ACCOUNT}:group/DEV-ops`), 'ImplicitDeny');
    assert.equal(decide(p, 'ram:GetUser', `acs:ram:*:999:user/alice`), 'ImplicitDeny');
    const anyAccount = policy({ Effect: 'Allow', Action: 'ram:*', Resource: 'acs:ram:*:*:user/*' });
    assert.equal(decide(anyAccount, 'ram:GetUser', `acs:ram:*:999:user/bob`), 'Allow');
    assert.equal(decide(anyAccount, 'ram:GetRole', `acs:ram:*:999:role/bob`), 'ImplicitDeny');
  });

  it('treats an empty region in a policy ARN as the literal * region of RAM resources', () => {
    const p = policy({ Effect: 'Allow', Action: 'ram:*', Resource: [`acs:ram::${ACCOUNT}:role/deployer`, `acs:ram::${ACCOUNT}:user/dev-*`, `acs:ram::${ACCOUNT}:group/*-ops`] });
    assert.equal(decide(p, 'ram:GetRole', `acs:ram::${ACCOUNT}:role/deployer`), 'Allow');
    assert.equal(decide(p, 'ram:GetRole', `acs:ram:*:${ACCOUNT}:role/deployer`), 'Allow');
    assert.equal(decide(p, 'ram:GetUser', `acs:ram:*:${ACCOUNT}:user/dev-1`), 'Allow');
    assert.equal(decide(p, 'ram:GetGroup', `acs:ram:*:${ACCOUNT}:group/sec-ops`), 'Allow');
    assert.equal(decide(p, 'ram:GetRole', `acs:ram:cn-hangzhou:${ACCOUNT}:role/deployer`), 'ImplicitDeny');
    assert.equal(decide(p, 'ram:GetRole', `acs:ram:*:${ACCOUNT}:role/deployer2`), 'ImplicitDeny');
    assert.equal(decide(p, 'ram:GetGroup', `acs:ram:*:${ACCOUNT}:group/sec-opsx`), 'ImplicitDeny');
    const star = policy({ Effect: 'Allow', Action: 'ram:*', Resource: `acs:ram:*:${ACCOUNT}:role/deployer` });
    assert.equal(decide(star, 'ram:GetRole', `acs:ram::${ACCOUNT}:role/deployer`), 'Allow');
  });

  it('applies NotAction to every other action and NotResource to every other resource', () => {
    const p = policy({ Effect: 'Allow', NotAction: ['ram:*', 'sts:*'], NotResource: `acs:ecs:*:${ACCOUNT}:instance/i-secret` });
    assert.equal(decide(p, 'ecs:StartInstance', `acs:ecs:cn-hangzhou:${ACCOUNT}:instance/i-1`), 'Allow');
    assert.equal(decide(p, 'ecs:StartInstance', `acs:ecs:cn-hangzhou:${ACCOUNT}:instance/i-secret`), 'ImplicitDeny');
    assert.equal(decide(p, 'RAM:CreateUser', USER_ALICE), 'ImplicitDeny');
    assert.equal(decide(p, 'sts:AssumeRole', '*'), 'ImplicitDeny');
  });

  it('lets an explicit Deny win over any Allow, in any policy and in any order', () => {
    const admin = compiledSystemPolicy('AdministratorAccess')!;
    const guard = policy({ Effect: 'Deny', Action: ['ram:Delete*', 'ram:Detach*'], Resource: '*' });
    assert.equal(decide([admin, guard], 'ram:DeleteUser', USER_ALICE), 'ExplicitDeny');
    assert.equal(decide([guard, admin], 'ram:DetachPolicyFromUser', USER_ALICE), 'ExplicitDeny');
    assert.equal(decide([guard], 'ram:DeleteUser', USER_ALICE), 'ExplicitDeny');
    assert.equal(decide([admin, guard], 'ram:CreateUser', USER_ALICE), 'Allow');
    const sameDocument = policy({ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', NotAction: 'ram:Get*', Resource: USER_ALICE });
    assert.equal(decide(sameDocument, 'ram:UpdateUser', USER_ALICE), 'ExplicitDeny');
    assert.equal(decide(sameDocument, 'ram:GetUser', USER_ALICE), 'Allow');
    assert.equal(decide(sameDocument, 'ram:UpdateUser', `acs:ram:*:${ACCOUNT}:user/bob`), 'Allow');
  });

  it('does not let a Deny whose condition fails deny anything', () => {
    const p = [
      compiledSystemPolicy('AdministratorAccess')!,
      policy({ Effect: 'Deny', Action: '*', Resource: '*', Condition: { Bool: { 'acs:MFAPresent': 'false' } } }),
    ];
    assert.equal(decide(p, 'ram:CreateUser', USER_ALICE, { 'acs:MFAPresent': 'true' }), 'Allow');
    assert.equal(decide(p, 'ram:CreateUser', USER_ALICE, { 'acs:MFAPresent': 'false' }), 'ExplicitDeny');
    assert.equal(decide(p, 'ram:CreateUser', USER_ALICE, {}), 'Allow');
  });

  it('grants what the system policies say', () => {
    const readOnly = compiledSystemPolicy('ReadOnlyAccess')!;
    for (const action of ['ecs:DescribeInstances', 'ram:GetUser', 'ram:ListUsers', 'cloudsso:QueryX', 'oss:BatchGetObjects', 'ram:CheckThing']) {
      assert.equal(decide(readOnly, action, '*'), 'Allow', action);
    }
    assert.equal(decide(readOnly, 'ram:CreateUser', '*'), 'ImplicitDeny');
    const ramRead = compiledSystemPolicy('AliyunRAMReadOnlyAccess')!;
    assert.equal(decide(ramRead, 'ram:ListPolicies', '*'), 'Allow');
    assert.equal(decide(ramRead, 'ecs:ListTags', '*'), 'ImplicitDeny');
    const sso = compiledSystemPolicy('AliyunCloudSSOFullAccess')!;
    assert.equal(decide(sso, 'cloudsso:CreateUser', '*'), 'Allow');
    assert.equal(decide(sso, 'resourcemanager:ListAccounts', '*'), 'Allow');
    assert.equal(decide(sso, 'resourcemanager:CreateFolder', '*'), 'ImplicitDeny');
    assert.equal(decide(sso, 'ram:CreateServiceLinkedRole', '*', { 'ram:ServiceName': 'cloudsso.aliyuncs.com' }), 'Allow');
    assert.equal(decide(sso, 'ram:CreateServiceLinkedRole', '*', { 'ram:ServiceName': 'ecs.aliyuncs.com' }), 'ImplicitDeny');
    const ssoRead = compiledSystemPolicy('AliyunCloudSSOReadOnlyAccess')!;
    assert.equal(decide(ssoRead, 'cloudsso:GetDirectory', '*'), 'Allow');
    assert.equal(decide(ssoRead, 'cloudsso:DeleteUser', '*'), 'ImplicitDeny');
    assert.equal(decide(compiledSystemPolicy('AliyunSTSAssumeRoleAccess')!, 'sts:AssumeRole', `acs:ram:*:${ACCOUNT}:role/x`), 'Allow');
    assert.equal(decide(compiledSystemPolicy('AliyunSTSAssumeRoleAccess')!, 'sts:GetCallerIdentity', '*'), 'ImplicitDeny');
    assert.equal(decide(compiledSystemPolicy('AliyunResourceDirectoryFullAccess')!, 'resourcemanager:CreateFolder', '*'), 'Allow');
    assert.equal(decide(compiledSystemPolicy('AliyunResourceDirectoryReadOnlyAccess')!, 'resourcemanager:GetFolder', '*'), 'Allow');
    assert.equal(decide(compiledSystemPolicy('AliyunResourceDirectoryReadOnlyAccess')!, 'resourcemanager:CreateFolder', '*'), 'ImplicitDeny');
    assert.equal(decide(compiledSystemPolicy('AliyunRAMFullAccess')!, 'ram:DeleteUser', USER_ALICE), 'Allow');
    assert.equal(decide(compiledSystemPolicy('AliyunRAMFullAccess')!, 'ecs:DeleteInstance', '*'), 'ImplicitDeny');
  });

  it('matches globs in linear time even against adversarial patterns', () => {
    assert.equal(matchGlob('a*a*a*a*a*a*a*b', 'a'.repeat(20_000)), false);
    assert.equal(matchGlob('*?', ''), false);
    assert.equal(matchGlob('*', ''), true);
    assert.equal(matchGlob('a**b', 'axxb'), true);
    assert.equal(matchGlob('a?c*', 'abc'), true);
  });
});

describe('conditions', () => {
  function allowedWhen(condition: Record<string, unknown>): (context: RequestContext) => string {
    const p = policy({ Effect: 'Allow', Action: '*', Resource: '*', Condition: condition });
    return (context) => decide(p, 'ram:GetUser', USER_ALICE, context);
  }

  it('String operators: exact, negated, case-insensitive and wildcard, values ORed', () => {
    const eq = allowedWhen({ StringEquals: { 'acs:RequestedRegion': ['cn-hangzhou', 'cn-shanghai'] } });
    assert.equal(eq({ 'acs:RequestedRegion': 'cn-shanghai' }), 'Allow');
    assert.equal(eq({ 'acs:RequestedRegion': 'CN-SHANGHAI' }), 'ImplicitDeny');
    assert.equal(eq({ 'acs:RequestedRegion': 'cn-beijing' }), 'ImplicitDeny');
    const ne = allowedWhen({ StringNotEquals: { 'acs:RequestedRegion': ['cn-hangzhou', 'cn-shanghai'] } });
    assert.equal(ne({ 'acs:RequestedRegion': 'cn-beijing' }), 'Allow');
    assert.equal(ne({ 'acs:RequestedRegion': 'cn-hangzhou' }), 'ImplicitDeny');
    const eqi = allowedWhen({ StringEqualsIgnoreCase: { 'acs:SourceVpc': 'VPC-Abc' } });
    assert.equal(eqi({ 'acs:SourceVpc': 'vpc-abc' }), 'Allow');
    assert.equal(eqi({ 'acs:SourceVpc': 'vpc-abd' }), 'ImplicitDeny');
    const nei = allowedWhen({ StringNotEqualsIgnoreCase: { 'acs:SourceVpc': 'VPC-Abc' } });
    assert.equal(nei({ 'acs:SourceVpc': 'VPC-ABC' }), 'ImplicitDeny');
    assert.equal(nei({ 'acs:SourceVpc': 'vpc-xyz' }), 'Allow');
    const like = allowedWhen({ StringLike: { 'acs:PrincipalARN': ['acs:ram::*:role/dev-?', 'acs:ram::*:user/*'] } });
    assert.equal(like({ 'acs:PrincipalARN': `acs:ram::${ACCOUNT}:role/dev-1` }), 'Allow');
    assert.equal(like({ 'acs:PrincipalARN': `acs:ram::${ACCOUNT}:role/dev-12` }), 'ImplicitDeny');
    assert.equal(like({ 'acs:PrincipalARN': `acs:ram::${ACCOUNT}:user/alice` }), 'Allow');
    assert.equal(like({ 'acs:PrincipalARN': `acs:ram::${ACCOUNT}:USER/alice` }), 'ImplicitDeny');
    const notLike = allowedWhen({ StringNotLike: { 'acs:PrincipalARN': 'acs:ram::*:role/*' } });
    assert.equal(notLike({ 'acs:PrincipalARN': `acs:ram::${ACCOUNT}:role/x` }), 'ImplicitDeny');
    assert.equal(notLike({ 'acs:PrincipalARN': `acs:ram::${ACCOUNT}:user/x` }), 'Allow');
  });

  it('a missing key fails a positive operator and satisfies a negated one', () => {
    const cases: Array<[string, unknown, string]> = [
      ['StringEquals', 'x', 'ImplicitDeny'], ['StringNotEquals', 'x', 'Allow'],
      ['StringEqualsIgnoreCase', 'x', 'ImplicitDeny'], ['StringNotEqualsIgnoreCase', 'x', 'Allow'],
      ['StringLike', '*', 'ImplicitDeny'], ['StringNotLike', '*', 'Allow'],
      ['NumericEquals', '1', 'ImplicitDeny'], ['NumericNotEquals', '1', 'Allow'], ['NumericLessThan', '1', 'ImplicitDeny'],
      ['DateEquals', '2026-01-01T00:00:00Z', 'ImplicitDeny'], ['DateNotEquals', '2026-01-01T00:00:00Z', 'Allow'],
      ['DateGreaterThan', '2000-01-01T00:00:00Z', 'ImplicitDeny'],
      ['Bool', 'false', 'ImplicitDeny'], ['IpAddress', '0.0.0.0/0', 'ImplicitDeny'], ['NotIpAddress', '10.0.0.0/8', 'Allow'],
    ];
    for (const [operator, value, expected] of cases) {
      const check = allowedWhen({ [operator]: { 'acs:Absent': value } });
      assert.equal(check({ 'acs:Other': 'x' }), expected, operator);
      assert.equal(check({ 'acs:Absent': undefined }), expected, `${operator} with an undefined value`);
      assert.equal(check({ 'acs:Absent': [] }), expected, `${operator} with no values`);
    }
  });

  it('looks condition keys up case-insensitively, and never finds inherited properties', () => {
    const check = allowedWhen({ StringEquals: { 'ACS:sourcevpc': 'vpc-1' } });
    assert.equal(check({ 'acs:SourceVpc': 'vpc-1' }), 'Allow');
    assert.equal(check({ 'acs:SourceVpc': 'vpc-2' }), 'ImplicitDeny');
    const inherited = allowedWhen({ StringNotEquals: { constructor: 'x' } });
    assert.equal(inherited({}), 'Allow');
  });

  it('ANDs operators and keys, ORs the values of one key, and matches multi-valued request keys on any value', () => {
    const check = allowedWhen({
      StringEquals: { 'acs:RequestedRegion': ['cn-hangzhou', 'cn-beijing'], 'acs:SourceVpc': 'vpc-1' },
      Bool: { 'acs:SecureTransport': 'true' },
    });
    const ok = { 'acs:RequestedRegion': 'cn-beijing', 'acs:SourceVpc': 'vpc-1', 'acs:SecureTransport': 'true' };
    assert.equal(check(ok), 'Allow');
    assert.equal(check({ ...ok, 'acs:SourceVpc': 'vpc-2' }), 'ImplicitDeny');
    assert.equal(check({ ...ok, 'acs:SecureTransport': 'false' }), 'ImplicitDeny');
    assert.equal(check({ ...ok, 'acs:RequestedRegion': 'us-west-1' }), 'ImplicitDeny');
    const tags = allowedWhen({ StringEquals: { 'acs:ResourceTag/team': 'red' } });
    assert.equal(tags({ 'acs:ResourceTag/team': ['blue', 'red'] }), 'Allow');
    assert.equal(tags({ 'acs:ResourceTag/team': ['blue', 'green'] }), 'ImplicitDeny');
    const notTags = allowedWhen({ StringNotEquals: { 'acs:ResourceTag/team': 'red' } });
    assert.equal(notTags({ 'acs:ResourceTag/team': ['blue', 'red'] }), 'ImplicitDeny');
    assert.equal(notTags({ 'acs:ResourceTag/team': ['blue'] }), 'Allow');
  });

  it('Numeric operators compare numbers, not strings', () => {
    const at = (operator: string, value: string, actual: string): string => allowedWhen({ [operator]: { 'acs:Count': value } })({ 'acs:Count': actual });
    assert.equal(at('NumericEquals', '10', '10.0'), 'Allow');
    assert.equal(at('NumericEquals', '10', '9'), 'ImplicitDeny');
    assert.equal(at('NumericNotEquals', '10', '9'), 'Allow');
    assert.equal(at('NumericNotEquals', '10', '1e1'), 'ImplicitDeny');
    assert.equal(at('NumericLessThan', '10', '9'), 'Allow');
    assert.equal(at('NumericLessThan', '10', '10'), 'ImplicitDeny');
    assert.equal(at('NumericLessThanEquals', '10', '10'), 'Allow');
    assert.equal(at('NumericLessThanEquals', '10', '11'), 'ImplicitDeny');
    assert.equal(at('NumericGreaterThan', '10', '100'), 'Allow');
    assert.equal(at('NumericGreaterThan', '10', '10'), 'ImplicitDeny');
    assert.equal(at('NumericGreaterThanEquals', '-1.5', '-1.5'), 'Allow');
    assert.equal(at('NumericGreaterThanEquals', '10', '2'), 'ImplicitDeny');
    assert.equal(at('NumericLessThan', '10', ''), 'ImplicitDeny');
    assert.equal(at('NumericLessThan', '10', 'abc'), 'ImplicitDeny');
    assert.equal(at('NumericLessThan', '10', '0x5'), 'ImplicitDeny');
  });

  it('Date operators compare instants, ISO 8601 or epoch seconds', () => {
    const at = (operator: string, value: string, now: string): string => allowedWhen({ [operator]: { 'acs:CurrentTime': value } })({ 'acs:CurrentTime': now });
    const t = '2026-05-01T12:00:00Z';
    assert.equal(at('DateEquals', t, '2026-05-01T20:00:00+08:00'), 'Allow');
    assert.equal(at('DateEquals', t, '2026-05-01T12:00:01Z'), 'ImplicitDeny');
    assert.equal(at('DateNotEquals', t, '2026-05-01T12:00:01Z'), 'Allow');
    assert.equal(at('DateNotEquals', t, t), 'ImplicitDeny');
    assert.equal(at('DateLessThan', t, '2026-05-01T11:59:59Z'), 'Allow');
    assert.equal(at('DateLessThan', t, t), 'ImplicitDeny');
    assert.equal(at('DateLessThanEquals', t, t), 'Allow');
    assert.equal(at('DateLessThanEquals', t, '2027-01-01T00:00:00Z'), 'ImplicitDeny');
    assert.equal(at('DateGreaterThan', t, '2026-05-01T12:00:00.001Z'), 'Allow');
    assert.equal(at('DateGreaterThan', t, t), 'ImplicitDeny');
    assert.equal(at('DateGreaterThanEquals', t, t), 'Allow');
    assert.equal(at('DateGreaterThanEquals', t, '2026-04-30T23:59:59Z'), 'ImplicitDeny');
    assert.equal(at('DateGreaterThanEquals', '1777636800', t), 'Allow');
    assert.equal(at('DateLessThan', t, String(Date.parse(t) / 1000 - 1)), 'Allow');
    assert.equal(at('DateLessThan', t, 'not a date'), 'ImplicitDeny');
  });

  it('Bool compares true and false, whatever the case', () => {
    const check = allowedWhen({ Bool: { 'acs:SecureTransport': true } });
    assert.equal(check({ 'acs:SecureTransport': 'true' }), 'Allow');
    assert.equal(check({ 'acs:SecureTransport': 'TRUE' }), 'Allow');
    assert.equal(check({ 'acs:SecureTransport': 'false' }), 'ImplicitDeny');
    assert.equal(check({ 'acs:SecureTransport': '1' }), 'ImplicitDeny');
  });

  it('IpAddress and NotIpAddress match IPv4 and IPv6 CIDR blocks, IPv4-mapped addresses included', () => {
    const inside = allowedWhen({ IpAddress: { 'acs:SourceIp': ['192.168.0.0/16', '203.0.113.7', '2001:db8:abcd::/48'] } });
    const ip = (address: string): RequestContext => ({ 'acs:SourceIp': address });
    assert.equal(inside(ip('192.168.44.1')), 'Allow');
    assert.equal(inside(ip('192.169.0.1')), 'ImplicitDeny');
    assert.equal(inside(ip('203.0.113.7')), 'Allow');
    assert.equal(inside(ip('203.0.113.8')), 'ImplicitDeny');
    assert.equal(inside(ip('::ffff:192.168.1.1')), 'Allow');
    assert.equal(inside(ip('::FFFF:c0a8:0101')), 'Allow');
    assert.equal(inside(ip('::ffff:203.0.113.8')), 'ImplicitDeny');
    assert.equal(inside(ip('2001:db8:abcd:12::1')), 'Allow');
    assert.equal(inside(ip('2001:DB8:ABCD:0:0:0:0:1')), 'Allow');
    assert.equal(inside(ip('2001:db8:abce::1')), 'ImplicitDeny');
    assert.equal(inside(ip('::1')), 'ImplicitDeny');
    assert.equal(inside(ip('not-an-ip')), 'ImplicitDeny');
    assert.equal(inside(ip('192.168.1.1/24')), 'ImplicitDeny');
    assert.equal(inside(ip('')), 'ImplicitDeny');

    const outside = allowedWhen({ NotIpAddress: { 'acs:SourceIp': ['10.0.0.0/8', 'fd00::/8'] } });
    assert.equal(outside(ip('10.1.2.3')), 'ImplicitDeny');
    assert.equal(outside(ip('::ffff:10.1.2.3')), 'ImplicitDeny');
    assert.equal(outside(ip('fd12:3456::1')), 'ImplicitDeny');
    assert.equal(outside(ip('11.1.2.3')), 'Allow');
    assert.equal(outside(ip('fe80::1')), 'Allow');

    const everyone = allowedWhen({ IpAddress: { 'acs:SourceIp': ['0.0.0.0/0'] } });
    assert.equal(everyone(ip('8.8.8.8')), 'Allow');
    assert.equal(everyone(ip('2001:db8::1')), 'ImplicitDeny');
    const v6only = allowedWhen({ IpAddress: { 'acs:SourceIp': '::/0' } });
    assert.equal(v6only(ip('2001:db8::1')), 'Allow');
    const loopback = allowedWhen({ IpAddress: { 'acs:SourceIp': '::1/128' } });
    assert.equal(loopback(ip('0:0:0:0:0:0:0:1')), 'Allow');
    assert.equal(loopback(ip('::2')), 'ImplicitDeny');
    const oddPrefix = allowedWhen({ IpAddress: { 'acs:SourceIp': '172.16.0.0/12' } });
    assert.equal(oddPrefix(ip('172.31.255.255')), 'Allow');
    assert.equal(oddPrefix(ip('172.32.0.0')), 'ImplicitDeny');
    // The last parsed source address is remembered; compiling a policy in between must not disturb it.
    const address = '192.168.7.7';
    assert.equal(inside(ip(address)), 'Allow');
    allowedWhen({ IpAddress: { 'acs:SourceIp': '8.8.8.8' } });
    assert.equal(inside(ip(address)), 'Allow');
    assert.equal(inside(ip('10.9.9.9')), 'ImplicitDeny');
    assert.equal(inside(ip(address)), 'Allow');
    const embedded = allowedWhen({ IpAddress: { 'acs:SourceIp': '64:ff9b::192.0.2.0/120' } });
    assert.equal(embedded(ip('64:ff9b::192.0.2.33')), 'Allow');
    assert.equal(embedded(ip('64:ff9b::192.0.3.33')), 'ImplicitDeny');
  });
});

describe('trust policies', () => {
  function assume(p: CompiledPolicy, principal: RequestPrincipal, action = 'sts:AssumeRole', context: RequestContext = {}): string {
    return evaluateTrustPolicy(p, { action, principal, context }).effect;
  }
  const alice = { ram: [`acs:ram::${ACCOUNT}:user/alice`] };

  it('lets the account root, or the bare account id, trust every identity of that account only', () => {
    for (const value of [`acs:ram::${ACCOUNT}:root`, ACCOUNT]) {
      const p = trust({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: [value] } });
      assert.equal(assume(p, alice), 'Allow', value);
      assert.equal(assume(p, { ram: [`acs:ram::${ACCOUNT}:role/ops`, `acs:ram::${ACCOUNT}:assumed-role/ops/s1`] }), 'Allow', value);
      assert.equal(assume(p, { ram: [`acs:ram::${ACCOUNT}:root`] }), 'Allow', value);
      assert.equal(assume(p, { ram: ['acs:ram::999:user/alice', 'acs:ram::999:root'] }), 'ImplicitDeny', value);
      assert.equal(assume(p, { ram: [`acs:ram::${ACCOUNT}9:user/alice`] }), 'ImplicitDeny', value);
      assert.equal(assume(p, { service: 'ecs.aliyuncs.com' }), 'ImplicitDeny', value);
      assert.equal(assume(p, alice, 'STS:assumerole'), 'Allow', value);
    }
  });

  it('matches other RAM principals by exact ARN or wildcard', () => {
    const p = trust({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: [`acs:ram::${ACCOUNT}:role/deployer`, `acs:ram::${ACCOUNT}:user/ci-*`] } });
    assert.equal(assume(p, { ram: [`acs:ram::${ACCOUNT}:role/deployer`] }), 'Allow');
    assert.equal(assume(p, { ram: [`acs:ram::${ACCOUNT}:role/deployer-2`] }), 'ImplicitDeny');
    assert.equal(assume(p, { ram: [`acs:ram::${ACCOUNT}:user/ci-build`, `acs:ram::${ACCOUNT}:root`] }), 'Allow');
    assert.equal(assume(p, alice), 'ImplicitDeny');
    assert.equal(assume(p, { ram: [`acs:ram::${ACCOUNT}:root`] }), 'ImplicitDeny');
    assert.equal(assume(p, { ram: [] }), 'ImplicitDeny');
  });

  it('matches cloud services by name', () => {
    const p = trust({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: ['ecs.aliyuncs.com', 'fc.aliyuncs.com'] } });
    assert.equal(assume(p, { service: 'ecs.aliyuncs.com' }), 'Allow');
    assert.equal(assume(p, { service: 'ECS.aliyuncs.com' }), 'Allow');
    assert.equal(assume(p, { service: 'oss.aliyuncs.com' }), 'ImplicitDeny');
    assert.equal(assume(p, alice), 'ImplicitDeny');
  });

  it('matches SAML providers for AssumeRoleWithSAML, with conditions', () => {
    const provider = `acs:ram::${ACCOUNT}:saml-provider/okta`;
    const p = trust({
      Effect: 'Allow',
      Action: 'sts:AssumeRoleWithSAML',
      Principal: { Federated: [provider] },
      Condition: { StringEquals: { 'saml:recipient': 'https://signin.aliyun.com/saml-role/sso' } },
    });
    const context = { 'saml:recipient': 'https://signin.aliyun.com/saml-role/sso' };
    assert.equal(assume(p, { federated: provider }, 'sts:AssumeRoleWithSAML', context), 'Allow');
    assert.equal(assume(p, { federated: provider }, 'sts:AssumeRoleWithSAML', { 'saml:recipient': 'https://evil.example/' }), 'ImplicitDeny');
    assert.equal(assume(p, { federated: `acs:ram::${ACCOUNT}:saml-provider/azure` }, 'sts:AssumeRoleWithSAML', context), 'ImplicitDeny');
    assert.equal(assume(p, { federated: provider }, 'sts:AssumeRole', context), 'ImplicitDeny');
    assert.equal(assume(p, { ram: [`acs:ram::${ACCOUNT}:root`] }, 'sts:AssumeRoleWithSAML', context), 'ImplicitDeny');
  });

  it('admits AssumeRoleWithSAML through a statement granting sts:AssumeRole to the provider, as Alibaba SAML roles are written', () => {
    const provider = `acs:ram::${ACCOUNT}:saml-provider/okta`;
    const p = trust({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Federated: provider } });
    assert.equal(assume(p, { federated: provider }, 'sts:AssumeRoleWithSAML'), 'Allow');
    assert.equal(assume(p, { federated: `acs:ram::${ACCOUNT}:saml-provider/other` }, 'sts:AssumeRoleWithSAML'), 'ImplicitDeny');
    const samlOnly = trust({ Effect: 'Allow', Action: 'sts:AssumeRoleWithSAML', Principal: { RAM: ACCOUNT } });
    assert.equal(assume(samlOnly, alice, 'sts:AssumeRole'), 'ImplicitDeny');
  });

  it('lets a Deny statement exclude one identity from an account-wide trust', () => {
    const p = trust(
      { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: ACCOUNT } },
      { Effect: 'Deny', Action: 'sts:AssumeRole', Principal: { RAM: `acs:ram::${ACCOUNT}:user/mallory` } },
    );
    assert.equal(assume(p, alice), 'Allow');
    assert.equal(assume(p, { ram: [`acs:ram::${ACCOUNT}:user/mallory`, `acs:ram::${ACCOUNT}:root`] }), 'ExplicitDeny');
  });

  it('never lets a permission policy act as a trust policy', () => {
    assert.equal(assume(compiledSystemPolicy('AdministratorAccess')!, alice), 'ImplicitDeny');
  });
});
