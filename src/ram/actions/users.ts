import { apiTime } from '../../clock.js';
import { defaultDomainOfAccount, isDomainOfAccount } from '../../accounts/accounts.js';
import { defineAction, type ActionContext } from '../../openapi/define-action.js';
import { ApiError, entityNotExist, invalidParameter, missingParameter } from '../../errors.js';
import { naming, str } from '../../openapi/params.js';
import { authorize } from '../authorization.js';
import { getUserByPrincipalName, principalNameParts } from '../upn.js';
import { principalType } from '../principal.js';
import { pageFields, pageRequest, pagingParams } from './paging-params.js';
import { addTags, tagsOf, type TagFilter } from '../../tags/store.js';
import { tagFilterList, tagList } from '../../openapi/tag-params.js';
import { tagsView } from './tags.js';
import {
  createUser,
  deleteUser,
  findUserById,
  getUserByName,
  listUsers,
  updateUser,
  userPrincipalName,
  type RamUser,
} from '../users.js';

export const USER_NAME = /^[A-Za-z0-9._-]+$/;
export const userName = <R extends boolean>(required: R) =>
  naming(
    str({ required, min: 1, max: 64, pattern: USER_NAME, lengthCode: 'InvalidParameter.UserName.Length', charsCode: 'InvalidParameter.UserName.InvalidChars' }),
    'user',
  );

/**
 * IMS `UserPrincipalName` (≤128). Its form, `<name>@<domain of this account>`, is checked against the account's domains.
 * A `New…` one is a name to be, not a user already there, so it names no entity.
 */
export const principalNameParam = <R extends boolean>(required: R, name = 'UserPrincipalName') => {
  const spec = str({ required, min: 1, max: 128, lengthCode: `InvalidParameter.${name}.Length` });
  return name.startsWith('New') ? spec : naming(spec, 'user-principal');
};

const displayName = (max: number, name = 'DisplayName') => str({ min: 1, max, lengthCode: `InvalidParameter.${name}.Length` });
const mobilePhone = (name = 'MobilePhone') => str({ max: 32, pattern: /^\d{1,6}-\d{4,20}$/, code: `InvalidParameter.${name}.Format` });
const email = (name = 'Email') => str({ max: 128, pattern: /^[^@\s]+@[^@\s]+$/, code: `InvalidParameter.${name}.Format` });
const comments = (name = 'Comments') => str({ max: 128, lengthCode: `InvalidParameter.${name}.Length` });

export const userResource = (accountId: string, name: string): string => `acs:ram:*:${accountId}:user/${name}`;
export const allUsersResource = (accountId: string): string => `acs:ram:*:${accountId}:user/*`;

/** The user-name part of a UserPrincipalName, for the resource ARN (the full form is checked in the handler). */
export const nameOfPrincipalName = (upn: string): string => {
  const at = upn.lastIndexOf('@');
  return at < 0 ? upn : upn.slice(0, at);
};

/** RAM 2015-05-01 shape of a user. */
export function ramUserView(user: RamUser): Record<string, unknown> {
  return {
    UserId: user.id,
    UserName: user.name,
    DisplayName: user.display_name,
    MobilePhone: user.mobile_phone,
    Email: user.email,
    Comments: user.comments,
    CreateDate: apiTime(user.created_at),
    UpdateDate: apiTime(user.updated_at),
    LastLoginDate: apiTime(user.last_login_at),
  };
}

/** A RAM user as CreateUser, UpdateUser and ListUsers show it: LastLoginDate is GetUser's alone. */
function ramUserWithoutLastLogin(user: RamUser): Record<string, unknown> {
  const { LastLoginDate: _l, ...view } = ramUserView(user);
  return view;
}

/** IMS 2019-08-15 shape of a user: named by UserPrincipalName on the account's default domain. */
export function imsUserView(user: RamUser, domain: string): Record<string, unknown> {
  return {
    UserId: user.id,
    UserPrincipalName: userPrincipalName(user, domain),
    DisplayName: user.display_name,
    MobilePhone: user.mobile_phone,
    Email: user.email,
    Comments: user.comments,
    ProvisionType: user.provision_type,
    CreateDate: apiTime(user.created_at),
    UpdateDate: apiTime(user.updated_at),
    LastLoginDate: apiTime(user.last_login_at),
  };
}

