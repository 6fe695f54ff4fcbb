import { changeAccountAlias, defaultDomainOfAccount, findAccount, DEFAULT_DOMAIN_SUFFIX } from '../../accounts/accounts.js';
import { defineAction, type ActionContext } from '../../openapi/define-action.js';
import { ApiError, entityAlreadyExists, entityNotExist } from '../../errors.js';
import { str } from '../../openapi/params.js';
import { accountSummary } from '../quotas.js';

// The account alias and the default logon domain are one thing seen twice: the domain is `<alias>.onaliyun.com`
// (seed 002), so RAM's SetAccountAlias and IMS's SetDefaultDomain both move it.

/** 3–32 of `[a-z0-9-]`, not starting or ending with `-`. */
export const ACCOUNT_ALIAS = /^[a-z0-9][a-z0-9-]{1,30}[a-z0-9]$/;
const DEFAULT_DOMAIN = /^[A-Za-z0-9][A-Za-z0-9-]{1,30}[A-Za-z0-9]\.onaliyun\.com$/;

const accountResource = (_p: unknown, c: ActionContext): string => `acs:ram:*:${c.accountId}:*`;

async function setAlias(c: ActionContext, alias: string, takenCode: string): Promise<void> {
  const change = await changeAccountAlias(c.tx, c.accountId, alias, c.clock.now().toISOString());
  if (change.ok) return;
  if (change.reason === 'taken') throw entityAlreadyExists(takenCode, `alias ${alias}`);
  throw entityNotExist('EntityNotExist.Account', `account ${c.accountId}`);
}

async function currentAlias(c: ActionContext): Promise<string> {
  const account = await findAccount(c.tx, c.accountId);
  if (!account) throw entityNotExist('EntityNotExist.Account', `account ${c.accountId}`);
  return account.alias;
}

export const accountActions = [
  defineAction({
    product: 'ram',
    name: 'SetAccountAlias',
    params: {
      AccountAlias: str({
        required: true,
        min: 3,
        max: 32,
        pattern: ACCOUNT_ALIAS,
        lengthCode: 'InvalidParameter.AccountAlias.Length',
        charsCode: 'InvalidParameter.AccountAlias.InvalidChars',
      }),
    },
    ramAction: 'ram:SetAccountAlias',
    resource: accountResource,
    async handle(p, c) {
      await setAlias(c, p.AccountAlias, 'EntityAlreadyExists.AccountAlias');
      return {};
    },
  }),
  defineAction({
    product: 'ram',
    name: 'GetAccountAlias',
    params: {},
    ramAction: 'ram:GetAccountAlias',
    resource: accountResource,
    async handle(_p, c) {
      return { AccountAlias: await currentAlias(c) };
    },
  }),
  defineAction({
    product: 'ram',
    name: 'ClearAccountAlias',
    params: {},
    ramAction: 'ram:ClearAccountAlias',
    resource: accountResource,
    async handle(_p, c) {
      // Without an alias the account is known by its ID, and so is its default domain: `<accountId>.onaliyun.com`.
      await setAlias(c, c.accountId, 'EntityAlreadyExists.AccountAlias');
      return {};
    },
  }),
  defineAction({
    product: 'ims',
    name: 'GetAccountSummary',
    params: {},
    ramAction: 'ram:GetAccountSummary',
    resource: accountResource,
    async handle(_p, c) {
      return { SummaryMap: await accountSummary(c.tx, c.accountId) };
    },
  }),
  defineAction({
    product: 'ims',
    name: 'GetDefaultDomain',
    params: {},
    ramAction: 'ram:GetDefaultDomain',
    resource: accountResource,
    async handle(_p, c) {
      return { DefaultDomainName: await defaultDomainOfAccount(c.tx, c.accountId) };
    },
  }),
  defineAction({
    product: 'ims',
    name: 'SetDefaultDomain',
    params: {
      DefaultDomainName: str({
        required: true,
        min: 3 + DEFAULT_DOMAIN_SUFFIX.length,
        max: 32 + DEFAULT_DOMAIN_SUFFIX.length,
        pattern: DEFAULT_DOMAIN,
        lengthCode: 'InvalidParameter.DefaultDomainName.Length',
        charsCode: 'InvalidParameter.DefaultDomainName.Format',
      }),
    },
    ramAction: 'ram:SetDefaultDomain',
    resource: accountResource,
    async handle(p, c) {
      const domain = p.DefaultDomainName.toLowerCase();
      const prefix = domain.slice(0, -DEFAULT_DOMAIN_SUFFIX.length);
      if (!ACCOUNT_ALIAS.test(prefix)) throw new ApiError('InvalidParameter.DefaultDomainName.Format', 400, 'The default domain prefix is not valid.');
      await setAlias(c, prefix, 'EntityAlreadyExists.DefaultDomain');
      return { DefaultDomainName: domain };
    },
  }),
];
