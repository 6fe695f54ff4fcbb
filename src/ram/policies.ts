import type { Tx } from '../store/db.js';
import { removeTags, taggedWith, type TagFilter } from '../tags/store.js';
import type { RamPolicyTable, RamPolicyVersionTable } from '../store/schema.js';
import { newPolicyId } from '../ids.js';
import { ApiError, entityAlreadyExists, entityNotExist, invalidParameter } from '../errors.js';
import { parsePolicyDocument } from '../policy/document.js';
import { findSystemPolicy, systemPolicies } from '../policy/system-policies.js';
import { attachmentCountOf, attachmentCounts, checkPolicyDetached, detachEverywhere } from './attachments.js';
import type { PolicyRef } from './attachment-target.js';
import { MAX_POLICY_DOCUMENT, MAX_POLICY_VERSIONS } from './limits.js';
import { keysetPage, rowsAfter, type Page, type PageRequest } from '../paging.js';
import { checkAccountQuota } from './quotas.js';

export type PolicyType = 'System' | 'Custom';
export type RamPolicy = RamPolicyTable;
export type RamPolicyVersion = RamPolicyVersionTable;


/** A policy as the API shows it, System or Custom alike. */
export interface PolicyInfo {
  type: PolicyType;
  name: string;
  description: string;
  defaultVersion: string;
  document: string;
  createdAt: string;
  updatedAt: string;
  /** Custom only. */
  id?: string;
}

export interface VersionInfo {
  versionId: string;
  isDefault: boolean;
  document: string;
  createdAt: string;
}

// System policies come from the registry in src/policy; they have one version and never change.

function systemInfo(name: string): PolicyInfo | undefined {
  const policy = findSystemPolicy(name);
  if (!policy) return undefined;
  return {
    type: 'System',
    name: policy.name,
    description: policy.description,
    defaultVersion: policy.defaultVersion,
    document: policy.document,
    createdAt: policy.createDate,
    updatedAt: policy.updateDate,
  };
}

const allSystemNames = (): string[] => systemPolicies.map((p) => p.name).sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1));

export function checkPolicyDocument(document: string): void {
  const parsed = parsePolicyDocument(document, { kind: 'permission', maxLength: MAX_POLICY_DOCUMENT });
  if (!parsed.ok) throw new ApiError(parsed.code, 400, parsed.message);
}

const policyNotFound = (name: string): ApiError => entityNotExist('EntityNotExist.Policy', `policy ${name}`);
const versionNotFound = (name: string, version: string): ApiError => entityNotExist('EntityNotExist.Policy.Version', `version ${version} of policy ${name}`);

export async function findCustomPolicy(tx: Tx, accountId: string, name: string): Promise<RamPolicy | undefined> {
  return tx.selectFrom('ram_policies').selectAll().where('account_id', '=', accountId).where('name_key', '=', name.toLowerCase()).executeTakeFirst();
}

export async function getCustomPolicy(tx: Tx, accountId: string, name: string): Promise<RamPolicy> {
  const policy = await findCustomPolicy(tx, accountId, name);
  if (!policy) throw policyNotFound(name);
  return policy;
}

async function versionsOf(tx: Tx, policyId: string): Promise<RamPolicyVersion[]> {
  const rows = await tx.selectFrom('ram_policy_versions').selectAll().where('policy_id', '=', policyId).execute();
  return rows.sort((a, b) => Number(a.version_id.slice(1)) - Number(b.version_id.slice(1)));
}

async function defaultDocument(tx: Tx, policy: RamPolicy): Promise<string> {
  const row = await tx
    .selectFrom('ram_policy_versions')
    .select('document')
    .where('policy_id', '=', policy.id)
    .where('version_id', '=', policy.default_version)
    .executeTakeFirstOrThrow();
  return row.document;
}

function customInfo(policy: RamPolicy, document: string): PolicyInfo {
  return {
    type: 'Custom',
    id: policy.id,
    name: policy.name,
    description: policy.description,
    defaultVersion: policy.default_version,
    document,
    createdAt: policy.created_at,
    updatedAt: policy.updated_at,
  };
}

/** Finds a System or Custom policy by name (case-insensitive); EntityNotExist.Policy otherwise. */
export async function getPolicy(tx: Tx, accountId: string, type: PolicyType, name: string): Promise<PolicyInfo> {
  if (type === 'System') {
    const info = systemInfo(name);
    if (!info) throw policyNotFound(name);
    return info;
  }
  const policy = await getCustomPolicy(tx, accountId, name);
  return customInfo(policy, await defaultDocument(tx, policy));
}

/** The name under which attachments refer to a policy. */
export async function policyRef(tx: Tx, accountId: string, type: PolicyType, name: string): Promise<PolicyRef> {
  if (type === 'System') {
    const system = findSystemPolicy(name);
    if (!system) throw policyNotFound(name);
    return { type, name: system.name };
  }
  return { type, name: (await getCustomPolicy(tx, accountId, name)).name };
}

