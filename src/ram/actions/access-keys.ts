import { apiTime } from '../../clock.js';
import { defineAction, type ActionContext } from '../../openapi/define-action.js';
import { entityNotExist, missingParameter } from '../../errors.js';
import { str, type ParamSpec } from '../../openapi/params.js';
import {
  createAccessKey,
  deleteAccessKey,
  getAccessKey,
  listAccessKeys,
  setAccessKeyStatus,
  type AccessKey,
  type KeyOwner,
} from '../access-keys.js';
import { findUserById, getUserByName } from '../users.js';
import { allUsersResource, nameOfPrincipalName, principalNameParam, userByPrincipalName, userName, userResource } from './users.js';

// Without a user named, a key action is about the caller's own keys: a RAM user's, or the root identity's.

const accessKeyIdParam = () => str({ required: true, min: 1, max: 128, lengthCode: 'InvalidParameter.UserAccessKeyId.Length' });
const statusParam = () => str({ required: true, enum: ['Active', 'Inactive'], code: 'InvalidParameter.Status' });

function selfResource(c: ActionContext): string {
  if (c.caller.kind === 'user') return userResource(c.accountId, c.caller.userName);
  if (c.caller.kind === 'root') return `acs:ram:*:${c.accountId}:root`;
  return allUsersResource(c.accountId);
}

async function callerAsOwner(c: ActionContext, param: string): Promise<KeyOwner> {
  if (c.caller.kind === 'root') return { accountId: c.accountId, userId: null };
  if (c.caller.kind === 'user') {
    const user = await findUserById(c.tx, c.accountId, c.caller.userId);
    if (!user) throw entityNotExist('EntityNotExist.User', `user ${c.caller.userName}`);
    return { accountId: c.accountId, userId: user.id };
  }
  throw missingParameter(param); // a role session has no AccessKeys of its own
}

const ramOwner = async (c: ActionContext, name: string | undefined): Promise<KeyOwner> =>
  name === undefined ? callerAsOwner(c, 'UserName') : { accountId: c.accountId, userId: (await getUserByName(c.tx, c.accountId, name)).id };

const imsOwner = async (c: ActionContext, upn: string | undefined): Promise<KeyOwner> =>
  upn === undefined ? callerAsOwner(c, 'UserPrincipalName') : { accountId: c.accountId, userId: (await userByPrincipalName(c, upn)).id };

const ramResource = (name: string | undefined, c: ActionContext): string => (name === undefined ? selfResource(c) : userResource(c.accountId, name));
const imsResource = (upn: string | undefined, c: ActionContext): string =>
  upn === undefined ? selfResource(c) : userResource(c.accountId, nameOfPrincipalName(upn));

const keyView = (key: AccessKey): Record<string, unknown> => ({ AccessKeyId: key.id, Status: key.status, CreateDate: apiTime(key.created_at) });

/** The four key actions, once for RAM (by UserName) and once for IMS (by UserPrincipalName). */
function keyActions(product: 'ram' | 'ims') {
  const ram = product === 'ram';
  const who: Record<string, ParamSpec<string | undefined>> = ram ? { UserName: userName(false) } : { UserPrincipalName: principalNameParam(false) };
  type Who = Record<string, string | undefined>;
  const owner = (c: ActionContext, p: Who) => (ram ? ramOwner(c, p.UserName) : imsOwner(c, p.UserPrincipalName));
  const resource = (p: Who, c: ActionContext) => (ram ? ramResource(p.UserName, c) : imsResource(p.UserPrincipalName, c));
  return [
    defineAction({
      product,
      name: 'CreateAccessKey',
      params: { ...who },
      ramAction: 'ram:CreateAccessKey',
      resource,
      async handle(p, c) {
        const issued = await createAccessKey(c.tx, c.services.secrets, await owner(c, p), c.clock.now().toISOString());
        return { AccessKey: { AccessKeyId: issued.row.id, AccessKeySecret: issued.secret, Status: issued.row.status, CreateDate: apiTime(issued.row.created_at) } };
      },
    }),
    defineAction({
      product,
      name: 'ListAccessKeys',
      params: { ...who },
      ramAction: 'ram:ListAccessKeys',
      resource,
      async handle(p, c) {
        return { AccessKeys: { AccessKey: (await listAccessKeys(c.tx, await owner(c, p))).map(keyView) } };
      },
    }),
    defineAction({
      product,
      name: 'UpdateAccessKey',
      params: { ...who, UserAccessKeyId: accessKeyIdParam(), Status: statusParam() },
      ramAction: 'ram:UpdateAccessKey',
      resource,
      async handle(p, c) {
        await setAccessKeyStatus(c.tx, await owner(c, p), p.UserAccessKeyId, p.Status as AccessKey['status']);
        return {};
      },
    }),
    defineAction({
      product,
      name: 'DeleteAccessKey',
      params: { ...who, UserAccessKeyId: accessKeyIdParam() },
      ramAction: 'ram:DeleteAccessKey',
      resource,
      async handle(p, c) {
        await deleteAccessKey(c.tx, await owner(c, p), p.UserAccessKeyId);
        return {};
      },
    }),
  ];
}

export const accessKeysActions = [
  ...keyActions('ram'),
  ...keyActions('ims'),
  defineAction({
    product: 'ims',
    name: 'GetAccessKeyLastUsed',
    params: { UserPrincipalName: principalNameParam(false), UserAccessKeyId: accessKeyIdParam() },
    ramAction: 'ram:GetAccessKeyLastUsed',
    resource: (p, c) => imsResource(p.UserPrincipalName, c),
    async handle(p, c) {
      const key = await getAccessKey(c.tx, await imsOwner(c, p.UserPrincipalName), p.UserAccessKeyId);
      return { AccessKeyLastUsed: { LastUsedDate: apiTime(key.last_used_at) } };
    },
  }),
];
