import type { EntityKind } from './entity-kind.js';
import { findSystemPolicy } from '../policy/system-policies.js';
import { parseRoleArn } from '../sts/assume-role.js';
import type { Tx } from '../store/db.js';
import { findGroupByName } from './groups.js';
import { findCustomPolicy } from './policies.js';
import { roleArn } from './principal.js';
import { findRoleByName } from './roles.js';
import { findSamlProvider } from './saml-providers.js';
import { findUserByPrincipalName } from './upn.js';
import { findUserByName } from './users.js';

// RAM finds users, groups, roles, policies and SAML providers by name regardless of case, but a policy's Resource
// is matched as written. So whatever decides about an entity must see the one spelling it is stored under.

/** The other parameters of the same request: a policy's PolicyType says where to look. */
type Siblings = Record<string, unknown>;

type Lookup = (tx: Tx, accountId: string, value: string, siblings: Siblings) => Promise<string | undefined>;

async function policyName(tx: Tx, accountId: string, name: string, type: unknown): Promise<string | undefined> {
  const custom = type === 'System' ? undefined : (await findCustomPolicy(tx, accountId, name))?.name;
  return custom ?? (type === 'Custom' ? undefined : findSystemPolicy(name)?.name);
}

const LOOKUPS: Record<EntityKind, Lookup> = {
  user: async (tx, accountId, name) => (await findUserByName(tx, accountId, name))?.name,
  // The domain part is the account's, matched without case; only the user-name part is ever authorized.
  'user-principal': async (tx, accountId, upn) => {
    const user = await findUserByPrincipalName(tx, accountId, upn);
    return user && `${user.name}${upn.slice(upn.lastIndexOf('@'))}`;
  },
  group: async (tx, accountId, name) => (await findGroupByName(tx, accountId, name))?.name,
  role: async (tx, accountId, name) => (await findRoleByName(tx, accountId, name))?.name,
  // A RoleArn may name another account's role (AssumeRole): it is looked up where the ARN says.
  'role-arn': async (tx, _accountId, arn) => {
    const target = parseRoleArn(arn);
    const role = target && (await findRoleByName(tx, target.accountId, target.roleName));
    return role && roleArn(role.account_id, role.name);
  },
  policy: (tx, accountId, name, siblings) => policyName(tx, accountId, name, siblings.PolicyType),
  'saml-provider': async (tx, accountId, name) => (await findSamlProvider(tx, accountId, name))?.name,
};

/**
 * The spelling the named entity is stored under, or the value as given when nothing is stored under it in any case
 * (an entity about to be created is stored as given; one that does not exist is the handler's EntityNotExist).
 */
export async function storedName(tx: Tx, accountId: string, kind: EntityKind, value: string, siblings: Siblings = {}): Promise<string> {
  return (await LOOKUPS[kind](tx, accountId, value, siblings)) ?? value;
}
