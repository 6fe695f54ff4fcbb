// IMS names RAM users by UserPrincipalName: `<user name>@<default domain or a domain alias of the account>`.
import { entityNotExist } from '../errors.js';
import type { Tx } from '../store/db.js';
import type { RamUserTable } from '../store/schema.js';

const NAME = /^[A-Za-z0-9._-]{1,64}$/;
const DOMAIN = /^[A-Za-z0-9.-]{1,128}$/;

/** The user-name part of a UPN, or null when the value is not `<name>@<domain>`. */
export function principalNameParts(upn: string): { name: string; domain: string } | null {
  const at = upn.lastIndexOf('@');
  if (at <= 0) return null;
  const name = upn.slice(0, at);
  const domain = upn.slice(at + 1).toLowerCase();
  return NAME.test(name) && DOMAIN.test(domain) ? { name, domain } : null;
}

/** The user a UPN names in the account: the domain must be one of the account's (default or alias). */
export async function findUserByPrincipalName(tx: Tx, accountId: string, upn: string): Promise<RamUserTable | undefined> {
  const parts = principalNameParts(upn);
  if (!parts) return undefined;
  return tx
    .selectFrom('ram_users as u')
    .innerJoin('account_domains as d', 'd.account_id', 'u.account_id')
    .selectAll('u')
    .where('u.account_id', '=', accountId)
    .where('u.name_key', '=', parts.name.toLowerCase())
    .where('d.domain_name', '=', parts.domain)
    .executeTakeFirst();
}

/** As findUserByPrincipalName; EntityNotExist.User (404) when there is no such user. */
export async function getUserByPrincipalName(tx: Tx, accountId: string, upn: string): Promise<RamUserTable> {
  const user = await findUserByPrincipalName(tx, accountId, upn);
  if (!user) throw entityNotExist('EntityNotExist.User', `user ${upn}`);
  return user;
}

