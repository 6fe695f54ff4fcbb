import type { ActionDefinition } from '../../openapi/define-action.js';
import { serviceActions } from './service.js';
import { directoriesActions } from './directories.js';
import { usersActions } from './users.js';
import { groupsActions } from './groups.js';
import { settingsActions } from './settings.js';
import { scimCredentialsActions } from './scim-credentials.js';
import { accessConfigurationsActions } from './access-configurations.js';
import { provisioningActions } from './provisioning.js';
import { assignmentsActions } from './assignments.js';
import { tasksActions } from './tasks.js';
import { userProvisioningActions } from './user-provisioning.js';
import { samlActions } from './saml.js';

/** CloudSSO 2021-05-15, one file per part of the product. */
export const cloudssoActions: ActionDefinition[] = [
  ...serviceActions,
  ...directoriesActions,
  ...usersActions,
  ...groupsActions,
  ...settingsActions,
  ...scimCredentialsActions,
  ...accessConfigurationsActions,
  ...provisioningActions,
  ...assignmentsActions,
  ...tasksActions,
  ...userProvisioningActions,
  ...samlActions,
];