export async function attachmentCount(tx: Tx, accountId: string, policy: PolicyRef): Promise<number> {
  return attachmentCountOf(await attachmentCounts(tx, accountId, [policy]), policy);
}

export interface NewPolicy {
  name: string;
  document: string;
  description?: string;
}

export async function createPolicy(tx: Tx, accountId: string, input: NewPolicy, now: string): Promise<PolicyInfo> {
  checkPolicyDocument(input.document);
  // A Custom policy may not shadow a System one: both would be "AdministratorAccess" in every list and message.
  if (findSystemPolicy(input.name) || (await findCustomPolicy(tx, accountId, input.name))) {
    throw entityAlreadyExists('EntityAlreadyExists.Policy', `policy ${input.name}`);
  }
  await checkAccountQuota(tx, accountId, 'Policy');
  const policy: RamPolicy = {
    id: newPolicyId(),
    account_id: accountId,
    name: input.name,
    name_key: input.name.toLowerCase(),
    description: input.description ?? '',
    default_version: 'v1',
    next_version: 2,
    created_at: now,
    updated_at: now,
  };
  await tx.insertInto('ram_policies').values(policy).execute();
  await tx.insertInto('ram_policy_versions').values({ policy_id: policy.id, version_id: 'v1', document: input.document, created_at: now }).execute();
  return customInfo(policy, input.document);
}

export async function deletePolicy(tx: Tx, accountId: string, name: string, options: { cascade?: boolean } = {}): Promise<void> {
  const policy = await getCustomPolicy(tx, accountId, name);
  const ref: PolicyRef = { type: 'Custom', name: policy.name };
  if (options.cascade) {
    await detachEverywhere(tx, accountId, ref);
  } else {
    await checkPolicyDetached(tx, accountId, ref);
    const others = await tx
      .selectFrom('ram_policy_versions')
      .select('version_id')
      .where('policy_id', '=', policy.id)
      .where('version_id', '!=', policy.default_version)
      .limit(1)
      .executeTakeFirst();
    if (others) throw new ApiError('DeleteConflict.Policy.Version', 409, 'The policy CAN NOT has any version except the default version.');
  }
  await tx.deleteFrom('ram_policy_versions').where('policy_id', '=', policy.id).execute();
  await removeTags(tx, accountId, 'policy', policy.id, 'all');
  await tx.deleteFrom('ram_policies').where('id', '=', policy.id).execute();
}

export async function updatePolicyDescription(tx: Tx, accountId: string, name: string, description: string, now: string): Promise<PolicyInfo> {
  const policy = await getCustomPolicy(tx, accountId, name);
  await tx.updateTable('ram_policies').set({ description, updated_at: now }).where('id', '=', policy.id).execute();
  return customInfo({ ...policy, description, updated_at: now }, await defaultDocument(tx, policy));
}

export type RotateStrategy = 'None' | 'DeleteOldestNonDefaultVersionWhenLimitExceeded';

export async function createPolicyVersion(
  tx: Tx,
  accountId: string,
  name: string,
  input: { document: string; setAsDefault?: boolean; rotateStrategy?: RotateStrategy },
  now: string,
): Promise<VersionInfo> {
  const policy = await getCustomPolicy(tx, accountId, name);
  checkPolicyDocument(input.document);
  const versions = await versionsOf(tx, policy.id);
  if (versions.length >= MAX_POLICY_VERSIONS) {
    const oldest = versions.find((v) => v.version_id !== policy.default_version);
    if (input.rotateStrategy !== 'DeleteOldestNonDefaultVersionWhenLimitExceeded' || !oldest) {
      throw new ApiError('LimitExceeded.Policy.Version', 409, `The count of policy version beyond the current limits (${MAX_POLICY_VERSIONS}).`);
    }
    await tx.deleteFrom('ram_policy_versions').where('policy_id', '=', policy.id).where('version_id', '=', oldest.version_id).execute();
  }
  const versionId = `v${policy.next_version}`;
  await tx.insertInto('ram_policy_versions').values({ policy_id: policy.id, version_id: versionId, document: input.document, created_at: now }).execute();
  await tx
    .updateTable('ram_policies')
    .set({ next_version: policy.next_version + 1, updated_at: now, ...(input.setAsDefault ? { default_version: versionId } : {}) })
    .where('id', '=', policy.id)
    .execute();
  return { versionId, isDefault: input.setAsDefault === true, document: input.document, createdAt: now };
}

