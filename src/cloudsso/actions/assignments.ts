import { apiTime, isoNow } from '../../clock.js';
import { defineAction, type ActionDefinition } from '../../openapi/define-action.js';
import { entityAlreadyExists, entityNotExist } from '../../errors.js';
import { str } from '../../openapi/params.js';
import { accessConfigurationNames } from '../access-configurations.js';
import { findAssignment, listAssignments, principalNames, resolvePrincipal } from '../assignments.js';
import { directoryArn } from '../arns.js';
import { pagedResponse, pairPageRequest } from './paging.js';
import { directoryId, pagingParams } from './params.js';
import { getDirectory } from '../directories.js';
import { resolveTargets } from '../provisioning.js';
import { createTask } from '../tasks.js';
import { acArn } from './access-configurations.js';
import { acOnTarget, acTargetParams, targetType } from './provisioning.js';
import { taskView } from './tasks.js';

const principalType = <R extends boolean>(required: R) => str({ required, enum: ['User', 'Group'], code: 'InvalidParameter.PrincipalType' });
const principalId = () => str({ required: true, max: 64, pattern: /^[A-Za-z0-9_-]+$/, code: 'InvalidParameter.PrincipalId' });

const params = { ...acTargetParams, PrincipalType: principalType(true), PrincipalId: principalId() };

export const assignmentsActions: ActionDefinition[] = [
  defineAction({
    product: 'cloudsso',
    name: 'CreateAccessAssignment',
    params,
    ramAction: 'cloudsso:CreateAccessAssignment',
    resource: (p, c) => acArn(c, p.DirectoryId, p.AccessConfigurationId),
    async handle(p, c) {
      const { ac, target } = await acOnTarget(c, p);
      const principal = await resolvePrincipal(c.tx, p.DirectoryId, p.PrincipalType, p.PrincipalId);
      if (await findAssignment(c.tx, { acId: ac.id, targetId: target.id, principal })) {
        throw entityAlreadyExists('EntityAlreadyExists.AccessAssignment', `assignment of ${ac.name} to ${principal.type} ${principal.name} on ${target.id}`);
      }
      const task = await createTask(c.tx, { type: 'CreateAccessAssignment', ac, target, principal }, isoNow(c.clock));
      return { Task: taskView(task) };
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'DeleteAccessAssignment',
    params: {
      ...params,
      DeprovisionStrategy: str({
        enum: ['None', 'DeprovisionForLastAccessAssignmentOnAccount'],
        default: 'None',
        code: 'InvalidParameter.DeprovisionStrategy',
      }),
    },
    ramAction: 'cloudsso:DeleteAccessAssignment',
    resource: (p, c) => acArn(c, p.DirectoryId, p.AccessConfigurationId),
    async handle(p, c) {
      const { ac, target } = await acOnTarget(c, p);
      const type = p.PrincipalType as 'User' | 'Group';
      const assignment = await findAssignment(c.tx, { acId: ac.id, targetId: target.id, principal: { type, id: p.PrincipalId } });
      if (!assignment) throw entityNotExist('EntityNotExists.AccessAssignment', `assignment of ${ac.name} to ${type} ${p.PrincipalId} on ${target.id}`);
      // The principal may be gone already; its name is then unknown but the assignment can still be removed.
      const principal = await resolvePrincipal(c.tx, p.DirectoryId, type, p.PrincipalId).catch(() => ({ type, id: p.PrincipalId, name: '' }));
      const task = await createTask(
        c.tx,
        { type: 'DeleteAccessAssignment', ac, target, principal, payload: { deprovisionStrategy: p.DeprovisionStrategy as 'None' | 'DeprovisionForLastAccessAssignmentOnAccount' } },
        isoNow(c.clock),
      );
      return { Task: taskView(task) };
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'ListAccessAssignments',
    params: {
      DirectoryId: directoryId(),
      AccessConfigurationId: str({ max: 64, code: 'InvalidParameter.AccessConfigurationId' }),
      TargetType: targetType(false),
      TargetId: str({ max: 64, code: 'InvalidParameter.TargetId' }),
      PrincipalType: principalType(false),
      PrincipalId: str({ max: 64, code: 'InvalidParameter.PrincipalId' }),
      ...pagingParams(20),
    },
    ramAction: 'cloudsso:ListAccessAssignments',
    resource: (p, c) => directoryArn(c, p.DirectoryId),
    async handle(p, c) {
      await getDirectory(c.tx, p.DirectoryId, c.accountId);
      const page = await listAssignments(c.tx, p.DirectoryId, {
        acId: p.AccessConfigurationId,
        targetId: p.TargetId,
        principalType: p.PrincipalType as 'User' | 'Group' | undefined,
        principalId: p.PrincipalId,
      }, pairPageRequest(p));
      const names = await principalNames(c.tx, page.items);
      const acNames = await accessConfigurationNames(c.tx, p.DirectoryId, page.items.map((a) => a.access_configuration_id));
      const targets = await resolveTargets(c.tx, c.accountId, page.items.map((a) => a.target_id));
      const views = page.items.map((a) => {
        const target = targets.get(a.target_id);
        return {
          AccessConfigurationId: a.access_configuration_id,
          AccessConfigurationName: acNames.get(a.access_configuration_id) ?? '',
          PrincipalType: a.principal_type,
          PrincipalId: a.principal_id,
          PrincipalName: names.get(`${a.principal_type}:${a.principal_id}`) ?? '',
          TargetType: a.target_type,
          TargetId: a.target_id,
          TargetName: target?.name ?? '',
          TargetPath: target?.path ?? '',
          TargetPathName: target?.pathName ?? '',
          CreateTime: apiTime(a.created_at),
        };
      });
      return pagedResponse('AccessAssignments', { ...page, items: views }, (v) => v, p.MaxResults);
    },
  }),
];
