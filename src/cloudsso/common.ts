import { sql, type Expression, type SqlBool } from 'kysely';
import type { Clock } from '../clock.js';
import { ApiError, invalidParameter } from '../errors.js';
import type { Tx } from '../store/db.js';

// Shared parts of CloudSSO's domain: NextToken paging, `Filter` conditions, the management-account rule and ARNs
// (spec §1.4, seed 004). The wire param specs (IDs, NextToken/MaxResults, Filter) are in actions/params.ts.

// ---- paging ----

const TOKEN_PREFIX = 'n1.';

export function encodeNextToken(key: string): string {
  return Buffer.from(TOKEN_PREFIX + key, 'utf8').toString('base64url');
}

/** The key after which the page starts; undefined for the first page. A token we did not issue → InvalidParameter.NextToken. */
export function decodeNextToken(token: string | undefined): string | undefined {
  if (token === undefined || token === '') return undefined;
  const bad = invalidParameter('NextToken', 'it is not a token returned by a previous call');
  if (!/^[A-Za-z0-9_-]+$/.test(token)) throw bad;
  const text = Buffer.from(token, 'base64url').toString('utf8');
  if (!text.startsWith(TOKEN_PREFIX) || Buffer.from(text, 'utf8').toString('base64url') !== token) throw bad;
  return text.slice(TOKEN_PREFIX.length);
}

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

/** Rows fetched in key order with `limit(maxResults + 1)` → one page; the extra row only says more follow. */
export function toPage<T>(rows: T[], maxResults: number, keyOf: (row: T) => string): Page<T> {
  if (rows.length <= maxResults) return { items: rows };
  const items = rows.slice(0, maxResults);
  return { items, nextToken: encodeNextToken(keyOf(items[items.length - 1] as T)) };
}

/** The CloudSSO list envelope: the flat array, then IsTruncated, NextToken (when truncated), MaxResults, TotalCounts. */
/** CloudSSO's `Tags` field: a plain array of {Key, Value}, present only on resources that carry some. */
export function ssoTagsView(tags: Array<{ key: string; value: string }> | undefined): { Tags?: Array<{ Key: string; Value: string }> } {
  return tags && tags.length > 0 ? { Tags: tags.map((t) => ({ Key: t.key, Value: t.value })) } : {};
}

export function pagedResponse<T, V>(
  arrayName: string,
  page: Page<T>,
  view: (row: T) => V,
  maxResults: number,
  totalCounts: number,
): Record<string, unknown> {
  return {
    [arrayName]: page.items.map(view),
    IsTruncated: page.nextToken !== undefined,
    ...(page.nextToken !== undefined ? { NextToken: page.nextToken } : {}),
    MaxResults: maxResults,
    TotalCounts: totalCounts,
  };
}

// ---- Filter ----

export interface Filter {
  attribute: string;
  operator: 'eq' | 'sw';
  /** Lower case: filters compare case-insensitively against the lower-cased key columns. */
  value: string;
}

/** Parses a Filter on one of `attributes` (matched case-insensitively); undefined when absent. */
export function parseFilter(text: string | undefined, attributes: readonly string[]): Filter | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const match = /^\s*([A-Za-z]+)\s+(eq|sw)\s+(.+?)\s*$/i.exec(text);
  const attribute = match && attributes.find((a) => a.toLowerCase() === match[1]!.toLowerCase());
  if (!match || !attribute) {
    throw invalidParameter('Filter', `it must be "<${attributes.join('|')}> eq|sw <value>"`);
  }
  let value = match[3]!;
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
  return { attribute, operator: match[2]!.toLowerCase() as 'eq' | 'sw', value: value.toLowerCase() };
}

/** The SQL condition of a filter on a lower-cased key column (`sw` is a LIKE prefix with wildcards escaped). */
export function filterCondition(column: string, f: Filter): Expression<SqlBool> {
  if (f.operator === 'eq') return sql<SqlBool>`${sql.ref(column)} = ${f.value}`;
  const pattern = f.value.replace(/[\\%_]/g, (ch) => `\\${ch}`) + '%';
  return sql<SqlBool>`${sql.ref(column)} like ${pattern} escape '\\'`;
}

// ---- who may administer ----

/**
 * CloudSSO is administered from the management account of the resource directory only (its root, or its RAM
 * identities allowed by policy); any other account is refused whatever its own policies say.
 */
export async function requireManagementAccount(tx: Tx, accountId: string): Promise<void> {
  const account = await tx.selectFrom('accounts').select('type').where('id', '=', accountId).executeTakeFirst();
  if (account?.type !== 'management') {
    throw new ApiError('NoPermission', 403, 'CloudSSO can be administered only from the management account of the resource directory.');
  }
}

// ---- ARNs (seed 004) ----

/** Where a resource lives: the request's region and account. */
type Scope = { region: string; accountId: string };

/** `acs:cloudsso:<region>:<account>:<path>`. */
export const cloudssoArn = (c: Scope, path: string): string => `acs:cloudsso:${c.region}:${c.accountId}:${path}`;
export const directoryArn = (c: Scope, id: string): string => cloudssoArn(c, `directory/${id}`);
export const allDirectoriesArn = (c: Scope): string => cloudssoArn(c, 'directory/*');
export const userArn = (c: Scope, dir: string, id: string): string => cloudssoArn(c, `directory/${dir}/user/${id}`);
export const groupArn = (c: Scope, dir: string, id: string): string => cloudssoArn(c, `directory/${dir}/group/${id}`);

export const nowIso = (c: { clock: Clock }): string => c.clock.now().toISOString();
