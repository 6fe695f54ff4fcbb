import { apiTime, isoNow } from '../../clock.js';
import type { ActionContext, ActionDefinition } from '../../openapi/define-action.js';
import { defineAction } from '../../openapi/define-action.js';
import { ApiError, entityNotExist, invalidParameter, missingParameter } from '../../errors.js';
import { bool, str } from '../../openapi/params.js';
import { directoryArn, userArn } from '../arns.js';
import { parseFilter } from '../filters.js';
import { pagedResponse, pageRequest } from './paging.js';
import { ssoTagsView } from './tags-view.js';
import { directoryId, filter, idParam, pagingParams, userId } from './params.js';
import { tagFilterList, tagList } from '../../openapi/tag-params.js';
import { addTags, removeTags, tagsOf } from '../../tags/store.js';
import { getDirectory } from '../directories.js';
import { deleteMfaDevice, listMfaDevices } from '../mfa.js';
import {
  createUser,
  deleteUser,
  generatePassword,
  getUser,
  isRecentPassword,
  listUsers,
  passwordPolicyViolation,
  setUserMfaSettings,
  setUserPassword,
  setUserStatus,
  updateUser,
  type SsoUser,
} from '../users.js';

const USER_NAME = /^[A-Za-z0-9@_.-]+$/;
const EMAIL = /^[^@\s]+@[^@\s]+$/;
const STATUS = ['Enabled', 'Disabled'] as const;
const PROVISION_TYPES = ['Manual', 'Synchronized'] as const;

const text = (name: string, max: number) => str({ max, code: `InvalidParameter.${name}` });
const email = (name: string) => str({ max: 128, pattern: EMAIL, code: `InvalidParameter.${name}` });

export function userView(u: SsoUser): Record<string, unknown> {
  return {
    UserId: u.id,
    UserName: u.user_name,
    FirstName: u.first_name,
    LastName: u.last_name,
    DisplayName: u.display_name,
    Email: u.email,
    Description: u.description,
    Status: u.status,
    ProvisionType: u.provision_type,
    CreateTime: apiTime(u.created_at),
    UpdateTime: apiTime(u.updated_at),
  };
}

/** One user as Create and Get answer it: its view, anything Get adds (the external ID), then its tags. */
async function taggedUserView(c: ActionContext, user: SsoUser, extra: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const tags = await tagsOf(c.tx, c.accountId, 'cloudsso-user', [user.id]);
  return { ...userView(user), ...extra, ...ssoTagsView(tags.get(user.id)) };
}

/** A user of the caller's directory, looked up after the directory itself. */
export async function userOf(c: ActionContext, p: { DirectoryId: string; UserId: string }): Promise<SsoUser> {
  const directory = await getDirectory(c.tx, p.DirectoryId, c.accountId);
  return getUser(c.tx, directory.id, p.UserId);
}

