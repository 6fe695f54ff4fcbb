import { defineAction, type ActionContext } from '../../openapi/define-action.js';
import { entityNotExist, invalidParameter, missingParameter } from '../../errors.js';
import { bool, int, naming, str } from '../../openapi/params.js';
import { nameList, tagFilterList, tagKeyList, tagList, tagNextToken, tagPageRequest } from '../../openapi/tag-params.js';
import { addTags, keysToRemove, removeTags, type Tag, type TaggedType } from '../../tags/store.js';
import { listTagResources, resolveTaggable } from '../tags.js';
import { getUserByPrincipalName } from '../upn.js';
import { findUserById } from '../users.js';

/** ListTagResources' paging on the wire, in RAM and IMS alike: NextToken and PageSize (1–100, default 100). */
const tagPaging = () => ({
  NextToken: str({ max: 1024, code: 'InvalidParameter.NextToken' }),
  PageSize: int({ min: 1, max: 100, default: 100, code: 'InvalidParameter.PageSize' }),
});

// The ARNs are spelled here rather than imported: users.ts, roles.ts and policies.ts import tagsView from this file.
const ramArn = (accountId: string, resource: string): string => `acs:ram:*:${accountId}:${resource}`;

/** The list views' `Tags` field: present only on resources that carry some. */
export function tagsView(tags: Tag[] | undefined): { Tags?: { Tag: Array<{ TagKey: string; TagValue: string }> } } {
  return tags && tags.length > 0 ? { Tags: { Tag: tags.map((t) => ({ TagKey: t.key, TagValue: t.value })) } } : {};
}

/** What RAM 2015-05-01 tags; IMS tags users. */
type RamTagged = Extract<TaggedType, 'role' | 'policy'>;
const resourceType = (types: readonly string[] = ['role', 'policy']) => str({ required: true, enum: types, code: 'InvalidParameter.ResourceType' });
const resourceNames = (required: boolean) =>
  naming(nameList('ResourceNames', { required, maxLength: 128, what: 'a resource name', example: '["role1"]' }), { kindFrom: 'ResourceType', kinds: ['role', 'policy'] });

/** Each named role or policy's ARN (the gateway has put the names in their stored spelling); the type's `*` when none is named. */
function taggedResources(p: { ResourceType: string; ResourceNames: string[] }, c: ActionContext): string[] {
  const names = p.ResourceNames.length > 0 ? p.ResourceNames : ['*'];
  return names.map((name) => ramArn(c.accountId, `${p.ResourceType}/${name}`));
}
export const tagActions = [
  defineAction({
    product: 'ram',
    name: 'TagResources',
    params: { ResourceType: resourceType(), ResourceNames: resourceNames(true), Tag: tagList({ required: true }) },
    ramAction: 'ram:TagResources',
    resource: taggedResources,
    async handle(p, c) {
      const ids = await resolveTaggable(c.tx, c.accountId, p.ResourceType as RamTagged, p.ResourceNames);
      for (const id of ids) await addTags(c.tx, c.accountId, p.ResourceType as RamTagged, id, p.Tag);
      return {};
    },
  }),
  defineAction({
    product: 'ram',
    name: 'UntagResources',
    params: { ResourceType: resourceType(), ResourceNames: resourceNames(true), TagKeys: tagKeyList('TagKeys'), All: bool({ default: false }) },
    ramAction: 'ram:UntagResources',
    resource: taggedResources,
    async handle(p, c) {
      const ids = await resolveTaggable(c.tx, c.accountId, p.ResourceType as RamTagged, p.ResourceNames);
      for (const id of ids) await removeTags(c.tx, c.accountId, p.ResourceType as RamTagged, id, keysToRemove(p.TagKeys, p.All === true));
      return {};
    },
  }),
  defineAction({
    product: 'ram',
    name: 'ListTagResources',
    params: {
      ResourceType: resourceType(),
      ResourceNames: resourceNames(false),
      Tag: tagFilterList(),
      ...tagPaging(),
    },
    ramAction: 'ram:ListTagResources',
    resource: taggedResources,
    async handle(p, c) {
      const type = p.ResourceType as RamTagged;
      const ids = p.ResourceNames.length > 0 ? await resolveTaggable(c.tx, c.accountId, type, p.ResourceNames) : undefined;
      const page = await listTagResources(c.tx, c.accountId, type, { resourceIds: ids, filters: p.Tag }, tagPageRequest(p, p.PageSize as number));
      return {
        TagResources: page.items.map((item) => ({ ResourceName: item.resourceName, ResourceType: type, TagKey: item.key, TagValue: item.value })),
        ...tagNextToken(page),
      };
    },
  }),
];

