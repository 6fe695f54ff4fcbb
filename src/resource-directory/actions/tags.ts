import { defineAction, type ActionContext, type ActionDefinition } from '../../openapi/define-action.js';
import { bool, int, str } from '../../openapi/params.js';
import { nameList, tagFilterList, tagKeyList, tagList, tagNextToken, tagPageRequest } from '../../openapi/tag-params.js';
import { addTags, keysToRemove, listTagsById, removeTags } from '../../tags/store.js';
import { getRdAccount, managedDirectory } from '../resource-directory.js';

// ResourceManager's TagResources, UntagResources and ListTagResources for the accounts of the caller's resource
// directory (ResourceType Account; Gatehouse has no resource groups). Tags belong to the management account.

const arn = (accountId: string, resource: string): string => `acs:resourcemanager:*:${accountId}:${resource}`;
const resourceType = (required: boolean) => str({ required, enum: ['Account'], code: 'InvalidParameter.ResourceType' });
const accountIds = (required: boolean) => nameList('ResourceId', { required, maxLength: 64, what: 'an account ID', example: '["1234567890123456"]' });
const accountArns = (ids: string[], c: ActionContext): string[] => (ids.length > 0 ? ids.map((id) => arn(c.accountId, `account/${id}`)) : [arn(c.accountId, 'account/*')]);

/** The accounts a call names, each checked to be in the caller's directory (404 EntityNotExists.Account). */
async function directoryAccounts(c: ActionContext, ids: string[]): Promise<string[]> {
  const rd = await managedDirectory(c.tx, c.accountId);
  for (const id of ids) await getRdAccount(c.tx, rd.id, id);
  return [...new Set(ids)];
}

export const resourceManagerTagActions: ActionDefinition[] = [
  defineAction({
    product: 'resourcemanager',
    name: 'TagResources',
    params: { ResourceType: resourceType(true), ResourceId: accountIds(true), Tag: tagList({ required: true }) },
    ramAction: 'resourcemanager:TagResources',
    resource: (p, c) => accountArns(p.ResourceId, c),
    async handle(p, c) {
      for (const id of await directoryAccounts(c, p.ResourceId)) await addTags(c.tx, c.accountId, 'account', id, p.Tag);
      return {};
    },
  }),
  defineAction({
    product: 'resourcemanager',
    name: 'UntagResources',
    params: { ResourceType: resourceType(true), ResourceId: accountIds(true), TagKey: tagKeyList('TagKey'), All: bool({ default: false }) },
    ramAction: 'resourcemanager:UntagResources',
    resource: (p, c) => accountArns(p.ResourceId, c),
    async handle(p, c) {
      for (const id of await directoryAccounts(c, p.ResourceId)) await removeTags(c.tx, c.accountId, 'account', id, keysToRemove(p.TagKey, p.All === true));
      return {};
    },
  }),
  defineAction({
    product: 'resourcemanager',
    name: 'ListTagResources',
    params: {
      ResourceType: resourceType(false),
      ResourceId: accountIds(false),
      Tag: tagFilterList(),
      NextToken: str({ max: 1024, code: 'InvalidParameter.NextToken' }),
      MaxResults: int({ min: 1, max: 100, default: 10, code: 'InvalidParameter.MaxResults' }),
    },
    ramAction: 'resourcemanager:ListTagResources',
    resource: (p, c) => accountArns(p.ResourceId, c),
    async handle(p, c) {
      const ids = p.ResourceId.length > 0 ? await directoryAccounts(c, p.ResourceId) : undefined;
      const page = await listTagsById(c.tx, c.accountId, 'account', { resourceIds: ids, filters: p.Tag }, tagPageRequest(p, p.MaxResults as number));
      return {
        TagResources: page.items.map((t) => ({ ResourceId: t.resourceId, ResourceType: 'Account', TagKey: t.key, TagValue: t.value })),
        ...tagNextToken(page),
      };
    },
  }),
];
