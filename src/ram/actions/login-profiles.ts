import { apiTime } from '../../clock.js';
import { verifyPassword } from '../../crypto/passwords.js';
import { defaultDomainOfAccount } from '../../accounts/accounts.js';
import { defineAction, type ActionContext } from '../../openapi/define-action.js';
import { ApiError } from '../../errors.js';
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
import { byPrincipalName, byUserName, userAction } from './user-twins.js';
import { authorizeOn, principalNameParam, userName, userResource } from './users.js';

// Console logon settings of a RAM user (seed 003): IMS keyed by UserPrincipalName, RAM by UserName.

/** Length and content are judged by the password policy, so any failure is TooWeak. */
const password = <R extends boolean>(required: R, name = 'Password') => str({ required, max: 128, code: `InvalidParameter.${name}.TooWeak` });
const status = () => str({ enum: ['Active', 'Inactive'], code: 'InvalidParameter.Status' });

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

type ProfileParams = { Password?: string; PasswordResetRequired?: boolean; MFABindRequired?: boolean; Status?: string };
type ProfileView = (c: ActionContext, user: RamUser, profile: LoginProfile, withLastLogin: boolean) => Promise<object> | object;

const changesOf = (p: ProfileParams) => ({
  password: p.Password,
  passwordResetRequired: p.PasswordResetRequired,
  mfaBindRequired: p.MFABindRequired,
  status: p.Status as LoginProfile['status'] | undefined,
});

/** The logic both products share; they differ in the view (and RAM's UpdateLoginProfile answers nothing). */
const profileHandlers = (view: ProfileView) => ({
  create: async (user: RamUser, p: ProfileParams, c: ActionContext) => ({
    LoginProfile: await view(c, user, await createLoginProfile(c.tx, user, changesOf(p), c.clock.now()), false),
  }),
  get: async (user: RamUser, _p: unknown, c: ActionContext) => ({ LoginProfile: await view(c, user, await getLoginProfile(c.tx, user), true) }),
  update: async (user: RamUser, p: ProfileParams, c: ActionContext) => await updateLoginProfile(c.tx, user, changesOf(p), c.clock.now()),
  delete: async (user: RamUser, _p: unknown, c: ActionContext) => {
    await deleteLoginProfile(c.tx, user);
    return {};
  },
});

const ims = byPrincipalName(principalNameParam(true));
const imsHandlers = profileHandlers(imsView);

const imsActions = [
  userAction(ims, {
    name: 'CreateLoginProfile',
    ramAction: 'ram:CreateLoginProfile',
    params: { ...ims.params, Password: password(false), PasswordResetRequired: bool({ default: false }), MFABindRequired: bool({ default: false }), Status: status() },
    handle: imsHandlers.create,
  }),
  userAction(ims, { name: 'GetLoginProfile', ramAction: 'ram:GetLoginProfile', params: ims.params, handle: imsHandlers.get }),
  userAction(ims, {
    name: 'UpdateLoginProfile',
    ramAction: 'ram:UpdateLoginProfile',
    params: { ...ims.params, Password: password(false), PasswordResetRequired: bool(), MFABindRequired: bool(), Status: status() },
    handle: async (user, p, c) => ({ LoginProfile: await imsView(c, user, await imsHandlers.update(user, p, c), false) }),
  }),
  userAction(ims, { name: 'DeleteLoginProfile', ramAction: 'ram:DeleteLoginProfile', params: ims.params, handle: imsHandlers.delete }),
  defineAction({ product: 'ims', name: 'ChangePassword', params: changePasswordParams, handle: changeOwnPassword }),
];

const ram = byUserName(userName(true));
const ramHandlers = profileHandlers((_c, user, profile) => ramView(user, profile));

const ramActions = [
  userAction(ram, {
    name: 'CreateLoginProfile',
    ramAction: 'ram:CreateLoginProfile',
    params: { ...ram.params, Password: password(true), PasswordResetRequired: bool({ default: false }), MFABindRequired: bool({ default: false }) },
    handle: ramHandlers.create,
  }),
  userAction(ram, { name: 'GetLoginProfile', ramAction: 'ram:GetLoginProfile', params: ram.params, handle: ramHandlers.get }),
  userAction(ram, {
    name: 'UpdateLoginProfile',
    ramAction: 'ram:UpdateLoginProfile',
    params: { ...ram.params, Password: password(false), PasswordResetRequired: bool(), MFABindRequired: bool() },
    handle: async (user, p, c) => {
      await ramHandlers.update(user, p, c);
      return {};
    },
  }),
  userAction(ram, { name: 'DeleteLoginProfile', ramAction: 'ram:DeleteLoginProfile', params: ram.params, handle: ramHandlers.delete }),
  defineAction({ product: 'ram', name: 'ChangePassword', params: changePasswordParams, handle: changeOwnPassword }),
];

export const loginProfilesActions = [...imsActions, ...ramActions];
