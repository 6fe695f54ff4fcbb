import { invalidParameter, missingParameter } from '../errors.js';
import { list, type ParamSpec } from './params.js';
import { keyOfPageToken, pageToken, type Page, type PageRequest } from '../paging.js';
import { MAX_TAGS_PER_RESOURCE, type Tag, type TagFilter } from '../tags/store.js';

// Alibaba Cloud's tag rules: a key of 1–128 characters, a value of up to 128; neither may start with "aliyun" or
// "acs:" (reserved for the platform) or contain "http://" or "https://".
const RESERVED_PREFIX = /^(aliyun|acs:)/i;
const URL_INSIDE = /https?:\/\//i;
const MAX_TAG_TEXT = 128;

export function tagText(raw: unknown, name: string, options: { required: boolean; code: string }): string | undefined {
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

/** `Tag` (or CloudSSO's `Tags`): key-value pairs to set (up to 20); a value may be empty. */
export const tagList = (options: { required?: boolean; param?: string } = {}): ParamSpec<Tag[]> => {
  const param = options.param ?? 'Tag';
  return list(
    (entry, name) => ({
      key: tagText(entry.Key, `${name}.Key`, { required: true, code: `InvalidParameter.${param}.Key` }) as string,
      value: tagText(entry.Value, `${name}.Value`, { required: false, code: `InvalidParameter.${param}.Value` }) ?? '',
    }),
    { max: MAX_TAGS_PER_RESOURCE, required: options.required, code: `InvalidParameter.${param}`, example: '[{"Key":"team","Value":"payments"}]' },
  );
};

/** `Tag` (or `Tags`) as a filter of a list action: a key, and a value when it must match too. */
export const tagFilterList = (param = 'Tag'): ParamSpec<TagFilter[]> =>
  list(
    (entry, name) => {
      const value = tagText(entry.Value, `${name}.Value`, { required: false, code: `InvalidParameter.${param}.Value` });
      const key = tagText(entry.Key, `${name}.Key`, { required: true, code: `InvalidParameter.${param}.Key` }) as string;
      return value === undefined ? { key } : { key, value };
    },
    { max: MAX_TAGS_PER_RESOURCE, code: `InvalidParameter.${param}`, example: '[{"Key":"team"}]' },
  );

/** Up to 50 names or ids, as the SDKs send them (a JSON array, or flat `Param.N`). */
export const nameList = (param: string, options: { required?: boolean; maxLength: number; what: string; example: string }) =>
  list(
    (entry, name) => {
      const value = entry[''];
      if (typeof value !== 'string' || value.length === 0 || value.length > options.maxLength) {
        throw invalidParameter(name, `it must be ${options.what}`, `InvalidParameter.${param}`);
      }
      return value;
    },
    { max: 50, required: options.required, code: `InvalidParameter.${param}`, example: options.example },
  );

/** Tag keys to remove (up to 20). */
export const tagKeyList = (param: string) =>
  list((entry, name) => tagText(entry[''], name, { required: true, code: `InvalidParameter.${param}` }) as string, {
    max: MAX_TAGS_PER_RESOURCE,
    code: `InvalidParameter.${param}`,
    example: '["team"]',
  });


// ListTagResources' NextToken: base64url of `t1.` and the JSON of the (resource sort key, tag key) of the last row.
const TAG_TOKEN_PREFIX = 't1.';

/** The page a tag listing asks for; a NextToken not issued here → InvalidParameter.NextToken. */
export function tagPageRequest(p: { NextToken?: string }, limit: number): PageRequest<[string, string]> {
  if (!p.NextToken) return { limit };
  const text = keyOfPageToken(TAG_TOKEN_PREFIX, p.NextToken);
  if (text !== null) {
    try {
      const value = JSON.parse(text) as unknown;
      if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string')) return { after: value as [string, string], limit };
    } catch {
      // fall through to the refusal
    }
  }
  throw invalidParameter('NextToken', 'it is not a token returned by a previous call');
}

/** `NextToken` when more rows follow. */
export const tagNextToken = (page: Page<unknown, [string, string]>): { NextToken?: string } =>
  page.nextKey === undefined ? {} : { NextToken: pageToken(TAG_TOKEN_PREFIX, JSON.stringify(page.nextKey)) };
