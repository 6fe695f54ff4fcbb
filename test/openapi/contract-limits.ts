// Parameter limits as the contract states them: /work/shared/spec/api-contract.md ("§") and the seed texts.
// Written from those texts, never from src/: test/openapi/contract-limits.test.ts holds every declaration to this table.
//
// Rules used to write it:
// - A limit is here only where the contract or a seed states it. A `New<Param>` of an Update action sets the same
//   field as `<Param>` of the Create action, so it carries the same limit (e.g. UpdateUser NewFirstName ≤64).
// - Lengths are in characters; `min` is left out when the contract only says "≤N" (an empty value reads as absent).
// - `chars` is the character class the contract allows, as a RegExp class body; `refused` lists values that use
//   only allowed characters but break a further rule the contract states (no edge or double `-`, ...).
// - Codes: CloudSSO documents no InvalidParameter names; §1.6 suggests `InvalidParameter.<Param>` (400).
//   RAM documents `InvalidParameter.{UserName,DisplayName,GroupName,PolicyName}.{InvalidChars,Length}` (§2, RAM
//   error codes); its other names follow that pattern (`.Range` for a number out of range). Others: §5 convention.
import type { Product } from '../../src/openapi/define-action.js';

export interface ContractLimit {
  product: Product;
  action: string;
  param: string;
  kind: 'string' | 'integer';
  /** Length (string) or value (integer). */
  min?: number;
  max?: number;
  chars?: string;
  refused?: readonly string[];
  enum?: readonly string[];
  /** Code for a value out of range, outside the enumeration or with a character not allowed. */
  code: string;
  /** Code for a length violation, where it differs from `code` (RAM). */
  lengthCode?: string;
  /** Code for a character not allowed, where it differs from `code` (RAM). */
  charsCode?: string;
  source: string;
}

type Facts = Omit<ContractLimit, 'product' | 'action' | 'param' | 'code' | 'source'> & { code?: string };

/** One row per action taking `param` with the same limit. */
function rows(product: Product, actions: readonly string[], param: string, facts: Facts, source: string): ContractLimit[] {
  return actions.map((action) => ({ product, action, param, code: facts.code ?? `InvalidParameter.${param}`, ...facts, source }));
}

/** `rows` for a parameter and its `New<Param>` twin on the Update action. */
function field(product: Product, create: string, update: string, param: string, facts: Facts, source: string): ContractLimit[] {
  return [...rows(product, [create], param, facts, source), ...rows(product, [update], `New${param}`, facts, source)];
}

const text = (max: number): Facts => ({ kind: 'string', max });
const range = (min: number, max: number): Facts => ({ kind: 'integer', min, max });
const oneOf = (...values: string[]): Facts => ({ kind: 'string', enum: values });

/** RAM-style codes: `InvalidParameter.<Param>.Length` / `.InvalidChars` / `.Range`. */
const ramText = (param: string, facts: Facts): Facts => ({
  ...facts,
  code: `InvalidParameter.${param}.InvalidChars`,
  lengthCode: `InvalidParameter.${param}.Length`,
  ...(facts.chars ? { charsCode: `InvalidParameter.${param}.InvalidChars` } : {}),
});
const ramRange = (param: string, min: number, max: number): Facts => ({ ...range(min, max), code: `InvalidParameter.${param}.Range` });

const ENABLED = ['Enabled', 'Disabled'];

