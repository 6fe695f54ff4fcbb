import { defineAction, type ActionContext } from '../../openapi/define-action.js';
import { invalidParameter } from '../../openapi/errors.js';
import { bool, int, str } from '../../openapi/params.js';
import { getPasswordPolicy, PASSWORD_POLICY_LIMITS as L, setPasswordPolicy, type PasswordPolicy } from '../password-policy.js';
import {
  getSecurityPreference,
  loginNetworkMasksProblem,
  MAX_IDLE_DAYS,
  MFA_OPERATIONS_FOR_LOGIN,
  OPERATIONS_FOR_RISK_LOGIN,
  setSecurityPreference,
  VERIFICATION_TYPES,
  type SecurityPreference,
} from '../security-preference.js';

// Account-wide password policy and security preference. Set* change only the fields given; the rest keep their value.

const accountResource = (_p: unknown, c: ActionContext): string => `acs:ram:*:${c.accountId}:*`;
const range = (name: keyof typeof L, param: string) => int({ ...L[name], code: `InvalidParameter.${param}.Range` });

/** IMS 2019-08-15 shape. */
const imsPolicyView = (p: PasswordPolicy) => ({
  MinimumPasswordLength: p.minimumPasswordLength,
  RequireLowercaseCharacters: p.requireLowercaseCharacters,
  RequireUppercaseCharacters: p.requireUppercaseCharacters,
  RequireNumbers: p.requireNumbers,
  RequireSymbols: p.requireSymbols,
  MinimumPasswordDifferentCharacter: p.minimumPasswordDifferentCharacter,
  PasswordNotContainUserName: p.passwordNotContainUserName,
  HardExpire: p.hardExpire,
  MaxPasswordAge: p.maxPasswordAge,
  PasswordReusePrevention: p.passwordReusePrevention,
  InitialPasswordAge: p.initialPasswordAge,
  MaxLoginAttemps: p.maxLoginAttempts, // sic, as the SDKs spell it
  InterceptRiskPasswordOnApi: p.interceptRiskPasswordOnApi,
});

/** RAM 2015-05-01 shape: HardExpiry, and none of the newer fields. */
const ramPolicyView = (p: PasswordPolicy) => ({
  MinimumPasswordLength: p.minimumPasswordLength,
  RequireLowercaseCharacters: p.requireLowercaseCharacters,
  RequireUppercaseCharacters: p.requireUppercaseCharacters,
  RequireNumbers: p.requireNumbers,
  RequireSymbols: p.requireSymbols,
  HardExpiry: p.hardExpire,
  MaxPasswordAge: p.maxPasswordAge,
  PasswordReusePrevention: p.passwordReusePrevention,
  MaxLoginAttemps: p.maxLoginAttempts,
});

const commonPolicyParams = {
  MinimumPasswordLength: range('minimumPasswordLength', 'MinimumPasswordLength'),
  RequireLowercaseCharacters: bool(),
  RequireUppercaseCharacters: bool(),
  RequireNumbers: bool(),
  RequireSymbols: bool(),
  MaxPasswordAge: range('maxPasswordAge', 'MaxPasswordAge'),
  PasswordReusePrevention: range('passwordReusePrevention', 'PasswordReusePrevention'),
  MaxLoginAttemps: range('maxLoginAttempts', 'MaxLoginAttemps'),
};

type CommonPolicyParams = {
  MinimumPasswordLength?: number;
  RequireLowercaseCharacters?: boolean;
  RequireUppercaseCharacters?: boolean;
  RequireNumbers?: boolean;
  RequireSymbols?: boolean;
  MaxPasswordAge?: number;
  PasswordReusePrevention?: number;
  MaxLoginAttemps?: number;
};

const commonPolicyChanges = (p: CommonPolicyParams): Partial<PasswordPolicy> => ({
  minimumPasswordLength: p.MinimumPasswordLength,
  requireLowercaseCharacters: p.RequireLowercaseCharacters,
  requireUppercaseCharacters: p.RequireUppercaseCharacters,
  requireNumbers: p.RequireNumbers,
  requireSymbols: p.RequireSymbols,
  maxPasswordAge: p.MaxPasswordAge,
  passwordReusePrevention: p.PasswordReusePrevention,
  maxLoginAttempts: p.MaxLoginAttemps,
});

