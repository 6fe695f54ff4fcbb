import { sql } from 'kysely';
import type { Tx } from '../store/db.js';
import type { AccountTable } from '../store/schema.js';
import { newAccountId } from '../ids.js';

export type Account = AccountTable;

export const DEFAULT_DOMAIN_SUFFIX = '.onaliyun.com';

export function defaultDomainOf(alias: string): string {
  return `${alias}${DEFAULT_DOMAIN_SUFFIX}`;
}

export async function findManagementAccount(tx: Tx): Promise<Account | undefined> {
  return tx.selectFrom('accounts').selectAll().where('type', '=', 'management').executeTakeFirst();
}

export async function findAccount(tx: Tx, accountId: string): Promise<Account | undefined> {
  return tx.selectFrom('accounts').selectAll().where('id', '=', accountId).executeTakeFirst();
}

export interface NewAccount {
  displayName: string;
  alias: string;
  type: Account['type'];
  rootPasswordHash: string | null;
  now: string;
}

/** Creates an account with its default logon domain `<alias>.onaliyun.com`. */
export async function createAccount(tx: Tx, input: NewAccount): Promise<Account> {
  const account: Account = {
    id: newAccountId(),
    display_name: input.displayName,
    alias: input.alias,
    type: input.type,
    root_password_hash: input.rootPasswordHash,
    created_at: input.now,
  };
  await tx.insertInto('accounts').values(account).execute();
  await tx
    .insertInto('account_domains')
    .values({ account_id: account.id, domain_name: defaultDomainOf(input.alias), kind: 'default', created_at: input.now })
    .execute();
  return account;
}

/** Serializes first-start work across nodes sharing one PostgreSQL (SQLite serializes writers already). */
export async function lockBootstrap(tx: Tx, dialect: 'sqlite' | 'postgres'): Promise<void> {
  if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(7140021)`.execute(tx);
}

/** The account's default logon domain, `<alias>.onaliyun.com`. */
export async function defaultDomainOfAccount(tx: Tx, accountId: string): Promise<string> {
  const row = await tx
    .selectFrom('account_domains')
    .select('domain_name')
    .where('account_id', '=', accountId)
    .where('kind', '=', 'default')
    .executeTakeFirst();
  if (row) return row.domain_name;
  const account = await findAccount(tx, accountId);
  return defaultDomainOf(account?.alias ?? accountId);
}

/** Is `domain` (any case) the account's default domain or one of its domain aliases? */
export async function isDomainOfAccount(tx: Tx, accountId: string, domain: string): Promise<boolean> {
  const row = await tx
    .selectFrom('account_domains')
    .select('domain_name')
    .where('account_id', '=', accountId)
    .where('domain_name', '=', domain.toLowerCase())
    .executeTakeFirst();
  return row !== undefined;
}

export type AliasChange = { ok: true; account: Account } | { ok: false; reason: 'taken' | 'no-account' };

/**
 * Gives the account a new alias; its default logon domain follows as `<alias>.onaliyun.com`.
 * An alias is unique across accounts, and the new default domain may not be anyone's domain (alias) already.
 */
export async function changeAccountAlias(tx: Tx, accountId: string, alias: string, now: string): Promise<AliasChange> {
  const account = await findAccount(tx, accountId);
  if (!account) return { ok: false, reason: 'no-account' };
  const domain = defaultDomainOf(alias).toLowerCase();
  if (account.alias === alias) return { ok: true, account };
  const aliasOwner = await tx.selectFrom('accounts').select('id').where('alias', '=', alias).executeTakeFirst();
  if (aliasOwner) return { ok: false, reason: 'taken' };
  const domainOwner = await tx.selectFrom('account_domains').select(['account_id', 'kind']).where('domain_name', '=', domain).executeTakeFirst();
  if (domainOwner && !(domainOwner.account_id === accountId && domainOwner.kind === 'default')) return { ok: false, reason: 'taken' };
  await tx.updateTable('accounts').set({ alias }).where('id', '=', accountId).execute();
  await tx.deleteFrom('account_domains').where('account_id', '=', accountId).where('kind', '=', 'default').execute();
  await tx.insertInto('account_domains').values({ account_id: accountId, domain_name: domain, kind: 'default', created_at: now }).execute();
  return { ok: true, account: { ...account, alias } };
}
