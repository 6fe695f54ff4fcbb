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
