import { apiTime } from '../../clock.js';
import { verifyPassword } from '../../crypto/passwords.js';
import { defaultDomainOfAccount } from '../../directory/accounts.js';
import { defineAction, type ActionContext } from '../../openapi/define-action.js';
import { ApiError } from '../../openapi/errors.js';
import { bool, str } from '../../openapi/params.js';
import {
  changePassword,
  createLoginProfile,
  deleteLoginProfile,
  getLoginProfile,
  passwordRefused,
  passwordStatus,
  updateLoginProfile,
  type LoginProfile,
} from '../login-profiles.js';
import { getPasswordPolicy } from '../password-policy.js';
import { getSecurityPreference } from '../security-preference.js';
import { getUserByName, type RamUser } from '../users.js';
import { authorizeOn, nameOfPrincipalName, principalNameParam, userByPrincipalName, userName, userResource } from './users.js';

// Console logon settings of a RAM user (seed 003): IMS keyed by UserPrincipalName, RAM by UserName.

/** Length and content are judged by the password policy, so any failure is TooWeak. */
const password = <R extends boolean>(required: R, name = 'Password') => str({ required, max: 128, code: `InvalidParameter.${name}.TooWeak` });
const status = () => str({ enum: ['Active', 'Inactive'], code: 'InvalidParameter.Status' });

const upnResource = (p: { UserPrincipalName: string }, c: ActionContext): string => userResource(c.accountId, nameOfPrincipalName(p.UserPrincipalName));
const nameResource = (p: { UserName: string }, c: ActionContext): string => userResource(c.accountId, p.UserName);

async function imsView(c: ActionContext, user: RamUser, profile: LoginProfile, withLastLogin: boolean): Promise<Record<string, unknown>> {
  const policy = await getPasswordPolicy(c.tx, user.account_id);
  return {
    UserPrincipalName: `${user.name}@${await defaultDomainOfAccount(c.tx, user.account_id)}`,
    Status: profile.status,
    PasswordResetRequired: profile.password_reset_required === 1,
    MFABindRequired: profile.mfa_bind_required === 1,
    PasswordStatus: passwordStatus(profile, policy, c.clock.now()),
    UpdateDate: apiTime(profile.updated_at),
    ...(withLastLogin ? { LastLoginTime: apiTime(profile.last_login_at) } : {}),
  };
}

const ramView = (user: RamUser, profile: LoginProfile) => ({
  UserName: user.name,
  PasswordResetRequired: profile.password_reset_required === 1,
  MFABindRequired: profile.mfa_bind_required === 1,
  CreateDate: apiTime(profile.created_at),
});

/** ChangePassword: only a RAM user, for themself; allowed by AllowUserToChangePassword or a ram:ChangePassword grant. */
async function changeOwnPassword(p: { OldPassword: string; NewPassword: string }, c: ActionContext): Promise<object> {
  if (c.caller.kind !== 'user') throw new ApiError('NotSupport.Account', 400, 'This method can be only invoked by sub user.');
  const user = await getUserByName(c.tx, c.accountId, c.caller.userName);
  const preference = await getSecurityPreference(c.tx, c.accountId);
  if (!preference.allowUserToChangePassword) await authorizeOn(c, 'ram:ChangePassword', userResource(c.accountId, user.name));
  const profile = await getLoginProfile(c.tx, user);
  if (profile.password_hash === null || !(await verifyPassword(profile.password_hash, p.OldPassword))) {
    throw new ApiError('InvalidParameter.OldPassword.Incorrect', 400, 'The parameter "OldPassword" is incorrect.');
  }
  const result = await changePassword(c.tx, user, p.NewPassword, { by: 'self', now: c.clock.now() });
  if (!result.ok) throw passwordRefused('NewPassword', result);
  return {};
}

const changePasswordParams = { OldPassword: str({ required: true, max: 128 }), NewPassword: password(true, 'NewPassword') };

