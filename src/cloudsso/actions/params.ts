import { int, str, type ParamSpec } from '../../openapi/params.js';

// The wire names of CloudSSO's parameters shared by its actions: resource IDs, NextToken/MaxResults and Filter.

const ID = /^[A-Za-z0-9_-]+$/;

/** A required resource ID such as `DirectoryId`: unknown IDs are a 404 of the handler, malformed ones a 400. */
export const idParam = (name: string): ParamSpec<string> => str({ required: true, max: 64, pattern: ID, code: `InvalidParameter.${name}` });
export const directoryId = (): ParamSpec<string> => idParam('DirectoryId');
export const userId = (): ParamSpec<string> => idParam('UserId');
export const groupId = (): ParamSpec<string> => idParam('GroupId');
export const accessConfigurationId = (): ParamSpec<string> => idParam('AccessConfigurationId');
export const taskId = (): ParamSpec<string> => idParam('TaskId');

/** `NextToken`: opaque, issued by a previous page of the same list. */
export const nextToken = (): ParamSpec<string | undefined> => str({ max: 1024, code: 'InvalidParameter.NextToken' });
/** `MaxResults` 1–max (spec §1.4: 100 for users/groups/members/configurations, 20 for assignments/tasks/provisionings). */
export const maxResults = (max: number, defaultValue = 10): ParamSpec<number> =>
  int({ min: 1, max, default: defaultValue, code: 'InvalidParameter.MaxResults' }) as ParamSpec<number>;
export const pagingParams = (max = 100, defaultValue = 10): { NextToken: ParamSpec<string | undefined>; MaxResults: ParamSpec<number> } => ({
  NextToken: nextToken(),
  MaxResults: maxResults(max, defaultValue),
});

/** `Filter`: `<Attribute> eq|sw <Value>`. */
export const filter = (): ParamSpec<string | undefined> => str({ max: 256, code: 'InvalidParameter.Filter' });
