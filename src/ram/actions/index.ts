import type { ActionDefinition } from '../../openapi/define-action.js';
import { userActions } from './users.js';

export const ramActions: ActionDefinition[] = [...userActions];
