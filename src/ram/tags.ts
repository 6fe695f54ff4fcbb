import type { Tx } from '../store/db.js';
import { entityNotExist } from '../errors.js';
import { pageByColumns, type Page, type PageRequest } from '../paging.js';
import { taggedWith, type TagFilter, type TaggedType } from '../tags/store.js';

// RAM's own tag lookups (the store is src/tags): roles and custom policies by name for RAM 2015-05-01, users for
// IMS, and ListTagResources over them. System policies belong to Alibaba Cloud and carry none.

/** What RAM and IMS tag. */
export type RamTaggable = Extract<TaggedType, 'role' | 'policy' | 'user'>;

/** The ids of the named resources, each once (names are case-insensitive); 404 EntityNotExist.Role / .Policy for one that is not there. */
export async function resolveTaggable(tx: Tx, accountId: string, type: 'role' | 'policy', names: string[]): Promise<string[]> {
  const keys = [...new Set(names.map((n) => n.toLowerCase()))];
  const table = type === 'role' ? 'ram_roles' : 'ram_policies';
  const rows = keys.length === 0 ? [] : await tx.selectFrom(table).select(['id', 'name', 'name_key']).where('account_id', '=', accountId).where('name_key', 'in', keys).execute();
  const idOf = new Map(rows.map((r) => [r.name_key, r.id]));
  for (const name of names) {
    if (idOf.has(name.toLowerCase())) continue;
    throw type === 'role' ? entityNotExist('EntityNotExist.Role', `role ${name}`) : entityNotExist('EntityNotExist.Policy', `policy ${name}`);
  }
  return [...idOf.values()];
}

export interface TaggedResource {
  resourceId: string;
  resourceName: string;
  key: string;
  value: string;
}

const tagsWithRoleNames = (tx: Tx) => tx.selectFrom('resource_tags as t').innerJoin('ram_roles as r', 'r.id', 't.resource_id');

/** Tags joined to their resources' names; both tables have the id, account_id, name and name_key the queries use. */
function withNames(tx: Tx, type: RamTaggable): ReturnType<typeof tagsWithRoleNames> {
  if (type === 'role') return tagsWithRoleNames(tx);
  const table = type === 'policy' ? 'ram_policies' : 'ram_users';
  return tx.selectFrom('resource_tags as t').innerJoin(`${table} as r` as 'ram_roles as r', 'r.id', 't.resource_id') as unknown as ReturnType<typeof tagsWithRoleNames>;
}

/**
 * ListTagResources: every tag of the resources asked for (by name, by Tag filters, or all of the type), in resource
 * name then key order, keyset-paged on (name key, tag key).
 */
export async function listTagResources(
  tx: Tx,
  accountId: string,
  type: RamTaggable,
  query: { resourceIds?: string[]; filters: TagFilter[] },
  page: PageRequest<[string, string]>,
): Promise<Page<TaggedResource, [string, string]>> {
  let base = withNames(tx, type)
    .select(['r.id as id', 'r.name as name', 'r.name_key as name_key', 't.tag_key as tag_key', 't.tag_value as tag_value'])
    .where('t.account_id', '=', accountId)
    .where('t.resource_type', '=', type)
    .where('r.account_id', '=', accountId);
  if (query.resourceIds) base = base.where('t.resource_id', 'in', query.resourceIds.length > 0 ? query.resourceIds : ['']);
  for (const filter of query.filters) base = base.where('t.resource_id', 'in', taggedWith(tx, accountId, type, filter));
  const rows = await pageByColumns(page, base, ['r.name_key', 't.tag_key']);
  return { ...rows, items: rows.items.map((r) => ({ resourceId: r.id, resourceName: r.name, key: r.tag_key, value: r.tag_value })) };
}
