import { apiTime, isoNow } from '../../clock.js';
import { defineAction, type ActionContext, type ActionDefinition } from '../../openapi/define-action.js';
import { str } from '../../openapi/params.js';
import { resolvePrincipal } from '../assignments.js';
import { cloudssoArn, directoryArn } from '../arns.js';
import { pagedResponse, pairPageRequest } from './paging.js';
import { directoryId, idParam, pagingParams } from './params.js';
import { getDirectory } from '../directories.js';
import { resolveTarget } from '../provisioning.js';
import {
  createUserProvisioning,
  deleteEvent,
  deleteUserProvisioning,
  getEvent,
  getUserProvisioning,
  listEvents,
  listUserProvisionings,
  provisioningStatistics,
  retryEvent,
  updateUserProvisioning,
  type DeletionStrategy,
  type DuplicationStrategy,
  type UserProvisioning,
  type UserProvisioningEvent,
} from '../user-provisioning.js';
import { targetId, targetType } from './provisioning.js';

const upArn = (c: Pick<ActionContext, 'region' | 'accountId'>, dir: string, id: string): string => cloudssoArn(c, `directory/${dir}/user-provisioning/${id}`);

/** A user provisioning of the caller's directory, looked up after the directory itself. */
async function userProvisioningOf(c: ActionContext, p: { DirectoryId: string; UserProvisioningId: string }): Promise<UserProvisioning> {
  await getDirectory(c.tx, p.DirectoryId, c.accountId);
  return getUserProvisioning(c.tx, p.DirectoryId, p.UserProvisioningId);
}

/** A provisioning event of the caller's directory, looked up after the directory itself. */
async function eventOf(c: ActionContext, p: { DirectoryId: string; EventId: string }): Promise<UserProvisioningEvent> {
  await getDirectory(c.tx, p.DirectoryId, c.accountId);
  return getEvent(c.tx, p.DirectoryId, p.EventId);
}

export function userProvisioningView(p: UserProvisioning): Record<string, unknown> {
  return {
    UserProvisioningId: p.id,
    DirectoryId: p.directory_id,
    OwnerPk: p.owner_pk,
    PrincipalType: p.principal_type,
    PrincipalId: p.principal_id,
    PrincipalName: p.principal_name,
    TargetType: p.target_type,
    TargetId: p.target_id,
    TargetName: p.target_name,
    TargetPath: p.target_path,
    DeletionStrategy: p.deletion_strategy,
    DuplicationStrategy: p.duplication_strategy,
    Status: p.status,
    Description: p.description,
    CreateTime: apiTime(p.created_at),
    UpdateTime: apiTime(p.updated_at),
  };
}

export function eventView(e: UserProvisioningEvent): Record<string, unknown> {
  return {
    EventId: e.id,
    DirectoryId: e.directory_id,
    UserProvisioningId: e.user_provisioning_id,
    PrincipalType: e.principal_type,
    PrincipalId: e.principal_id,
    PrincipalName: e.principal_name,
    UserId: e.user_id,
    TargetType: e.target_type,
    TargetId: e.target_id,
    TargetName: e.target_name,
    TargetPath: e.target_path,
    EventType: e.event_type,
    DeletionStrategy: e.deletion_strategy,
    DuplicationStrategy: e.duplication_strategy,
    ErrorCount: e.error_count,
    ErrorInfo: e.error_info,
    LatestAsyncTime: apiTime(e.latest_async_time),
    CreateTime: apiTime(e.created_at),
    UpdateTime: apiTime(e.updated_at),
  };
}

const deletionStrategy = <R extends boolean>(required: R, name = 'DeletionStrategy') =>
  str({ required, enum: ['Delete', 'Keep'], code: `InvalidParameter.${name}` });
const duplicationStrategy = <R extends boolean>(required: R, name = 'DuplicationStrategy') =>
  str({ required, enum: ['KeepBoth', 'TakeOver'], code: `InvalidParameter.${name}` });
const description = (name: string) => str({ max: 1024, code: `InvalidParameter.${name}` });
const upId = () => idParam('UserProvisioningId');
const eventId = () => idParam('EventId');

