import type { ActionDefinition } from '../../openapi/define-action.js';
import { accessKeysActions } from './access-keys.js';
import { accountActions } from './account.js';
import { groupsActions } from './groups.js';
import { loginProfilesActions } from './login-profiles.js';
import { mfaActions } from './mfa.js';
import { policiesActions } from './policies.js';
import { rolesActions } from './roles.js';
import { samlProviderActions } from './saml-providers.js';
import { securityActions } from './account-settings.js';
import { imsTagActions, tagActions } from './tags.js';
import { userActions } from './users.js';

/** RAM 2015-05-01 and IMS 2019-08-15 actions, one file per part of the product. */
export const ramActions: ActionDefinition[] = [
  ...userActions,
  ...groupsActions,
  ...accessKeysActions,
  ...accountActions,
  ...rolesActions,
  ...policiesActions,
  ...loginProfilesActions,
  ...securityActions,
  ...mfaActions,
  ...samlProviderActions,
  ...tagActions,
  ...imsTagActions,
];
