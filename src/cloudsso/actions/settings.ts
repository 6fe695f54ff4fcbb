import type { ActionDefinition } from '../../openapi/define-action.js';
import { defineAction } from '../../openapi/define-action.js';
import { invalidParameter } from '../../errors.js';
import { bool, int, str } from '../../openapi/params.js';
import { isoNow } from '../../clock.js';
import { directoryArn } from '../arns.js';
import { directoryId } from './params.js';
import { getDirectory, updateDirectorySettings, type Directory } from '../directories.js';
import { SOURCE_IDENTITY_PASSING, checkLoginNetworkMasks } from '../settings.js';

const STATUS = ['Enabled', 'Disabled'] as const;

function passwordPolicyView(d: Directory): Record<string, unknown> {
  return {
    MinPasswordLength: d.min_password_length,
    MaxPasswordLength: 32,
    MinPasswordDifferentChars: d.min_password_different_chars,
    PasswordNotContainUsername: d.password_not_contain_username === 1,
    MaxPasswordAge: d.max_password_age,
    HardExpire: false,
    PasswordReusePrevention: d.password_reuse_prevention,
    MaxLoginAttempts: d.max_login_attempts,
    RequireLowerCaseChars: true,
    RequireUpperCaseChars: true,
    RequireNumbers: true,
    RequireSymbols: true,
  };
}

const flag = (v: boolean | undefined): number | undefined => (v === undefined ? undefined : v ? 1 : 0);

