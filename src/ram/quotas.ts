import { sql } from 'kysely';
import type { Tx } from '../store/db.js';
import { ApiError } from '../errors.js';
import { MAX_ACCESS_KEYS_PER_USER, MAX_POLICY_DOCUMENT, MAX_POLICY_VERSIONS, MAX_VIRTUAL_MFA_DEVICES } from './limits.js';
import type { AttachmentTarget, PolicyRef } from './attachment-target.js';

// RAM's quotas per account and per identity, as Alibaba's RAM "Limitations" page gives them (December 2025). They are
// checked where RAM checks them, answering its LimitExceeded.* codes (409), and GetAccountSummary reports them.

export const QUOTAS = {
  users: 5000,
  groups: 300,
  roles: 1000,
  customPolicies: 1500,
  groupsPerUser: 10,
  systemPoliciesPerPrincipal: 20,
  customPoliciesPerPrincipal: 10,
} as const;

const exceeded = (code: string, message: string): ApiError => new ApiError(code, 409, message);

async function countOf(tx: Tx, table: 'ram_users' | 'ram_groups' | 'ram_roles' | 'ram_policies', accountId: string): Promise<number> {
  const row = await tx.selectFrom(table).select(sql<number>`count(*)`.as('n')).where('account_id', '=', accountId).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Before creating a user, group, role or custom policy: the account's count must stay within its quota. */
export async function checkAccountQuota(tx: Tx, accountId: string, kind: 'User' | 'Group' | 'Role' | 'Policy'): Promise<void> {
  const rules = {
    User: { table: 'ram_users', limit: QUOTAS.users, noun: 'users' },
    Group: { table: 'ram_groups', limit: QUOTAS.groups, noun: 'groups' },
    Role: { table: 'ram_roles', limit: QUOTAS.roles, noun: 'roles' },
    Policy: { table: 'ram_policies', limit: QUOTAS.customPolicies, noun: 'custom policies' },
  } as const;
  const { table, limit, noun } = rules[kind];
  if ((await countOf(tx, table, accountId)) >= limit) {
    throw exceeded(`LimitExceeded.${kind}`, `The count of ${noun} beyond the current limits (${limit}).`);
  }
}

/** Before attaching a policy: a principal holds at most 20 system and 10 custom policies. */
export async function checkAttachmentQuota(tx: Tx, target: AttachmentTarget, policy: PolicyRef): Promise<void> {
  const limit = policy.type === 'System' ? QUOTAS.systemPoliciesPerPrincipal : QUOTAS.customPoliciesPerPrincipal;
  const row = await tx
    .selectFrom('ram_policy_attachments')
    .select(sql<number>`count(*)`.as('n'))
    .where('principal_type', '=', target.type)
    .where('principal_id', '=', target.id)
    .where('policy_type', '=', policy.type)
    .executeTakeFirst();
  if (Number(row?.n ?? 0) >= limit) {
    throw exceeded(`LimitExceeded.${target.type}.Policy`, `The ${target.type.toLowerCase()} ${target.name} already has ${limit} ${policy.type.toLowerCase()} policies attached, the limit.`);
  }
}

/** Before adding a user to a group: a user joins at most 10 groups. */
export async function checkGroupsPerUser(tx: Tx, userId: string, userName: string): Promise<void> {
  const row = await tx.selectFrom('ram_group_members').select(sql<number>`count(*)`.as('n')).where('user_id', '=', userId).executeTakeFirst();
  if (Number(row?.n ?? 0) >= QUOTAS.groupsPerUser) {
    throw exceeded('LimitExceeded.User.Group', `The user ${userName} already joined ${QUOTAS.groupsPerUser} groups, the limit.`);
  }
}

/** IMS GetAccountSummary's SummaryMap: what the account holds, and its quotas. */
export async function accountSummary(tx: Tx, accountId: string): Promise<Record<string, number>> {
  const [users, groups, roles, policies, mfa] = await Promise.all([
    countOf(tx, 'ram_users', accountId),
    countOf(tx, 'ram_groups', accountId),
    countOf(tx, 'ram_roles', accountId),
    countOf(tx, 'ram_policies', accountId),
    tx
      .selectFrom('mfa_devices')
      .select([sql<number>`count(*)`.as('n'), sql<number>`count(user_id)`.as('bound')])
      .where('account_id', '=', accountId)
      .executeTakeFirst(),
  ]);
  return {
    Users: users,
    UsersQuota: QUOTAS.users,
    Groups: groups,
    GroupsQuota: QUOTAS.groups,
    GroupsPerUserQuota: QUOTAS.groupsPerUser,
    Roles: roles,
    RolesQuota: QUOTAS.roles,
    Policies: policies,
    PoliciesQuota: QUOTAS.customPolicies,
    PolicySizeQuota: MAX_POLICY_DOCUMENT,
    VersionsPerPolicyQuota: MAX_POLICY_VERSIONS,
    AttachedPoliciesPerUserQuota: QUOTAS.customPoliciesPerPrincipal,
    AttachedSystemPoliciesPerUserQuota: QUOTAS.systemPoliciesPerPrincipal,
    AttachedPoliciesPerGroupQuota: QUOTAS.customPoliciesPerPrincipal,
    AttachedSystemPoliciesPerGroupQuota: QUOTAS.systemPoliciesPerPrincipal,
    AttachedPoliciesPerRoleQuota: QUOTAS.customPoliciesPerPrincipal,
    AttachedSystemPoliciesPerRoleQuota: QUOTAS.systemPoliciesPerPrincipal,
    AccessKeysPerUserQuota: MAX_ACCESS_KEYS_PER_USER,
    MFADevices: Number(mfa?.n ?? 0),
    MFADevicesInUse: Number(mfa?.bound ?? 0),
    VirtualMFADevicesQuota: MAX_VIRTUAL_MFA_DEVICES,
  };
}
