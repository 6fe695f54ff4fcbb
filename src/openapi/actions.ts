import { buildRegistry, type ActionRegistry } from './define-action.js';
import { ramActions } from '../ram/actions/index.js';
import { stsActions } from '../sts/actions.js';
import { resourceManagerActions } from '../resource-directory/actions/index.js';
import { cloudssoActions } from '../cloudsso/actions/index.js';

/** Every action Gatehouse serves, declared once in its domain's actions/ folder. */
export function actionRegistry(): ActionRegistry {
  return buildRegistry(ramActions, stsActions, resourceManagerActions, cloudssoActions);
}
