import type { Tx } from '../store/db.js';
import type { ResourceTagTable } from '../store/schema.js';
import { ApiError } from '../errors.js';
import { pageByColumns, type Page, type PageRequest } from '../paging.js';

// Tags on resources of every product: RAM roles and custom policies, RAM users (IMS), CloudSSO users and access
// configurations, Resource Directory member accounts. Kept by resource id under the account that owns the resource,
// so a deleted resource's tags go with it and a new one of the same name starts bare.

export type TaggedType = ResourceTagTable['resource_type'];

export interface Tag {
  key: string;
  value: string;
}

/** A Tag filter of a list action: resources that carry this key (with this value, when one is given). */
export interface TagFilter {
  key: string;
  value?: string;
}

export const MAX_TAGS_PER_RESOURCE = 20;

/** Adds tags to a resource; a key it already carries takes the new value. More than 20 in all: 409 LimitExceeded.Tag. */
export async function addTags(tx: Tx, accountId: string, type: TaggedType, resourceId: string, tags: Tag[]): Promise<void> {
  if (tags.length === 0) return;
  const latest = new Map(tags.map((t) => [t.key, t.value]));
  await tx
    .insertInto('resource_tags')
    .values([...latest].map(([key, value]) => ({ account_id: accountId, resource_type: type, resource_id: resourceId, tag_key: key, tag_value: value })))
    .onConflict((oc) => oc.columns(['account_id', 'resource_type', 'resource_id', 'tag_key']).doUpdateSet((eb) => ({ tag_value: eb.ref('excluded.tag_value') })))
    .execute();
  const row = await tx
    .selectFrom('resource_tags')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_id', '=', accountId)
    .where('resource_type', '=', type)
    .where('resource_id', '=', resourceId)
    .executeTakeFirst();
  if (Number(row?.n ?? 0) > MAX_TAGS_PER_RESOURCE) {
    throw new ApiError('LimitExceeded.Tag', 409, `A resource can carry at most ${MAX_TAGS_PER_RESOURCE} tags.`);
  }
}

/** Removes the given keys from a resource, or every tag. */
export async function removeTags(tx: Tx, accountId: string, type: TaggedType, resourceId: string, keys: string[] | 'all'): Promise<void> {
  if (keys !== 'all' && keys.length === 0) return;
  let query = tx.deleteFrom('resource_tags').where('account_id', '=', accountId).where('resource_type', '=', type).where('resource_id', '=', resourceId);
  if (keys !== 'all') query = query.where('tag_key', 'in', keys);
  await query.execute();
}

/** The tags of several resources at once, by resource id, each list in key order. */
export async function tagsOf(tx: Tx, accountId: string, type: TaggedType, resourceIds: string[]): Promise<Map<string, Tag[]>> {
  const out = new Map<string, Tag[]>();
  if (resourceIds.length === 0) return out;
  const rows = await tx
    .selectFrom('resource_tags')
    .select(['resource_id', 'tag_key', 'tag_value'])
    .where('account_id', '=', accountId)
    .where('resource_type', '=', type)
    .where('resource_id', 'in', resourceIds)
    .orderBy('tag_key')
    .execute();
  for (const row of rows) {
    const list = out.get(row.resource_id) ?? [];
    list.push({ key: row.tag_key, value: row.tag_value });
    out.set(row.resource_id, list);
  }
  return out;
}

/** The ids of the resources that carry one filter's tag: a subquery for `where id in (…)`, one per filter (all must hold). */
export function taggedWith(tx: Tx, accountId: string, type: TaggedType, filter: TagFilter) {
  let query = tx
    .selectFrom('resource_tags')
    .select('resource_id')
    .where('account_id', '=', accountId)
    .where('resource_type', '=', type)
    .where('tag_key', '=', filter.key);
  if (filter.value !== undefined) query = query.where('tag_value', '=', filter.value);
  return query;
}

/** The keys an untag call removes: the keys given, else every key when `all` is set, else none. */
export function keysToRemove(keys: string[], all: boolean): string[] | 'all' {
  return keys.length > 0 ? keys : all ? 'all' : [];
}

export interface ResourceTag {
  resourceId: string;
  key: string;
  value: string;
}

/**
 * Every tag of the resources asked for (by id, by all of the Tag filters, or all of the type), in resource id then key
 * order, keyset-paged on (id, key). For resources without names to sort by.
 */
export async function listTagsById(
  tx: Tx,
  accountId: string,
  type: TaggedType,
  query: { resourceIds?: string[]; filters: TagFilter[] },
  page: PageRequest<[string, string]>,
): Promise<Page<ResourceTag, [string, string]>> {
  let base = tx
    .selectFrom('resource_tags')
    .select(['resource_id', 'tag_key', 'tag_value'])
    .where('account_id', '=', accountId)
    .where('resource_type', '=', type);
  if (query.resourceIds) base = base.where('resource_id', 'in', query.resourceIds.length > 0 ? query.resourceIds : ['']);
  for (const filter of query.filters) base = base.where('resource_id', 'in', taggedWith(tx, accountId, type, filter));
  const rows = await pageByColumns(page, base, ['resource_id', 'tag_key']);
  return { ...rows, items: rows.items.map((r) => ({ resourceId: r.resource_id, key: r.tag_key, value: r.tag_value })) };
}