export const CONTRACT_LIMITS: readonly ContractLimit[] = [
  // §1.5.1 CreateDirectory: DirectoryName 2–64 [a-z0-9-], no edge or double `-`, not `d-…`; UpdateDirectory renames it.
  ...field('cloudsso', 'CreateDirectory', 'UpdateDirectory', 'DirectoryName', { kind: 'string', min: 2, max: 64, chars: 'a-z0-9-', refused: ['-ab', 'ab-', 'a--b', 'd-ab'] }, '§1.5.1'),

  // §1.5.2 CreateUser (and §1.5.4 UpdateUser's New* of the same fields), §1.5.3 ListUsers filters.
  ...rows('cloudsso', ['CreateUser'], 'UserName', { kind: 'string', max: 64, chars: 'A-Za-z0-9@_.-' }, '§1.5.2'),
  ...field('cloudsso', 'CreateUser', 'UpdateUser', 'FirstName', text(64), '§1.5.2'),
  ...field('cloudsso', 'CreateUser', 'UpdateUser', 'LastName', text(64), '§1.5.2'),
  ...field('cloudsso', 'CreateUser', 'UpdateUser', 'DisplayName', text(256), '§1.5.2'),
  ...field('cloudsso', 'CreateUser', 'UpdateUser', 'Description', text(1024), '§1.5.2'),
  ...field('cloudsso', 'CreateUser', 'UpdateUser', 'Email', text(128), '§1.5.2'),
  ...rows('cloudsso', ['CreateUser', 'ListUsers'], 'Status', oneOf(...ENABLED), '§1.5.2, §1.5.3'),
  ...rows('cloudsso', ['UpdateUserStatus'], 'NewStatus', oneOf(...ENABLED), '§1.5.4'),
  ...rows('cloudsso', ['ListUsers', 'ListGroups'], 'ProvisionType', oneOf('Manual', 'Synchronized'), '§1.5.2, §1.5.6'),

  // §1.5.5 ResetUserPassword: Password 8–32.
  ...rows('cloudsso', ['ResetUserPassword'], 'Password', { kind: 'string', min: 8, max: 32 }, '§1.5.5'),

  // §1.5.6 CreateGroup: GroupName ≤128 [A-Za-z0-9_.-], Description ≤1024; UpdateGroup sets the same fields.
  ...field('cloudsso', 'CreateGroup', 'UpdateGroup', 'GroupName', { kind: 'string', max: 128, chars: 'A-Za-z0-9_.-' }, '§1.5.6'),
  ...field('cloudsso', 'CreateGroup', 'UpdateGroup', 'Description', text(1024), '§1.5.6'),

  // §1.5.8 CreateAccessConfiguration; seed 004 (UpdateAccessConfiguration): NewDescription ≤1,024, NewSessionDuration 900–43200.
  ...rows('cloudsso', ['CreateAccessConfiguration'], 'AccessConfigurationName', { kind: 'string', max: 32, chars: 'A-Za-z0-9-' }, '§1.5.8'),
  ...field('cloudsso', 'CreateAccessConfiguration', 'UpdateAccessConfiguration', 'Description', text(1024), '§1.5.8, seed 004'),
  ...field('cloudsso', 'CreateAccessConfiguration', 'UpdateAccessConfiguration', 'SessionDuration', range(900, 43200), '§1.5.8, seed 004'),
  ...rows('cloudsso', ['ListAccessConfigurations'], 'StatusNotifications', oneOf('ReprovisionRequired'), '§1.5.9, §1.4'),

  // §1.5.10 permission policies: System|Inline; the inline document ≤4096 (UpdateInline… replaces that document).
  ...rows('cloudsso', ['AddPermissionPolicyToAccessConfiguration', 'RemovePermissionPolicyFromAccessConfiguration'], 'PermissionPolicyType', oneOf('System', 'Inline'), '§1.5.10'),
  ...rows('cloudsso', ['AddPermissionPolicyToAccessConfiguration'], 'InlinePolicyDocument', text(4096), '§1.5.10'),
  ...rows('cloudsso', ['UpdateInlinePolicyForAccessConfiguration'], 'NewInlinePolicyDocument', text(4096), '§1.5.10'),

  // §1.5.11–14: TargetType RD-Account, PrincipalType User|Group, DeprovisionStrategy; task filters from the Task shape (§1.4).
  ...rows(
    'cloudsso',
    ['ProvisionAccessConfiguration', 'DeprovisionAccessConfiguration', 'CreateAccessAssignment', 'DeleteAccessAssignment', 'ListAccessAssignments', 'ListTasks', 'CreateUserProvisioning'],
    'TargetType',
    oneOf('RD-Account'),
    '§1.5.11–14, §1.5.21',
  ),
  ...rows('cloudsso', ['CreateAccessAssignment', 'DeleteAccessAssignment', 'ListAccessAssignments', 'ListTasks', 'CreateUserProvisioning'], 'PrincipalType', oneOf('User', 'Group'), '§1.5.12–14, §1.5.21'),
  ...rows('cloudsso', ['DeleteAccessAssignment'], 'DeprovisionStrategy', oneOf('None', 'DeprovisionForLastAccessAssignmentOnAccount'), '§1.5.12'),
  ...rows('cloudsso', ['ListTasks'], 'Status', oneOf('InProgress', 'Success', 'Failed'), '§1.4, §1.5.14'),
  ...rows('cloudsso', ['ListTasks'], 'TaskType', oneOf('ProvisionAccessConfiguration', 'DeprovisionAccessConfiguration', 'CreateAccessAssignment', 'DeleteAccessAssignment'), '§1.4, §1.5.14'),

  // §1.4 paging: MaxResults 1–100, or 1–20 for assignments, tasks and provisionings.
  ...rows('cloudsso', ['ListUsers', 'ListGroups', 'ListGroupMembers', 'ListJoinedGroupsForUser', 'ListAccessConfigurations'], 'MaxResults', range(1, 100), '§1.4'),
  ...rows('cloudsso', ['ListAccessAssignments', 'ListTasks', 'ListAccessConfigurationProvisionings'], 'MaxResults', range(1, 20), '§1.4'),

  // §1.5.15, 17, 19 and §1.2: SAML, SCIM, MFA and attribute passing switches.
  ...rows('cloudsso', ['SetExternalSAMLIdentityProvider'], 'SSOStatus', oneOf(...ENABLED), '§1.5.15'),
  ...rows('cloudsso', ['SetExternalSAMLIdentityProvider'], 'BindingType', oneOf('Post', 'Redirect'), '§1.5.15'),
  ...rows('cloudsso', ['SetSCIMSynchronizationStatus'], 'SCIMSynchronizationStatus', oneOf(...ENABLED), '§1.5.17'),
  ...rows('cloudsso', ['SetMFAAuthenticationStatus'], 'MFAAuthenticationStatus', oneOf(...ENABLED), '§1.5.19'),
  ...rows('cloudsso', ['UpdateMFAAuthenticationSettings'], 'MFAAuthenticationSettings', oneOf('Enabled', 'Byuser', 'Disabled'), '§1.5.19'),
  ...rows('cloudsso', ['UpdateMFAAuthenticationSettings'], 'OperationForRiskLogin', oneOf('Autonomous', 'EnforceVerify'), '§1.5.19'),
  ...rows('cloudsso', ['UpdateAttributePassingSetting'], 'SourceIdentityPassing', oneOf('IdP', 'UserName', 'Disabled'), '§1.2'),

  // §1.5.20 SetPasswordPolicy. MinPasswordDifferentChars is 0..MinPasswordLength, so at most 32.
  ...rows('cloudsso', ['SetPasswordPolicy'], 'MinPasswordLength', range(8, 32), '§1.5.20'),
  ...rows('cloudsso', ['SetPasswordPolicy'], 'MinPasswordDifferentChars', range(0, 32), '§1.5.20'),
  ...rows('cloudsso', ['SetPasswordPolicy'], 'MaxPasswordAge', range(1, 120), '§1.5.20'),
  ...rows('cloudsso', ['SetPasswordPolicy'], 'PasswordReusePrevention', range(0, 24), '§1.5.20'),
  ...rows('cloudsso', ['SetPasswordPolicy'], 'MaxLoginAttempts', range(0, 32), '§1.5.20'),

  // §1.5.21 CreateUserProvisioning strategies (UpdateUserProvisioning's New* set the same fields).
  ...field('cloudsso', 'CreateUserProvisioning', 'UpdateUserProvisioning', 'DeletionStrategy', oneOf('Delete', 'Keep'), '§1.5.21'),
  ...field('cloudsso', 'CreateUserProvisioning', 'UpdateUserProvisioning', 'DuplicationStrategy', oneOf('KeepBoth', 'TakeOver'), '§1.5.21'),

  // §2 RAM CreateUser: UserName ≤64 (its characters are the UPN name part's, §2 IMS CreateUser), DisplayName ≤128.
  ...rows('ram', ['CreateUser'], 'UserName', ramText('UserName', { kind: 'string', max: 64, chars: 'A-Za-z0-9._-' }), '§2 RAM CreateUser, IMS CreateUser'),
  ...rows('ram', ['UpdateUser'], 'NewUserName', ramText('NewUserName', { kind: 'string', max: 64, chars: 'A-Za-z0-9._-' }), '§2 RAM CreateUser'),
  ...rows('ram', ['CreateUser'], 'DisplayName', ramText('DisplayName', text(128)), '§2 RAM CreateUser'),
  ...rows('ram', ['UpdateUser'], 'NewDisplayName', ramText('NewDisplayName', text(128)), '§2 RAM CreateUser'),

  // §2 IMS CreateUser: UserPrincipalName ≤128 (the name part, ≤64 [A-Za-z0-9._-], is checked against the account's
  // domains by the handler), DisplayName ≤24.
  ...rows('ims', ['CreateUser'], 'UserPrincipalName', ramText('UserPrincipalName', text(128)), '§2 IMS CreateUser'),
  ...rows('ims', ['UpdateUser'], 'NewUserPrincipalName', ramText('NewUserPrincipalName', text(128)), '§2 IMS CreateUser'),
  ...rows('ims', ['CreateUser'], 'DisplayName', ramText('DisplayName', text(24)), '§2 IMS CreateUser'),
  ...rows('ims', ['UpdateUser'], 'NewDisplayName', ramText('NewDisplayName', text(24)), '§2 IMS CreateUser'),

  // §2 RAM CreateRole: RoleName ≤64 [A-Za-z0-9.-], Description ≤1024, MaxSessionDuration 3600–43200.
  ...rows('ram', ['CreateRole'], 'RoleName', ramText('RoleName', { kind: 'string', max: 64, chars: 'A-Za-z0-9.-' }), '§2 RAM CreateRole'),
  ...rows('ram', ['CreateRole'], 'Description', ramText('Description', text(1024)), '§2 RAM CreateRole'),
  ...rows('ram', ['UpdateRole'], 'NewDescription', ramText('NewDescription', text(1024)), '§2 RAM CreateRole'),
  ...rows('ram', ['CreateRole'], 'MaxSessionDuration', { ...range(3600, 43200), code: 'InvalidParameter.MaxSessionDuration' }, '§2 RAM CreateRole'),
  ...rows('ram', ['UpdateRole'], 'NewMaxSessionDuration', { ...range(3600, 43200), code: 'InvalidParameter.NewMaxSessionDuration' }, '§2 RAM CreateRole'),

  // §2 AttachPolicyToUser/Role: PolicyType System|Custom.
  ...rows('ram', ['AttachPolicyToUser', 'AttachPolicyToRole'], 'PolicyType', oneOf('System', 'Custom'), '§2 AttachPolicyToUser/Role'),

  // §2 IMS login profile: Status Active|Inactive; UpdateLoginProfile "takes the same inputs".
  ...rows('ims', ['CreateLoginProfile', 'UpdateLoginProfile'], 'Status', oneOf('Active', 'Inactive'), '§2 Login profile (IMS)'),

  // §2 Password policy (IMS; RAM is the same policy without the newest fields).
  ...rows('ims', ['SetPasswordPolicy'], 'MinimumPasswordDifferentCharacter', ramRange('MinimumPasswordDifferentCharacter', 0, 8), '§2 Password policy'),
  ...rows('ims', ['SetPasswordPolicy'], 'InitialPasswordAge', ramRange('InitialPasswordAge', 0, 90), '§2 Password policy'),
  ...(['ims', 'ram'] as const).flatMap((product) => [
    ...rows(product, ['SetPasswordPolicy'], 'MinimumPasswordLength', ramRange('MinimumPasswordLength', 8, 32), '§2 Password policy'),
    ...rows(product, ['SetPasswordPolicy'], 'MaxPasswordAge', ramRange('MaxPasswordAge', 0, 1095), '§2 Password policy'),
    ...rows(product, ['SetPasswordPolicy'], 'PasswordReusePrevention', ramRange('PasswordReusePrevention', 0, 24), '§2 Password policy'),
    ...rows(product, ['SetPasswordPolicy'], 'MaxLoginAttemps', ramRange('MaxLoginAttemps', 0, 32), '§2 Password policy'),
  ]),

  // §2 Security preference (IMS): LoginSessionDuration 1–24 h, MFAOperationForLogin.
  ...rows('ims', ['SetSecurityPreference'], 'LoginSessionDuration', ramRange('LoginSessionDuration', 1, 24), '§2 Security preference'),
  ...rows('ims', ['SetSecurityPreference'], 'MFAOperationForLogin', oneOf('mandatory', 'independent', 'adaptive'), '§2 Security preference'),

  // §3 STS AssumeRole: RoleSessionName 2–64 [A-Za-z0-9.@_-], DurationSeconds 900 up to the role's max (≤43200, §2
  // CreateRole), ExternalId 2–1224.
  ...rows('sts', ['AssumeRole'], 'RoleSessionName', { kind: 'string', min: 2, max: 64, chars: 'A-Za-z0-9.@_-' }, '§3 AssumeRole'),
  ...rows('sts', ['AssumeRole'], 'DurationSeconds', range(900, 43200), '§3 AssumeRole, §2 CreateRole'),
  ...rows('sts', ['AssumeRole'], 'ExternalId', { kind: 'string', min: 2, max: 1224 }, '§3 AssumeRole'),

  // §4 ResourceManager: PageSize 1–100; CreateResourceAccount DisplayName 2–50, AccountNamePrefix 2–37 [A-Za-z0-9_.-].
  ...rows('resourcemanager', ['ListAccounts', 'ListFoldersForParent'], 'PageSize', range(1, 100), '§4 Paging'),
  ...rows(
    'resourcemanager',
    ['CreateResourceAccount'],
    'DisplayName',
    { kind: 'string', min: 2, max: 50, code: 'InvalidParameter.Account.DisplayName', lengthCode: 'InvalidParameter.Account.DisplayName.Length' },
    '§4 CreateResourceAccount',
  ),
  ...rows('resourcemanager', ['CreateResourceAccount'], 'AccountNamePrefix', { kind: 'string', min: 2, max: 37, chars: 'A-Za-z0-9_.-' }, '§4 CreateResourceAccount'),
];