export async function assignmentsOfPrincipal(c: ActionContext, type: 'User' | 'Group', id: string): Promise<number> {
  const row = await c.tx
    .selectFrom('cloudsso_assignments')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('principal_type', '=', type)
    .where('principal_id', '=', id)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** DeleteUser / DeleteGroup are refused while the principal has access assignments (code spelled as Alibaba spells it, spec §1.6). */
export async function refuseWhileAssigned(c: ActionContext, type: 'User' | 'Group', id: string): Promise<void> {
  if ((await assignmentsOfPrincipal(c, type, id)) > 0) {
    throw new ApiError(`DeletionConflict.${type}.AccessAssigment`, 409, `The ${type.toLowerCase()} still has access assignments. Delete them first.`);
  }
}

const userResource = (p: { DirectoryId: string; UserId: string }, c: ActionContext): string => userArn(c, p.DirectoryId, p.UserId);

export const usersActions: ActionDefinition[] = [
  defineAction({
    product: 'cloudsso',
    name: 'CreateUser',
    params: {
      DirectoryId: directoryId(),
      UserName: str({ required: true, max: 64, pattern: USER_NAME, code: 'InvalidParameter.UserName' }),
      FirstName: text('FirstName', 64),
      LastName: text('LastName', 64),
      DisplayName: text('DisplayName', 256),
      Description: text('Description', 1024),
      Email: email('Email'),
      Status: str({ enum: STATUS, code: 'InvalidParameter.Status' }),
      Tags: tagList({ param: 'Tags' }),
    },
    ramAction: 'cloudsso:CreateUser',
    resource: (p, c) => userArn(c, p.DirectoryId, '*'),
    async handle(p, c) {
      const directory = await getDirectory(c.tx, p.DirectoryId, c.accountId);
      const user = await createUser(
        c.tx,
        directory.id,
        {
          userName: p.UserName,
          firstName: p.FirstName,
          lastName: p.LastName,
          displayName: p.DisplayName,
          description: p.Description,
          email: p.Email,
          status: p.Status as SsoUser['status'] | undefined,
        },
        isoNow(c.clock),
      );
      await addTags(c.tx, c.accountId, 'cloudsso-user', user.id, p.Tags);
      return { User: await taggedUserView(c, user) };
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'GetUser',
    params: { DirectoryId: directoryId(), UserId: userId() },
    ramAction: 'cloudsso:GetUser',
    resource: userResource,
    async handle(p, c) {
      const user = await userOf(c, p);
      const external = user.external_id ? { ExternalId: { Id: user.external_id, Issuer: user.external_issuer ?? 'SCIM' } } : {};
      return { User: await taggedUserView(c, user, external) };
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'GetUserId',
    params: { DirectoryId: directoryId(), ExternalId: str({ required: true, max: 1024, code: 'InvalidParameter.ExternalId' }) },
    ramAction: 'cloudsso:GetUserId',
    resource: (p, c) => userArn(c, p.DirectoryId, '*'),
    async handle(p, c) {
      const directory = await getDirectory(c.tx, p.DirectoryId, c.accountId);
      let external: { Id?: unknown; Issuer?: unknown };
      try {
        external = JSON.parse(p.ExternalId) as { Id?: unknown; Issuer?: unknown };
      } catch {
        throw invalidParameter('ExternalId', 'it must be a JSON object {"Id": …, "Issuer": "SCIM"}');
      }
      if (typeof external?.Id !== 'string' || external.Id === '') throw invalidParameter('ExternalId', 'ExternalId.Id is required');
      const issuer = typeof external.Issuer === 'string' && external.Issuer !== '' ? external.Issuer : 'SCIM';
      const user = await c.tx
        .selectFrom('cloudsso_users')
        .select('id')
        .where('directory_id', '=', directory.id)
        .where('external_id', '=', external.Id)
        .where('external_issuer', '=', issuer)
        .executeTakeFirst();
      if (!user) throw entityNotExist('EntityNotExists.User', `user with external ID ${external.Id}`);
      return { UserId: user.id };
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'UpdateUser',
    params: {
      DirectoryId: directoryId(),
      UserId: userId(),
      NewFirstName: text('NewFirstName', 64),
      NewLastName: text('NewLastName', 64),
      NewDisplayName: text('NewDisplayName', 256),
      NewDescription: text('NewDescription', 1024),
      NewEmail: email('NewEmail'),
    },
    ramAction: 'cloudsso:UpdateUser',
    resource: userResource,
    async handle(p, c) {
      const user = await userOf(c, p);
      const updated = await updateUser(
        c.tx,
        user,
        { firstName: p.NewFirstName, lastName: p.NewLastName, displayName: p.NewDisplayName, description: p.NewDescription, email: p.NewEmail },
        isoNow(c.clock),
      );
      return { User: userView(updated) };
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'UpdateUserStatus',
    params: { DirectoryId: directoryId(), UserId: userId(), NewStatus: str({ required: true, enum: STATUS, code: 'InvalidParameter.NewStatus' }) },
    ramAction: 'cloudsso:UpdateUserStatus',
    resource: userResource,
    async handle(p, c) {
      const user = await userOf(c, p);
      await setUserStatus(c.tx, user, p.NewStatus as SsoUser['status'], isoNow(c.clock));
      return {};
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'DeleteUser',
    params: { DirectoryId: directoryId(), UserId: userId() },
    ramAction: 'cloudsso:DeleteUser',
    resource: userResource,
    async handle(p, c) {
      const user = await userOf(c, p);
      await refuseWhileAssigned(c, 'User', user.id);
      await removeTags(c.tx, c.accountId, 'cloudsso-user', user.id, 'all');
      await deleteUser(c.tx, user);
      return {};
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'ListUsers',
    params: {
      DirectoryId: directoryId(),
      ...pagingParams(100, 10),
      Filter: filter(),
      Status: str({ enum: STATUS, code: 'InvalidParameter.Status' }),
      ProvisionType: str({ enum: PROVISION_TYPES, code: 'InvalidParameter.ProvisionType' }),
      Tags: tagFilterList('Tags'),
    },
    ramAction: 'cloudsso:ListUsers',
    resource: (p, c) => directoryArn(c, p.DirectoryId),
    async handle(p, c) {
      const directory = await getDirectory(c.tx, p.DirectoryId, c.accountId);
      const page = await listUsers(
        c.tx,
        directory.id,
        {
          filter: parseFilter(p.Filter, ['UserName']),
          status: p.Status,
          provisionType: p.ProvisionType,
          tags: { ownerAccountId: c.accountId, filters: p.Tags },
        },
        pageRequest(p),
      );
      const tags = await tagsOf(c.tx, c.accountId, 'cloudsso-user', page.items.map((u) => u.id));
      return pagedResponse('Users', page, (u) => ({ ...userView(u), ...ssoTagsView(tags.get(u.id)) }), p.MaxResults);
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'ResetUserPassword',
    params: {
      DirectoryId: directoryId(),
      UserId: userId(),
      GenerateRandomPassword: bool({ code: 'InvalidParameter.GenerateRandomPassword' }),
      Password: str({ min: 8, max: 32, code: 'InvalidParameter.Password' }),
      RequirePasswordResetForNextLogin: bool({ code: 'InvalidParameter.RequirePasswordResetForNextLogin' }),
    },
    ramAction: 'cloudsso:ResetUserPassword',
    resource: userResource,
    async handle(p, c) {
      if (p.GenerateRandomPassword && p.Password !== undefined) {
        throw invalidParameter('Password', 'give either Password or GenerateRandomPassword=true, not both');
      }
      if (!p.GenerateRandomPassword && p.Password === undefined) throw missingParameter('Password');
      const directory = await getDirectory(c.tx, p.DirectoryId, c.accountId);
      const user = await getUser(c.tx, directory.id, p.UserId);
      const password = p.GenerateRandomPassword ? generatePassword() : (p.Password as string);
      const violation = passwordPolicyViolation(password, user, directory);
      if (violation) throw invalidParameter('Password', violation, 'InvalidParameter.Password.PolicyViolation');
      if (await isRecentPassword(c.tx, user, password, directory.password_reuse_prevention)) {
        throw invalidParameter('Password', `it must differ from the last ${directory.password_reuse_prevention} passwords`, 'InvalidParameter.Password.Reused');
      }
      await setUserPassword(c.tx, user, password, { resetRequired: p.RequirePasswordResetForNextLogin ?? false }, isoNow(c.clock));
      return p.GenerateRandomPassword ? { NewPassword: password } : {};
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'ListMFADevicesForUser',
    params: { DirectoryId: directoryId(), UserId: userId() },
    ramAction: 'cloudsso:ListMFADevicesForUser',
    resource: userResource,
    async handle(p, c) {
      const user = await userOf(c, p);
      const devices = await listMfaDevices(c.tx, user.id);
      return {
        MFADevices: devices.map((d) => ({ DeviceId: d.id, DeviceName: d.name, DeviceType: 'TOTP', EffectiveTime: apiTime(d.created_at), UserId: user.id })),
        TotalCounts: devices.length,
      };
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'DeleteMFADeviceForUser',
    params: { DirectoryId: directoryId(), UserId: userId(), MFADeviceId: idParam('MFADeviceId') },
    ramAction: 'cloudsso:DeleteMFADeviceForUser',
    resource: userResource,
    async handle(p, c) {
      const user = await userOf(c, p);
      await deleteMfaDevice(c.tx, user, p.MFADeviceId);
      return {};
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'GetUserMFAAuthenticationSettings',
    params: { DirectoryId: directoryId(), UserId: userId() },
    ramAction: 'cloudsso:GetUserMFAAuthenticationSettings',
    resource: userResource,
    async handle(p, c) {
      const user = await userOf(c, p);
      return { UserMFAAuthenticationSettings: user.mfa_authentication_settings };
    },
  }),
  defineAction({
    product: 'cloudsso',
    name: 'UpdateUserMFAAuthenticationSettings',
    params: {
      DirectoryId: directoryId(),
      UserId: userId(),
      UserMFAAuthenticationSettings: str({ required: true, enum: STATUS, code: 'InvalidParameter.UserMFAAuthenticationSettings' }),
    },
    ramAction: 'cloudsso:UpdateUserMFAAuthenticationSettings',
    resource: userResource,
    async handle(p, c) {
      const user = await userOf(c, p);
      await setUserMfaSettings(c.tx, user, p.UserMFAAuthenticationSettings as 'Enabled' | 'Disabled', isoNow(c.clock));
      return {};
    },
  }),
];
