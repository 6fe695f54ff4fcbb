import type { Tx } from '../store/db.js';
import type { ResourceTagTable } from '../store/schema.js';
import { ApiError, entityNotExist, invalidParameter } from '../openapi/errors.js';
import { decodeMarker, encodeMarker } from './paging.js';

// Tags on RAM roles and custom policies (RAM 2015-05-01: TagResources, UntagResources, ListTagResources, Tag on
// CreateRole and CreatePolicy, the Tag filter of ListRoles and ListPolicies) and on users (the same actions of IMS
// 2019-08-15, Tag on CreateUser, the Tag filter of ListUsers). Kept by resource id, so a deleted resource's tags go
// with it and a new one of the same name starts bare. System policies belong to Alibaba Cloud and carry none.

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

/** The ids of the named resources (case-insensitive names); 404 EntityNotExist.Role / .Policy for one that is not there. */
export async function resolveTaggable(tx: Tx, accountId: string, type: 'role' | 'policy', names: string[]): Promise<Map<string, string>> {
  const keys = [...new Set(names.map((n) => n.toLowerCase()))];
  const table = type === 'role' ? 'ram_roles' : 'ram_policies';
  const rows = keys.length === 0 ? [] : await tx.selectFrom(table).select(['id', 'name', 'name_key']).where('account_id', '=', accountId).where('name_key', 'in', keys).execute();
  const idOf = new Map(rows.map((r) => [r.name_key, r.id]));
  const out = new Map<string, string>();
  for (const name of names) {
    const id = idOf.get(name.toLowerCase());
    if (!id) throw type === 'role' ? entityNotExist('EntityNotExist.Role', `role ${name}`) : entityNotExist('EntityNotExist.Policy', `policy ${name}`);
    out.set(name, id);
  }
  return out;
}

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

export interface TaggedResource {
  resourceId: string;
  resourceName: string;
  key: string;
  value: string;
}

const tagsWithRoleNames = (tx: Tx) => tx.selectFrom('resource_tags as t').innerJoin('ram_roles as r', 'r.id', 't.resource_id');

/** Tags joined to their resources' names; both tables have the id, account_id, name and name_key the queries use. */
function withNames(tx: Tx, type: TaggedType): ReturnType<typeof tagsWithRoleNames> {
  if (type === 'role') return tagsWithRoleNames(tx);
  const table = type === 'policy' ? 'ram_policies' : 'ram_users';
  return tx.selectFrom('resource_tags as t').innerJoin(`${table} as r` as 'ram_roles as r', 'r.id', 't.resource_id') as unknown as ReturnType<typeof tagsWithRoleNames>;
}

/**
 * ListTagResources: every tag of the resources asked for (by name, by Tag filters, or all of the type), in resource
 * name then key order, a page at a time; the token is the last (name, key) returned.
 */
export async function listTagResources(
  tx: Tx,
  accountId: string,
  type: TaggedType,
  options: { resourceIds?: string[]; filters: TagFilter[]; nextToken?: string; pageSize: number },
): Promise<{ items: TaggedResource[]; nextToken?: string }> {
  let query = withNames(tx, type)
    .select(['r.id as id', 'r.name as name', 'r.name_key as name_key', 't.tag_key as tag_key', 't.tag_value as tag_value'])
    .where('t.account_id', '=', accountId)
    .where('t.resource_type', '=', type)
    .where('r.account_id', '=', accountId);
  if (options.resourceIds) query = query.where('t.resource_id', 'in', options.resourceIds.length > 0 ? options.resourceIds : ['']);
  for (const filter of options.filters) query = query.where('t.resource_id', 'in', taggedWith(tx, accountId, type, filter));
  let after: string | undefined;
  try {
    after = decodeMarker(options.nextToken);
  } catch {
    throw invalidParameter('NextToken', 'it is not a token returned by a previous call');
  }
  if (after !== undefined) {
    const cut = after.indexOf('\n');
    const [name, key] = cut < 0 ? [after, ''] : [after.slice(0, cut), after.slice(cut + 1)];
    query = query.where((eb) => eb.or([eb('r.name_key', '>', name), eb.and([eb('r.name_key', '=', name), eb('t.tag_key', '>', key)])]));
  }
  const rows = await query.orderBy('r.name_key').orderBy('t.tag_key').limit(options.pageSize + 1).execute();
  const page = rows.slice(0, options.pageSize);
  const items = page.map((r) => ({ resourceId: r.id, resourceName: r.name, key: r.tag_key, value: r.tag_value }));
  const last = page[page.length - 1];
  return rows.length > options.pageSize && last ? { items, nextToken: encodeMarker(`${last.name_key}\n${last.tag_key}`) } : { items };
}
