import { apiTime } from '../../clock.js';
import { defaultDomainOfAccount } from '../../accounts/accounts.js';
import { defineAction, type ActionContext, type ActionDefinition } from '../../openapi/define-action.js';
import { naming, str, type ParamSpec, type ParamsOf } from '../../openapi/params.js';
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
  type MemberOfGroup,
  type RamGroup,
} from '../groups.js';
import { pageFields, pageRequest, pagingParams } from './paging-params.js';
import { userPrincipalName, type RamUser } from '../users.js';
import { principalNameParam, userName } from './users.js';
import { byPrincipalName, byUserName, userAction, type UserKey } from './user-twins.js';

export const GROUP_NAME = /^[A-Za-z0-9.-]+$/;
/** A `New…` name is a name to be, not a group already there, so it names no entity. */
const groupNameParam = <R extends boolean>(required: R, name = 'GroupName') => {
  const spec = str({ required, min: 1, max: 64, pattern: GROUP_NAME, lengthCode: `InvalidParameter.${name}.Length`, charsCode: `InvalidParameter.${name}.InvalidChars` });
  return name.startsWith('New') ? spec : naming(spec, 'group');
};
const commentsParam = (name = 'Comments') => str({ max: 128, lengthCode: `InvalidParameter.${name}.Length` });

export const groupResource = (accountId: string, name: string): string => `acs:ram:*:${accountId}:group/${name}`;
const allGroupsResource = (accountId: string): string => `acs:ram:*:${accountId}:group/*`;

// RAM 2015-05-01 and IMS 2019-08-15 serve the same groups: IMS adds a DisplayName and names users by
// UserPrincipalName. One declaration per action builds both twins.
type KeyParams = Record<string, ParamSpec<string>>;

interface Product<K extends KeyParams> {
  key: UserKey<K>;
  displayName: boolean;
  members(page: MemberOfGroup[], c: ActionContext): Promise<Record<string, unknown>[]>;
}

const ramGroups: Product<{ UserName: ParamSpec<string> }> = {
  key: byUserName(userName(true)),
  displayName: false,
  members: async (page) => page.map(({ user, joinedAt }) => ({ UserName: user.name, DisplayName: user.display_name, JoinDate: apiTime(joinedAt) })),
};

const imsGroups: Product<{ UserPrincipalName: ParamSpec<string> }> = {
  key: byPrincipalName(principalNameParam(true)),
  displayName: true,
  async members(page, c) {
    const domain = await defaultDomainOfAccount(c.tx, c.accountId);
    return page.map(({ user, joinedAt }) => ({
      UserId: user.id,
      UserPrincipalName: userPrincipalName(user, domain),
      DisplayName: user.display_name,
      JoinDate: apiTime(joinedAt),
    }));
  },
};

function groupView(group: RamGroup, product: { displayName: boolean }): Record<string, unknown> {
  return {
    GroupId: group.id,
    GroupName: group.name,
    ...(product.displayName ? { DisplayName: group.display_name || group.name } : {}),
    Comments: group.comments,
    CreateDate: apiTime(group.created_at),
    UpdateDate: apiTime(group.updated_at),
  };
}

const displayNameParam = (name: string) => str({ min: 1, max: 128, lengthCode: `InvalidParameter.${name}.Length` });