export const settingsActions: ActionDefinition[] = [
  defineAction({
    product: 'cloudsso',
    name: 'SetLoginPreference',
    params: {
      DirectoryId: directoryId(),
      LoginNetworkMasks: str({ max: 2048, code: 'InvalidParameter.LoginNetworkMasks', keepEmpty: true }),
      AllowUserToGetCredentials: bool({ code: 'InvalidParameter.AllowUserToGetCredentials' }),
    },
    ramAction: 'cloudsso:SetLoginPreference',
    resource: (p, c) => directoryArn(c, p.DirectoryId),
    async handle(p, c) {
      // An empty LoginNetworkMasks clears the restriction; absent leaves it as it is.
      const masks = p.LoginNetworkMasks === undefined ? undefined : checkLoginNetworkMasks(p.LoginNetworkMasks);
      const directory = await getDirectory(c.tx, p.DirectoryId, c.accountId);
      await updateDirectorySettings(
        c.tx,
        directory,
        { login_network_masks: masks, allow_user_to_get_credentials: flag(p.AllowUserToGetCredentials) },
        isoNow(c.clock),
      );
      return {};
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'GetLoginPreference',
    params: { DirectoryId: directoryId() },
    ramAction: 'cloudsso:GetLoginPreference',
    resource: (p, c) => directoryArn(c, p.DirectoryId),
    async handle(p, c) {
      const d = await getDirectory(c.tx, p.DirectoryId, c.accountId);
      return { LoginPreference: { LoginNetworkMasks: d.login_network_masks, AllowUserToGetCredentials: d.allow_user_to_get_credentials === 1 } };
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'SetPasswordPolicy',
    params: {
      DirectoryId: directoryId(),
      MinPasswordLength: int({ min: 8, max: 32, code: 'InvalidParameter.MinPasswordLength' }),
      MinPasswordDifferentChars: int({ min: 0, max: 32, code: 'InvalidParameter.MinPasswordDifferentChars' }),
      PasswordNotContainUsername: bool({ code: 'InvalidParameter.PasswordNotContainUsername' }),
      MaxPasswordAge: int({ min: 1, max: 120, code: 'InvalidParameter.MaxPasswordAge' }),
      PasswordReusePrevention: int({ min: 0, max: 24, code: 'InvalidParameter.PasswordReusePrevention' }),
      MaxLoginAttempts: int({ min: 0, max: 32, code: 'InvalidParameter.MaxLoginAttempts' }),
    },
    ramAction: 'cloudsso:SetPasswordPolicy',
    resource: (p, c) => directoryArn(c, p.DirectoryId),
    async handle(p, c) {
      const d = await getDirectory(c.tx, p.DirectoryId, c.accountId);
      const minLength = p.MinPasswordLength ?? d.min_password_length;
      const minDifferent = p.MinPasswordDifferentChars ?? d.min_password_different_chars;
      if (minDifferent > minLength) {
        throw invalidParameter('MinPasswordDifferentChars', `it must not exceed MinPasswordLength (${minLength})`);
      }
      await updateDirectorySettings(
        c.tx,
        d,
        {
          min_password_length: p.MinPasswordLength,
          min_password_different_chars: p.MinPasswordDifferentChars,
          password_not_contain_username: flag(p.PasswordNotContainUsername),
          max_password_age: p.MaxPasswordAge,
          password_reuse_prevention: p.PasswordReusePrevention,
          max_login_attempts: p.MaxLoginAttempts,
        },
        isoNow(c.clock),
      );
      return {};
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'GetPasswordPolicy',
    params: { DirectoryId: directoryId() },
    ramAction: 'cloudsso:GetPasswordPolicy',
    resource: (p, c) => directoryArn(c, p.DirectoryId),
    async handle(p, c) {
      return { PasswordPolicy: passwordPolicyView(await getDirectory(c.tx, p.DirectoryId, c.accountId)) };
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'SetMFAAuthenticationStatus',
    params: { DirectoryId: directoryId(), MFAAuthenticationStatus: str({ required: true, enum: STATUS, code: 'InvalidParameter.MFAAuthenticationStatus' }) },
    ramAction: 'cloudsso:SetMFAAuthenticationStatus',
    resource: (p, c) => directoryArn(c, p.DirectoryId),
    async handle(p, c) {
      const d = await getDirectory(c.tx, p.DirectoryId, c.accountId);
      const status = p.MFAAuthenticationStatus as Directory['mfa_authentication_status'];
      // The older on/off switch and the newer three-way setting describe the same thing; keep them in step.
      const settings: Directory['mfa_authentication_settings'] =
        status === 'Disabled' ? 'Disabled' : d.mfa_authentication_settings === 'Disabled' ? 'Enabled' : d.mfa_authentication_settings;
      await updateDirectorySettings(c.tx, d, { mfa_authentication_status: status, mfa_authentication_settings: settings }, isoNow(c.clock));
      return {};
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'GetMFAAuthenticationStatus',
    params: { DirectoryId: directoryId() },
    ramAction: 'cloudsso:GetMFAAuthenticationStatus',
    resource: (p, c) => directoryArn(c, p.DirectoryId),
    async handle(p, c) {
      return { MFAAuthenticationStatus: (await getDirectory(c.tx, p.DirectoryId, c.accountId)).mfa_authentication_status };
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'UpdateMFAAuthenticationSettings',
    params: {
      DirectoryId: directoryId(),
      MFAAuthenticationSettings: str({ required: true, enum: ['Enabled', 'Byuser', 'Disabled'], code: 'InvalidParameter.MFAAuthenticationSettings' }),
      OperationForRiskLogin: str({ enum: ['Autonomous', 'EnforceVerify'], code: 'InvalidParameter.OperationForRiskLogin' }),
    },
    ramAction: 'cloudsso:UpdateMFAAuthenticationSettings',
    resource: (p, c) => directoryArn(c, p.DirectoryId),
    async handle(p, c) {
      const d = await getDirectory(c.tx, p.DirectoryId, c.accountId);
      const settings = p.MFAAuthenticationSettings as Directory['mfa_authentication_settings'];
      await updateDirectorySettings(
        c.tx,
        d,
        {
          mfa_authentication_settings: settings,
          mfa_authentication_status: settings === 'Disabled' ? 'Disabled' : 'Enabled',
          operation_for_risk_login: p.OperationForRiskLogin as Directory['operation_for_risk_login'] | undefined,
        },
        isoNow(c.clock),
      );
      return {};
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'GetMFAAuthenticationSettings',
    params: { DirectoryId: directoryId() },
    ramAction: 'cloudsso:GetMFAAuthenticationSettings',
    resource: (p, c) => directoryArn(c, p.DirectoryId),
    async handle(p, c) {
      return { MFAAuthenticationAdvanceSettings: (await getDirectory(c.tx, p.DirectoryId, c.accountId)).mfa_authentication_settings };
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'GetMFAAuthenticationSettingInfo',
    params: { DirectoryId: directoryId() },
    ramAction: 'cloudsso:GetMFAAuthenticationSettingInfo',
    resource: (p, c) => directoryArn(c, p.DirectoryId),
    async handle(p, c) {
      const d = await getDirectory(c.tx, p.DirectoryId, c.accountId);
      return {
        MFAAuthenticationSettingInfo: { MfaAuthenticationAdvanceSettings: d.mfa_authentication_settings, OperationForRiskLogin: d.operation_for_risk_login },
      };
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'UpdateAttributePassingSetting',
    params: {
      DirectoryId: directoryId(),
      // Absent leaves the setting as it is (the SDK marks it optional).
      SourceIdentityPassing: str({ enum: SOURCE_IDENTITY_PASSING, code: 'InvalidParameter.SourceIdentityPassing' }),
    },
    ramAction: 'cloudsso:UpdateAttributePassingSetting',
    resource: (p, c) => directoryArn(c, p.DirectoryId),
    async handle(p, c) {
      const d = await getDirectory(c.tx, p.DirectoryId, c.accountId);
      const passing = p.SourceIdentityPassing as Directory['source_identity_passing'] | undefined;
      await updateDirectorySettings(c.tx, d, { source_identity_passing: passing }, isoNow(c.clock));
      return {};
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'GetAttributePassingSetting',
    params: { DirectoryId: directoryId() },
    ramAction: 'cloudsso:GetAttributePassingSetting',
    resource: (p, c) => directoryArn(c, p.DirectoryId),
    async handle(p, c) {
      const d = await getDirectory(c.tx, p.DirectoryId, c.accountId);
      return { AttributePassingSetting: { SourceIdentityPassing: d.source_identity_passing } };
    },
  }),
];
