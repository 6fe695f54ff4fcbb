// docs/performance.md, policy engine figure: one decision against 10 custom policies × 10 statements.
// Worst case: the request is allowed only by the last statement of the last policy, so every statement is visited;
// the denied request matches nothing and falls through to an implicit deny.
// Run: node --import tsx bench/policy-decision.ts   (BENCH_DECISIONS=… to change the count, default 1e6 per case)
import { parsePolicyDocument, type CompiledPolicy } from '../src/policy/document.js';
import { evaluatePolicies, type PermissionRequest } from '../src/policy/evaluate.js';

const DECISIONS = Number(process.env.BENCH_DECISIONS ?? 1_000_000);
const BATCH = 1000;
const ACCOUNT = '1234567890123456';

function statement(p: number, s: number): Record<string, unknown> {
  const last = p === 9 && s === 9;
  if (last) {
    return {
      Effect: 'Allow',
      Action: ['ecs:Describe*', 'ecs:StartInstance'],
      Resource: `acs:ecs:cn-hangzhou:${ACCOUNT}:instance/i-prod-*`,
      Condition: { IpAddress: { 'acs:SourceIp': ['10.0.0.0/8', '2001:db8::/32'] }, Bool: { 'acs:SecureTransport': 'true' } },
    };
  }
  switch (s % 5) {
    case 0:
      return { Effect: 'Allow', Action: [`oss:Get${p}Object*`, `oss:List${p}*`], Resource: `acs:oss:*:${ACCOUNT}:bucket-${p}/*` };
    case 1:
      return { Effect: 'Deny', Action: `ram:Delete*`, Resource: `acs:ram:*:${ACCOUNT}:user/admin-${p}-${s}` };
    case 2:
      return {
        Effect: 'Allow',
        Action: `rds:*Instance${s}`,
        Resource: [`acs:rds:*:${ACCOUNT}:dbinstance/rm-${p}?${s}*`, `acs:rds:*:${ACCOUNT}:dbinstance/pg-${p}-${s}`],
      };
    case 3:
      return {
        Effect: 'Deny',
        NotAction: ['ecs:*', 'oss:*', 'rds:*', 'ram:Get*'],
        Resource: '*',
        Condition: { StringNotEquals: { 'acs:RequestedRegion': ['cn-hangzhou', 'cn-shanghai'] } },
      };
    default:
      return {
        Effect: 'Allow',
        Action: `ecs:Describe${p}${s}*`,
        Resource: `acs:ecs:cn-*:${ACCOUNT}:instance/*`,
        Condition: { DateLessThan: { 'acs:CurrentTime': '2030-01-01T00:00:00Z' } },
      };
  }
}

const policies: CompiledPolicy[] = [];
for (let p = 0; p < 10; p++) {
  const doc = JSON.stringify({ Version: '1', Statement: Array.from({ length: 10 }, (_, s) => statement(p, s)) });
  const parsed = parsePolicyDocument(doc);
  if (!parsed.ok) throw new Error(`bench policy ${p}: ${parsed.message}`);
  policies.push(parsed.policy);
}

const context = {
  'acs:SourceIp': '10.20.30.40',
  'acs:SecureTransport': 'true',
  'acs:CurrentTime': '2026-05-01T08:00:00Z',
  'acs:RequestedRegion': 'cn-hangzhou',
  'acs:MFAPresent': 'false',
};
const allowed: PermissionRequest = { action: 'ecs:StartInstance', resource: `acs:ecs:cn-hangzhou:${ACCOUNT}:instance/i-prod-42`, context };
const denied: PermissionRequest = { action: 'ecs:StopInstance', resource: `acs:ecs:cn-hangzhou:${ACCOUNT}:instance/i-prod-42`, context };

if (evaluatePolicies(policies, allowed).effect !== 'Allow') throw new Error('the allowed request is not allowed');
if (evaluatePolicies(policies, denied).effect !== 'ImplicitDeny') throw new Error('the denied request is not denied');

// Warm both paths up before timing either, so the first case measured does not pay for JIT compilation.
for (let i = 0; i < 200_000; i++) {
  evaluatePolicies(policies, allowed);
  evaluatePolicies(policies, denied);
}

function measure(request: PermissionRequest): { medianNs: number; p99Ns: number; meanNs: number } {
  let sink = 0;
  const batches = Math.max(1, Math.floor(DECISIONS / BATCH));
  const perDecision = new Float64Array(batches);
  for (let b = 0; b < batches; b++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < BATCH; i++) sink += evaluatePolicies(policies, request).effect.length;
    perDecision[b] = Number(process.hrtime.bigint() - start) / BATCH;
  }
  if (sink === 0) throw new Error('unreachable');
  const sorted = perDecision.slice().sort();
  const mean = perDecision.reduce((a, b) => a + b, 0) / batches;
  return {
    medianNs: Math.round(sorted[Math.floor(batches / 2)]!),
    p99Ns: Math.round(sorted[Math.min(batches - 1, Math.floor(batches * 0.99))]!),
    meanNs: Math.round(mean),
  };
}

const result = {
  bench: 'policy-decision',
  node: process.version,
  policies: 10,
  statementsPerPolicy: 10,
  decisionsPerCase: Math.floor(DECISIONS / BATCH) * BATCH,
  batch: BATCH,
  allowedByLastStatement: measure(allowed),
  implicitlyDenied: measure(denied),
};
console.log(JSON.stringify(result));