function groupsActionsOf<K extends KeyParams>(product: Product<K>): ActionDefinition[] {
  const { key } = product;
  const base = { product: key.product };
  const withDisplayName = (name: string) => (product.displayName ? { [name]: displayNameParam(name) } : {});
  const findUser = (p: object, c: ActionContext): Promise<RamUser> => key.find(p as ParamsOf<K>, c);
  return [
    defineAction({
      ...base,
      name: 'CreateGroup',
      params: { GroupName: groupNameParam(true), ...withDisplayName('DisplayName'), Comments: commentsParam() },
      ramAction: 'ram:CreateGroup',
      resource: (p, c) => groupResource(c.accountId, p.GroupName),
      async handle(p, c) {
        const displayName = (p as { DisplayName?: string }).DisplayName;
        const group = await createGroup(c.tx, c.accountId, { name: p.GroupName, displayName, comments: p.Comments }, c.clock.now().toISOString());
        const view = groupView(group, product);
        // RAM's answer has no UpdateDate yet; IMS's has both dates.
        if (!product.displayName) delete view.UpdateDate;
        return { Group: view };
      },
    }),
    defineAction({
      ...base,
      name: 'GetGroup',
      params: { GroupName: groupNameParam(true) },
      ramAction: 'ram:GetGroup',
      resource: (p, c) => groupResource(c.accountId, p.GroupName),
      async handle(p, c) {
        return { Group: groupView(await getGroupByName(c.tx, c.accountId, p.GroupName), product) };
      },
    }),
    defineAction({
      ...base,
      name: 'UpdateGroup',
      params: {
        GroupName: groupNameParam(true),
        NewGroupName: groupNameParam(false, 'NewGroupName'),
        ...withDisplayName('NewDisplayName'),
        NewComments: commentsParam('NewComments'),
      },
      ramAction: 'ram:UpdateGroup',
      resource: (p, c) => groupResource(c.accountId, p.GroupName),
      async handle(p, c) {
        const group = await getGroupByName(c.tx, c.accountId, p.GroupName);
        const changes = { name: p.NewGroupName, displayName: (p as { NewDisplayName?: string }).NewDisplayName, comments: p.NewComments };
        return { Group: groupView(await updateGroup(c.tx, group, changes, c.clock.now().toISOString()), product) };
      },
    }),
    defineAction({
      ...base,
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
      ...base,
      name: 'ListGroups',
      params: pagingParams(),
      ramAction: 'ram:ListGroups',
      resource: (_p, c) => allGroupsResource(c.accountId),
      async handle(p, c) {
        const page = await listGroups(c.tx, c.accountId, pageRequest(p));
        return { Groups: { Group: page.items.map((g) => groupView(g, product)) }, ...pageFields(page) };
      },
    }),
    ...(
      [
        ['AddUserToGroup', addUserToGroup],
        ['RemoveUserFromGroup', (tx, group, user) => removeUserFromGroup(tx, group, user)],
      ] as const satisfies ReadonlyArray<readonly [string, (tx: ActionContext['tx'], group: RamGroup, user: RamUser, now: string) => Promise<void>]>
    ).map(([name, change]) =>
      defineAction({
        ...base,
        name,
        params: { GroupName: groupNameParam(true), ...key.params },
        ramAction: `ram:${name}`,
        // K never holds GroupName; TypeScript cannot see that through the spread.
        resource: (p, c) => groupResource(c.accountId, p.GroupName as string),
        async handle(p, c) {
          const group = await getGroupByName(c.tx, c.accountId, p.GroupName as string);
          await change(c.tx, group, await findUser(p, c), c.clock.now().toISOString());
          return {};
        },
      }),
    ),
    userAction(key, {
      name: 'ListGroupsForUser',
      ramAction: 'ram:ListGroupsForUser',
      params: { ...key.params },
      async handle(user, _p, c) {
        const groups = await groupsOfUser(c.tx, user);
        return {
          Groups: {
            Group: groups.map(({ group, joinedAt }) => {
              const { CreateDate: _c, UpdateDate: _u, ...view } = groupView(group, product);
              return { ...view, JoinDate: apiTime(joinedAt) };
            }),
          },
        };
      },
    }),
    defineAction({
      ...base,
      name: 'ListUsersForGroup',
      params: { GroupName: groupNameParam(true), ...pagingParams() },
      ramAction: 'ram:ListUsersForGroup',
      resource: (p, c) => groupResource(c.accountId, p.GroupName),
      async handle(p, c) {
        const group = await getGroupByName(c.tx, c.accountId, p.GroupName);
        const page = await membersOfGroup(c.tx, group, pageRequest(p));
        return { Users: { User: await product.members(page.items, c) }, ...pageFields(page) };
      },
    }),
  ];
}

export const groupsActions = [...groupsActionsOf(ramGroups), ...groupsActionsOf(imsGroups)];
