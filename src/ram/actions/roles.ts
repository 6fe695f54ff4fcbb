import { apiTime } from '../../clock.js';
import { defineAction } from '../../openapi/define-action.js';
import { int, naming, str } from '../../openapi/params.js';
import { pageFields, pageRequest, pagingParams } from './paging-params.js';
import { roleArn } from '../principal.js';
import { createRole, deleteRole, getRoleByName, listRoles, updateRole, type RamRole } from '../roles.js';
import { addTags, tagsOf } from '../../tags/store.js';
import { tagFilterList, tagList } from '../../openapi/tag-params.js';
import { tagsView } from './tags.js';

export const ROLE_NAME = /^[A-Za-z0-9.-]+$/;
export const roleName = <R extends boolean>(required: R) =>
  naming(
    str({ required, min: 1, max: 64, pattern: ROLE_NAME, lengthCode: 'InvalidParameter.RoleName.Length', charsCode: 'InvalidParameter.RoleName.InvalidChars' }),
    'role',
  );

export const roleResource = (accountId: string, name: string): string => `acs:ram:*:${accountId}:role/${name}`;

const description = () => str({ max: 1024, lengthCode: 'InvalidParameter.Description.Length' });
const trustPolicy = <R extends boolean>(required: R) => str({ required, max: 2048, lengthCode: 'InvalidParameter.AssumeRolePolicyDocument.Length' });
const sessionDuration = () => int({ min: 3600, max: 43200, code: 'InvalidParameter.MaxSessionDuration' });

/** RAM 2015-05-01 shape of a role. */
export function ramRoleView(role: RamRole): Record<string, unknown> {
  return {
    RoleId: role.id,
    RoleName: role.name,
    Arn: roleArn(role.account_id, role.name),
    Description: role.description,
    AssumeRolePolicyDocument: role.assume_role_policy_document,
    MaxSessionDuration: role.max_session_duration,
    CreateDate: apiTime(role.created_at),
    UpdateDate: apiTime(role.updated_at),
  };
}

export const rolesActions = [
  defineAction({
    product: 'ram',
    name: 'CreateRole',
    params: {
      RoleName: roleName(true),
      AssumeRolePolicyDocument: trustPolicy(true),
      Description: description(),
      MaxSessionDuration: sessionDuration(),
      Tag: tagList(),
    },
    ramAction: 'ram:CreateRole',
    resource: (p, c) => roleResource(c.accountId, p.RoleName),
    async handle(p, c) {
      const role = await createRole(
        c.tx,
        c.accountId,
        { name: p.RoleName, assumeRolePolicyDocument: p.AssumeRolePolicyDocument, description: p.Description, maxSessionDuration: p.MaxSessionDuration },
        c.clock.now().toISOString(),
      );
      await addTags(c.tx, c.accountId, 'role', role.id, p.Tag);
      const { UpdateDate: _u, ...view } = ramRoleView(role);
      return { Role: view };
    },
  }),
  defineAction({
    product: 'ram',
    name: 'GetRole',
    params: { RoleName: roleName(true) },
    ramAction: 'ram:GetRole',
    resource: (p, c) => roleResource(c.accountId, p.RoleName),
    async handle(p, c) {
      return { Role: ramRoleView(await getRoleByName(c.tx, c.accountId, p.RoleName)) };
    },
  }),
  defineAction({
    product: 'ram',
    name: 'UpdateRole',
    params: {
      RoleName: roleName(true),
      NewAssumeRolePolicyDocument: trustPolicy(false),
      NewMaxSessionDuration: int({ min: 3600, max: 43200, code: 'InvalidParameter.NewMaxSessionDuration' }),
      NewDescription: str({ max: 1024, lengthCode: 'InvalidParameter.NewDescription.Length' }),
    },
    ramAction: 'ram:UpdateRole',
    resource: (p, c) => roleResource(c.accountId, p.RoleName),
    async handle(p, c) {
      const role = await updateRole(
        c.tx,
        c.accountId,
        p.RoleName,
        { assumeRolePolicyDocument: p.NewAssumeRolePolicyDocument, description: p.NewDescription, maxSessionDuration: p.NewMaxSessionDuration },
        c.clock.now().toISOString(),
      );
      return { Role: ramRoleView(role) };
    },
  }),
  defineAction({
    product: 'ram',
    name: 'DeleteRole',
    params: { RoleName: roleName(true) },
    ramAction: 'ram:DeleteRole',
    resource: (p, c) => roleResource(c.accountId, p.RoleName),
    async handle(p, c) {
      await deleteRole(c.tx, c.accountId, p.RoleName);
      return {};
    },
  }),
  defineAction({
    product: 'ram',
    name: 'ListRoles',
    params: { ...pagingParams(), Tag: tagFilterList() },
    ramAction: 'ram:ListRoles',
    resource: (_p, c) => roleResource(c.accountId, '*'),
    async handle(p, c) {
      const page = await listRoles(c.tx, c.accountId, { tags: p.Tag }, pageRequest(p));
      const tags = await tagsOf(c.tx, c.accountId, 'role', page.items.map((role) => role.id));
      return {
        Roles: {
          Role: page.items.map((role) => {
            const { AssumeRolePolicyDocument: _d, ...view } = ramRoleView(role);
            return { ...view, ...tagsView(tags.get(role.id)) };
          }),
        },
        ...pageFields(page),
      };
    },
  }),
];
