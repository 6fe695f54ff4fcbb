import type { ActionDefinition } from '../../openapi/define-action.js';
import { defineAction } from '../../openapi/define-action.js';
import { isoNow } from '../../clock.js';
import { allDirectoriesArn } from '../arns.js';
import { requireManagementAccount } from '../management-account.js';
import { findDirectoryOf } from '../directories.js';
import { disableService, serviceStatus, setServiceStatus } from '../service-status.js';

export const serviceActions: ActionDefinition[] = [
  defineAction({
    product: 'cloudsso',
    name: 'EnableService',
    params: {},
    ramAction: 'cloudsso:EnableService',
    resource: (_p, c) => allDirectoriesArn(c),
    async handle(_p, c) {
      await requireManagementAccount(c.tx, c.accountId);
      await setServiceStatus(c.tx, c.accountId, 'Enabled', isoNow(c.clock));
      return {};
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'DisableService',
    params: {},
    ramAction: 'cloudsso:DisableService',
    resource: (_p, c) => allDirectoriesArn(c),
    async handle(_p, c) {
      await requireManagementAccount(c.tx, c.accountId);
      await disableService(c.tx, c.accountId, isoNow(c.clock));
      return {};
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'GetServiceStatus',
    params: {},
    ramAction: 'cloudsso:GetServiceStatus',
    resource: (_p, c) => allDirectoriesArn(c),
    async handle(_p, c) {
      const account = await c.tx.selectFrom('accounts').select('type').where('id', '=', c.accountId).executeTakeFirst();
      const status = await serviceStatus(c.tx, c.accountId);
      const directory = await findDirectoryOf(c.tx, c.accountId);
      return {
        ServiceStatus: {
          AccountId: c.accountId,
          Status: status,
          // Only a management account may enable CloudSSO; the check is reported while the service is off.
          ...(status === 'Disabled' ? { PrerequisiteCheckResult: account?.type === 'management' ? 'Success' : 'Failed' } : {}),
          RegionsInUse: directory ? [directory.region] : [],
        },
      };
    },
  }),
];
