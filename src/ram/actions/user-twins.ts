import { defineAction, type ActionContext, type ActionDefinition } from '../../openapi/define-action.js';
import type { ParamSpec, ParamsOf } from '../../openapi/params.js';
import { getUserByPrincipalName } from '../upn.js';
import { getUserByName, type RamUser } from '../users.js';
import { nameOfPrincipalName, userResource } from './users.js';

// RAM 2015-05-01 and IMS 2019-08-15 twins of an action about one user differ in how the user is named
// (UserName vs UserPrincipalName); a UserKey says how, and userAction builds either twin from one handler.

type Specs = Record<string, ParamSpec<unknown>>;

/** How one product names the user an action is about: its parameter, the ARN authorized, the lookup. */
export interface UserKey<K extends Specs> {
  product: 'ram' | 'ims';
  /** Spread into each action's params where the parameter stands (the order decides which error comes first). */
  params: K;
  resource: (p: ParamsOf<K>, c: ActionContext) => string;
  find: (p: ParamsOf<K>, c: ActionContext) => Promise<RamUser>;
}

export type ByUserName = UserKey<{ UserName: ParamSpec<string> }>;
export type ByPrincipalName = UserKey<{ UserPrincipalName: ParamSpec<string> }>;

/** RAM: `UserName`. */
export const byUserName = (spec: ParamSpec<string>): ByUserName => ({
  product: 'ram',
  params: { UserName: spec },
  resource: (p, c) => userResource(c.accountId, p.UserName),
  find: (p, c) => getUserByName(c.tx, c.accountId, p.UserName),
});

/** IMS: `UserPrincipalName`, authorized on its user-name part (the domain is checked by the lookup). */
export const byPrincipalName = (spec: ParamSpec<string>): ByPrincipalName => ({
  product: 'ims',
  params: { UserPrincipalName: spec },
  resource: (p, c) => userResource(c.accountId, nameOfPrincipalName(p.UserPrincipalName)),
  find: (p, c) => getUserByPrincipalName(c.tx, c.accountId, p.UserPrincipalName),
});

export type UserHandler<P> = (user: RamUser, p: P, c: ActionContext) => Promise<object> | object;

/** One action about one user, authorized on that user; `params` must include the key's. */
export function userAction<K extends Specs, S extends K>(
  key: UserKey<K>,
  d: { name: string; ramAction: string; params: S; handle: UserHandler<ParamsOf<S>> },
): ActionDefinition {
  return defineAction({
    product: key.product,
    name: d.name,
    params: d.params,
    ramAction: d.ramAction,
    resource: (p, c) => key.resource(p as unknown as ParamsOf<K>, c),
    async handle(p, c) {
      return d.handle(await key.find(p as unknown as ParamsOf<K>, c), p, c);
    },
  });
}
