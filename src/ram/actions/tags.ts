import { defineAction } from '../../openapi/define-action.js';
import { invalidParameter, missingParameter } from '../../openapi/errors.js';
import { bool, int, list, str, type ParamSpec } from '../../openapi/params.js';
import { addTags, listTagResources, removeTags, resolveTaggable, MAX_TAGS_PER_RESOURCE, type Tag, type TagFilter, type TaggedType } from '../tags.js';

// Alibaba Cloud's tag rules: a key of 1–128 characters, a value of up to 128; neither may start with "aliyun" or
// "acs:" (reserved for the platform) or contain "http://" or "https://".
const RESERVED_PREFIX = /^(aliyun|acs:)/i;
const URL_INSIDE = /https?:\/\//i;
const MAX_TAG_TEXT = 128;

function tagText(raw: unknown, name: string, options: { required: boolean; code: string }): string | undefined {
  if (raw === undefined || raw === null || raw === '') {
    if (options.required) throw missingParameter(name);
    return raw === '' ? '' : undefined;
  }
  if (typeof raw !== 'string') throw invalidParameter(name, 'it must be a string', options.code);
  if (raw.length > MAX_TAG_TEXT) throw invalidParameter(name, `it is longer than ${MAX_TAG_TEXT} characters`, options.code);
  if (RESERVED_PREFIX.test(raw)) throw invalidParameter(name, 'it must not start with "aliyun" or "acs:"', options.code);
  if (URL_INSIDE.test(raw)) throw invalidParameter(name, 'it must not contain "http://" or "https://"', options.code);
  return raw;
}

/** `Tag`: key-value pairs to set (up to 20); a value may be empty. */
export const tagList = (required = false): ParamSpec<Tag[]> =>
  list(
    (entry, name) => ({
      key: tagText(entry.Key, `${name}.Key`, { required: true, code: 'InvalidParameter.Tag.Key' }) as string,
      value: tagText(entry.Value, `${name}.Value`, { required: false, code: 'InvalidParameter.Tag.Value' }) ?? '',
    }),
    { max: MAX_TAGS_PER_RESOURCE, required, code: 'InvalidParameter.Tag', example: '[{"Key":"team","Value":"payments"}]' },
  );

/** `Tag` as a filter of a list action: a key, and a value when it must match too. */
export const tagFilterList = (): ParamSpec<TagFilter[]> =>
  list(
    (entry, name) => {
      const value = tagText(entry.Value, `${name}.Value`, { required: false, code: 'InvalidParameter.Tag.Value' });
      const key = tagText(entry.Key, `${name}.Key`, { required: true, code: 'InvalidParameter.Tag.Key' }) as string;
      return value === undefined ? { key } : { key, value };
    },
    { max: MAX_TAGS_PER_RESOURCE, code: 'InvalidParameter.Tag', example: '[{"Key":"team"}]' },
  );

/** The list views' `Tags` field: present only on resources that carry some. */
export function tagsView(tags: Tag[] | undefined): { Tags?: { Tag: Array<{ TagKey: string; TagValue: string }> } } {
  return tags && tags.length > 0 ? { Tags: { Tag: tags.map((t) => ({ TagKey: t.key, TagValue: t.value })) } } : {};
}

const resourceType = () => str({ required: true, enum: ['role', 'policy'], code: 'InvalidParameter.ResourceType' });
const resourceNames = (required: boolean) =>
  list(
    (entry, name) => {
      const value = entry[''] ?? entry.Name;
      if (typeof value !== 'string' || value.length === 0 || value.length > 128) throw invalidParameter(name, 'it must be a resource name', 'InvalidParameter.ResourceNames');
      return value;
    },
    { max: 50, required, code: 'InvalidParameter.ResourceNames', example: '["role1"]' },
  );
const tagKeys = () =>
  list((entry, name) => tagText(entry[''], name, { required: true, code: 'InvalidParameter.TagKeys' }) as string, {
    max: MAX_TAGS_PER_RESOURCE,
    code: 'InvalidParameter.TagKeys',
    example: '["team"]',
  });

export const tagActions = [
  defineAction({
    product: 'ram',
    name: 'TagResources',
    params: { ResourceType: resourceType(), ResourceNames: resourceNames(true), Tag: tagList(true) },
    ramAction: 'ram:TagResources',
    async handle(p, c) {
      const ids = await resolveTaggable(c.tx, c.accountId, p.ResourceType as TaggedType, p.ResourceNames);
      for (const id of new Set(ids.values())) await addTags(c.tx, c.accountId, p.ResourceType as TaggedType, id, p.Tag);
      return {};
    },
  }),
  defineAction({
    product: 'ram',
    name: 'UntagResources',
    params: { ResourceType: resourceType(), ResourceNames: resourceNames(true), TagKeys: tagKeys(), All: bool({ default: false }) },
    ramAction: 'ram:UntagResources',
    async handle(p, c) {
      const ids = await resolveTaggable(c.tx, c.accountId, p.ResourceType as TaggedType, p.ResourceNames);
      // All applies only when no TagKeys are given; with neither, nothing is removed.
      const keys = p.TagKeys.length > 0 ? p.TagKeys : p.All ? 'all' : [];
      for (const id of new Set(ids.values())) await removeTags(c.tx, c.accountId, p.ResourceType as TaggedType, id, keys);
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
      NextToken: str({ max: 1024, code: 'InvalidParameter.NextToken' }),
      PageSize: int({ min: 1, max: 100, default: 100, code: 'InvalidParameter.PageSize' }),
    },
    ramAction: 'ram:ListTagResources',
    async handle(p, c) {
      const type = p.ResourceType as TaggedType;
      const ids = p.ResourceNames.length > 0 ? [...(await resolveTaggable(c.tx, c.accountId, type, p.ResourceNames)).values()] : undefined;
      const page = await listTagResources(c.tx, c.accountId, type, { resourceIds: ids, filters: p.Tag, nextToken: p.NextToken, pageSize: p.PageSize as number });
      return {
        TagResources: page.items.map((item) => ({ ResourceName: item.resourceName, ResourceType: type, TagKey: item.key, TagValue: item.value })),
        ...(page.nextToken ? { NextToken: page.nextToken } : {}),
      };
    },
  }),
];
