import { apiTime } from '../../clock.js';
import { defineAction, type ActionContext } from '../../openapi/define-action.js';
import { bool, naming, str } from '../../openapi/params.js';
import { attachPolicy, attachmentsOf, detachPolicy, entitiesForPolicy } from '../attachments.js';
import type { AttachmentTarget } from '../attachment-target.js';
import { MAX_POLICY_DOCUMENT } from '../limits.js';
import { getGroupByName } from '../groups.js';
import type { PageRequest } from '../../paging.js';
import { invalidMarker, markerKey, pageFields, pagingParams } from './paging-params.js';
import {
  attachmentCount,
  createPolicy,
  createPolicyVersion,
  deletePolicy,
  deletePolicyVersion,
  describePolicies,
  getPolicy,
  getPolicyVersion,
  listPolicies,
  listPolicyVersions,
  policyRef,
  setDefaultPolicyVersion,
  updatePolicyDescription,
  type PolicyInfo,
  type PolicyListKey,
  type PolicyType,
  type VersionInfo,
} from '../policies.js';
import { roleArn } from '../principal.js';
import { getRoleByName } from '../roles.js';
import { getUserByName } from '../users.js';
import { addTags, tagsOf } from '../../tags/store.js';
import { tagFilterList, tagList } from '../../openapi/tag-params.js';
import { tagsView } from './tags.js';
import { roleName, roleResource } from './roles.js';
import { userName, userResource } from './users.js';

export const POLICY_NAME = /^[A-Za-z0-9-]+$/;
const policyName = () =>
  naming(
    str({ required: true, min: 1, max: 128, pattern: POLICY_NAME, lengthCode: 'InvalidParameter.PolicyName.Length', charsCode: 'InvalidParameter.PolicyName.InvalidChars' }),
    'policy',
  );
const policyType = <R extends boolean>(required: R) => str({ required, enum: ['System', 'Custom'], code: 'InvalidParameter.PolicyType' });
const policyDocument = () => str({ required: true, max: MAX_POLICY_DOCUMENT, lengthCode: 'InvalidParameter.PolicyDocument.Length' });
const versionId = () => str({ required: true, max: 16, pattern: /^v[1-9]\d{0,8}$/, code: 'InvalidParameter.VersionId.Format' });
const groupName = () =>
  naming(
    str({ required: true, min: 1, max: 64, pattern: /^[A-Za-z0-9.-]+$/, lengthCode: 'InvalidParameter.GroupName.Length', charsCode: 'InvalidParameter.GroupName.InvalidChars' }),
    'group',
  );

export const policyResource = (accountId: string, name: string): string => `acs:ram:*:${accountId}:policy/${name}`;
const groupResource = (accountId: string, name: string): string => `acs:ram:*:${accountId}:group/${name}`;

function policyView(info: PolicyInfo): Record<string, unknown> {
  return {
    PolicyName: info.name,
    PolicyType: info.type,
    Description: info.description,
    DefaultVersion: info.defaultVersion,
    CreateDate: apiTime(info.createdAt),
    UpdateDate: apiTime(info.updatedAt),
  };
}

function versionView(version: VersionInfo): Record<string, unknown> {
  return { VersionId: version.versionId, IsDefaultVersion: version.isDefault, PolicyDocument: version.document, CreateDate: apiTime(version.createdAt) };
}

const now = (c: ActionContext): string => c.clock.now().toISOString();

/** ListPolicies' marker holds `<type>:<lower-cased name>` of the last policy shown. */
function policyPageRequest(p: { Marker?: string; MaxItems: number }): PageRequest<PolicyListKey> {
  const text = markerKey(p.Marker);
  if (text === undefined) return { limit: p.MaxItems };
  const colon = text.indexOf(':');
  const type = text.slice(0, colon);
  if (colon < 0 || (type !== 'Custom' && type !== 'System')) throw invalidMarker();
  return { after: { type, key: text.slice(colon + 1) }, limit: p.MaxItems };
}

