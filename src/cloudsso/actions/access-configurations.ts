import { apiTime, isoNow } from '../../clock.js';
import { defineAction, type ActionContext, type ActionDefinition } from '../../openapi/define-action.js';
import { bool, int, str } from '../../openapi/params.js';
import {
  AC_NAME,
  addPolicy,
  checkRelayState,
  createAccessConfiguration,
  deleteAccessConfiguration,
  getAccessConfiguration,
  listAccessConfigurations,
  MAX_INLINE_DOCUMENT,
  MAX_SESSION,
  MIN_SESSION,
  policiesOf,
  removePolicy,
  updateAccessConfiguration,
  updateInlinePolicy,
  type AccessConfiguration,
} from '../access-configurations.js';
import { cloudssoArn, directoryArn } from '../arns.js';
import { parseFilter } from '../filters.js';
import { pagedResponse, pageRequest } from './paging.js';
import { ssoTagsView } from './tags-view.js';
import { accessConfigurationId, directoryId, filter, pagingParams } from './params.js';
import { tagFilterList, tagList } from '../../openapi/tag-params.js';
import { addTags, removeTags, tagsOf } from '../../tags/store.js';
import { getDirectory } from '../directories.js';

export const acArn = (c: Pick<ActionContext, 'region' | 'accountId'>, dir: string, acId: string): string =>
  cloudssoArn(c, `directory/${dir}/access-configuration/${acId}`);

export function accessConfigurationView(ac: AccessConfiguration): Record<string, unknown> {
  return {
    AccessConfigurationId: ac.id,
    AccessConfigurationName: ac.name,
    Description: ac.description,
    SessionDuration: ac.session_duration,
    RelayState: ac.relay_state,
    StatusNotifications: ac.reprovision_required ? ['ReprovisionRequired'] : [],
    CreateTime: apiTime(ac.created_at),
    UpdateTime: apiTime(ac.updated_at),
  };
}

/** One access configuration as Create and Get answer it: its view and then its tags. */
async function taggedAccessConfigurationView(c: ActionContext, ac: AccessConfiguration): Promise<Record<string, unknown>> {
  const tags = await tagsOf(c.tx, c.accountId, 'cloudsso-access-configuration', [ac.id]);
  return { ...accessConfigurationView(ac), ...ssoTagsView(tags.get(ac.id)) };
}

const description = (name: string) => str({ max: 1024, code: `InvalidParameter.${name}` });
const sessionDuration = (name: string) => int({ min: MIN_SESSION, max: MAX_SESSION, code: `InvalidParameter.${name}` });
const relayState = (name: string) => str({ max: 1024, code: `InvalidParameter.${name}` });
const policyType = () => str({ required: true, enum: ['System', 'Inline'], code: 'InvalidParameter.PermissionPolicyType' });
const policyName = (name = 'PermissionPolicyName') => str({ required: true, max: 128, code: `InvalidParameter.${name}` });

const ref = { DirectoryId: directoryId(), AccessConfigurationId: accessConfigurationId() };

async function load(c: ActionContext, p: { DirectoryId: string; AccessConfigurationId: string }): Promise<AccessConfiguration> {
  await getDirectory(c.tx, p.DirectoryId, c.accountId);
  return getAccessConfiguration(c.tx, p.DirectoryId, p.AccessConfigurationId);
}

