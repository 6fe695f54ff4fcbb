import { sql, type Expression, type SelectQueryBuilder, type SqlBool } from 'kysely';

// Paging in the domain's own words. Every list reads its rows in the order of a unique, indexed key and answers
// `{ items, nextKey, total }`: keyset lists start after the key a previous page handed out, so pages stay consistent
// while rows come and go; page-number lists (Resource Directory, the portal) skip `offset` rows. The wire names
// (Marker/MaxItems, NextToken/MaxResults, PageNumber/PageSize) and the token formats belong to the action
// declarations, which turn a request into a `PageRequest` and `nextKey` into their token with `pageToken`.

/** Rows after `after` (a key of a previous page; none for the first page), at most `limit` of them. */
export interface PageRequest<K = string> {
  after?: K;
  limit: number;
}

/** Rows `offset` onwards, at most `limit` of them (lists paged by page number). */
export interface OffsetRequest {
  offset: number;
  limit: number;
}

/** One page; `nextKey`, the key of its last row, is present only when more rows follow. */
export interface Page<T, K = string> {
  items: T[];
  nextKey?: K;
}

/** A page with the number of rows the whole list holds (for wire shapes that show it). */
export type CountedPage<T, K = string> = Page<T, K> & { total: number };

/**
 * Reads one keyset page: `fetch` returns rows in key order after `after`, `limit + 1` of them, the extra row only
 * saying that more follow.
 */
export async function keysetPage<T, K = string>(
  request: PageRequest<K>,
  fetch: (after: K | undefined, limit: number) => Promise<T[]>,
  keyOf: (row: T) => K,
): Promise<Page<T, K>> {
  const rows = await fetch(request.after, request.limit + 1);
  if (rows.length <= request.limit) return { items: rows };
  const items = rows.slice(0, request.limit);
  return { items, nextKey: keyOf(items[items.length - 1] as T) };
}

/** A keyset page with the total that `count` reads for the same conditions. */
export async function countedKeysetPage<T, K = string>(
  request: PageRequest<K>,
  fetch: (after: K | undefined, limit: number) => Promise<T[]>,
  keyOf: (row: T) => K,
  count: () => Promise<CountRow | undefined>,
): Promise<CountedPage<T, K>> {
  const [page, total] = await Promise.all([keysetPage(request, fetch, keyOf), count()]);
  return { ...page, total: countOf(total) };
}

/** What `select(eb => eb.fn.countAll().as('n'))` answers: a number on SQLite, a string on PostgreSQL. */
export type CountRow = { n: number | string | bigint };

export const countOf = (row: CountRow | undefined): number => Number(row?.n ?? 0);

/** How many rows `query` (a list's conditions, before its columns are picked) matches. */
export function countRows<DB, TB extends keyof DB, O>(query: SelectQueryBuilder<DB, TB, O>): Promise<CountRow | undefined> {
  return query.select(sql<number | string>`count(*)`.as('n')).executeTakeFirst() as Promise<CountRow | undefined>;
}

/**
 * Rows after `key` in the order of two columns (both ascending, or both descending for newest-first lists):
 * `first > a or (first = a and second > b)`.
 */
export function afterPair(columns: readonly [string, string], key: readonly [string, string], order: 'asc' | 'desc' = 'asc'): Expression<SqlBool> {
  const [first, second] = columns.map((c) => sql.ref(c));
  const beyond = order === 'asc' ? sql.raw('>') : sql.raw('<');
  return sql<SqlBool>`(${first} ${beyond} ${key[0]} or (${first} = ${key[0]} and ${second} ${beyond} ${key[1]}))`;
}

/** The rows of `query` after `after` in the order of one key column, at most `limit` of them. */
export function rowsAfter<DB, TB extends keyof DB, O>(query: SelectQueryBuilder<DB, TB, O>, column: string, after: string | undefined, limit: number): Promise<O[]> {
  return query
    .$if(after !== undefined, (q) => q.where(sql<SqlBool>`${sql.ref(column)} > ${after}`))
    .orderBy(sql.ref(column))
    .limit(limit)
    .execute();
}

/** The rows of `query` after `after` in the order of two key columns, at most `limit` of them. */
export function rowsAfterPair<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  columns: readonly [string, string],
  after: readonly [string, string] | undefined,
  limit: number,
  order: 'asc' | 'desc' = 'asc',
): Promise<O[]> {
  return query
    .$if(after !== undefined, (q) => q.where(afterPair(columns, after!, order)))
    .orderBy(sql.ref(columns[0]), order)
    .orderBy(sql.ref(columns[1]), order)
    .limit(limit)
    .execute();
}

/** The opaque token of a page key: base64url of `<prefix><key>`; the prefix tells one kind of token from another. */
export function pageToken(prefix: string, key: string): string {
  return Buffer.from(prefix + key, 'utf8').toString('base64url');
}

/** The key inside a token made by `pageToken(prefix, …)`, or null for any other text. */
export function keyOfPageToken(prefix: string, token: string): string | null {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return null;
  const text = Buffer.from(token, 'base64url').toString('utf8');
  if (!text.startsWith(prefix) || Buffer.from(text, 'utf8').toString('base64url') !== token) return null;
  return text.slice(prefix.length);
}
