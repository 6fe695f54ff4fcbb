import { invalidParameter, type ApiError } from '../../errors.js';
import { int, str, type ParamSpec } from '../../openapi/params.js';
import { keyOfPageToken, pageToken, type Page, type PageRequest } from '../../paging.js';

// The wire side of RAM/IMS paging: an opaque Marker, base64url of `k1.<key>`, and MaxItems (1–1000, default 100);
// a list answers IsTruncated, and the Marker of the next page when truncated. The keyset paging is ../../paging.ts.

const MAX_ITEMS_DEFAULT = 100;
const PREFIX = 'k1.';

/** The param specs of a paged list action, to spread into `params`. */
export const pagingParams = (): { Marker: ParamSpec<string | undefined>; MaxItems: ParamSpec<number> } => ({
  Marker: str({ max: 1024 }),
  MaxItems: int({ min: 1, max: 1000, default: MAX_ITEMS_DEFAULT }) as ParamSpec<number>,
});

/** The key a Marker resumes after; undefined for the first page. A marker we did not issue → InvalidParameter.Marker. */
export function markerKey(marker: string | undefined): string | undefined {
  if (marker === undefined || marker === '') return undefined;
  const key = keyOfPageToken(PREFIX, marker);
  if (key === null) throw invalidMarker();
  return key;
}

export const invalidMarker = (): ApiError => invalidParameter('Marker', 'it is not a marker returned by a previous call');

/** The Marker that resumes after `key`. */
const markerOf = (key: string): string => pageToken(PREFIX, key);

/** The page a list action asks for. */
export const pageRequest = (p: { Marker?: string; MaxItems: number }): PageRequest => ({ after: markerKey(p.Marker), limit: p.MaxItems });

/** The list envelope fields: `IsTruncated`, and `Marker` when truncated (`keyText` writes a key that is not a string). */
export function pageFields(page: Page<unknown>): { IsTruncated: boolean; Marker?: string };
export function pageFields<K>(page: Page<unknown, K>, keyText: (key: K) => string): { IsTruncated: boolean; Marker?: string };
export function pageFields<K>(page: Page<unknown, K>, keyText = (key: K): string => key as string): { IsTruncated: boolean; Marker?: string } {
  return page.nextKey === undefined ? { IsTruncated: false } : { IsTruncated: true, Marker: markerOf(keyText(page.nextKey)) };
}
