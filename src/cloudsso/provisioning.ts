import type { Tx } from '../store/db.js';
import type { CloudSsoProvisioningTable } from '../store/schema-cloudsso-access.js';
import { entityNotExist, invalidParameter } from '../errors.js';
import { findRdAccount, findRdAccounts, getResourceDirectoryOf } from '../resource-directory/resource-directory.js';
import { createRole, deleteRole, findRoleByName, updateRole, DEFAULT_MAX_SESSION_DURATION } from '../ram/roles.js';
import { attachPolicy, attachmentsOf, detachPolicy } from '../ram/attachments.js';
import type { AttachmentTarget, PolicyRef } from '../ram/attachment-target.js';
import { createPolicy, createPolicyVersion, deletePolicy, findCustomPolicy, getPolicy } from '../ram/policies.js';
import { deleteSamlProvider, findSamlProvider, samlProviderArn, storeSamlProvider } from '../ram/saml-providers.js';
import { policiesOf, refreshReprovisionFlag, type AccessConfiguration } from './access-configurations.js';
import { countedPageByColumns, type CountedPage, type PageRequest } from '../paging.js';

// Provisioning copies an access configuration into a member account's RAM, as CloudSSO's service role does:
// a SAML provider for the directory, the role `AliyunReservedSSO-<name>` trusting it, and the configuration's
// policies attached to the role (the inline one as a custom policy). Runs inside a task's transaction.

export type Provisioning = CloudSsoProvisioningTable;

export const TARGET_TYPE = 'RD-Account';
const RESERVED = 'AliyunReservedSSO-';
const RAM_MAX_SESSION = 43200;

export const samlProviderName = (directoryId: string): string => `${RESERVED}${directoryId}`;
export const roleNameOf = (acName: string): string => `${RESERVED}${acName}`;
export const inlinePolicyNameOf = (acName: string): string => `${RESERVED}${acName}-Inline`;

/** A member account of the management account's resource directory, as tasks and assignments show it. */
export interface Target {
  type: string;
  id: string;
  name: string;
  path: string;
  pathName: string;
}

/** The RD-Account `targetId` of the caller's resource directory; EntityNotExists.Target otherwise. */
export async function resolveTarget(tx: Tx, managementAccountId: string, targetType: string, targetId: string): Promise<Target> {
  if (targetType !== TARGET_TYPE) throw invalidParameter('TargetType', `it must be ${TARGET_TYPE}`);
  const rd = await getResourceDirectoryOf(tx, managementAccountId);
  const account = rd ? await findRdAccount(tx, rd.id, targetId) : undefined;
  if (!account) throw entityNotExist('EntityNotExists.Target', `account ${targetId} in the resource directory`);
  return { type: TARGET_TYPE, id: account.accountId, name: account.displayName, path: account.path, pathName: account.pathName };
}

/** The targets among `accountIds` that are members of the caller's resource directory, in one batched lookup for a page. */
export async function resolveTargets(tx: Tx, managementAccountId: string, accountIds: readonly string[]): Promise<Map<string, Target>> {
  const rd = await getResourceDirectoryOf(tx, managementAccountId);
  if (!rd) return new Map();
  const accounts = await findRdAccounts(tx, rd.id, accountIds);
  return new Map(
    [...accounts.values()].map((a) => [a.accountId, { type: TARGET_TYPE, id: a.accountId, name: a.displayName, path: a.path, pathName: a.pathName }]),
  );
}

export function trustPolicyFor(accountId: string, directoryId: string): string {
  return JSON.stringify({
    Version: '1',
    Statement: [
      {
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Principal: { Federated: [samlProviderArn(accountId, samlProviderName(directoryId))] },
      },
    ],
  });
}

async function ensureSamlProvider(tx: Tx, accountId: string, directoryId: string, now: string): Promise<void> {
  const name = samlProviderName(directoryId);
  if (await findSamlProvider(tx, accountId, name)) return;
  // No metadata until the SAML exchange is built (docs/decisions.md).
  await storeSamlProvider(tx, accountId, { name, description: `CloudSSO directory ${directoryId}`, metadata: '' }, now);
}

async function removeSamlProviderIfUnused(tx: Tx, accountId: string, directoryId: string): Promise<void> {
  const other = await tx
    .selectFrom('cloudsso_provisionings')
    .select('access_configuration_id')
    .where('account_id', '=', accountId)
    .where('directory_id', '=', directoryId)
    .limit(1)
    .executeTakeFirst();
  if (other) return;
  await deleteSamlProvider(tx, accountId, samlProviderName(directoryId));
}

