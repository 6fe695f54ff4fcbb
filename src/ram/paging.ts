import { invalidParameter } from '../errors.js';

// RAM/IMS lists page with an opaque Marker and MaxItems (1–1000, default 100).
// Keyset pagination: the marker is the base64url of the last returned row's unique, indexed
// ordering key (e.g. name_key), so pages stay consistent while rows are added or removed.

// The wire param specs (Marker, MaxItems) are declared in actions/paging-params.ts.

const PREFIX = 'k1.';

export function encodeMarker(key: string): string {
  return Buffer.from(PREFIX + key, 'utf8').toString('base64url');
}

/** The key after which the next page starts; undefined for the first page. A marker we did not issue → InvalidParameter.Marker. */
export function decodeMarker(marker: string | undefined): string | undefined {
  if (marker === undefined || marker === '') return undefined;
  if (!/^[A-Za-z0-9_-]+$/.test(marker)) throw invalidMarker();
  const text = Buffer.from(marker, 'base64url').toString('utf8');
  if (!text.startsWith(PREFIX) || Buffer.from(text, 'utf8').toString('base64url') !== marker) throw invalidMarker();
  return text.slice(PREFIX.length);
}

const invalidMarker = () => invalidParameter('Marker', 'it is not a marker returned by a previous call');

export interface Page<T> {
  items: T[];
  IsTruncated: boolean;
  /** Present only when IsTruncated. */
  Marker?: string;
}

/**
 * Turns rows fetched in key order with `limit(maxItems + 1)` into one page: the extra row only says
 * that more follow; the marker is the key of the last row returned.
 */
export function toPage<T>(rows: T[], maxItems: number, keyOf: (row: T) => string): Page<T> {
  if (rows.length <= maxItems) return { items: rows, IsTruncated: false };
  const items = rows.slice(0, maxItems);
  return { items, IsTruncated: true, Marker: encodeMarker(keyOf(items[items.length - 1] as T)) };
}

/** The list envelope fields: `IsTruncated`, and `Marker` when truncated. */
export function pageFields(page: Page<unknown>): { IsTruncated: boolean; Marker?: string } {
  return page.Marker === undefined ? { IsTruncated: page.IsTruncated } : { IsTruncated: page.IsTruncated, Marker: page.Marker };
}
