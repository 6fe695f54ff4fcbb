import type { Tx } from '../store/db.js';
import type { CloudSsoAccessConfigurationTable, CloudSsoAcPolicyTable } from '../store/schema-cloudsso-access.js';
import { newPrefixedId } from '../ids.js';
import { ApiError, entityAlreadyExists, entityNotExist, invalidParameter } from '../errors.js';
import { parsePolicyDocument } from '../policy/document.js';
import { findSystemPolicy } from '../policy/system-policies.js';
import { CONSOLE_DOMAINS, isLocalPath, returnAddress } from '../redirects/return-address.js';
import { taggedWith, type TagFilter } from '../tags/store.js';
import { countedPageByColumn, type CountedPage, type PageRequest } from '../paging.js';
import { filterCondition, type Filter } from './filters.js';

export type AccessConfiguration = CloudSsoAccessConfigurationTable;
export type AcPolicy = CloudSsoAcPolicyTable;

export const AC_NAME = /^[A-Za-z0-9-]+$/;
export const MIN_SESSION = 900;
export const MAX_SESSION = 43200;
export const DEFAULT_SESSION = 3600;
export const MAX_SYSTEM_POLICIES = 20;
export const MAX_INLINE_POLICIES = 1;
export const MAX_INLINE_DOCUMENT = 4096;

/**
 * RelayState must be a page of the console: an absolute https URL on aliyun.com / alibabacloud.com (or a subdomain),
 * or on Gatehouse's own public origin. The return address rule applies, minus relative paths; what is stored is the
 * normalized address, the one a Log On will land on.
 */
export function checkRelayState(value: string, publicUrl: string, param = 'RelayState'): string {
  const address = returnAddress(value, { selfOrigin: new URL(publicUrl).origin, allowedDomains: CONSOLE_DOMAINS });
  if (!address || isLocalPath(address)) throw invalidParameter(param, 'it must be a page of the console on an allowed domain', `InvalidParameter.${param}`);
  return address;
}

export async function findAccessConfiguration(tx: Tx, directoryId: string, id: string): Promise<AccessConfiguration | undefined> {
  return tx.selectFrom('cloudsso_access_configurations').selectAll().where('directory_id', '=', directoryId).where('id', '=', id).executeTakeFirst();
}