/** Creates or brings up to date the configuration's role and policies in `accountId`; the provisioning turns Provisioned. */
export async function provisionToAccount(tx: Tx, ac: AccessConfiguration, accountId: string, now: string): Promise<void> {
  await ensureSamlProvider(tx, accountId, ac.directory_id, now);
  const roleName = roleNameOf(ac.name);
  const trust = trustPolicyFor(accountId, ac.directory_id);
  const maxSessionDuration = Math.min(RAM_MAX_SESSION, Math.max(DEFAULT_MAX_SESSION_DURATION, ac.session_duration));
  const description = `CloudSSO access configuration ${ac.name} (${ac.id}) of directory ${ac.directory_id}`;
  const role = (await findRoleByName(tx, accountId, roleName))
    ? await updateRole(tx, accountId, roleName, { assumeRolePolicyDocument: trust, maxSessionDuration, description }, now)
    : await createRole(tx, accountId, { name: roleName, assumeRolePolicyDocument: trust, maxSessionDuration, description }, now);
  const target: AttachmentTarget = { type: 'Role', id: role.id, name: role.name };

  const policies = await policiesOf(tx, ac.id);
  const inline = policies.find((p) => p.policy_type === 'Inline');
  const inlineName = inlinePolicyNameOf(ac.name);
  const wanted: PolicyRef[] = policies.filter((p) => p.policy_type === 'System').map((p) => ({ type: 'System', name: p.policy_name }));

  if (inline?.document) {
    const existing = await findCustomPolicy(tx, accountId, inlineName);
    if (!existing) {
      await createPolicy(tx, accountId, { name: inlineName, document: inline.document, description: `Inline policy ${inline.policy_name} of ${ac.name}` }, now);
    } else if ((await getPolicy(tx, accountId, 'Custom', inlineName)).document !== inline.document) {
      await createPolicyVersion(tx, accountId, inlineName, { document: inline.document, setAsDefault: true, rotateStrategy: 'DeleteOldestNonDefaultVersionWhenLimitExceeded' }, now);
    }
    wanted.push({ type: 'Custom', name: (await findCustomPolicy(tx, accountId, inlineName))!.name });
  }

  const key = (r: PolicyRef): string => `${r.type}:${r.name}`;
  const wantedKeys = new Set(wanted.map(key));
  const attached = await attachmentsOf(tx, accountId, { type: 'Role', id: role.id });
  const attachedKeys = new Set(attached.map((a) => `${a.policy_type}:${a.policy_name}`));
  for (const a of attached) {
    const ref: PolicyRef = { type: a.policy_type, name: a.policy_name };
    if (!wantedKeys.has(key(ref))) await detachPolicy(tx, accountId, target, ref);
  }
  for (const ref of wanted) if (!attachedKeys.has(key(ref))) await attachPolicy(tx, accountId, target, ref, now);
  if (!inline && (await findCustomPolicy(tx, accountId, inlineName))) await deletePolicy(tx, accountId, inlineName, { cascade: true });

  const existing = await findProvisioning(tx, ac.id, accountId);
  if (existing) {
    await tx
      .updateTable('cloudsso_provisionings')
      .set({ status: 'Provisioned', updated_at: now })
      .where('access_configuration_id', '=', ac.id)
      .where('account_id', '=', accountId)
      .execute();
  } else {
    await tx
      .insertInto('cloudsso_provisionings')
      .values({ access_configuration_id: ac.id, directory_id: ac.directory_id, account_id: accountId, status: 'Provisioned', created_at: now, updated_at: now })
      .execute();
  }
  await refreshReprovisionFlag(tx, ac.id);
}

/** Removes the configuration's role, its inline policy and (when no other configuration needs it) the SAML provider. */
export async function deprovisionFromAccount(tx: Tx, ac: AccessConfiguration, accountId: string): Promise<void> {
  const roleName = roleNameOf(ac.name);
  const role = await findRoleByName(tx, accountId, roleName);
  if (role) {
    const target: AttachmentTarget = { type: 'Role', id: role.id, name: role.name };
    for (const a of await attachmentsOf(tx, accountId, { type: 'Role', id: role.id })) {
      await detachPolicy(tx, accountId, target, { type: a.policy_type, name: a.policy_name });
    }
    await deleteRole(tx, accountId, roleName);
  }
  if (await findCustomPolicy(tx, accountId, inlinePolicyNameOf(ac.name))) await deletePolicy(tx, accountId, inlinePolicyNameOf(ac.name), { cascade: true });
  await tx.deleteFrom('cloudsso_provisionings').where('access_configuration_id', '=', ac.id).where('account_id', '=', accountId).execute();
  await removeSamlProviderIfUnused(tx, accountId, ac.directory_id);
  await refreshReprovisionFlag(tx, ac.id);
}

export async function findProvisioning(tx: Tx, acId: string, accountId: string): Promise<Provisioning | undefined> {
  return tx
    .selectFrom('cloudsso_provisionings')
    .selectAll()
    .where('access_configuration_id', '=', acId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
}

/** Marks a provisioning whose removal failed, so it shows as DeprovisionFailed. */
export async function markDeprovisionFailed(tx: Tx, acId: string, accountId: string, now: string): Promise<void> {
  await tx
    .updateTable('cloudsso_provisionings')
    .set({ status: 'DeprovisionFailed', updated_at: now })
    .where('access_configuration_id', '=', acId)
    .where('account_id', '=', accountId)
    .execute();
}

/** In (access configuration, account) order; the key is that pair of the last provisioning shown. */
export async function listProvisionings(
  tx: Tx,
  directoryId: string,
  query: { acId?: string; accountId?: string; status?: string },
  page: PageRequest<[string, string]>,
): Promise<CountedPage<Provisioning, [string, string]>> {
  let base = tx.selectFrom('cloudsso_provisionings').where('directory_id', '=', directoryId);
  if (query.acId) base = base.where('access_configuration_id', '=', query.acId);
  if (query.accountId) base = base.where('account_id', '=', query.accountId);
  if (query.status) base = base.where('status', '=', query.status as Provisioning['status']);
  return countedPageByColumns(page, base.selectAll(), ['access_configuration_id', 'account_id'], base);
}
