import type { ActionDefinition } from '../../openapi/define-action.js';
import { resourceDirectoryActions } from './resource-directory.js';
import { resourceManagerTagActions } from './tags.js';

/** ResourceManager 2020-03-31. */
export const resourceManagerActions: ActionDefinition[] = [...resourceDirectoryActions, ...resourceManagerTagActions];