export const accessConfigurationsActions: ActionDefinition[] = [
  defineAction({
    product: 'cloudsso',
    name: 'CreateAccessConfiguration',
    params: {
      DirectoryId: directoryId(),
      AccessConfigurationName: str({ required: true, max: 32, pattern: AC_NAME, code: 'InvalidParameter.AccessConfigurationName' }),
      Description: description('Description'),
      SessionDuration: sessionDuration('SessionDuration'),
      RelayState: relayState('RelayState'),
      Tags: tagList({ param: 'Tags' }),
    },
    ramAction: 'cloudsso:CreateAccessConfiguration',
    resource: (p, c) => directoryArn(c, p.DirectoryId),
    async handle(p, c) {
      await getDirectory(c.tx, p.DirectoryId, c.accountId);
      const relay = p.RelayState === undefined ? undefined : checkRelayState(p.RelayState, c.services.config.publicUrl);
      const ac = await createAccessConfiguration(
        c.tx,
        p.DirectoryId,
        { name: p.AccessConfigurationName, description: p.Description, sessionDuration: p.SessionDuration, relayState: relay },
        isoNow(c.clock),
      );
      await addTags(c.tx, c.accountId, 'cloudsso-access-configuration', ac.id, p.Tags);
      return { AccessConfiguration: await taggedAccessConfigurationView(c, ac) };
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'GetAccessConfiguration',
    params: ref,
    ramAction: 'cloudsso:GetAccessConfiguration',
    resource: (p, c) => acArn(c, p.DirectoryId, p.AccessConfigurationId),
    async handle(p, c) {
      const ac = await load(c, p);
      return { AccessConfiguration: await taggedAccessConfigurationView(c, ac) };
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'UpdateAccessConfiguration',
    params: {
      ...ref,
      NewDescription: description('NewDescription'),
      NewSessionDuration: sessionDuration('NewSessionDuration'),
      NewRelayState: relayState('NewRelayState'),
    },
    ramAction: 'cloudsso:UpdateAccessConfiguration',
    resource: (p, c) => acArn(c, p.DirectoryId, p.AccessConfigurationId),
    async handle(p, c) {
      const ac = await load(c, p);
      const relay = p.NewRelayState === undefined ? undefined : checkRelayState(p.NewRelayState, c.services.config.publicUrl, 'NewRelayState');
      const updated = await updateAccessConfiguration(
        c.tx,
        ac,
        { description: p.NewDescription, sessionDuration: p.NewSessionDuration, relayState: relay },
        isoNow(c.clock),
      );
      return { AccessConfiguration: accessConfigurationView(updated) };
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'DeleteAccessConfiguration',
    params: { ...ref, ForceRemovePermissionPolicies: bool({ default: false }) },
    ramAction: 'cloudsso:DeleteAccessConfiguration',
    resource: (p, c) => acArn(c, p.DirectoryId, p.AccessConfigurationId),
    async handle(p, c) {
      const ac = await load(c, p);
      await deleteAccessConfiguration(c.tx, ac, { forceRemovePolicies: p.ForceRemovePermissionPolicies === true });
      await removeTags(c.tx, c.accountId, 'cloudsso-access-configuration', ac.id, 'all');
      return {};
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'ListAccessConfigurations',
    params: {
      DirectoryId: directoryId(),
      Filter: filter(),
      StatusNotifications: str({ enum: ['ReprovisionRequired'], code: 'InvalidParameter.StatusNotifications' }),
      Tags: tagFilterList('Tags'),
      ...pagingParams(100),
    },
    ramAction: 'cloudsso:ListAccessConfigurations',
    resource: (p, c) => directoryArn(c, p.DirectoryId),
    async handle(p, c) {
      await getDirectory(c.tx, p.DirectoryId, c.accountId);
      const page = await listAccessConfigurations(c.tx, p.DirectoryId, {
        filter: parseFilter(p.Filter, ['AccessConfigurationName']),
        reprovisionRequired: p.StatusNotifications === 'ReprovisionRequired' ? true : undefined,
        tags: { ownerAccountId: c.accountId, filters: p.Tags },
      }, pageRequest(p));
      const tags = await tagsOf(c.tx, c.accountId, 'cloudsso-access-configuration', page.items.map((ac) => ac.id));
      return pagedResponse('AccessConfigurations', page, (ac) => ({ ...accessConfigurationView(ac), ...ssoTagsView(tags.get(ac.id)) }), p.MaxResults);
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'AddPermissionPolicyToAccessConfiguration',
    params: {
      ...ref,
      PermissionPolicyType: policyType(),
      PermissionPolicyName: policyName(),
      InlinePolicyDocument: str({ max: MAX_INLINE_DOCUMENT, code: 'InvalidParameter.InlinePolicyDocument' }),
    },
    ramAction: 'cloudsso:AddPermissionPolicyToAccessConfiguration',
    resource: (p, c) => acArn(c, p.DirectoryId, p.AccessConfigurationId),
    async handle(p, c) {
      const ac = await load(c, p);
      await addPolicy(
        c.tx,
        ac,
        { type: p.PermissionPolicyType as 'System' | 'Inline', name: p.PermissionPolicyName, document: p.InlinePolicyDocument },
        isoNow(c.clock),
      );
      return {};
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'RemovePermissionPolicyFromAccessConfiguration',
    params: { ...ref, PermissionPolicyType: policyType(), PermissionPolicyName: policyName() },
    ramAction: 'cloudsso:RemovePermissionPolicyFromAccessConfiguration',
    resource: (p, c) => acArn(c, p.DirectoryId, p.AccessConfigurationId),
    async handle(p, c) {
      const ac = await load(c, p);
      await removePolicy(c.tx, ac, p.PermissionPolicyType as 'System' | 'Inline', p.PermissionPolicyName, isoNow(c.clock));
      return {};
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'ListPermissionPoliciesInAccessConfiguration',
    params: ref,
    ramAction: 'cloudsso:ListPermissionPoliciesInAccessConfiguration',
    resource: (p, c) => acArn(c, p.DirectoryId, p.AccessConfigurationId),
    async handle(p, c) {
      const ac = await load(c, p);
      const policies = await policiesOf(c.tx, ac.id);
      return {
        PermissionPolicies: policies.map((row) => ({
          PermissionPolicyType: row.policy_type,
          PermissionPolicyName: row.policy_name,
          ...(row.policy_type === 'Inline' ? { PermissionPolicyDocument: row.document ?? '' } : {}),
          AddTime: apiTime(row.added_at),
        })),
        TotalCounts: policies.length,
      };
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'UpdateInlinePolicyForAccessConfiguration',
    params: {
      ...ref,
      InlinePolicyName: policyName('InlinePolicyName'),
      NewInlinePolicyDocument: str({ required: true, max: MAX_INLINE_DOCUMENT, code: 'InvalidParameter.NewInlinePolicyDocument' }),
    },
    ramAction: 'cloudsso:UpdateInlinePolicyForAccessConfiguration',
    resource: (p, c) => acArn(c, p.DirectoryId, p.AccessConfigurationId),
    async handle(p, c) {
      const ac = await load(c, p);
      await updateInlinePolicy(c.tx, ac, p.InlinePolicyName, p.NewInlinePolicyDocument, isoNow(c.clock));
      return {};
    },
  }),
];
