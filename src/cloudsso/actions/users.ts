import type { ActionDefinition } from '../../openapi/define-action.js';

export const usersActions: ActionDefinition[] = [];
