import { defineAction, type ActionContext, type ActionDefinition } from '../../openapi/define-action.js';
import { invalidParameter } from '../../errors.js';
import { bool, int, str, type ParamSpec, type ParamsOf } from '../../openapi/params.js';
import type { Tx } from '../../store/db.js';
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

interface AccountSetting<T, S extends Record<string, ParamSpec<unknown>>> {
  product: 'ram' | 'ims';
  /** `PasswordPolicy` → GetPasswordPolicy / SetPasswordPolicy, authorized as ram:Get… / ram:Set…, answering { PasswordPolicy }. */
  setting: 'PasswordPolicy' | 'SecurityPreference';
  read: (tx: Tx, accountId: string) => Promise<T>;
  write: (tx: Tx, accountId: string, changes: Partial<T>, now: string) => Promise<T>;
  /** The product's response shape. */
  view: (value: T) => object;
  /** Set's parameters and the changes they make (absent fields keep their value). */
  params: S;
  changes: (p: ParamsOf<S>) => Partial<T>;
}

/** Get… and Set… of one account-wide setting in one product: the RAM and IMS twins differ only in params and view. */
function settingActions<T, S extends Record<string, ParamSpec<unknown>>>(d: AccountSetting<T, S>): ActionDefinition[] {
  return [
    defineAction({
      product: d.product,
      name: `Get${d.setting}`,
      params: {},
      ramAction: `ram:Get${d.setting}`,
      resource: accountResource,
      async handle(_p, c) {
        return { [d.setting]: d.view(await d.read(c.tx, c.accountId)) };
      },
    }),
    defineAction({
      product: d.product,
      name: `Set${d.setting}`,
      params: d.params,
      ramAction: `ram:Set${d.setting}`,
      resource: accountResource,
      async handle(p, c) {
        return { [d.setting]: d.view(await d.write(c.tx, c.accountId, d.changes(p), c.clock.now().toISOString())) };
      },
    }),
  ];
}
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

const commonPolicyChanges = (p: ParamsOf<typeof commonPolicyParams>): Partial<PasswordPolicy> => ({
  minimumPasswordLength: p.MinimumPasswordLength,
  requireLowercaseCharacters: p.RequireLowercaseCharacters,
  requireUppercaseCharacters: p.RequireUppercaseCharacters,
  requireNumbers: p.RequireNumbers,
  requireSymbols: p.RequireSymbols,
  maxPasswordAge: p.MaxPasswordAge,
  passwordReusePrevention: p.PasswordReusePrevention,
  maxLoginAttempts: p.MaxLoginAttemps,
});

const passwordPolicy = { setting: 'PasswordPolicy', read: getPasswordPolicy, write: setPasswordPolicy } as const;

const passwordPolicyActions = [
  ...settingActions({
    ...passwordPolicy,
    product: 'ims',
    view: imsPolicyView,
    params: {
      ...commonPolicyParams,
      MinimumPasswordDifferentCharacter: range('minimumPasswordDifferentCharacter', 'MinimumPasswordDifferentCharacter'),
      PasswordNotContainUserName: bool(),
      HardExpire: bool(),
      InitialPasswordAge: range('initialPasswordAge', 'InitialPasswordAge'),
      InterceptRiskPasswordOnApi: bool(),
    },
    changes: (p) => ({
      ...commonPolicyChanges(p),
      minimumPasswordDifferentCharacter: p.MinimumPasswordDifferentCharacter,
      passwordNotContainUserName: p.PasswordNotContainUserName,
      hardExpire: p.HardExpire,
      initialPasswordAge: p.InitialPasswordAge,
      interceptRiskPasswordOnApi: p.InterceptRiskPasswordOnApi,
    }),
  }),
  ...settingActions({
    ...passwordPolicy,
    product: 'ram',
    view: ramPolicyView,
    params: { ...commonPolicyParams, HardExpiry: bool() },
    changes: (p) => ({ ...commonPolicyChanges(p), hardExpire: p.HardExpiry }),
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
  LoginNetworkMasks: str({ max: 512, keepEmpty: true }),
  LoginSessionDuration: int({ min: 1, max: 24, code: 'InvalidParameter.LoginSessionDuration.Range' }),
};

const commonPreferenceChanges = (p: ParamsOf<typeof commonPreferenceParams>): Partial<SecurityPreference> => ({
  allowUserToChangePassword: p.AllowUserToChangePassword,
  allowUserToManageAccessKeys: p.AllowUserToManageAccessKeys,
  allowUserToManageMFADevices: p.AllowUserToManageMFADevices,
  enableSaveMFATicket: p.EnableSaveMFATicket,
  loginNetworkMasks: loginNetworkMasks(p.LoginNetworkMasks),
  loginSessionDuration: p.LoginSessionDuration,
});

/** LoginNetworkMasks: an empty value clears the restriction; anything else must be IPv4 addresses or CIDRs separated by `;`. */
function loginNetworkMasks(parsed: string | undefined): string | undefined {
  if (parsed === undefined) return undefined;
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

const securityPreference = { setting: 'SecurityPreference', read: getSecurityPreference, write: setSecurityPreference } as const;

const securityPreferenceActions = [
  ...settingActions({
    ...securityPreference,
    product: 'ims',
    view: imsPreferenceView,
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
    changes: (p) => {
      const mfa = p.MFAOperationForLogin ?? (p.EnforceMFAForLogin === undefined ? undefined : p.EnforceMFAForLogin ? 'mandatory' : 'independent');
      return {
        ...commonPreferenceChanges(p),
        allowUserToLoginWithPasskey: p.AllowUserToLoginWithPasskey,
        allowUserToManagePersonalDingTalk: p.AllowUserToManagePersonalDingTalk,
        allowUserToManageServiceCredentials: p.AllowUserToManageServiceCredentials,
        mfaOperationForLogin: mfa as SecurityPreference['mfaOperationForLogin'] | undefined,
        operationForRiskLogin: p.OperationForRiskLogin as SecurityPreference['operationForRiskLogin'] | undefined,
        maxIdleDaysForAccessKeys: maxIdleDays(p.MaxIdleDaysForAccessKeys, 'MaxIdleDaysForAccessKeys'),
        maxIdleDaysForUsers: maxIdleDays(p.MaxIdleDaysForUsers, 'MaxIdleDaysForUsers'),
        verificationTypes: verificationTypes(p.VerificationTypes),
      };
    },
  }),
  ...settingActions({
    ...securityPreference,
    product: 'ram',
    view: ramPreferenceView,
    params: { ...commonPreferenceParams, AllowUserToManagePublicKeys: bool() },
    changes: (p) => ({ ...commonPreferenceChanges(p), allowUserToManagePublicKeys: p.AllowUserToManagePublicKeys }),
  }),
];

export const securityActions = [...passwordPolicyActions, ...securityPreferenceActions];