const policyActions = [
  defineAction({
    product: 'ram',
    name: 'CreatePolicy',
    params: {
      PolicyName: policyName(),
      PolicyDocument: policyDocument(),
      Description: str({ max: 1024, lengthCode: 'InvalidParameter.Description.Length' }),
      Tag: tagList(),
    },
    ramAction: 'ram:CreatePolicy',
    resource: (p, c) => policyResource(c.accountId, p.PolicyName),
    async handle(p, c) {
      const info = await createPolicy(c.tx, c.accountId, { name: p.PolicyName, document: p.PolicyDocument, description: p.Description }, now(c));
      await addTags(c.tx, c.accountId, 'policy', info.id as string, p.Tag);
      const { UpdateDate: _u, ...view } = policyView(info);
      return { Policy: view };
    },
  }),
  defineAction({
    product: 'ram',
    name: 'GetPolicy',
    params: { PolicyName: policyName(), PolicyType: policyType(true) },
    ramAction: 'ram:GetPolicy',
    resource: (p, c) => policyResource(c.accountId, p.PolicyName),
    async handle(p, c) {
      const info = await getPolicy(c.tx, c.accountId, p.PolicyType as PolicyType, p.PolicyName);
      const version = await getPolicyVersion(c.tx, c.accountId, info.type, info.name, info.defaultVersion);
      return {
        Policy: {
          ...policyView(info),
          PolicyDocument: info.document,
          AttachmentCount: await attachmentCount(c.tx, c.accountId, { type: info.type, name: info.name }),
        },
        DefaultPolicyVersion: versionView(version),
      };
    },
  }),
  defineAction({
    product: 'ram',
    name: 'DeletePolicy',
    params: { PolicyName: policyName(), CascadingDelete: bool({ default: false }) },
    ramAction: 'ram:DeletePolicy',
    resource: (p, c) => policyResource(c.accountId, p.PolicyName),
    async handle(p, c) {
      await deletePolicy(c.tx, c.accountId, p.PolicyName, { cascade: p.CascadingDelete });
      return {};
    },
  }),
  defineAction({
    product: 'ram',
    name: 'ListPolicies',
    params: { PolicyType: policyType(false), ...pagingParams(), Tag: tagFilterList() },
    ramAction: 'ram:ListPolicies',
    resource: (_p, c) => policyResource(c.accountId, '*'),
    async handle(p, c) {
      const page = await listPolicies(c.tx, c.accountId, { type: p.PolicyType as PolicyType | undefined, tags: p.Tag }, policyPageRequest(p));
      const customIds = page.items.flatMap((item) => (item.id ? [item.id] : []));
      const tags = await tagsOf(c.tx, c.accountId, 'policy', customIds);
      return {
        Policies: {
          Policy: page.items.map((item) => ({ ...policyView(item), AttachmentCount: item.attachmentCount, ...tagsView(item.id ? tags.get(item.id) : undefined) })),
        },
        ...pageFields(page, (key) => `${key.type}:${key.key}`),
      };
    },
  }),
  defineAction({
    product: 'ram',
    name: 'UpdatePolicyDescription',
    params: { PolicyName: policyName(), NewDescription: str({ max: 1024, lengthCode: 'InvalidParameter.NewDescription.Length' }) },
    ramAction: 'ram:UpdatePolicyDescription',
    resource: (p, c) => policyResource(c.accountId, p.PolicyName),
    async handle(p, c) {
      return { Policy: policyView(await updatePolicyDescription(c.tx, c.accountId, p.PolicyName, p.NewDescription ?? '', now(c))) };
    },
  }),
];