const passwordPolicyActions = [
  defineAction({
    product: 'ims',
    name: 'GetPasswordPolicy',
    params: {},
    ramAction: 'ram:GetPasswordPolicy',
    resource: accountResource,
    async handle(_p, c) {
      return { PasswordPolicy: imsPolicyView(await getPasswordPolicy(c.tx, c.accountId)) };
    },
  }),
  defineAction({
    product: 'ims',
    name: 'SetPasswordPolicy',
    params: {
      ...commonPolicyParams,
      MinimumPasswordDifferentCharacter: range('minimumPasswordDifferentCharacter', 'MinimumPasswordDifferentCharacter'),
      PasswordNotContainUserName: bool(),
      HardExpire: bool(),
      InitialPasswordAge: range('initialPasswordAge', 'InitialPasswordAge'),
      InterceptRiskPasswordOnApi: bool(),
    },
    ramAction: 'ram:SetPasswordPolicy',
    resource: accountResource,
    async handle(p, c) {
      const policy = await setPasswordPolicy(
        c.tx,
        c.accountId,
        {
          ...commonPolicyChanges(p),
          minimumPasswordDifferentCharacter: p.MinimumPasswordDifferentCharacter,
          passwordNotContainUserName: p.PasswordNotContainUserName,
          hardExpire: p.HardExpire,
          initialPasswordAge: p.InitialPasswordAge,
          interceptRiskPasswordOnApi: p.InterceptRiskPasswordOnApi,
        },
        c.clock.now().toISOString(),
      );
      return { PasswordPolicy: imsPolicyView(policy) };
    },
  }),
  defineAction({
    product: 'ram',
    name: 'GetPasswordPolicy',
    params: {},
    ramAction: 'ram:GetPasswordPolicy',
    resource: accountResource,
    async handle(_p, c) {
      return { PasswordPolicy: ramPolicyView(await getPasswordPolicy(c.tx, c.accountId)) };
    },
  }),
  defineAction({
    product: 'ram',
    name: 'SetPasswordPolicy',
    params: { ...commonPolicyParams, HardExpiry: bool() },
    ramAction: 'ram:SetPasswordPolicy',
    resource: accountResource,
    async handle(p, c) {
      const policy = await setPasswordPolicy(c.tx, c.accountId, { ...commonPolicyChanges(p), hardExpire: p.HardExpiry }, c.clock.now().toISOString());
      return { PasswordPolicy: ramPolicyView(policy) };
    },
  }),
];

/** IMS groups the preference by area. */
const imsPreferenceView = (s: SecurityPreference) => ({
  LoginProfilePreference: {
    AllowUserToChangePassword: s.allowUserToChangePassword,
    AllowUserToLoginWithPasskey: s.allowUserToLoginWithPasskey,
    EnableSaveMFATicket: s.enableSaveMFATicket,
    LoginNetworkMasks: s.loginNetworkMasks,
    LoginSessionDuration: s.loginSessionDuration,
    MFAOperationForLogin: s.mfaOperationForLogin,
    OperationForRiskLogin: s.operationForRiskLogin,
  },
  AccessKeyPreference: {
    AllowUserToManageAccessKeys: s.allowUserToManageAccessKeys,
    AllowUserToManageServiceCredentials: s.allowUserToManageServiceCredentials,
  },
  MFAPreference: { AllowUserToManageMFADevices: s.allowUserToManageMFADevices },
  PersonalInfoPreference: { AllowUserToManagePersonalDingTalk: s.allowUserToManagePersonalDingTalk },
  MaxIdleDays: { MaxIdleDaysForAccessKeys: s.maxIdleDaysForAccessKeys, MaxIdleDaysForUsers: s.maxIdleDaysForUsers },
  VerificationPreference: { VerificationTypes: s.verificationTypes },
});

const ramPreferenceView = (s: SecurityPreference) => ({
  LoginProfilePreference: {
    AllowUserToChangePassword: s.allowUserToChangePassword,
    EnableSaveMFATicket: s.enableSaveMFATicket,
    LoginNetworkMasks: s.loginNetworkMasks,
    LoginSessionDuration: s.loginSessionDuration,
  },
  AccessKeyPreference: { AllowUserToManageAccessKeys: s.allowUserToManageAccessKeys },
  MFAPreference: { AllowUserToManageMFADevices: s.allowUserToManageMFADevices },
  PublicKeyPreference: { AllowUserToManagePublicKeys: s.allowUserToManagePublicKeys },
});

const commonPreferenceParams = {
  AllowUserToChangePassword: bool(),
  AllowUserToManageAccessKeys: bool(),
  AllowUserToManageMFADevices: bool(),
  EnableSaveMFATicket: bool(),
  LoginNetworkMasks: str({ max: 512 }),
  LoginSessionDuration: int({ min: 1, max: 24, code: 'InvalidParameter.LoginSessionDuration.Range' }),
};

/**
 * LoginNetworkMasks: an empty value clears the restriction (the parameter parser reads '' as "not given", so the raw
 * value decides); anything else must be IPv4 addresses or CIDRs separated by `;`.
 */
function loginNetworkMasks(parsed: string | undefined, c: ActionContext): string | undefined {
  if (parsed === undefined) return c.raw.LoginNetworkMasks === '' ? '' : undefined;
  const value = parsed.split(';').map((m) => m.trim()).join(';');
  const problem = loginNetworkMasksProblem(value);
  if (problem) throw invalidParameter('LoginNetworkMasks', problem);
  return value;
}

function verificationTypes(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    parsed = value.split(',').map((v) => v.trim());
  }
  const allowed: readonly string[] = VERIFICATION_TYPES;
  if (!Array.isArray(parsed) || !parsed.every((v) => typeof v === 'string' && allowed.includes(v))) {
    throw invalidParameter('VerificationTypes', `it must be a list of ${VERIFICATION_TYPES.join(', ')}`);
  }
  return [...new Set(parsed as string[])];
}