export const userProvisioningActions: ActionDefinition[] = [
  defineAction({
    product: 'cloudsso',
    name: 'CreateUserProvisioning',
    params: {
      DirectoryId: directoryId(),
      PrincipalType: str({ required: true, enum: ['User', 'Group'], code: 'InvalidParameter.PrincipalType' }),
      PrincipalId: idParam('PrincipalId'),
      TargetType: targetType(true),
      TargetId: targetId(),
      DeletionStrategy: deletionStrategy(true),
      DuplicationStrategy: duplicationStrategy(true),
      Description: description('Description'),
    },
    ramAction: 'cloudsso:CreateUserProvisioning',
    resource: (p, c) => directoryArn(c, p.DirectoryId),
    async handle(p, c) {
      await getDirectory(c.tx, p.DirectoryId, c.accountId);
      const principal = await resolvePrincipal(c.tx, p.DirectoryId, p.PrincipalType, p.PrincipalId);
      const target = await resolveTarget(c.tx, c.accountId, p.TargetType, p.TargetId);
      const up = await createUserProvisioning(
        c.tx,
        p.DirectoryId,
        {
          ownerPk: c.accountId,
          principal,
          target,
          deletionStrategy: p.DeletionStrategy as DeletionStrategy,
          duplicationStrategy: p.DuplicationStrategy as DuplicationStrategy,
          description: p.Description ?? '',
        },
        isoNow(c.clock),
      );
      return { UserProvisioning: userProvisioningView(up) };
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'GetUserProvisioning',
    params: { DirectoryId: directoryId(), UserProvisioningId: upId() },
    ramAction: 'cloudsso:GetUserProvisioning',
    resource: (p, c) => upArn(c, p.DirectoryId, p.UserProvisioningId),
    async handle(p, c) {
      return { UserProvisioning: userProvisioningView(await userProvisioningOf(c, p)) };
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'UpdateUserProvisioning',
    params: {
      DirectoryId: directoryId(),
      UserProvisioningId: upId(),
      NewDescription: description('NewDescription'),
      NewDeletionStrategy: deletionStrategy(false, 'NewDeletionStrategy'),
      NewDuplicationStrategy: duplicationStrategy(false, 'NewDuplicationStrategy'),
    },
    ramAction: 'cloudsso:UpdateUserProvisioning',
    resource: (p, c) => upArn(c, p.DirectoryId, p.UserProvisioningId),
    async handle(p, c) {
      const up = await userProvisioningOf(c, p);
      const next = await updateUserProvisioning(
        c.tx,
        up,
        {
          description: p.NewDescription,
          deletionStrategy: p.NewDeletionStrategy as DeletionStrategy | undefined,
          duplicationStrategy: p.NewDuplicationStrategy as DuplicationStrategy | undefined,
        },
        isoNow(c.clock),
      );
      return { UserProvisioning: userProvisioningView(next) };
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'DeleteUserProvisioning',
    params: { DirectoryId: directoryId(), UserProvisioningId: upId() },
    ramAction: 'cloudsso:DeleteUserProvisioning',
    resource: (p, c) => upArn(c, p.DirectoryId, p.UserProvisioningId),
    async handle(p, c) {
      await deleteUserProvisioning(c.tx, await userProvisioningOf(c, p));
      return {};
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'ListUserProvisionings',
    params: {
      DirectoryId: directoryId(),
      PrincipalType: str({ enum: ['User', 'Group'], code: 'InvalidParameter.PrincipalType' }),
      PrincipalId: str({ max: 64, code: 'InvalidParameter.PrincipalId' }),
      TargetType: targetType(false),
      TargetId: str({ max: 64, code: 'InvalidParameter.TargetId' }),
      ...pagingParams(100),
    },
    ramAction: 'cloudsso:ListUserProvisionings',
    resource: (p, c) => directoryArn(c, p.DirectoryId),
    async handle(p, c) {
      await getDirectory(c.tx, p.DirectoryId, c.accountId);
      const page = await listUserProvisionings(c.tx, p.DirectoryId, {
        principalType: p.PrincipalType,
        principalId: p.PrincipalId,
        targetId: p.TargetId,
      }, pairPageRequest(p));
      return pagedResponse('UserProvisionings', page, userProvisioningView, p.MaxResults);
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'ListUserProvisioningEvents',
    params: { DirectoryId: directoryId(), UserProvisioningId: str({ max: 64, code: 'InvalidParameter.UserProvisioningId' }), ...pagingParams(100) },
    ramAction: 'cloudsso:ListUserProvisioningEvents',
    resource: (p, c) => directoryArn(c, p.DirectoryId),
    async handle(p, c) {
      await getDirectory(c.tx, p.DirectoryId, c.accountId);
      const page = await listEvents(c.tx, p.DirectoryId, { userProvisioningId: p.UserProvisioningId }, pairPageRequest(p));
      return pagedResponse('UserProvisioningEvents', page, eventView, p.MaxResults);
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'GetUserProvisioningEvent',
    params: { DirectoryId: directoryId(), EventId: eventId() },
    ramAction: 'cloudsso:GetUserProvisioningEvent',
    resource: (p, c) => directoryArn(c, p.DirectoryId),
    async handle(p, c) {
      return { UserProvisioningEvent: eventView(await eventOf(c, p)) };
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'RetryUserProvisioningEvent',
    params: { DirectoryId: directoryId(), EventId: eventId(), DuplicationStrategy: duplicationStrategy(false) },
    ramAction: 'cloudsso:RetryUserProvisioningEvent',
    resource: (p, c) => directoryArn(c, p.DirectoryId),
    async handle(p, c) {
      const event = await eventOf(c, p);
      if (p.DuplicationStrategy) {
        const up = await getUserProvisioning(c.tx, p.DirectoryId, event.user_provisioning_id);
        await updateUserProvisioning(c.tx, up, { duplicationStrategy: p.DuplicationStrategy as DuplicationStrategy }, isoNow(c.clock));
      }
      await retryEvent(c.tx, event, isoNow(c.clock));
      return {};
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'DeleteUserProvisioningEvent',
    params: { DirectoryId: directoryId(), EventId: eventId() },
    ramAction: 'cloudsso:DeleteUserProvisioningEvent',
    resource: (p, c) => directoryArn(c, p.DirectoryId),
    async handle(p, c) {
      await deleteEvent(c.tx, await eventOf(c, p));
      return {};
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'GetUserProvisioningStatistics',
    params: { DirectoryId: directoryId() },
    ramAction: 'cloudsso:GetUserProvisioningStatistics',
    resource: (p, c) => directoryArn(c, p.DirectoryId),
    async handle(p, c) {
      await getDirectory(c.tx, p.DirectoryId, c.accountId);
      const stats = await provisioningStatistics(c.tx, p.DirectoryId);
      return {
        UserProvisioningStatistics: {
          DirectoryId: p.DirectoryId,
          UserProvisioningCount: stats.provisionings,
          FailedEventCount: stats.failedEvents,
          ProvisionedRamUserCount: stats.ramUsers,
        },
      };
    },
  }),
];