const versionActions = [
  defineAction({
    product: 'ram',
    name: 'CreatePolicyVersion',
    params: {
      PolicyName: policyName(),
      PolicyDocument: policyDocument(),
      SetAsDefault: bool({ default: false }),
      RotateStrategy: str({ enum: ['None', 'DeleteOldestNonDefaultVersionWhenLimitExceeded'], code: 'InvalidParameter.RotateStrategy', default: 'None' }),
    },
    ramAction: 'ram:CreatePolicyVersion',
    resource: (p, c) => policyResource(c.accountId, p.PolicyName),
    async handle(p, c) {
      const version = await createPolicyVersion(
        c.tx,
        c.accountId,
        p.PolicyName,
        { document: p.PolicyDocument, setAsDefault: p.SetAsDefault, rotateStrategy: p.RotateStrategy as 'None' },
        now(c),
      );
      return { PolicyVersion: versionView(version) };
    },
  }),
  defineAction({
    product: 'ram',
    name: 'GetPolicyVersion',
    params: { PolicyName: policyName(), PolicyType: policyType(true), VersionId: versionId() },
    ramAction: 'ram:GetPolicyVersion',
    resource: (p, c) => policyResource(c.accountId, p.PolicyName),
    async handle(p, c) {
      return { PolicyVersion: versionView(await getPolicyVersion(c.tx, c.accountId, p.PolicyType as PolicyType, p.PolicyName, p.VersionId)) };
    },
  }),
  defineAction({
    product: 'ram',
    name: 'DeletePolicyVersion',
    params: { PolicyName: policyName(), VersionId: versionId() },
    ramAction: 'ram:DeletePolicyVersion',
    resource: (p, c) => policyResource(c.accountId, p.PolicyName),
    async handle(p, c) {
      await deletePolicyVersion(c.tx, c.accountId, p.PolicyName, p.VersionId);
      return {};
    },
  }),
  defineAction({
    product: 'ram',
    name: 'ListPolicyVersions',
    params: { PolicyName: policyName(), PolicyType: policyType(true) },
    ramAction: 'ram:ListPolicyVersions',
    resource: (p, c) => policyResource(c.accountId, p.PolicyName),
    async handle(p, c) {
      const versions = await listPolicyVersions(c.tx, c.accountId, p.PolicyType as PolicyType, p.PolicyName);
      return { PolicyVersions: { PolicyVersion: versions.map(versionView) } };
    },
  }),
  defineAction({
    product: 'ram',
    name: 'SetDefaultPolicyVersion',
    params: { PolicyName: policyName(), VersionId: versionId() },
    ramAction: 'ram:SetDefaultPolicyVersion',
    resource: (p, c) => policyResource(c.accountId, p.PolicyName),
    async handle(p, c) {
      await setDefaultPolicyVersion(c.tx, c.accountId, p.PolicyName, p.VersionId, now(c));
      return {};
    },
  }),
];

// Attach/Detach/ListPoliciesFor{User,Group,Role}: one declaration per entity kind, built from this table.
const ENTITIES = [
  {
    type: 'User' as const,
    param: 'UserName' as const,
    spec: () => userName(true),
    resource: userResource,
    load: async (c: ActionContext, name: string): Promise<AttachmentTarget> => {
      const user = await getUserByName(c.tx, c.accountId, name);
      return { type: 'User', id: user.id, name: user.name };
    },
  },
  {
    type: 'Group' as const,
    param: 'GroupName' as const,
    spec: groupName,
    resource: groupResource,
    load: async (c: ActionContext, name: string): Promise<AttachmentTarget> => {
      const group = await getGroupByName(c.tx, c.accountId, name);
      return { type: 'Group', id: group.id, name: group.name };
    },
  },
  {
    type: 'Role' as const,
    param: 'RoleName' as const,
    spec: () => roleName(true),
    resource: roleResource,
    load: async (c: ActionContext, name: string): Promise<AttachmentTarget> => {
      const role = await getRoleByName(c.tx, c.accountId, name);
      return { type: 'Role', id: role.id, name: role.name };
    },
  },
];

