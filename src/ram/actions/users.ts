import { apiTime } from '../../clock.js';
import { defineAction } from '../../openapi/define-action.js';
import { str } from '../../openapi/params.js';
import { createUser, getUserByName, type RamUser } from '../users.js';

export const USER_NAME = /^[A-Za-z0-9._-]+$/;
export const userName = <R extends boolean>(required: R) =>
  str({ required, min: 1, max: 64, pattern: USER_NAME, lengthCode: 'InvalidParameter.UserName.Length', charsCode: 'InvalidParameter.UserName.InvalidChars' });

export const userResource = (accountId: string, name: string): string => `acs:ram:*:${accountId}:user/${name}`;

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

export const userActions = [
  defineAction({
    product: 'ram',
    name: 'CreateUser',
    params: {
      UserName: userName(true),
      DisplayName: str({ min: 1, max: 128, lengthCode: 'InvalidParameter.DisplayName.Length' }),
      MobilePhone: str({ max: 32, pattern: /^\d{1,6}-\d{4,20}$/, code: 'InvalidParameter.MobilePhone.Format' }),
      Email: str({ max: 128, pattern: /^[^@\s]+@[^@\s]+$/, code: 'InvalidParameter.Email.Format' }),
      Comments: str({ max: 128, lengthCode: 'InvalidParameter.Comments.Length' }),
    },
    ramAction: 'ram:CreateUser',
    resource: (p, c) => userResource(c.accountId, p.UserName),
    async handle(p, c) {
      const user = await createUser(
        c.tx,
        c.accountId,
        { name: p.UserName, displayName: p.DisplayName, email: p.Email, mobilePhone: p.MobilePhone, comments: p.Comments },
        c.clock.now().toISOString(),
      );
      const { UpdateDate: _u, LastLoginDate: _l, ...view } = ramUserView(user);
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
];
