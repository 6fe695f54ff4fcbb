import type { ActionDefinition } from '../../openapi/define-action.js';

export const serviceActions: ActionDefinition[] = [];
