import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { Tx } from '../store/db.js';
import type { Database, RamPolicyAttachmentTable } from '../store/schema.js';
import { ApiError } from '../errors.js';
import type { AttachmentTarget, PolicyRef } from './attachment-target.js';
import { checkAttachmentQuota } from './quotas.js';

export type Attachment = RamPolicyAttachmentTable;

const key = (ref: PolicyRef): string => `${ref.type}:${ref.name}`;

/** One attachment: a policy on a user, group or role of an account. */
const isAttachment = (
  eb: ExpressionBuilder<Database, 'ram_policy_attachments'>,
  accountId: string,
  target: Pick<AttachmentTarget, 'type' | 'id'>,
  policy: PolicyRef,
): Expression<SqlBool> =>
  eb.and([
    eb('account_id', '=', accountId),
    eb('principal_type', '=', target.type),
    eb('principal_id', '=', target.id),
    eb('policy_type', '=', policy.type),
    eb('policy_name', '=', policy.name),
  ]);

export async function findAttachment(tx: Tx, accountId: string, target: AttachmentTarget, policy: PolicyRef): Promise<Attachment | undefined> {
  return tx.selectFrom('ram_policy_attachments').selectAll().where((eb) => isAttachment(eb, accountId, target, policy)).executeTakeFirst();
}

export async function attachPolicy(tx: Tx, accountId: string, target: AttachmentTarget, policy: PolicyRef, now: string): Promise<void> {
  if (await findAttachment(tx, accountId, target, policy)) {
    throw new ApiError(`EntityAlreadyExists.${target.type}.Policy`, 409, `The ${target.type.toLowerCase()} ${target.name} has already been attached the policy ${policy.name}.`);
  }
  await checkAttachmentQuota(tx, target, policy);
  await tx
    .insertInto('ram_policy_attachments')
    .values({ account_id: accountId, principal_type: target.type, principal_id: target.id, policy_type: policy.type, policy_name: policy.name, attached_at: now })
    .execute();
}

export async function detachPolicy(tx: Tx, accountId: string, target: AttachmentTarget, policy: PolicyRef): Promise<void> {
  const result = await tx.deleteFrom('ram_policy_attachments').where((eb) => isAttachment(eb, accountId, target, policy)).executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) {
    throw new ApiError(`EntityNotExist.${target.type}.Policy`, 404, `The policy ${policy.name} is not attached to the ${target.type.toLowerCase()} ${target.name}.`);
  }
}

/** Attachments of one user, group or role, oldest first. */
export async function attachmentsOf(tx: Tx, accountId: string, target: Pick<AttachmentTarget, 'type' | 'id'>): Promise<Attachment[]> {
  return tx
    .selectFrom('ram_policy_attachments')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('principal_type', '=', target.type)
    .where('principal_id', '=', target.id)
    .orderBy('attached_at')
    .orderBy('policy_type')
    .orderBy('policy_name')
    .execute();
}

/** Does a user, group or role have any policy attached? (DeleteConflict.<Type>.Policy) */
export async function hasAttachedPolicies(tx: Tx, accountId: string, type: AttachmentTarget['type'], id: string): Promise<boolean> {
  const row = await tx
    .selectFrom('ram_policy_attachments')
    .select('policy_name')
    .where('account_id', '=', accountId)
    .where('principal_type', '=', type)
    .where('principal_id', '=', id)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** How many users, groups and roles each policy is attached to: one grouped query for a whole page. */
export async function attachmentCounts(tx: Tx, accountId: string, policies: PolicyRef[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  if (policies.length === 0) return counts;
  const rows = await tx
    .selectFrom('ram_policy_attachments')
    .select(['policy_type', 'policy_name', (eb) => eb.fn.countAll<string | number>().as('n')])
    .where('account_id', '=', accountId)
    .where((eb) =>
      eb.or(
        (['System', 'Custom'] as const)
          .map((type) => ({ type, names: policies.filter((p) => p.type === type).map((p) => p.name) }))
          .filter((group) => group.names.length > 0)
          .map((group) => eb.and([eb('policy_type', '=', group.type), eb('policy_name', 'in', group.names)])),
      ),
    )
    .groupBy(['policy_type', 'policy_name'])
    .execute();
  for (const row of rows) counts.set(key({ type: row.policy_type, name: row.policy_name }), Number(row.n));
  return counts;
}

export const attachmentCountOf = (counts: Map<string, number>, policy: PolicyRef): number => counts.get(key(policy)) ?? 0;

/** The users, groups and roles a policy is attached to, with their names. */
export async function entitiesForPolicy(
  tx: Tx,
  accountId: string,
  policy: PolicyRef,
): Promise<{
  users: Array<{ id: string; name: string; display_name: string; attached_at: string }>;
  groups: Array<{ name: string; comments: string; attached_at: string }>;
  roles: Array<{ id: string; name: string; description: string; attached_at: string }>;
}> {
  const base = (type: AttachmentTarget['type']) =>
    tx
      .selectFrom('ram_policy_attachments as a')
      .where('a.account_id', '=', accountId)
      .where('a.policy_type', '=', policy.type)
      .where('a.policy_name', '=', policy.name)
      .where('a.principal_type', '=', type);
  const users = await base('User').innerJoin('ram_users as u', 'u.id', 'a.principal_id').select(['u.id', 'u.name', 'u.display_name', 'a.attached_at']).orderBy('u.name_key').execute();
  const groups = await base('Group').innerJoin('ram_groups as g', 'g.id', 'a.principal_id').select(['g.name', 'g.comments', 'a.attached_at']).orderBy('g.name_key').execute();
  const roles = await base('Role').innerJoin('ram_roles as r', 'r.id', 'a.principal_id').select(['r.id', 'r.name', 'r.description', 'a.attached_at']).orderBy('r.name_key').execute();
  return { users, groups, roles };
}

/** Refuses to delete a policy that is still attached (DeleteConflict.Policy.User/Group/Role), unless cascading. */
export async function checkPolicyDetached(tx: Tx, accountId: string, policy: PolicyRef): Promise<void> {
  const rows = await tx
    .selectFrom('ram_policy_attachments')
    .select('principal_type')
    .distinct()
    .where('account_id', '=', accountId)
    .where('policy_type', '=', policy.type)
    .where('policy_name', '=', policy.name)
    .execute();
  for (const type of ['User', 'Group', 'Role'] as const) {
    if (rows.some((r) => r.principal_type === type)) {
      throw new ApiError(`DeleteConflict.Policy.${type}`, 409, `The policy CAN NOT been attached to any ${type.toLowerCase()} while deleting the policy.`);
    }
  }
}

export async function detachEverywhere(tx: Tx, accountId: string, policy: PolicyRef): Promise<void> {
  await tx
    .deleteFrom('ram_policy_attachments')
    .where('account_id', '=', accountId)
    .where('policy_type', '=', policy.type)
    .where('policy_name', '=', policy.name)
    .execute();
}
