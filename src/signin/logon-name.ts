import type { Tx } from '../store/db.js';
import { preparedQuery } from '../store/prepared.js';

export interface LogonName {
  name: string;
  domain: string;
}

const NAME = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Reads what the user typed on a logon page: `name@domain` on the general page, the short name (or the full one)
 * on a dedicated `/<domain>/login.htm` page. Null when it cannot be a RAM user's logon name.
 */
export function parseLogonName(typed: string, fixedDomain: string | null): LogonName | null {
  const value = typed.trim();
  const at = value.lastIndexOf('@');
  const name = at >= 0 ? value.slice(0, at) : value;
  const domain = (at >= 0 ? value.slice(at + 1) : (fixedDomain ?? '')).toLowerCase();
  if (!NAME.test(name) || !/^[a-z0-9.-]{3,128}$/.test(domain)) return null;
  if (fixedDomain && domain !== fixedDomain.toLowerCase()) return null;
  return { name, domain };
}

const accountByDomain = preparedQuery((tx, p: { domain: string }) => tx.selectFrom('account_domains').select('account_id').where('domain_name', '=', p.domain));

export async function accountOfDomain(tx: Tx, domain: string): Promise<string | undefined> {
  const [row] = (await accountByDomain(tx, { domain: domain.toLowerCase() })).rows;
  return row?.account_id;
}
