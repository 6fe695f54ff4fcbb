import { sql } from 'kysely';
import type { Tx } from '../store/db.js';
import { preparedQuery } from '../store/prepared.js';
import { parsePolicyDocument, type CompiledPolicy } from '../policy/document.js';
import { evaluatePolicies, type Decision, type RequestContext } from '../policy/evaluate.js';
import { compiledSystemPolicy } from '../policy/system-policies.js';
import type { Principal } from './principal.js';

export interface Authorization {
  action: string;
  resources: string[];
  context: RequestContext;
}

export type AuthorizationResult = { allowed: true } | { allowed: false; effect: 'ExplicitDeny' | 'ImplicitDeny'; resource: string; policyType: string };

// Policy versions never change once written, so a compiled version can be kept for as long as we like.
const compiled = new Map<string, CompiledPolicy>();
const MAX_CACHED = 50_000;

function remember(key: string, policy: CompiledPolicy): CompiledPolicy {
  if (compiled.size >= MAX_CACHED) compiled.delete(compiled.keys().next().value as string);
  compiled.set(key, policy);
  return policy;
}

function attachmentsOf(tx: Tx, accountId: string) {
  return tx
    .selectFrom('ram_policy_attachments as a')
    .leftJoin('ram_policies as p', (join) =>
      join.onRef('p.account_id', '=', 'a.account_id').on('a.policy_type', '=', 'Custom').onRef('p.name', '=', 'a.policy_name'),
    )
    .select(['a.policy_type', 'a.policy_name', 'p.id as policy_id', 'p.default_version'])
    .where('a.account_id', '=', accountId);
}

// Prepared: these run on every authorized call.
const userAttachments = preparedQuery((tx, p: { accountId: string; userId: string }) =>
  attachmentsOf(tx, p.accountId).where((eb) =>
    eb.or([
      eb.and([eb('a.principal_type', '=', 'User'), eb('a.principal_id', '=', p.userId)]),
      eb.and([
        eb('a.principal_type', '=', 'Group'),
        eb('a.principal_id', 'in', eb.selectFrom('ram_group_members').select('group_id').where('user_id', '=', p.userId)),
      ]),
    ]),
  ),
);

const roleAttachments = preparedQuery((tx, p: { accountId: string; roleId: string }) =>
  attachmentsOf(tx, p.accountId).where('a.principal_type', '=', 'Role').where('a.principal_id', '=', p.roleId),
);

/** Every permission policy that applies to a RAM user (directly and through groups) or a role. One query, documents only on a cache miss. */
export async function policiesOf(tx: Tx, principal: Principal): Promise<CompiledPolicy[]> {
  if (principal.kind === 'root') return [];
  const rows =
    principal.kind === 'user'
      ? (await userAttachments(tx, { accountId: principal.accountId, userId: principal.userId })).rows
      : (await roleAttachments(tx, { accountId: principal.accountId, roleId: principal.roleId })).rows;

  const policies: CompiledPolicy[] = [];
  const missing: { key: string; policyId: string; version: string }[] = [];
  for (const row of rows) {
    if (row.policy_type === 'System') {
      const policy = compiledSystemPolicy(row.policy_name);
      if (policy) policies.push(policy);
    } else if (row.policy_id && row.default_version) {
      const key = `${row.policy_id}:${row.default_version}`;
      const hit = compiled.get(key);
      if (hit) policies.push(hit);
      else missing.push({ key, policyId: row.policy_id, version: row.default_version });
    }
  }
  if (missing.length > 0) {
    const docs = await tx
      .selectFrom('ram_policy_versions')
      .select(['policy_id', 'version_id', 'document'])
      .where(sql<string>`(policy_id || ':' || version_id)`, 'in', missing.map((m) => m.key))
      .execute();
    for (const doc of docs) {
      const parsed = parsePolicyDocument(doc.document);
      if (parsed.ok) policies.push(remember(`${doc.policy_id}:${doc.version_id}`, parsed.policy));
    }
  }
  return policies;
}

function accountOfArn(arn: string): string | undefined {
  return arn.split(':')[3];
}

/**
 * Decides one call. The root identity may do anything inside its own account and nothing elsewhere;
 * everyone else needs an Allow from their policies (and from the session policy, for a role session that has one) and no Deny.
 */
export async function authorize(tx: Tx, principal: Principal, request: Authorization): Promise<AuthorizationResult> {
  if (principal.kind === 'root') {
    const foreign = request.resources.find((r) => {
      const account = accountOfArn(r);
      return account !== undefined && account !== '' && account !== '*' && account !== principal.accountId;
    });
    return foreign ? { allowed: false, effect: 'ImplicitDeny', resource: foreign, policyType: 'AccountLevelIdentityBasedPolicy' } : { allowed: true };
  }
  const policies = await policiesOf(tx, principal);
  const session = principal.kind === 'assumed-role' && principal.sessionPolicy ? parsePolicyDocument(principal.sessionPolicy) : undefined;
  for (const resource of request.resources) {
    const decision: Decision = evaluatePolicies(policies, { action: request.action, resource, context: request.context });
    if (decision.effect !== 'Allow') return { allowed: false, effect: decision.effect, resource, policyType: 'AccountLevelIdentityBasedPolicy' };
    if (session?.ok) {
      const narrowed = evaluatePolicies([session.policy], { action: request.action, resource, context: request.context });
      if (narrowed.effect !== 'Allow') return { allowed: false, effect: narrowed.effect, resource, policyType: 'AssumeRolePolicy' };
    }
  }
  return { allowed: true };
}