// IMS 2019-08-15 tags users, named by ResourceId (user ids) or ResourcePrincipalName (UserPrincipalNames), one or the other.
const userIds = () => nameList('ResourceId', { maxLength: 64, what: 'a user ID', example: '["20732900249392"]' });
const principalNames = () =>
  naming(nameList('ResourcePrincipalName', { maxLength: 128, what: 'a UserPrincipalName', example: '["alice@example.onaliyun.com"]' }), 'user-principal');

/**
 * The ARN of each user a call names, by UserPrincipalName (already in its stored spelling) or by id. An unknown id is
 * authorized against every user, so a caller without rights learns nothing from the 404 that follows.
 */
async function taggedUsers(p: { ResourceId: string[]; ResourcePrincipalName: string[] }, c: ActionContext): Promise<string[]> {
  const names = p.ResourcePrincipalName.map((upn) => upn.slice(0, upn.lastIndexOf('@')));
  for (const id of p.ResourceId) names.push((await findUserById(c.tx, c.accountId, id))?.name ?? '*');
  return (names.length > 0 ? names : ['*']).map((name) => ramArn(c.accountId, `user/${name}`));
}

/** The ids of the users a call names; undefined when it names none. 404 EntityNotExist.User for one that is not there. */
async function namedUsers(c: ActionContext, p: { ResourceId: string[]; ResourcePrincipalName: string[] }): Promise<string[] | undefined> {
  if (p.ResourceId.length > 0 && p.ResourcePrincipalName.length > 0) {
    throw invalidParameter('ResourceId', 'give either ResourceId or ResourcePrincipalName, not both', 'InvalidParameter.ResourceId');
  }
  const ids: string[] = [];
  for (const upn of p.ResourcePrincipalName) ids.push((await getUserByPrincipalName(c.tx, c.accountId, upn)).id);
  for (const id of p.ResourceId) {
    if (!(await findUserById(c.tx, c.accountId, id))) throw entityNotExist('EntityNotExist.User', `user ${id}`);
    ids.push(id);
  }
  return ids.length > 0 ? [...new Set(ids)] : undefined;
}

const userTargets = () => ({ ResourceType: resourceType(['user']), ResourceId: userIds(), ResourcePrincipalName: principalNames() });

export const imsTagActions = [
  defineAction({
    product: 'ims',
    name: 'TagResources',
    params: { ...userTargets(), Tag: tagList({ required: true }) },
    ramAction: 'ram:TagResources',
    resource: taggedUsers,
    async handle(p, c) {
      const ids = await namedUsers(c, p);
      if (!ids) throw missingParameter('ResourceId');
      for (const id of ids) await addTags(c.tx, c.accountId, 'user', id, p.Tag);
      return {};
    },
  }),
  defineAction({
    product: 'ims',
    name: 'UntagResources',
    params: { ...userTargets(), TagKey: tagKeyList('TagKey'), All: bool({ default: false }) },
    ramAction: 'ram:UntagResources',
    resource: taggedUsers,
    async handle(p, c) {
      const ids = await namedUsers(c, p);
      if (!ids) throw missingParameter('ResourceId');
      for (const id of ids) await removeTags(c.tx, c.accountId, 'user', id, keysToRemove(p.TagKey, p.All === true));
      return {};
    },
  }),
  defineAction({
    product: 'ims',
    name: 'ListTagResources',
    params: {
      ...userTargets(),
      Tag: tagFilterList(),
      ...tagPaging(),
    },
    ramAction: 'ram:ListTagResources',
    resource: taggedUsers,
    async handle(p, c) {
      const ids = await namedUsers(c, p);
      // IMS asks for something to look for: users, or tags.
      if (!ids && p.Tag.length === 0) throw missingParameter('ResourceId');
      const page = await listTagResources(c.tx, c.accountId, 'user', { resourceIds: ids, filters: p.Tag }, tagPageRequest(p, p.PageSize as number));
      return {
        TagResources: { TagResource: page.items.map((item) => ({ ResourceId: item.resourceId, ResourceType: 'user', TagKey: item.key, TagValue: item.value })) },
        IsTruncated: page.nextKey !== undefined,
        ...tagNextToken(page),
      };
    },
  }),
];