/**
 * Checks `action` on `resource` for the caller, as the gateway does, for handlers that only learn the resource
 * after a lookup (IMS addresses users by UserId or AccessKeyId too).
 */
export async function authorizeOn(c: ActionContext, action: string, resource: string): Promise<void> {
  const decision = await authorize(c.tx, c.caller, { action, resources: [resource], context: c.requestContext });
  if (decision.allowed) return;
  throw new ApiError('NoPermission', 403, `You are not authorized to do this action. Action: ${action}, Resource: ${decision.resource}`, {
    AuthAction: action,
    AuthPrincipalType: principalType(c.caller),
    AuthPrincipalOwnerId: c.caller.accountId,
    AuthPrincipalDisplayName: c.caller.arn,
    PolicyType: decision.policyType,
    NoPermissionType: decision.effect,
  });
}

/** A well-formed UserPrincipalName on one of this account's domains → its user-name part; 400 otherwise. */
export async function checkPrincipalName(c: ActionContext, upn: string, param = 'UserPrincipalName'): Promise<string> {
  const parts = principalNameParts(upn);
  if (!parts) throw invalidParameter(param, 'it must be <user name>@<default domain or domain alias>', `InvalidParameter.${param}.Format`);
  if (!(await isDomainOfAccount(c.tx, c.accountId, parts.domain))) {
    throw invalidParameter(param, `${parts.domain} is not a domain of this account`, `InvalidParameter.${param}.Domain`);
  }
  return parts.name;
}

/** The user a UserPrincipalName names: 404 EntityNotExist.User when the name or the domain is not this account's. */
export async function userByPrincipalName(c: ActionContext, upn: string): Promise<RamUser> {
  return getUserByPrincipalName(c.tx, c.accountId, upn);
}

/** IMS: the user named by UserPrincipalName or UserId (or the user an AccessKey belongs to), authorized for `action`. */
export async function resolveImsUser(
  c: ActionContext,
  action: string,
  by: { UserPrincipalName?: string; UserId?: string; UserAccessKeyId?: string },
): Promise<RamUser> {
  if (by.UserPrincipalName !== undefined) {
    await authorizeOn(c, action, userResource(c.accountId, nameOfPrincipalName(by.UserPrincipalName)));
    return userByPrincipalName(c, by.UserPrincipalName);
  }
  let user: RamUser | undefined;
  let what: string;
  if (by.UserId !== undefined) {
    user = await findUserById(c.tx, c.accountId, by.UserId);
    what = `user ${by.UserId}`;
  } else if (by.UserAccessKeyId !== undefined) {
    const key = await c.tx
      .selectFrom('access_keys')
      .select('user_id')
      .where('account_id', '=', c.accountId)
      .where('id', '=', by.UserAccessKeyId)
      .executeTakeFirst();
    user = key?.user_id ? await findUserById(c.tx, c.accountId, key.user_id) : undefined;
    what = `user of AccessKey ${by.UserAccessKeyId}`;
  } else {
    throw missingParameter('UserPrincipalName');
  }
  // Unknown ids are authorized against every user, so a caller without rights learns nothing from a 404.
  await authorizeOn(c, action, user ? userResource(c.accountId, user.name) : allUsersResource(c.accountId));
  if (!user) throw entityNotExist('EntityNotExist.User', what);
  return user;
}

const now = (c: ActionContext): string => c.clock.now().toISOString();

/** One Marker/MaxItems page of the account's users, in name order. */
async function usersPage(c: ActionContext, p: { Marker?: string; MaxItems: number }, tags?: TagFilter[]) {
  return listUsers(c.tx, c.accountId, { tags }, pageRequest(p));
}