function maxIdleDays(value: number | undefined, param: string): number | undefined {
  if (value !== undefined && !(MAX_IDLE_DAYS as readonly number[]).includes(value)) {
    throw invalidParameter(param, `it must be one of ${MAX_IDLE_DAYS.join(', ')}`);
  }
  return value;
}

const securityPreferenceActions = [
  defineAction({
    product: 'ims',
    name: 'GetSecurityPreference',
    params: {},
    ramAction: 'ram:GetSecurityPreference',
    resource: accountResource,
    async handle(_p, c) {
      return { SecurityPreference: imsPreferenceView(await getSecurityPreference(c.tx, c.accountId)) };
    },
  }),
  defineAction({
    product: 'ims',
    name: 'SetSecurityPreference',
    params: {
      ...commonPreferenceParams,
      AllowUserToLoginWithPasskey: bool(),
      AllowUserToManagePersonalDingTalk: bool(),
      AllowUserToManageServiceCredentials: bool(),
      MFAOperationForLogin: str({ enum: MFA_OPERATIONS_FOR_LOGIN, code: 'InvalidParameter.MFAOperationForLogin' }),
      EnforceMFAForLogin: bool(), // older spelling of MFAOperationForLogin mandatory|independent
      OperationForRiskLogin: str({ enum: OPERATIONS_FOR_RISK_LOGIN, code: 'InvalidParameter.OperationForRiskLogin' }),
      MaxIdleDaysForAccessKeys: int({ code: 'InvalidParameter.MaxIdleDaysForAccessKeys' }),
      MaxIdleDaysForUsers: int({ code: 'InvalidParameter.MaxIdleDaysForUsers' }),
      VerificationTypes: str({ max: 256 }),
    },
    ramAction: 'ram:SetSecurityPreference',
    resource: accountResource,
    async handle(p, c) {
      const mfa = p.MFAOperationForLogin ?? (p.EnforceMFAForLogin === undefined ? undefined : p.EnforceMFAForLogin ? 'mandatory' : 'independent');
      const preference = await setSecurityPreference(
        c.tx,
        c.accountId,
        {
          allowUserToChangePassword: p.AllowUserToChangePassword,
          allowUserToLoginWithPasskey: p.AllowUserToLoginWithPasskey,
          allowUserToManageAccessKeys: p.AllowUserToManageAccessKeys,
          allowUserToManageMFADevices: p.AllowUserToManageMFADevices,
          allowUserToManagePersonalDingTalk: p.AllowUserToManagePersonalDingTalk,
          allowUserToManageServiceCredentials: p.AllowUserToManageServiceCredentials,
          enableSaveMFATicket: p.EnableSaveMFATicket,
          loginNetworkMasks: loginNetworkMasks(p.LoginNetworkMasks, c),
          loginSessionDuration: p.LoginSessionDuration,
          mfaOperationForLogin: mfa as SecurityPreference['mfaOperationForLogin'] | undefined,
          operationForRiskLogin: p.OperationForRiskLogin as SecurityPreference['operationForRiskLogin'] | undefined,
          maxIdleDaysForAccessKeys: maxIdleDays(p.MaxIdleDaysForAccessKeys, 'MaxIdleDaysForAccessKeys'),
          maxIdleDaysForUsers: maxIdleDays(p.MaxIdleDaysForUsers, 'MaxIdleDaysForUsers'),
          verificationTypes: verificationTypes(p.VerificationTypes),
        },
        c.clock.now().toISOString(),
      );
      return { SecurityPreference: imsPreferenceView(preference) };
    },
  }),
  defineAction({
    product: 'ram',
    name: 'GetSecurityPreference',
    params: {},
    ramAction: 'ram:GetSecurityPreference',
    resource: accountResource,
    async handle(_p, c) {
      return { SecurityPreference: ramPreferenceView(await getSecurityPreference(c.tx, c.accountId)) };
    },
  }),
  defineAction({
    product: 'ram',
    name: 'SetSecurityPreference',
    params: { ...commonPreferenceParams, AllowUserToManagePublicKeys: bool() },
    ramAction: 'ram:SetSecurityPreference',
    resource: accountResource,
    async handle(p, c) {
      const preference = await setSecurityPreference(
        c.tx,
        c.accountId,
        {
          allowUserToChangePassword: p.AllowUserToChangePassword,
          allowUserToManageAccessKeys: p.AllowUserToManageAccessKeys,
          allowUserToManageMFADevices: p.AllowUserToManageMFADevices,
          allowUserToManagePublicKeys: p.AllowUserToManagePublicKeys,
          enableSaveMFATicket: p.EnableSaveMFATicket,
          loginNetworkMasks: loginNetworkMasks(p.LoginNetworkMasks, c),
          loginSessionDuration: p.LoginSessionDuration,
        },
        c.clock.now().toISOString(),
      );
      return { SecurityPreference: ramPreferenceView(preference) };
    },
  }),
];

export const securityActions = [...passwordPolicyActions, ...securityPreferenceActions];
