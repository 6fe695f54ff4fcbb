import { invalidParameter } from '../../errors.js';
import { keyOfPageToken, pageToken, type CountedPage, type PageRequest } from '../../paging.js';

// CloudSSO's paging on the wire (spec §1.4): an opaque NextToken, base64url of `n1.<key>`, where a key of two
// columns is written `<first>|<second>`; the list envelope shows IsTruncated, NextToken, MaxResults and TotalCounts.
// The param specs (NextToken, MaxResults) are in params.ts.

const PREFIX = 'n1.';

type Paged = { NextToken?: string; MaxResults: number };

function keyOfNextToken(token: string | undefined): string | undefined {
  if (token === undefined || token === '') return undefined;
  const key = keyOfPageToken(PREFIX, token);
  if (key === null) throw invalidParameter('NextToken', 'it is not a token returned by a previous call');
  return key;
}

/** The page a list action asks for, keyed by one column. */
export const pageRequest = (p: Paged): PageRequest => ({ after: keyOfNextToken(p.NextToken), limit: p.MaxResults });

/** The page a list action asks for, keyed by two columns. */
export function pairPageRequest(p: Paged): PageRequest<[string, string]> {
  const key = keyOfNextToken(p.NextToken);
  if (key === undefined) return { limit: p.MaxResults };
  const bar = key.indexOf('|');
  if (bar < 0) throw invalidParameter('NextToken', 'it is not a token returned by a previous call');
  return { after: [key.slice(0, bar), key.slice(bar + 1)], limit: p.MaxResults };
}

/** The CloudSSO list envelope: the flat array, then IsTruncated, NextToken (when truncated), MaxResults, TotalCounts. */
export function pagedResponse<T, V>(
  arrayName: string,
  page: CountedPage<T, string | [string, string]>,
  view: (row: T) => V,
  maxResults: number,
): Record<string, unknown> {
  const key = page.nextKey;
  return {
    [arrayName]: page.items.map(view),
    IsTruncated: key !== undefined,
    ...(key !== undefined ? { NextToken: pageToken(PREFIX, typeof key === 'string' ? key : key.join('|')) } : {}),
    MaxResults: maxResults,
    TotalCounts: page.total,
  };
}