const imsActions = [
  defineAction({
    product: 'ims',
    name: 'CreateLoginProfile',
    params: {
      UserPrincipalName: principalNameParam(true),
      Password: password(false),
      PasswordResetRequired: bool({ default: false }),
      MFABindRequired: bool({ default: false }),
      Status: status(),
    },
    ramAction: 'ram:CreateLoginProfile',
    resource: upnResource,
    async handle(p, c) {
      const user = await userByPrincipalName(c, p.UserPrincipalName);
      const profile = await createLoginProfile(
        c.tx,
        user,
        { password: p.Password, passwordResetRequired: p.PasswordResetRequired, mfaBindRequired: p.MFABindRequired, status: p.Status as LoginProfile['status'] | undefined },
        c.clock.now(),
      );
      return { LoginProfile: await imsView(c, user, profile, false) };
    },
  }),
  defineAction({
    product: 'ims',
    name: 'GetLoginProfile',
    params: { UserPrincipalName: principalNameParam(true) },
    ramAction: 'ram:GetLoginProfile',
    resource: upnResource,
    async handle(p, c) {
      const user = await userByPrincipalName(c, p.UserPrincipalName);
      return { LoginProfile: await imsView(c, user, await getLoginProfile(c.tx, user), true) };
    },
  }),
  defineAction({
    product: 'ims',
    name: 'UpdateLoginProfile',
    params: {
      UserPrincipalName: principalNameParam(true),
      Password: password(false),
      PasswordResetRequired: bool(),
      MFABindRequired: bool(),
      Status: status(),
    },
    ramAction: 'ram:UpdateLoginProfile',
    resource: upnResource,
    async handle(p, c) {
      const user = await userByPrincipalName(c, p.UserPrincipalName);
      const profile = await updateLoginProfile(
        c.tx,
        user,
        { password: p.Password, passwordResetRequired: p.PasswordResetRequired, mfaBindRequired: p.MFABindRequired, status: p.Status as LoginProfile['status'] | undefined },
        c.clock.now(),
      );
      return { LoginProfile: await imsView(c, user, profile, false) };
    },
  }),
  defineAction({
    product: 'ims',
    name: 'DeleteLoginProfile',
    params: { UserPrincipalName: principalNameParam(true) },
    ramAction: 'ram:DeleteLoginProfile',
    resource: upnResource,
    async handle(p, c) {
      await deleteLoginProfile(c.tx, await userByPrincipalName(c, p.UserPrincipalName));
      return {};
    },
  }),
  defineAction({ product: 'ims', name: 'ChangePassword', params: changePasswordParams, handle: changeOwnPassword }),
];

const ramActions = [
  defineAction({
    product: 'ram',
    name: 'CreateLoginProfile',
    params: {
      UserName: userName(true),
      Password: password(true),
      PasswordResetRequired: bool({ default: false }),
      MFABindRequired: bool({ default: false }),
    },
    ramAction: 'ram:CreateLoginProfile',
    resource: nameResource,
    async handle(p, c) {
      const user = await getUserByName(c.tx, c.accountId, p.UserName);
      const profile = await createLoginProfile(
        c.tx,
        user,
        { password: p.Password, passwordResetRequired: p.PasswordResetRequired, mfaBindRequired: p.MFABindRequired },
        c.clock.now(),
      );
      return { LoginProfile: ramView(user, profile) };
    },
  }),
  defineAction({
    product: 'ram',
    name: 'GetLoginProfile',
    params: { UserName: userName(true) },
    ramAction: 'ram:GetLoginProfile',
    resource: nameResource,
    async handle(p, c) {
      const user = await getUserByName(c.tx, c.accountId, p.UserName);
      return { LoginProfile: ramView(user, await getLoginProfile(c.tx, user)) };
    },
  }),
  defineAction({
    product: 'ram',
    name: 'UpdateLoginProfile',
    params: { UserName: userName(true), Password: password(false), PasswordResetRequired: bool(), MFABindRequired: bool() },
    ramAction: 'ram:UpdateLoginProfile',
    resource: nameResource,
    async handle(p, c) {
      const user = await getUserByName(c.tx, c.accountId, p.UserName);
      await updateLoginProfile(
        c.tx,
        user,
        { password: p.Password, passwordResetRequired: p.PasswordResetRequired, mfaBindRequired: p.MFABindRequired },
        c.clock.now(),
      );
      return {};
    },
  }),
  defineAction({
    product: 'ram',
    name: 'DeleteLoginProfile',
    params: { UserName: userName(true) },
    ramAction: 'ram:DeleteLoginProfile',
    resource: nameResource,
    async handle(p, c) {
      await deleteLoginProfile(c.tx, await getUserByName(c.tx, c.accountId, p.UserName));
      return {};
    },
  }),
  defineAction({ product: 'ram', name: 'ChangePassword', params: changePasswordParams, handle: changeOwnPassword }),
];

export const loginProfilesActions = [...imsActions, ...ramActions];
