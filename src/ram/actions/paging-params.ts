import { int, str, type ParamSpec } from '../../openapi/params.js';

// The wire names of RAM/IMS paging: an opaque Marker and MaxItems (1–1000, default 100). The keyset paging itself
// (markers, pages) is domain code in ../paging.ts.

const MAX_ITEMS_DEFAULT = 100;

/** The param specs of a paged list action, to spread into `params`. */
export const pagingParams = (): { Marker: ParamSpec<string | undefined>; MaxItems: ParamSpec<number> } => ({
  Marker: str({ max: 1024 }),
  MaxItems: int({ min: 1, max: 1000, default: MAX_ITEMS_DEFAULT }) as ParamSpec<number>,
});