/** An IMS list of the account's users: `Users: { User: [...] }`-style wrapper, each user shown with the default domain. */
const imsUserList = (wrapper: string, item: string, view: (u: RamUser, domain: string) => unknown) =>
  async (p: { Marker?: string; MaxItems: number }, c: ActionContext) => {
    const page = await usersPage(c, p);
    const domain = await defaultDomainOfAccount(c.tx, c.accountId);
    return { [wrapper]: { [item]: page.items.map((u) => view(u, domain)) }, ...pageFields(page) };
  };

const ramUsers = [
  defineAction({
    product: 'ram',
    name: 'CreateUser',
    params: { UserName: userName(true), DisplayName: displayName(128), MobilePhone: mobilePhone(), Email: email(), Comments: comments() },
    ramAction: 'ram:CreateUser',
    resource: (p, c) => userResource(c.accountId, p.UserName),
    async handle(p, c) {
      const user = await createUser(
        c.tx,
        c.accountId,
        { name: p.UserName, displayName: p.DisplayName, email: p.Email, mobilePhone: p.MobilePhone, comments: p.Comments },
        now(c),
      );
      const { UpdateDate: _u, ...view } = ramUserWithoutLastLogin(user);
      return { User: view };
    },
  }),
  defineAction({
    product: 'ram',
    name: 'GetUser',
    params: { UserName: userName(true) },
    ramAction: 'ram:GetUser',
    resource: (p, c) => userResource(c.accountId, p.UserName),
    async handle(p, c) {
      return { User: ramUserView(await getUserByName(c.tx, c.accountId, p.UserName)) };
    },
  }),
  defineAction({
    product: 'ram',
    name: 'UpdateUser',
    params: {
      UserName: userName(true),
      NewUserName: str({ min: 1, max: 64, pattern: USER_NAME, lengthCode: 'InvalidParameter.NewUserName.Length', charsCode: 'InvalidParameter.NewUserName.InvalidChars' }),
      NewDisplayName: displayName(128, 'NewDisplayName'),
      NewMobilePhone: mobilePhone('NewMobilePhone'),
      NewEmail: email('NewEmail'),
      NewComments: comments('NewComments'),
    },
    ramAction: 'ram:UpdateUser',
    resource: (p, c) => userResource(c.accountId, p.UserName),
    async handle(p, c) {
      const user = await getUserByName(c.tx, c.accountId, p.UserName);
      const updated = await updateUser(
        c.tx,
        user,
        { name: p.NewUserName, displayName: p.NewDisplayName, mobilePhone: p.NewMobilePhone, email: p.NewEmail, comments: p.NewComments },
        now(c),
      );
      return { User: ramUserWithoutLastLogin(updated) };
    },
  }),
  defineAction({
    product: 'ram',
    name: 'DeleteUser',
    params: { UserName: userName(true) },
    ramAction: 'ram:DeleteUser',
    resource: (p, c) => userResource(c.accountId, p.UserName),
    async handle(p, c) {
      await deleteUser(c.tx, await getUserByName(c.tx, c.accountId, p.UserName), { refuse: ['AccessKey', 'Group', 'Policy'] });
      return {};
    },
  }),
  defineAction({
    product: 'ram',
    name: 'ListUsers',
    params: pagingParams(),
    ramAction: 'ram:ListUsers',
    resource: (_p, c) => allUsersResource(c.accountId),
    async handle(p, c) {
      const page = await usersPage(c, p);
      return {
        Users: { User: page.items.map(ramUserWithoutLastLogin) },
        ...pageFields(page),
      };
    },
  }),
];

