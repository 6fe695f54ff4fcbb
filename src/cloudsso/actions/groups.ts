import { apiTime, isoNow } from '../../clock.js';
import type { ActionContext, ActionDefinition } from '../../openapi/define-action.js';
import { defineAction } from '../../openapi/define-action.js';
import { str } from '../../openapi/params.js';
import { directoryArn, groupArn, userArn } from '../arns.js';
import { parseFilter } from '../filters.js';
import { pagedResponse, pageRequest } from './paging.js';
import { directoryId, filter, groupId, pagingParams, userId } from './params.js';
import { getDirectory } from '../directories.js';
import {
  addMember,
  createGroup,
  deleteGroup,
  getGroup,
  listGroups,
  listJoinedGroups,
  listMembers,
  removeMember,
  updateGroup,
  type SsoGroup,
} from '../groups.js';
import { getUser, type SsoUser } from '../users.js';
import { refuseWhileAssigned, userOf } from './users.js';

const GROUP_NAME = /^[A-Za-z0-9_.-]+$/;
const groupName = <R extends boolean>(name: string, required: R) => str({ required, max: 128, pattern: GROUP_NAME, code: `InvalidParameter.${name}` });
const description = (name: string) => str({ max: 1024, code: `InvalidParameter.${name}` });

export function groupView(g: SsoGroup): Record<string, unknown> {
  return {
    GroupId: g.id,
    GroupName: g.name,
    Description: g.description,
    ProvisionType: g.provision_type,
    CreateTime: apiTime(g.created_at),
    UpdateTime: apiTime(g.updated_at),
  };
}

async function groupOf(c: ActionContext, p: { DirectoryId: string; GroupId: string }): Promise<SsoGroup> {
  const directory = await getDirectory(c.tx, p.DirectoryId, c.accountId);
  return getGroup(c.tx, directory.id, p.GroupId);
}

/** The group and the user that AddUserToGroup and RemoveUserFromGroup name, the user looked up in the group's directory. */
async function membershipOf(c: ActionContext, p: { DirectoryId: string; GroupId: string; UserId: string }): Promise<{ group: SsoGroup; user: SsoUser }> {
  const group = await groupOf(c, p);
  return { group, user: await getUser(c.tx, group.directory_id, p.UserId) };
}

const groupResource = (p: { DirectoryId: string; GroupId: string }, c: ActionContext): string => groupArn(c, p.DirectoryId, p.GroupId);
const membershipResources = (p: { DirectoryId: string; GroupId: string; UserId: string }, c: ActionContext): string[] => [
  groupArn(c, p.DirectoryId, p.GroupId),
  userArn(c, p.DirectoryId, p.UserId),
];

export const groupsActions: ActionDefinition[] = [
  defineAction({
    product: 'cloudsso',
    name: 'CreateGroup',
    params: { DirectoryId: directoryId(), GroupName: groupName('GroupName', true), Description: description('Description') },
    ramAction: 'cloudsso:CreateGroup',
    resource: (p, c) => groupArn(c, p.DirectoryId, '*'),
    async handle(p, c) {
      const directory = await getDirectory(c.tx, p.DirectoryId, c.accountId);
      return { Group: groupView(await createGroup(c.tx, directory.id, { name: p.GroupName, description: p.Description }, isoNow(c.clock))) };
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'GetGroup',
    params: { DirectoryId: directoryId(), GroupId: groupId() },
    ramAction: 'cloudsso:GetGroup',
    resource: groupResource,
    async handle(p, c) {
      return { Group: groupView(await groupOf(c, p)) };
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'UpdateGroup',
    params: { DirectoryId: directoryId(), GroupId: groupId(), NewGroupName: groupName('NewGroupName', false), NewDescription: description('NewDescription') },
    ramAction: 'cloudsso:UpdateGroup',
    resource: groupResource,
    async handle(p, c) {
      const group = await groupOf(c, p);
      return { Group: groupView(await updateGroup(c.tx, group, { name: p.NewGroupName, description: p.NewDescription }, isoNow(c.clock))) };
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'DeleteGroup',
    params: { DirectoryId: directoryId(), GroupId: groupId() },
    ramAction: 'cloudsso:DeleteGroup',
    resource: groupResource,
    async handle(p, c) {
      const group = await groupOf(c, p);
      await refuseWhileAssigned(c, 'Group', group.id);
      await deleteGroup(c.tx, group);
      return {};
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'ListGroups',
    params: {
      DirectoryId: directoryId(),
      ...pagingParams(100, 10),
      Filter: filter(),
      ProvisionType: str({ enum: ['Manual', 'Synchronized'], code: 'InvalidParameter.ProvisionType' }),
    },
    ramAction: 'cloudsso:ListGroups',
    resource: (p, c) => directoryArn(c, p.DirectoryId),
    async handle(p, c) {
      const directory = await getDirectory(c.tx, p.DirectoryId, c.accountId);
      const page = await listGroups(
        c.tx,
        directory.id,
        { filter: parseFilter(p.Filter, ['GroupName']), provisionType: p.ProvisionType },
        pageRequest(p),
      );
      return pagedResponse('Groups', page, groupView, p.MaxResults);
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'AddUserToGroup',
    params: { DirectoryId: directoryId(), GroupId: groupId(), UserId: userId() },
    ramAction: 'cloudsso:AddUserToGroup',
    resource: membershipResources,
    async handle(p, c) {
      const { group, user } = await membershipOf(c, p);
      await addMember(c.tx, group, user, isoNow(c.clock));
      return {};
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'RemoveUserFromGroup',
    params: { DirectoryId: directoryId(), GroupId: groupId(), UserId: userId() },
    ramAction: 'cloudsso:RemoveUserFromGroup',
    resource: membershipResources,
    async handle(p, c) {
      const { group, user } = await membershipOf(c, p);
      await removeMember(c.tx, group, user);
      return {};
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'ListGroupMembers',
    params: { DirectoryId: directoryId(), GroupId: groupId(), ...pagingParams(100, 10) },
    ramAction: 'cloudsso:ListGroupMembers',
    resource: groupResource,
    async handle(p, c) {
      const group = await groupOf(c, p);
      const page = await listMembers(c.tx, group, pageRequest(p));
      const view = (u: (typeof page.items)[number]) => ({
        UserId: u.id,
        UserName: u.user_name,
        DisplayName: u.display_name,
        Email: u.email,
        Status: u.status,
        ProvisionType: u.provision_type,
        GroupId: group.id,
        JoinTime: apiTime(u.joined_at),
      });
      return pagedResponse('GroupMembers', page, view, p.MaxResults);
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'ListJoinedGroupsForUser',
    params: { DirectoryId: directoryId(), UserId: userId(), ...pagingParams(100, 10) },
    ramAction: 'cloudsso:ListJoinedGroupsForUser',
    resource: (p, c) => userArn(c, p.DirectoryId, p.UserId),
    async handle(p, c) {
      const user = await userOf(c, p);
      const page = await listJoinedGroups(c.tx, user, pageRequest(p));
      const view = (g: (typeof page.items)[number]) => ({
        GroupId: g.id,
        GroupName: g.name,
        Description: g.description,
        ProvisionType: g.provision_type,
        UserId: user.id,
        JoinTime: apiTime(g.joined_at),
      });
      return pagedResponse('JoinedGroups', page, view, p.MaxResults);
    },
  }),
];
