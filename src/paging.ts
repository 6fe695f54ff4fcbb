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

/** What a `count(*) as n` query answers: a number on SQLite, a string on PostgreSQL. */
export type CountRow = { n: number | string | bigint };

export const countOf = (row: CountRow | undefined): number => Number(row?.n ?? 0);

/** How many rows `query` (a list's conditions, before its columns are picked) matches. */
export function countRows<DB, TB extends keyof DB, O>(query: SelectQueryBuilder<DB, TB, O>): Promise<CountRow | undefined> {
  return query.select(sql<number | string>`count(*)`.as('n')).executeTakeFirst() as Promise<CountRow | undefined>;
}

// The SQL lists below read their key from the row field named like the key column without its table alias
// (`u.name_key` → `name_key`), so the query must select it under that name.

/** A keyset page of `query`'s rows in the order of one unique, indexed key column. */
export function pageByColumn<DB, TB extends keyof DB, O>(request: PageRequest, query: SelectQueryBuilder<DB, TB, O>, column: string): Promise<Page<O>> {
  return keysetPage(request, (after, limit) => rowsAfter(query, column, after, limit), (row) => field(row, column));
}

/** `pageByColumn` with the number of rows `matches` (the same conditions) holds. */
export function countedPageByColumn<DB, TB extends keyof DB, O, DB2, TB2 extends keyof DB2, O2>(
  request: PageRequest,
  query: SelectQueryBuilder<DB, TB, O>,
  column: string,
  matches: SelectQueryBuilder<DB2, TB2, O2>,
): Promise<CountedPage<O>> {
  return withTotal(pageByColumn(request, query, column), matches);
}

/** A keyset page of `query`'s rows in the order of two key columns (both descending for newest-first lists). */
export function pageByColumns<DB, TB extends keyof DB, O>(
  request: PageRequest<[string, string]>,
  query: SelectQueryBuilder<DB, TB, O>,
  columns: readonly [string, string],
  order: 'asc' | 'desc' = 'asc',
): Promise<Page<O, [string, string]>> {
  return keysetPage(request, (after, limit) => rowsAfterPair(query, columns, after, limit, order), (row) => [field(row, columns[0]), field(row, columns[1])]);
}

/** `pageByColumns` with the number of rows `matches` (the same conditions) holds. */
export function countedPageByColumns<DB, TB extends keyof DB, O, DB2, TB2 extends keyof DB2, O2>(
  request: PageRequest<[string, string]>,
  query: SelectQueryBuilder<DB, TB, O>,
  columns: readonly [string, string],
  matches: SelectQueryBuilder<DB2, TB2, O2>,
  order: 'asc' | 'desc' = 'asc',
): Promise<CountedPage<O, [string, string]>> {
  return withTotal(pageByColumns(request, query, columns, order), matches);
}

/** A page with the number of rows `matches` holds, the two queries side by side. */
async function withTotal<T, K, DB, TB extends keyof DB, O>(page: Promise<Page<T, K>>, matches: SelectQueryBuilder<DB, TB, O>): Promise<CountedPage<T, K>> {
  const [rows, total] = await Promise.all([page, countRows(matches)]);
  return { ...rows, total: countOf(total) };
}

const field = (row: unknown, column: string): string => String((row as Record<string, unknown>)[column.slice(column.lastIndexOf('.') + 1)]);

/** The rows of `query` after `after` in the order of one key column, at most `limit` of them. */
export function rowsAfter<DB, TB extends keyof DB, O>(query: SelectQueryBuilder<DB, TB, O>, column: string, after: string | undefined, limit: number): Promise<O[]> {
  return query
    .$if(after !== undefined, (q) => q.where(sql<SqlBool>`${sql.ref(column)} > ${after}`))
    .orderBy(sql.ref(column))
    .limit(limit)
    .execute();
}

/** The rows of `query` after `after` in the order of two key columns, at most `limit` of them. */
function rowsAfterPair<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  columns: readonly [string, string],
  after: readonly [string, string] | undefined,
  limit: number,
  order: 'asc' | 'desc',
): Promise<O[]> {
  return query
    .$if(after !== undefined, (q) => q.where(afterPair(columns, after!, order)))
    .orderBy(sql.ref(columns[0]), order)
    .orderBy(sql.ref(columns[1]), order)
    .limit(limit)
    .execute();
}

/** `first > a or (first = a and second > b)` (`<` for a descending order). */
function afterPair(columns: readonly [string, string], key: readonly [string, string], order: 'asc' | 'desc'): Expression<SqlBool> {
  const [first, second] = columns.map((c) => sql.ref(c));
  const beyond = sql.raw(order === 'asc' ? '>' : '<');
  return sql<SqlBool>`(${first} ${beyond} ${key[0]} or (${first} = ${key[0]} and ${second} ${beyond} ${key[1]}))`;
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
