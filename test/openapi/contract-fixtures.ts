// How to make a valid call to each action of the contract table, and how to see what a refused call could change.
import type { ContractLimit } from './contract-limits.js';
import { valueOf } from './contract-values.js';

export type Query = Record<string, string | number | undefined>;
export const VERSION = { ram: '2015-05-01', ims: '2019-08-15', sts: '2015-04-01', resourcemanager: '2020-03-31', cloudsso: '2021-05-15' } as const;

/** How to call an action validly (`seq` makes names unique) and how to see what it would change. */
export interface Fixture {
  query(seq: number): Query | Promise<Query>;
  /** What a refused call must leave as it was; omitted for actions that change nothing. */
  snapshot?(): Promise<unknown>;
  afterAccept?(body: any, query: Query): Promise<void> | void;
  /** Acceptance at this length cannot be shown (say why in the fixture). */
  unreachable?: (row: ContractLimit, length: number) => boolean;
}

export type Call = (product: keyof typeof VERSION, action: string, query?: Query) => Promise<any>;

/** The fixtures of one server; entities are made on first use, after CreateDirectory's own rows have run. */
export function contractFixtures(call: Call, accountId: string): Record<string, Fixture> {
  /** A body without its RequestId, or the error code: what a caller would see. */
  const seen = async (promise: Promise<any>): Promise<unknown> => {
    try {
      const { RequestId: _, ...body } = await promise;
      return body;
    } catch (error: any) {
      return error.code;
    }
  };
  const sso = (action: string, query: Query = {}): Promise<any> => call('cloudsso', action, { DirectoryId: state.dir, ...query });
  const state = { dir: '', user: '', group: '', ac: '', acAdd: '', acInline: '', ramUser: '', imsUser: '', domain: '', role: '', roleArn: '' };
  const TRUST = (account: string): string =>
    JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: [`acs:ram::${account}:root`] } }] });

  /** The shared CloudSSO directory and its entities, made once CreateDirectory's own rows have run. */
  async function directory(): Promise<void> {
    if (state.dir) return;
    state.dir = (await call('cloudsso', 'CreateDirectory', { DirectoryName: 'limits' })).Directory.DirectoryId;
    state.user = (await sso('CreateUser', { UserName: 'limits-user' })).User.UserId;
    state.group = (await sso('CreateGroup', { GroupName: 'limits-group' })).Group.GroupId;
    state.ac = (await sso('CreateAccessConfiguration', { AccessConfigurationName: 'limits-ac' })).AccessConfiguration.AccessConfigurationId;
    state.acAdd = (await sso('CreateAccessConfiguration', { AccessConfigurationName: 'limits-add' })).AccessConfiguration.AccessConfigurationId;
    state.acInline = (await sso('CreateAccessConfiguration', { AccessConfigurationName: 'limits-inline' })).AccessConfiguration.AccessConfigurationId;
    await sso('AddPermissionPolicyToAccessConfiguration', {
      AccessConfigurationId: state.acInline,
      PermissionPolicyType: 'Inline',
      PermissionPolicyName: 'inline',
      InlinePolicyDocument: valueOf({ param: 'InlinePolicyDocument' }, 10),
    });
  }
  async function ramEntities(): Promise<void> {
    if (state.ramUser) return;
    state.ramUser = 'limits-user';
    await call('ram', 'CreateUser', { UserName: state.ramUser });
    state.domain = (await call('ims', 'GetDefaultDomain')).DefaultDomainName;
    state.imsUser = `limits-ims@${state.domain}`;
    await call('ims', 'CreateUser', { UserPrincipalName: state.imsUser, DisplayName: 'limits' });
    state.role = 'limits-role';
    state.roleArn = (await call('ram', 'CreateRole', { RoleName: state.role, AssumeRolePolicyDocument: TRUST(accountId), MaxSessionDuration: 43200 })).Role.Arn;
    await call('resourcemanager', 'EnableResourceDirectory', { EnableMode: 'CurrentAccount' });
  }
  const inDirectory = (query: (n: number) => Query, snapshot?: () => Promise<unknown>): Fixture => ({
    async query(n) {
      await directory();
      return { DirectoryId: state.dir, ...query(n) };
    },
    snapshot,
  });
  const inAccount = (query: (n: number) => Query, snapshot?: () => Promise<unknown>, more: Partial<Fixture> = {}): Fixture => ({
    async query(n) {
      await ramEntities();
      return query(n);
    },
    snapshot,
    ...more,
  });
  const target = { TargetType: 'RD-Account', TargetId: '1234567890123456' };

  return {
    'cloudsso CreateDirectory': {
      query: () => ({}),
      snapshot: () => seen(call('cloudsso', 'ListDirectories')),
      // One directory per account (§1.1): an accepted one is deleted again so the next can be made.
      afterAccept: async (body) => void (await call('cloudsso', 'DeleteDirectory', { DirectoryId: body.Directory.DirectoryId })),
    },
    'cloudsso UpdateDirectory': inDirectory(() => ({}), () => seen(sso('GetDirectory'))),
    'cloudsso CreateUser': inDirectory((n) => ({ UserName: `user${n}` }), () => seen(sso('ListUsers', { MaxResults: 100 }))),
    'cloudsso UpdateUser': inDirectory(() => ({ UserId: state.user }), () => seen(sso('GetUser', { UserId: state.user }))),
    'cloudsso UpdateUserStatus': inDirectory(() => ({ UserId: state.user }), () => seen(sso('GetUser', { UserId: state.user }))),
    'cloudsso ListUsers': inDirectory(() => ({})),
    'cloudsso ResetUserPassword': inDirectory(() => ({ UserId: state.user }), () => seen(sso('GetUser', { UserId: state.user }))),
    'cloudsso CreateGroup': inDirectory((n) => ({ GroupName: `group${n}` }), () => seen(sso('ListGroups', { MaxResults: 100 }))),
    'cloudsso UpdateGroup': inDirectory(() => ({ GroupId: state.group }), () => seen(sso('GetGroup', { GroupId: state.group }))),
    'cloudsso ListGroups': inDirectory(() => ({})),
    'cloudsso ListGroupMembers': inDirectory(() => ({ GroupId: state.group })),
    'cloudsso ListJoinedGroupsForUser': inDirectory(() => ({ UserId: state.user })),
    'cloudsso CreateAccessConfiguration': inDirectory((n) => ({ AccessConfigurationName: `ac${n}` }), () => seen(sso('ListAccessConfigurations', { MaxResults: 100 }))),
    'cloudsso UpdateAccessConfiguration': inDirectory(() => ({ AccessConfigurationId: state.ac }), () => seen(sso('GetAccessConfiguration', { AccessConfigurationId: state.ac }))),
    'cloudsso ListAccessConfigurations': inDirectory(() => ({})),
    'cloudsso AddPermissionPolicyToAccessConfiguration': inDirectory(
      (n) => ({ AccessConfigurationId: state.acAdd, PermissionPolicyType: 'Inline', PermissionPolicyName: `inline${n}` }),
      () => seen(sso('ListPermissionPoliciesInAccessConfiguration', { AccessConfigurationId: state.acAdd })),
    ),
    'cloudsso RemovePermissionPolicyFromAccessConfiguration': inDirectory(
      () => ({ AccessConfigurationId: state.acInline, PermissionPolicyType: 'Inline', PermissionPolicyName: 'inline' }),
      () => seen(sso('ListPermissionPoliciesInAccessConfiguration', { AccessConfigurationId: state.acInline })),
    ),
    'cloudsso UpdateInlinePolicyForAccessConfiguration': inDirectory(
      () => ({ AccessConfigurationId: state.acInline, InlinePolicyName: 'inline' }),
      () => seen(sso('ListPermissionPoliciesInAccessConfiguration', { AccessConfigurationId: state.acInline })),
    ),
    'cloudsso ProvisionAccessConfiguration': inDirectory(() => ({ AccessConfigurationId: state.ac, ...target }), () => seen(sso('ListAccessConfigurationProvisionings'))),
    'cloudsso DeprovisionAccessConfiguration': inDirectory(() => ({ AccessConfigurationId: state.ac, ...target }), () => seen(sso('ListAccessConfigurationProvisionings'))),
    'cloudsso CreateAccessAssignment': inDirectory(
      () => ({ AccessConfigurationId: state.ac, ...target, PrincipalType: 'User', PrincipalId: state.user }),
      () => seen(sso('ListAccessAssignments')),
    ),
    'cloudsso DeleteAccessAssignment': inDirectory(
      () => ({ AccessConfigurationId: state.ac, ...target, PrincipalType: 'User', PrincipalId: state.user }),
      () => seen(sso('ListAccessAssignments')),
    ),
    'cloudsso ListAccessAssignments': inDirectory(() => ({})),
    'cloudsso ListTasks': inDirectory(() => ({})),
    'cloudsso ListAccessConfigurationProvisionings': inDirectory(() => ({})),
    'cloudsso CreateUserProvisioning': inDirectory(
      () => ({ PrincipalType: 'User', PrincipalId: state.user, ...target, DeletionStrategy: 'Delete', DuplicationStrategy: 'KeepBoth' }),
      () => seen(sso('ListUserProvisionings')),
    ),
    'cloudsso UpdateUserProvisioning': inDirectory(() => ({ UserProvisioningId: 'up-none' }), () => seen(sso('ListUserProvisionings'))),
    'cloudsso SetExternalSAMLIdentityProvider': inDirectory(() => ({}), () => seen(sso('GetExternalSAMLIdentityProvider'))),
    'cloudsso SetSCIMSynchronizationStatus': inDirectory(() => ({ SCIMSynchronizationStatus: 'Disabled' }), () => seen(sso('GetSCIMSynchronizationStatus'))),
    'cloudsso SetMFAAuthenticationStatus': inDirectory(() => ({ MFAAuthenticationStatus: 'Enabled' }), () => seen(sso('GetMFAAuthenticationStatus'))),
    'cloudsso UpdateMFAAuthenticationSettings': inDirectory(() => ({ MFAAuthenticationSettings: 'Enabled' }), () => seen(sso('GetMFAAuthenticationSettings'))),
    'cloudsso UpdateAttributePassingSetting': inDirectory(() => ({ SourceIdentityPassing: 'Disabled' }), () => seen(sso('GetAttributePassingSetting'))),
    // MinPasswordDifferentChars may not exceed MinPasswordLength (§1.5.20): give both, so each bound stands alone.
    'cloudsso SetPasswordPolicy': inDirectory(() => ({ MinPasswordLength: 32, MinPasswordDifferentChars: 0 }), () => seen(sso('GetPasswordPolicy'))),

    'ram CreateUser': inAccount((n) => ({ UserName: `user${n}` }), () => seen(call('ram', 'ListUsers', { MaxItems: 1000 }))),
    'ram UpdateUser': inAccount(() => ({ UserName: state.ramUser }), () => seen(call('ram', 'GetUser', { UserName: state.ramUser })), {
      afterAccept: (_body, query) => void (query.NewUserName && (state.ramUser = String(query.NewUserName))),
    }),
    // A UPN of 128 characters would need a name part over 64 or a domain longer than the account's: not reachable.
    'ims CreateUser': inAccount((n) => ({ UserPrincipalName: `user${n}@${state.domain}`, DisplayName: 'd' }), () => seen(call('ims', 'ListUsers', { MaxItems: 1000 })), {
      unreachable: (row) => row.param === 'UserPrincipalName',
    }),
    'ims UpdateUser': inAccount(() => ({ UserPrincipalName: state.imsUser }), () => seen(call('ims', 'GetUser', { UserPrincipalName: state.imsUser })), {
      unreachable: (row) => row.param === 'NewUserPrincipalName',
    }),
    'ram CreateRole': inAccount((n) => ({ RoleName: `role${n}`, AssumeRolePolicyDocument: TRUST(accountId) }), () => seen(call('ram', 'ListRoles', { MaxItems: 1000 }))),
    'ram UpdateRole': inAccount(() => ({ RoleName: state.role }), () => seen(call('ram', 'GetRole', { RoleName: state.role }))),
    'ram AttachPolicyToUser': inAccount(() => ({ PolicyName: 'AdministratorAccess', UserName: state.ramUser }), () => seen(call('ram', 'ListPoliciesForUser', { UserName: state.ramUser }))),
    'ram AttachPolicyToRole': inAccount(() => ({ PolicyName: 'AdministratorAccess', RoleName: state.role }), () => seen(call('ram', 'ListPoliciesForRole', { RoleName: state.role }))),
    'ims CreateLoginProfile': inAccount(() => ({ UserPrincipalName: state.imsUser, Password: 'Limits-Pa55word!' }), () => seen(call('ims', 'GetLoginProfile', { UserPrincipalName: state.imsUser }))),
    'ims UpdateLoginProfile': inAccount(() => ({ UserPrincipalName: state.imsUser }), () => seen(call('ims', 'GetLoginProfile', { UserPrincipalName: state.imsUser }))),
    'ims SetPasswordPolicy': inAccount(() => ({}), () => seen(call('ims', 'GetPasswordPolicy'))),
    'ram SetPasswordPolicy': inAccount(() => ({}), () => seen(call('ram', 'GetPasswordPolicy'))),
    'ims SetSecurityPreference': inAccount(() => ({}), () => seen(call('ims', 'GetSecurityPreference'))),
    'sts AssumeRole': inAccount(() => ({ RoleArn: state.roleArn, RoleSessionName: 'limits' })),
    'resourcemanager ListAccounts': inAccount(() => ({})),
    'resourcemanager ListFoldersForParent': inAccount(() => ({})),
    'resourcemanager CreateResourceAccount': inAccount((n) => ({ DisplayName: `account ${n}`, AccountNamePrefix: `acct${n}` }), () => seen(call('resourcemanager', 'ListAccounts', { PageSize: 100 }))),
  };
}