const attachmentActions = ENTITIES.flatMap((entity) => [
  defineAction({
    product: 'ram',
    name: `AttachPolicyTo${entity.type}`,
    params: { PolicyType: policyType(true), PolicyName: policyName(), [entity.param]: entity.spec() } as Record<string, ReturnType<typeof str>>,
    ramAction: `ram:AttachPolicyTo${entity.type}`,
    resource: (p, c) => [policyResource(c.accountId, p.PolicyName as string), entity.resource(c.accountId, p[entity.param] as string)],
    async handle(p, c) {
      const target = await entity.load(c, p[entity.param] as string);
      const policy = await policyRef(c.tx, c.accountId, p.PolicyType as PolicyType, p.PolicyName as string);
      await attachPolicy(c.tx, c.accountId, target, policy, now(c));
      return {};
    },
  }),
  defineAction({
    product: 'ram',
    name: `DetachPolicyFrom${entity.type}`,
    params: { PolicyType: policyType(true), PolicyName: policyName(), [entity.param]: entity.spec() } as Record<string, ReturnType<typeof str>>,
    ramAction: `ram:DetachPolicyFrom${entity.type}`,
    resource: (p, c) => [policyResource(c.accountId, p.PolicyName as string), entity.resource(c.accountId, p[entity.param] as string)],
    async handle(p, c) {
      const target = await entity.load(c, p[entity.param] as string);
      const policy = await policyRef(c.tx, c.accountId, p.PolicyType as PolicyType, p.PolicyName as string);
      await detachPolicy(c.tx, c.accountId, target, policy);
      return {};
    },
  }),
  defineAction({
    product: 'ram',
    name: `ListPoliciesFor${entity.type}`,
    params: { [entity.param]: entity.spec() } as Record<string, ReturnType<typeof str>>,
    ramAction: `ram:ListPoliciesFor${entity.type}`,
    resource: (p, c) => entity.resource(c.accountId, p[entity.param] as string),
    async handle(p, c) {
      const target = await entity.load(c, p[entity.param] as string);
      const attachments = await attachmentsOf(c.tx, c.accountId, target);
      const refs = attachments.map((a) => ({ type: a.policy_type, name: a.policy_name }));
      const infos = await describePolicies(c.tx, c.accountId, refs);
      const policies = attachments.flatMap((a) => {
        const info = infos.get(`${a.policy_type}:${a.policy_name}`);
        if (!info) return [];
        return [{ PolicyName: info.name, PolicyType: info.type, Description: info.description, DefaultVersion: info.defaultVersion, AttachDate: apiTime(a.attached_at) }];
      });
      return { Policies: { Policy: policies } };
    },
  }),
]);

const entitiesAction = defineAction({
  product: 'ram',
  name: 'ListEntitiesForPolicy',
  params: { PolicyType: policyType(true), PolicyName: policyName() },
  ramAction: 'ram:ListEntitiesForPolicy',
  resource: (p, c) => policyResource(c.accountId, p.PolicyName),
  async handle(p, c) {
    const policy = await policyRef(c.tx, c.accountId, p.PolicyType as PolicyType, p.PolicyName);
    const { users, groups, roles } = await entitiesForPolicy(c.tx, c.accountId, policy);
    return {
      Users: { User: users.map((u) => ({ UserId: u.id, UserName: u.name, DisplayName: u.display_name, AttachDate: apiTime(u.attached_at) })) },
      Groups: { Group: groups.map((g) => ({ GroupName: g.name, Comments: g.comments, AttachDate: apiTime(g.attached_at) })) },
      Roles: {
        Role: roles.map((r) => ({ RoleId: r.id, RoleName: r.name, Arn: roleArn(c.accountId, r.name), Description: r.description, AttachDate: apiTime(r.attached_at) })),
      },
    };
  },
});

export const policiesActions = [...policyActions, ...versionActions, ...attachmentActions, entitiesAction];