const imsUsers = [
  defineAction({
    product: 'ims',
    name: 'CreateUser',
    params: {
      UserPrincipalName: principalNameParam(true),
      DisplayName: str({ required: true, min: 1, max: 24, lengthCode: 'InvalidParameter.DisplayName.Length' }),
      MobilePhone: mobilePhone(),
      Email: email(),
      Comments: comments(),
      Tag: tagList(),
    },
    ramAction: 'ram:CreateUser',
    resource: (p, c) => userResource(c.accountId, nameOfPrincipalName(p.UserPrincipalName)),
    async handle(p, c) {
      const name = await checkPrincipalName(c, p.UserPrincipalName);
      const user = await createUser(
        c.tx,
        c.accountId,
        { name, displayName: p.DisplayName, email: p.Email, mobilePhone: p.MobilePhone, comments: p.Comments },
        now(c),
      );
      await addTags(c.tx, c.accountId, 'user', user.id, p.Tag);
      const tags = await tagsOf(c.tx, c.accountId, 'user', [user.id]);
      return { User: { ...imsUserView(user, await defaultDomainOfAccount(c.tx, c.accountId)), ...tagsView(tags.get(user.id)) } };
    },
  }),
  defineAction({
    product: 'ims',
    name: 'GetUser',
    params: { UserPrincipalName: principalNameParam(false), UserId: str({ max: 64 }), UserAccessKeyId: str({ max: 128 }) },
    async handle(p, c) {
      const user = await resolveImsUser(c, 'ram:GetUser', p);
      const tags = await tagsOf(c.tx, c.accountId, 'user', [user.id]);
      return { User: { ...imsUserView(user, await defaultDomainOfAccount(c.tx, c.accountId)), UserName: user.name, ...tagsView(tags.get(user.id)) } };
    },
  }),
  defineAction({
    product: 'ims',
    name: 'UpdateUser',
    params: {
      UserPrincipalName: principalNameParam(false),
      UserId: str({ max: 64 }),
      NewUserPrincipalName: principalNameParam(false, 'NewUserPrincipalName'),
      NewDisplayName: displayName(24, 'NewDisplayName'),
      NewMobilePhone: mobilePhone('NewMobilePhone'),
      NewEmail: email('NewEmail'),
      NewComments: comments('NewComments'),
    },
    async handle(p, c) {
      const user = await resolveImsUser(c, 'ram:UpdateUser', p);
      const newName = p.NewUserPrincipalName === undefined ? undefined : await checkPrincipalName(c, p.NewUserPrincipalName, 'NewUserPrincipalName');
      const updated = await updateUser(
        c.tx,
        user,
        { name: newName, displayName: p.NewDisplayName, mobilePhone: p.NewMobilePhone, email: p.NewEmail, comments: p.NewComments },
        now(c),
      );
      return { User: imsUserView(updated, await defaultDomainOfAccount(c.tx, c.accountId)) };
    },
  }),
  defineAction({
    product: 'ims',
    name: 'DeleteUser',
    params: { UserPrincipalName: principalNameParam(false), UserId: str({ max: 64 }) },
    async handle(p, c) {
      const user = await resolveImsUser(c, 'ram:DeleteUser', p);
      // IMS deletes the user with its AccessKeys (the console's way); groups and policies must be let go first.
      await deleteUser(c.tx, user, { refuse: ['Group', 'Policy'] });
      return {};
    },
  }),
  defineAction({
    product: 'ims',
    name: 'ListUsers',
    params: { ...pagingParams(), Tag: tagFilterList() },
    ramAction: 'ram:ListUsers',
    resource: (_p, c) => allUsersResource(c.accountId),
    async handle(p, c) {
      const page = await usersPage(c, p, p.Tag);
      const domain = await defaultDomainOfAccount(c.tx, c.accountId);
      const tags = await tagsOf(c.tx, c.accountId, 'user', page.items.map((u) => u.id));
      return { Users: { User: page.items.map((u) => ({ ...imsUserView(u, domain), ...tagsView(tags.get(u.id)) })) }, ...pageFields(page) };
    },
  }),
  defineAction({
    product: 'ims',
    name: 'ListUserBasicInfos',
    params: pagingParams(),
    ramAction: 'ram:ListUserBasicInfos',
    resource: (_p, c) => allUsersResource(c.accountId),
    handle: imsUserList('UserBasicInfos', 'UserBasicInfo', (u, domain) => ({
      UserId: u.id,
      UserPrincipalName: userPrincipalName(u, domain),
      DisplayName: u.display_name,
    })),
  }),
];

export const userActions = [...ramUsers, ...imsUsers];