/** Names of the directory's access configurations among `ids`, in one query. */
export async function accessConfigurationNames(tx: Tx, directoryId: string, ids: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await tx
    .selectFrom('cloudsso_access_configurations')
    .select(['id', 'name'])
    .where('directory_id', '=', directoryId)
    .where('id', 'in', unique)
    .execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

export async function getAccessConfiguration(tx: Tx, directoryId: string, id: string): Promise<AccessConfiguration> {
  const ac = await findAccessConfiguration(tx, directoryId, id);
  if (!ac) throw entityNotExist('EntityNotExists.AccessConfiguration', `access configuration ${id}`);
  return ac;
}

export interface NewAccessConfiguration {
  name: string;
  description?: string;
  sessionDuration?: number;
  relayState?: string;
}

export async function createAccessConfiguration(tx: Tx, directoryId: string, input: NewAccessConfiguration, now: string): Promise<AccessConfiguration> {
  const taken = await tx
    .selectFrom('cloudsso_access_configurations')
    .select('id')
    .where('directory_id', '=', directoryId)
    .where('name_key', '=', input.name.toLowerCase())
    .executeTakeFirst();
  if (taken) throw entityAlreadyExists('EntityAlreadyExists.AccessConfiguration', `access configuration ${input.name}`);
  const ac: AccessConfiguration = {
    id: newPrefixedId('ac-'),
    directory_id: directoryId,
    name: input.name,
    name_key: input.name.toLowerCase(),
    description: input.description ?? '',
    session_duration: input.sessionDuration ?? DEFAULT_SESSION,
    relay_state: input.relayState ?? '',
    reprovision_required: 0,
    created_at: now,
    updated_at: now,
  };
  await tx.insertInto('cloudsso_access_configurations').values(ac).execute();
  return ac;
}

/**
 * Accounts holding a copy of the configuration now hold an outdated one: their provisionings turn
 * ReprovisionRequired (a failed deprovisioning stays what it is) and the configuration says so.
 */
export async function markReprovisionRequired(tx: Tx, ac: AccessConfiguration, now: string): Promise<AccessConfiguration> {
  const result = await tx
    .updateTable('cloudsso_provisionings')
    .set({ status: 'ReprovisionRequired', updated_at: now })
    .where('access_configuration_id', '=', ac.id)
    .where('status', 'in', ['Provisioned', 'ReprovisionRequired'])
    .executeTakeFirst();
  const flag = Number(result.numUpdatedRows) > 0 ? 1 : ac.reprovision_required;
  await tx.updateTable('cloudsso_access_configurations').set({ reprovision_required: flag, updated_at: now }).where('id', '=', ac.id).execute();
  return { ...ac, reprovision_required: flag, updated_at: now };
}

/** Recomputes the configuration's notification from its provisionings (after a provisioning or deprovisioning). */
export async function refreshReprovisionFlag(tx: Tx, acId: string): Promise<void> {
  const pending = await tx
    .selectFrom('cloudsso_provisionings')
    .select('account_id')
    .where('access_configuration_id', '=', acId)
    .where('status', '=', 'ReprovisionRequired')
    .limit(1)
    .executeTakeFirst();
  await tx
    .updateTable('cloudsso_access_configurations')
    .set({ reprovision_required: pending ? 1 : 0 })
    .where('id', '=', acId)
    .execute();
}

export interface AccessConfigurationChanges {
  description?: string;
  sessionDuration?: number;
  relayState?: string;
}

export async function updateAccessConfiguration(tx: Tx, ac: AccessConfiguration, changes: AccessConfigurationChanges, now: string): Promise<AccessConfiguration> {
  const next: AccessConfiguration = {
    ...ac,
    description: changes.description ?? ac.description,
    session_duration: changes.sessionDuration ?? ac.session_duration,
    relay_state: changes.relayState ?? ac.relay_state,
    updated_at: now,
  };
  await tx
    .updateTable('cloudsso_access_configurations')
    .set({ description: next.description, session_duration: next.session_duration, relay_state: next.relay_state, updated_at: now })
    .where('id', '=', ac.id)
    .execute();
  // The description is not provisioned into member accounts (the role's own description is fixed), so changing it
  // alone leaves the provisionings current; SessionDuration and RelayState are carried by what was provisioned.
  const provisionedChange = next.session_duration !== ac.session_duration || next.relay_state !== ac.relay_state;
  return provisionedChange ? markReprovisionRequired(tx, next, now) : next;
}

export async function deleteAccessConfiguration(tx: Tx, ac: AccessConfiguration, options: { forceRemovePolicies: boolean }): Promise<void> {
  const task = await tx
    .selectFrom('cloudsso_tasks')
    .select('id')
    .where('access_configuration_id', '=', ac.id)
    .where('status', '=', 'InProgress')
    .limit(1)
    .executeTakeFirst();
  if (task) throw new ApiError('DeletionConflict.AccessConfiguration.Task', 409, 'The access configuration has tasks in progress.');
  const assignment = await tx.selectFrom('cloudsso_assignments').select('id').where('access_configuration_id', '=', ac.id).limit(1).executeTakeFirst();
  if (assignment) throw new ApiError('DeletionConflict.AccessConfiguration.AccessAssignment', 409, 'The access configuration is still assigned. Delete the assignments first.');
  const provisioning = await tx
    .selectFrom('cloudsso_provisionings')
    .select('account_id')
    .where('access_configuration_id', '=', ac.id)
    .limit(1)
    .executeTakeFirst();
  if (provisioning) {
    throw new ApiError('DeletionConflict.AccessConfiguration.Provisioning', 409, 'The access configuration is still provisioned to accounts. Deprovision it first.');
  }
  const policy = await tx.selectFrom('cloudsso_ac_policies').select('policy_name').where('access_configuration_id', '=', ac.id).limit(1).executeTakeFirst();
  if (policy && !options.forceRemovePolicies) {
    throw new ApiError(
      'DeletionConflict.AccessConfiguration.PermissionPolicy',
      409,
      'The access configuration still has permission policies. Remove them or set ForceRemovePermissionPolicies.',
    );
  }
  await tx.deleteFrom('cloudsso_ac_policies').where('access_configuration_id', '=', ac.id).execute();
  await tx.deleteFrom('cloudsso_access_configurations').where('id', '=', ac.id).execute();
}

export async function listAccessConfigurations(
  tx: Tx,
  directoryId: string,
  query: {
    filter?: Filter;
    reprovisionRequired?: boolean;
    /** Configurations carrying every one of these tags (kept under the directory's management account). */
    tags?: { ownerAccountId: string; filters: TagFilter[] };
  },
  page: PageRequest,
): Promise<CountedPage<AccessConfiguration>> {
  let base = tx.selectFrom('cloudsso_access_configurations').where('directory_id', '=', directoryId);
  if (query.filter) base = base.where(filterCondition('name_key', query.filter));
  if (query.reprovisionRequired !== undefined) base = base.where('reprovision_required', '=', query.reprovisionRequired ? 1 : 0);
  for (const tag of query.tags?.filters ?? []) base = base.where('id', 'in', taggedWith(tx, query.tags!.ownerAccountId, 'cloudsso-access-configuration', tag));
  return countedPageByColumn(page, base.selectAll(), 'name_key', base);
}

// ---- permission policies ----

export async function policiesOf(tx: Tx, acId: string): Promise<AcPolicy[]> {
  return tx.selectFrom('cloudsso_ac_policies').selectAll().where('access_configuration_id', '=', acId).orderBy('added_at').orderBy('policy_name_key').execute();
}

export function checkInlineDocument(document: string): void {
  if ([...document].length > MAX_INLINE_DOCUMENT) {
    throw invalidParameter('InlinePolicyDocument', `it must be at most ${MAX_INLINE_DOCUMENT} characters`, 'InvalidParameter.InlinePolicyDocument.Length');
  }
  const parsed = parsePolicyDocument(document, { kind: 'permission', maxLength: MAX_INLINE_DOCUMENT });
  if (!parsed.ok) throw new ApiError(parsed.code, 400, parsed.message);
}

export interface PolicyToAdd {
  type: 'System' | 'Inline';
  name: string;
  document?: string;
}

export async function addPolicy(tx: Tx, ac: AccessConfiguration, input: PolicyToAdd, now: string): Promise<void> {
  let name = input.name;
  if (input.type === 'System') {
    const system = findSystemPolicy(input.name);
    if (!system) throw entityNotExist('EntityNotExists.PermissionPolicy', `system policy ${input.name}`);
    name = system.name;
  } else {
    if (input.document === undefined) throw new ApiError('MissingParameter.InlinePolicyDocument', 400, 'InlinePolicyDocument is required for an Inline policy.');
    if (!/^[A-Za-z0-9-]{1,128}$/.test(input.name)) throw invalidParameter('PermissionPolicyName', 'it must be 1–128 of [A-Za-z0-9-]');
    checkInlineDocument(input.document);
  }
  const existing = await policiesOf(tx, ac.id);
  if (existing.some((p) => p.policy_type === input.type && p.policy_name_key === name.toLowerCase())) {
    throw entityAlreadyExists('EntityAlreadyExists.PermissionPolicy', `${input.type} policy ${name} in access configuration ${ac.name}`);
  }
  const sameType = existing.filter((p) => p.policy_type === input.type).length;
  const limit = input.type === 'System' ? MAX_SYSTEM_POLICIES : MAX_INLINE_POLICIES;
  if (sameType >= limit) {
    throw new ApiError(
      `LimitExceeded.AccessConfiguration.${input.type}Policy`,
      409,
      `An access configuration can have at most ${MAX_SYSTEM_POLICIES} system policies and ${MAX_INLINE_POLICIES} inline policy.`,
    );
  }
  await tx
    .insertInto('cloudsso_ac_policies')
    .values({
      access_configuration_id: ac.id,
      policy_type: input.type,
      policy_name: name,
      policy_name_key: name.toLowerCase(),
      document: input.type === 'Inline' ? (input.document ?? null) : null,
      added_at: now,
    })
    .execute();
  await markReprovisionRequired(tx, ac, now);
}

async function findPolicy(tx: Tx, ac: AccessConfiguration, type: 'System' | 'Inline', name: string): Promise<AcPolicy> {
  const row = await tx
    .selectFrom('cloudsso_ac_policies')
    .selectAll()
    .where('access_configuration_id', '=', ac.id)
    .where('policy_type', '=', type)
    .where('policy_name_key', '=', name.toLowerCase())
    .executeTakeFirst();
  if (!row) throw entityNotExist('EntityNotExists.PermissionPolicy', `${type} policy ${name} in access configuration ${ac.name}`);
  return row;
}

export async function removePolicy(tx: Tx, ac: AccessConfiguration, type: 'System' | 'Inline', name: string, now: string): Promise<void> {
  const row = await findPolicy(tx, ac, type, name);
  await tx
    .deleteFrom('cloudsso_ac_policies')
    .where('access_configuration_id', '=', ac.id)
    .where('policy_type', '=', type)
    .where('policy_name_key', '=', row.policy_name_key)
    .execute();
  await markReprovisionRequired(tx, ac, now);
}

export async function updateInlinePolicy(tx: Tx, ac: AccessConfiguration, name: string, document: string, now: string): Promise<void> {
  const row = await findPolicy(tx, ac, 'Inline', name);
  checkInlineDocument(document);
  await tx
    .updateTable('cloudsso_ac_policies')
    .set({ document })
    .where('access_configuration_id', '=', ac.id)
    .where('policy_type', '=', 'Inline')
    .where('policy_name_key', '=', row.policy_name_key)
    .execute();
  if (row.document !== document) await markReprovisionRequired(tx, ac, now);
}
