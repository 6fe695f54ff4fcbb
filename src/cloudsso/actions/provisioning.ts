import { apiTime, isoNow } from '../../clock.js';
import { defineAction, type ActionContext, type ActionDefinition } from '../../openapi/define-action.js';
import { ApiError, entityNotExist } from '../../errors.js';
import { str } from '../../openapi/params.js';
import { accessConfigurationNames, getAccessConfiguration, type AccessConfiguration } from '../access-configurations.js';
import { directoryArn } from '../arns.js';
import { pagedResponse, pairPageRequest } from './paging.js';
import { accessConfigurationId, directoryId, pagingParams } from './params.js';
import { getDirectory } from '../directories.js';
import { findProvisioning, listProvisionings, resolveTarget, resolveTargets, TARGET_TYPE, type Provisioning, type Target } from '../provisioning.js';
import { createTask } from '../tasks.js';
import { acArn } from './access-configurations.js';
import { taskView } from './tasks.js';

export const targetType = <R extends boolean>(required: R) => str({ required, enum: [TARGET_TYPE], code: 'InvalidParameter.TargetType' });
export const targetId = () => str({ required: true, max: 64, pattern: /^[0-9]+$/, code: 'InvalidParameter.TargetId' });

/** The access configuration and account every provisioning and assignment action names. */
export const acTargetParams = { DirectoryId: directoryId(), AccessConfigurationId: accessConfigurationId(), TargetType: targetType(true), TargetId: targetId() };

/** The directory checked, then the access configuration and the account the parameters name. */
export async function acOnTarget(
  c: ActionContext,
  p: { DirectoryId: string; AccessConfigurationId: string; TargetType: string; TargetId: string },
): Promise<{ ac: AccessConfiguration; target: Target }> {
  await getDirectory(c.tx, p.DirectoryId, c.accountId);
  const ac = await getAccessConfiguration(c.tx, p.DirectoryId, p.AccessConfigurationId);
  const target = await resolveTarget(c.tx, c.accountId, p.TargetType, p.TargetId);
  return { ac, target };
}

function provisioningView(p: Provisioning, acNames: Map<string, string>, targets: Map<string, Target>): Record<string, unknown> {
  const target = targets.get(p.account_id);
  return {
    AccessConfigurationId: p.access_configuration_id,
    AccessConfigurationName: acNames.get(p.access_configuration_id) ?? '',
    TargetType: TARGET_TYPE,
    TargetId: p.account_id,
    TargetName: target?.name ?? '',
    TargetPath: target?.path ?? '',
    TargetPathName: target?.pathName ?? '',
    Status: p.status,
    CreateTime: apiTime(p.created_at),
    UpdateTime: apiTime(p.updated_at),
  };
}

export const provisioningActions: ActionDefinition[] = [
  defineAction({
    product: 'cloudsso',
    name: 'ProvisionAccessConfiguration',
    params: acTargetParams,
    ramAction: 'cloudsso:ProvisionAccessConfiguration',
    resource: (p, c) => acArn(c, p.DirectoryId, p.AccessConfigurationId),
    async handle(p, c) {
      const { ac, target } = await acOnTarget(c, p);
      const task = await createTask(c.tx, { type: 'ProvisionAccessConfiguration', ac, target }, isoNow(c.clock));
      return { Tasks: [taskView(task)] };
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'DeprovisionAccessConfiguration',
    params: acTargetParams,
    ramAction: 'cloudsso:DeprovisionAccessConfiguration',
    resource: (p, c) => acArn(c, p.DirectoryId, p.AccessConfigurationId),
    async handle(p, c) {
      const { ac, target } = await acOnTarget(c, p);
      if (!(await findProvisioning(c.tx, ac.id, target.id))) {
        throw entityNotExist('EntityNotExists.AccessConfigurationProvisioning', `provisioning of ${ac.name} on account ${target.id}`);
      }
      const assigned = await c.tx
        .selectFrom('cloudsso_assignments')
        .select('id')
        .where('access_configuration_id', '=', ac.id)
        .where('target_id', '=', target.id)
        .limit(1)
        .executeTakeFirst();
      if (assigned) {
        throw new ApiError('DeletionConflict.AccessConfigurationProvisioning.AccessAssignment', 409, 'The access configuration is still assigned on this account.');
      }
      const task = await createTask(c.tx, { type: 'DeprovisionAccessConfiguration', ac, target }, isoNow(c.clock));
      return { Tasks: [taskView(task)] };
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'ListAccessConfigurationProvisionings',
    params: {
      DirectoryId: directoryId(),
      AccessConfigurationId: str({ max: 64, code: 'InvalidParameter.AccessConfigurationId' }),
      TargetType: targetType(false),
      TargetId: str({ max: 64, code: 'InvalidParameter.TargetId' }),
      ProvisioningStatus: str({ enum: ['Provisioned', 'ReprovisionRequired', 'DeprovisionFailed'], code: 'InvalidParameter.ProvisioningStatus' }),
      ...pagingParams(20),
    },
    ramAction: 'cloudsso:ListAccessConfigurationProvisionings',
    resource: (p, c) => directoryArn(c, p.DirectoryId),
    async handle(p, c) {
      await getDirectory(c.tx, p.DirectoryId, c.accountId);
      const page = await listProvisionings(c.tx, p.DirectoryId, {
        acId: p.AccessConfigurationId,
        accountId: p.TargetId,
        status: p.ProvisioningStatus,
      }, pairPageRequest(p));
      const acNames = await accessConfigurationNames(c.tx, p.DirectoryId, page.items.map((r) => r.access_configuration_id));
      const targets = await resolveTargets(c.tx, c.accountId, page.items.map((r) => r.account_id));
      const views = page.items.map((row) => provisioningView(row, acNames, targets));
      return { ...pagedResponse('AccessConfigurationProvisionings', { ...page, items: views }, (v) => v, p.MaxResults) };
    },
  }),
];
