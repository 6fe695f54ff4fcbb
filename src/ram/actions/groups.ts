import { apiTime } from '../../clock.js';
import { defineAction } from '../../openapi/define-action.js';
import { str } from '../../openapi/params.js';
import {
  addUserToGroup,
  createGroup,
  deleteGroup,
  getGroupByName,
  groupsOfUser,
  listGroups,
  membersOfGroup,
  removeUserFromGroup,
  updateGroup,
  type RamGroup,
} from '../groups.js';
import { decodeMarker, pageFields, pagingParams, toPage } from '../paging.js';
import { getUserByName } from '../users.js';
import { userName, userResource } from './users.js';

export const GROUP_NAME = /^[A-Za-z0-9.-]+$/;
const groupNameParam = <R extends boolean>(required: R, name = 'GroupName') =>
  str({ required, min: 1, max: 64, pattern: GROUP_NAME, lengthCode: `InvalidParameter.${name}.Length`, charsCode: `InvalidParameter.${name}.InvalidChars` });
const commentsParam = (name = 'Comments') => str({ max: 128, lengthCode: `InvalidParameter.${name}.Length` });

export const groupResource = (accountId: string, name: string): string => `acs:ram:*:${accountId}:group/${name}`;
const allGroupsResource = (accountId: string): string => `acs:ram:*:${accountId}:group/*`;

function groupView(group: RamGroup): Record<string, unknown> {
  return {
    GroupId: group.id,
    GroupName: group.name,
    Comments: group.comments,
    CreateDate: apiTime(group.created_at),
    UpdateDate: apiTime(group.updated_at),
  };
}

export const groupsActions = [
  defineAction({
    product: 'ram',
    name: 'CreateGroup',
    params: { GroupName: groupNameParam(true), Comments: commentsParam() },
    ramAction: 'ram:CreateGroup',
    resource: (p, c) => groupResource(c.accountId, p.GroupName),
    async handle(p, c) {
      const group = await createGroup(c.tx, c.accountId, { name: p.GroupName, comments: p.Comments }, c.clock.now().toISOString());
      const { UpdateDate: _u, ...view } = groupView(group);
      return { Group: view };
    },
  }),
  defineAction({
    product: 'ram',
    name: 'GetGroup',
    params: { GroupName: groupNameParam(true) },
    ramAction: 'ram:GetGroup',
    resource: (p, c) => groupResource(c.accountId, p.GroupName),
    async handle(p, c) {
      return { Group: groupView(await getGroupByName(c.tx, c.accountId, p.GroupName)) };
    },
  }),
  defineAction({
    product: 'ram',
    name: 'UpdateGroup',
    params: { GroupName: groupNameParam(true), NewGroupName: groupNameParam(false, 'NewGroupName'), NewComments: commentsParam('NewComments') },
    ramAction: 'ram:UpdateGroup',
    resource: (p, c) => groupResource(c.accountId, p.GroupName),
    async handle(p, c) {
      const group = await getGroupByName(c.tx, c.accountId, p.GroupName);
      const updated = await updateGroup(c.tx, group, { name: p.NewGroupName, comments: p.NewComments }, c.clock.now().toISOString());
      return { Group: groupView(updated) };
    },
  }),
  defineAction({
    product: 'ram',
    name: 'DeleteGroup',
    params: { GroupName: groupNameParam(true) },
    ramAction: 'ram:DeleteGroup',
    resource: (p, c) => groupResource(c.accountId, p.GroupName),
    async handle(p, c) {
      await deleteGroup(c.tx, await getGroupByName(c.tx, c.accountId, p.GroupName));
      return {};
    },
  }),
  defineAction({
    product: 'ram',
    name: 'ListGroups',
    params: pagingParams(),
    ramAction: 'ram:ListGroups',
    resource: (_p, c) => allGroupsResource(c.accountId),
    async handle(p, c) {
      const rows = await listGroups(c.tx, c.accountId, { after: decodeMarker(p.Marker), limit: p.MaxItems + 1 });
      const page = toPage(rows, p.MaxItems, (g) => g.name_key);
      return { Groups: { Group: page.items.map(groupView) }, ...pageFields(page) };
    },
  }),
  defineAction({
    product: 'ram',
    name: 'AddUserToGroup',
    params: { GroupName: groupNameParam(true), UserName: userName(true) },
    ramAction: 'ram:AddUserToGroup',
    resource: (p, c) => groupResource(c.accountId, p.GroupName),
    async handle(p, c) {
      const group = await getGroupByName(c.tx, c.accountId, p.GroupName);
      const user = await getUserByName(c.tx, c.accountId, p.UserName);
      await addUserToGroup(c.tx, group, user, c.clock.now().toISOString());
      return {};
    },
  }),
  defineAction({
    product: 'ram',
    name: 'RemoveUserFromGroup',
    params: { GroupName: groupNameParam(true), UserName: userName(true) },
    ramAction: 'ram:RemoveUserFromGroup',
    resource: (p, c) => groupResource(c.accountId, p.GroupName),
    async handle(p, c) {
      const group = await getGroupByName(c.tx, c.accountId, p.GroupName);
      const user = await getUserByName(c.tx, c.accountId, p.UserName);
      await removeUserFromGroup(c.tx, group, user);
      return {};
    },
  }),
  defineAction({
    product: 'ram',
    name: 'ListGroupsForUser',
    params: { UserName: userName(true) },
    ramAction: 'ram:ListGroupsForUser',
    resource: (p, c) => userResource(c.accountId, p.UserName),
    async handle(p, c) {
      const user = await getUserByName(c.tx, c.accountId, p.UserName);
      const groups = await groupsOfUser(c.tx, user);
      return {
        Groups: {
          Group: groups.map(({ group, joinedAt }) => ({ GroupId: group.id, GroupName: group.name, Comments: group.comments, JoinDate: apiTime(joinedAt) })),
        },
      };
    },
  }),
  defineAction({
    product: 'ram',
    name: 'ListUsersForGroup',
    params: { GroupName: groupNameParam(true), ...pagingParams() },
    ramAction: 'ram:ListUsersForGroup',
    resource: (p, c) => groupResource(c.accountId, p.GroupName),
    async handle(p, c) {
      const group = await getGroupByName(c.tx, c.accountId, p.GroupName);
      const rows = await membersOfGroup(c.tx, group, { after: decodeMarker(p.Marker), limit: p.MaxItems + 1 });
      const page = toPage(rows, p.MaxItems, (m) => m.user.name_key);
      return {
        Users: { User: page.items.map(({ user, joinedAt }) => ({ UserName: user.name, DisplayName: user.display_name, JoinDate: apiTime(joinedAt) })) },
        ...pageFields(page),
      };
    },
  }),
];