export async function listPolicyVersions(tx: Tx, accountId: string, type: PolicyType, name: string): Promise<VersionInfo[]> {
  if (type === 'System') {
    const info = await getPolicy(tx, accountId, type, name);
    return [{ versionId: info.defaultVersion, isDefault: true, document: info.document, createdAt: info.createdAt }];
  }
  const policy = await getCustomPolicy(tx, accountId, name);
  return (await versionsOf(tx, policy.id)).map((v) => ({
    versionId: v.version_id,
    isDefault: v.version_id === policy.default_version,
    document: v.document,
    createdAt: v.created_at,
  }));
}

export async function getPolicyVersion(tx: Tx, accountId: string, type: PolicyType, name: string, versionId: string): Promise<VersionInfo> {
  const version = (await listPolicyVersions(tx, accountId, type, name)).find((v) => v.versionId === versionId);
  if (!version) throw versionNotFound(name, versionId);
  return version;
}

export async function deletePolicyVersion(tx: Tx, accountId: string, name: string, versionId: string): Promise<void> {
  const policy = await getCustomPolicy(tx, accountId, name);
  if (versionId === policy.default_version) {
    throw new ApiError('DeleteConflict.Policy.Version.Default', 409, 'The default policy version CAN NOT been deleted directly.');
  }
  const result = await tx.deleteFrom('ram_policy_versions').where('policy_id', '=', policy.id).where('version_id', '=', versionId).executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw versionNotFound(name, versionId);
}

export async function setDefaultPolicyVersion(tx: Tx, accountId: string, name: string, versionId: string, now: string): Promise<void> {
  const policy = await getCustomPolicy(tx, accountId, name);
  const exists = await tx
    .selectFrom('ram_policy_versions')
    .select('version_id')
    .where('policy_id', '=', policy.id)
    .where('version_id', '=', versionId)
    .executeTakeFirst();
  if (!exists) throw versionNotFound(name, versionId);
  await tx.updateTable('ram_policies').set({ default_version: versionId, updated_at: now }).where('id', '=', policy.id).execute();
}

/** A listed policy carries no document (ListPolicies does not show it). */
export interface ListedPolicy extends PolicyInfo {
  attachmentCount: number;
}

/** Where a ListPolicies page resumes: Custom policies (name order) come first, then System ones. */
export interface PolicyListKey {
  type: PolicyType;
  /** The lower-cased policy name. */
  key: string;
}

export async function listPolicies(
  tx: Tx,
  accountId: string,
  query: { type?: PolicyType; tags?: TagFilter[] },
  page: PageRequest<PolicyListKey>,
): Promise<Page<ListedPolicy, PolicyListKey>> {
  // System policies carry no tags: a Tag filter lists custom policies only.
  const tagged = (query.tags ?? []).length > 0;
  const picked = await keysetPage(
    page,
    async (after, wanted) => {
      const rows: Array<PolicyListKey & { custom?: RamPolicy }> = [];
      if (query.type !== 'System' && (!after || after.type === 'Custom')) {
        let custom = tx.selectFrom('ram_policies').selectAll().where('account_id', '=', accountId);
        for (const filter of query.tags ?? []) custom = custom.where('id', 'in', taggedWith(tx, accountId, 'policy', filter));
        for (const row of await rowsAfter(custom, 'name_key', after?.key, wanted)) rows.push({ type: 'Custom', key: row.name_key, custom: row });
      }
      if (query.type !== 'Custom' && !tagged && rows.length < wanted) {
        for (const name of allSystemNames()) {
          const key = name.toLowerCase();
          if (after?.type === 'System' && key <= after.key) continue;
          rows.push({ type: 'System', key });
          if (rows.length >= wanted) break;
        }
      }
      return rows;
    },
    (p) => ({ type: p.type, key: p.key }),
  );
  const infos = picked.items.map((p) => (p.custom ? customInfo(p.custom, '') : (systemInfo(p.key) as PolicyInfo)));
  const counts = await attachmentCounts(tx, accountId, infos.map((i) => ({ type: i.type, name: i.name })));
  const items = infos.map((info) => ({ ...info, attachmentCount: attachmentCountOf(counts, { type: info.type, name: info.name }) }));
  return { ...picked, items };
}

/** Name, description and default version of several policies at once (no documents), keyed `<type>:<name>`. */
export async function describePolicies(tx: Tx, accountId: string, refs: PolicyRef[]): Promise<Map<string, PolicyInfo>> {
  const out = new Map<string, PolicyInfo>();
  const customNames = refs.filter((r) => r.type === 'Custom').map((r) => r.name);
  if (customNames.length > 0) {
    const rows = await tx.selectFrom('ram_policies').selectAll().where('account_id', '=', accountId).where('name', 'in', customNames).execute();
    for (const row of rows) out.set(`Custom:${row.name}`, customInfo(row, ''));
  }
  for (const ref of refs) {
    if (ref.type !== 'System') continue;
    const info = systemInfo(ref.name);
    if (info) out.set(`System:${ref.name}`, { ...info, document: '' });
  }
  return out;
}
