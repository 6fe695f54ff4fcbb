import type { Tx } from '../store/db.js';
import { DEFAULT_DOMAIN_SUFFIX } from './accounts.js';

// A domain alias lets RAM users log on as `name@<your domain>` besides `name@<alias>.onaliyun.com` (seed 002).
// An account has at most one; a domain belongs to one account only.

const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const DOMAIN = new RegExp(`^(?:${LABEL}\\.)+[a-z]{2,63}$`);

export type DomainAliasChange = { ok: true; domain: string } | { ok: false; problem: string };

export async function findDomainAlias(tx: Tx, accountId: string): Promise<string | undefined> {
  const row = await tx.selectFrom('account_domains').select('domain_name').where('account_id', '=', accountId).where('kind', '=', 'alias').executeTakeFirst();
  return row?.domain_name;
}

/** Why `domain` cannot be a domain alias, or null. */
export function domainAliasProblem(domain: string): string | null {
  if (domain.length < 4 || domain.length > 128) return 'A domain alias is 4 to 128 characters long.';
  if (!DOMAIN.test(domain)) return 'Enter a domain name such as example.com.';
  if (domain.endsWith(DEFAULT_DOMAIN_SUFFIX)) return `A domain alias cannot end with ${DEFAULT_DOMAIN_SUFFIX}; that is the default domain.`;
  return null;
}

/** Sets (or replaces) the account's domain alias. */
export async function setDomainAlias(tx: Tx, accountId: string, typed: string, now: string): Promise<DomainAliasChange> {
  const domain = typed.trim().toLowerCase();
  const problem = domainAliasProblem(domain);
  if (problem) return { ok: false, problem };
  const owner = await tx.selectFrom('account_domains').select(['account_id', 'kind']).where('domain_name', '=', domain).executeTakeFirst();
  if (owner && !(owner.account_id === accountId && owner.kind === 'alias')) return { ok: false, problem: 'This domain is already used by an account.' };
  await tx.deleteFrom('account_domains').where('account_id', '=', accountId).where('kind', '=', 'alias').execute();
  await tx.insertInto('account_domains').values({ account_id: accountId, domain_name: domain, kind: 'alias', created_at: now }).execute();
  return { ok: true, domain };
}

export async function removeDomainAlias(tx: Tx, accountId: string): Promise<void> {
  await tx.deleteFrom('account_domains').where('account_id', '=', accountId).where('kind', '=', 'alias').execute();
}