export interface Unchecked {
  product: Product | '*';
  /** Every action when absent. */
  actions?: readonly string[];
  param: string;
  /** Only this facet of the declaration is ours; the rest must agree with the table. Every facet when absent. */
  facet?: 'pattern' | 'min' | 'max';
  why: string;
}

/**
 * Declared limits the contract does not state: unchecked on purpose. An entry without `facet` applies only where the
 * table has no row. A declared limit that is neither in the table
 * nor here fails the agreement test, so a new limit is placed in one or the other by a person who read the contract.
 */
export const NOT_IN_CONTRACT: readonly Unchecked[] = [
  { product: '*', param: 'DirectoryId', why: 'identifiers: the contract gives prefixes (§1.1), not lengths' },
  ...['UserId', 'GroupId', 'AccessConfigurationId', 'TaskId', 'CredentialId', 'PrincipalId', 'TargetId', 'UserProvisioningId', 'EventId', 'MFADeviceId', 'CertificateId'].map(
    (param): Unchecked => ({ product: 'cloudsso', param, why: 'identifiers: the contract gives prefixes (§1.1), not lengths' }),
  ),
  ...['NextToken', 'Marker', 'Filter', 'QueryKeyword'].map((param): Unchecked => ({ product: '*', param, why: 'paging tokens and filter text: no length in the contract' })),
  { product: 'ram', param: 'MaxItems', why: 'Marker/MaxItems paging (§2) gives no range' },
  { product: 'ims', param: 'MaxItems', why: 'Marker/MaxItems paging (§2) gives no range' },
  { product: '*', param: 'PageSize', actions: ['ListTagResources'], why: 'RAM/IMS tag paging: no range in the contract' },
  { product: 'resourcemanager', param: 'PageNumber', why: '§4 gives the PageSize range only' },
  { product: 'resourcemanager', param: 'MaxResults', actions: ['ListTagResources'], why: 'not in §4' },
  { product: 'cloudsso', param: 'MaxResults', actions: ['ListUserProvisionings', 'ListUserProvisioningEvents'], why: '§1.4 does not list these actions' },
  { product: '*', param: 'Tag', why: 'tag lists: no count in the contract' },
  { product: '*', param: 'Tags', why: 'tag lists: no count in the contract' },
  { product: '*', param: 'TagKey', why: 'tag lists: no count in the contract' },
  { product: '*', param: 'TagKeys', why: 'tag lists: no count in the contract' },
  { product: '*', param: 'ResourceNames', why: 'tag lists: no count in the contract' },
  { product: '*', param: 'ResourceId', why: 'tag lists: no count in the contract' },
  { product: '*', param: 'ResourcePrincipalName', why: 'tag lists: no count in the contract' },
  { product: '*', param: 'ResourceType', why: 'tagging: no resource types in the contract' },
  { product: 'cloudsso', param: 'Email', facet: 'pattern', why: '§1.5.2 gives only the length of Email' },
  { product: 'cloudsso', param: 'NewEmail', facet: 'pattern', why: '§1.5.2 gives only the length of Email' },
  { product: 'cloudsso', actions: ['SetLoginPreference'], param: 'LoginNetworkMasks', why: '§1.5.18 bounds the count (≤100 masks), checked in the handler; the character cap is ours' },
  { product: 'cloudsso', actions: ['CreateAccessConfiguration'], param: 'RelayState', why: '§1.5.8 says "console URL", no length' },
  { product: 'cloudsso', actions: ['UpdateAccessConfiguration'], param: 'NewRelayState', why: '§1.5.8 and seed 004 say "console page", no length' },
  { product: 'cloudsso', param: 'PermissionPolicyName', why: '§1.5.10 gives no length' },
  { product: 'cloudsso', param: 'InlinePolicyName', why: '§1.5.10 gives no length' },
  { product: 'cloudsso', param: 'ExternalId', why: 'GetUserId: no length in the contract' },
  { product: 'cloudsso', param: 'Description', actions: ['CreateUserProvisioning'], why: '§1.5.21 gives no length' },
  { product: 'cloudsso', param: 'NewDescription', actions: ['UpdateUserProvisioning'], why: '§1.5.21 gives no length' },
  { product: 'cloudsso', param: 'DuplicationStrategy', actions: ['RetryUserProvisioningEvent'], why: 'RetryUserProvisioningEvent takes no documented parameters' },
  { product: 'cloudsso', param: 'ProvisioningStatus', why: '§1.4 lists provisioning statuses, not a filter' },
  { product: 'cloudsso', param: 'NewStatus', actions: ['UpdateSCIMServerCredentialStatus'], why: '§1.5.17 names the status, not its values' },
  { product: 'cloudsso', param: 'UserMFAAuthenticationSettings', why: '§1.2 names the action only' },
  { product: 'cloudsso', param: 'PrincipalType', actions: ['ListUserProvisionings'], why: '§1.2 names the action only' },
  { product: 'cloudsso', param: 'TargetType', actions: ['ListAccessConfigurationProvisionings', 'ListUserProvisionings'], why: '§1.2 names the action only' },
  ...['EncodedMetadataDocument', 'EntityId', 'LoginUrl', 'X509Certificate'].map((param): Unchecked => ({ product: 'cloudsso', param, why: '§1.5.15: no lengths' })),
  // RAM and IMS.
  { product: 'ram', param: 'UserName', actions: ['GetUser', 'UpdateUser', 'DeleteUser', 'AddUserToGroup', 'RemoveUserFromGroup', 'ListGroupsForUser', 'CreateAccessKey', 'ListAccessKeys', 'UpdateAccessKey', 'DeleteAccessKey', 'AttachPolicyToUser', 'DetachPolicyFromUser', 'ListPoliciesForUser', 'CreateLoginProfile', 'GetLoginProfile', 'UpdateLoginProfile', 'DeleteLoginProfile', 'BindMFADevice', 'UnbindMFADevice', 'GetUserMFAInfo'], why: 'a reference to an existing user: the contract states the limit where the name is chosen' },
  { product: 'ram', param: 'RoleName', actions: ['GetRole', 'UpdateRole', 'DeleteRole', 'AttachPolicyToRole', 'DetachPolicyFromRole', 'ListPoliciesForRole'], why: 'a reference to an existing role: the contract states the limit where the name is chosen' },
  { product: 'ims', param: 'UserPrincipalName', actions: ['GetUser', 'UpdateUser', 'DeleteUser', 'AddUserToGroup', 'RemoveUserFromGroup', 'ListGroupsForUser', 'CreateAccessKey', 'ListAccessKeys', 'UpdateAccessKey', 'DeleteAccessKey', 'GetAccessKeyLastUsed', 'CreateLoginProfile', 'GetLoginProfile', 'UpdateLoginProfile', 'DeleteLoginProfile', 'BindMFADevice', 'UnbindMFADevice', 'GetUserMFAInfo', 'ListPasskeys', 'UpdatePasskey', 'DeletePasskey'], why: 'a reference to an existing user: the contract states the limit where the name is chosen' },
  ...['GroupName', 'NewGroupName', 'Comments', 'NewComments', 'MobilePhone', 'NewMobilePhone', 'Email', 'NewEmail'].map(
    (param): Unchecked => ({ product: 'ram', param, why: 'RAM groups and user contact fields: §2 gives no limits' }),
  ),
  ...['GroupName', 'NewGroupName', 'DisplayName', 'NewDisplayName', 'Comments', 'NewComments', 'MobilePhone', 'NewMobilePhone', 'Email', 'NewEmail'].map(
    (param): Unchecked => ({ product: 'ims', param, why: 'IMS groups and user contact fields: §2 gives no limits (a row in the table wins)' }),
  ),
  { product: '*', param: 'UserId', why: 'identifiers: no length in the contract' },
  { product: '*', param: 'UserAccessKeyId', why: 'identifiers: no length in the contract' },
  { product: '*', param: 'Status', actions: ['UpdateAccessKey'], why: 'UpdateAccessKey is not described in §2' },
  ...['PolicyName', 'PolicyDocument', 'PolicyType', 'VersionId', 'RotateStrategy', 'Description', 'NewDescription'].map(
    (param): Unchecked => ({ product: 'ram', param, why: '§2 CreatePolicy, Detach*, group attachments: no limits (a row in the table wins)' }),
  ),
  { product: 'ram', param: 'GroupName', actions: ['AttachPolicyToGroup', 'DetachPolicyFromGroup', 'ListPoliciesForGroup'], why: 'RAM groups: §2 gives no limits' },
  { product: 'ram', param: 'AssumeRolePolicyDocument', why: '§2 CreateRole: no length' },
  { product: 'ram', param: 'NewAssumeRolePolicyDocument', why: '§2 CreateRole: no length' },
  ...['AccountAlias', 'DefaultDomainName'].map((param): Unchecked => ({ product: '*', param, why: 'the contract names the alias and default domain, without limits' })),
  ...['Password', 'OldPassword', 'NewPassword'].map((param): Unchecked => ({ product: '*', param, actions: ['CreateLoginProfile', 'UpdateLoginProfile', 'ChangePassword'], why: 'login passwords are bounded by the password policy, not a declared length' })),
  { product: 'ram', param: 'LoginSessionDuration', why: '§2 gives the range for IMS; RAM SetSecurityPreference is not described' },
  { product: '*', param: 'LoginNetworkMasks', actions: ['SetSecurityPreference'], why: '§2: no length' },
  { product: 'ims', param: 'OperationForRiskLogin', why: 'not in §2 Security preference' },
  { product: 'ims', param: 'VerificationTypes', why: '§2: a JSON string, no length' },
  ...['VirtualMFADeviceName', 'SerialNumber', 'AuthenticationCode1', 'AuthenticationCode2', 'PasskeyId', 'PasskeyName'].map(
    (param): Unchecked => ({ product: '*', param, why: '§2 MFA and passkeys: no limits' }),
  ),
  ...['SAMLProviderName', 'EncodedSAMLMetadataDocument', 'NewEncodedSAMLMetadataDocument', 'Description', 'NewDescription'].map(
    (param): Unchecked => ({ product: 'ims', param, actions: ['CreateSAMLProvider', 'GetSAMLProvider', 'UpdateSAMLProvider', 'DeleteSAMLProvider'], why: 'IMS SAML providers: no limits in §2' }),
  ),
  // STS and ResourceManager.
  { product: 'sts', param: 'RoleArn', why: '§3 gives the form, not a length' },
  { product: 'sts', param: 'Policy', why: '§3: no length' },
  { product: 'sts', param: 'SourceIdentity', why: '§3: no limits' },
  { product: 'sts', param: 'ExternalId', facet: 'pattern', why: '§3 gives the length of ExternalId only' },
  { product: 'resourcemanager', param: 'DisplayName', facet: 'pattern', why: '§4 gives the length of DisplayName only' },
  ...['EnableMode', 'MAName', 'MASecureMobilePhone', 'VerificationCode', 'FolderName', 'ParentFolderId', 'FolderId', 'PayerAccountId', 'ResellAccountType', 'AccountId'].map(
    (param): Unchecked => ({ product: 'resourcemanager', param, why: 'not in §4' }),
  ),
];
