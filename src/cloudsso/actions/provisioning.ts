import type { ActionDefinition } from '../../openapi/define-action.js';

export const provisioningActions: ActionDefinition[] = [];
