import type { Clock } from '../clock.js';
import type { Tx } from '../store/db.js';
import type { Principal } from '../ram/principal.js';
import type { Services } from '../services.js';
import type { RequestContext } from '../policy/evaluate.js';
import type { ParamSpec, ParamsOf, RawParams } from './params.js';

export type Product = 'ram' | 'ims' | 'sts' | 'resourcemanager' | 'cloudsso';

export const PRODUCT_VERSIONS: Record<string, Product> = {
  '2015-05-01': 'ram',
  '2019-08-15': 'ims',
  '2015-04-01': 'sts',
  '2020-03-31': 'resourcemanager',
  '2021-05-15': 'cloudsso',
};

export interface ActionContext {
  tx: Tx;
  clock: Clock;
  /** The authenticated caller (undefined only for anonymous actions). */
  caller: Principal;
  /** The account the call acts in: the caller's. */
  accountId: string;
  region: string;
  requestId: string;
  sourceIp: string;
  secureTransport: boolean;
  services: Services;
  raw: RawParams;
  /** Condition keys of this request (acs:SourceIp, acs:CurrentTime…), for handlers that authorize by themselves. */
  requestContext: RequestContext;
}

export interface ActionDefinition<S extends Record<string, ParamSpec<unknown>> = Record<string, ParamSpec<unknown>>> {
  product: Product;
  name: string;
  params: S;
  /** RAM action checked by the policy engine, e.g. `ram:GetUser`. Absent: the handler authorizes by itself. */
  ramAction?: string;
  /**
   * Resource ARN(s) the action touches, built from the parameters after the gateway has replaced each entity-naming
   * one (see `naming` in params.ts) by the entity's stored spelling. Async when an ARN needs a lookup (an id → a name).
   */
  resource?: (p: ParamsOf<S>, c: ActionContext) => string | string[] | Promise<string | string[]>;
  /** Callable without a signature (STS AssumeRoleWithSAML). */
  anonymous?: boolean;
  handle: (p: ParamsOf<S>, c: ActionContext) => Promise<object> | object;
}

export function defineAction<S extends Record<string, ParamSpec<unknown>>>(definition: ActionDefinition<S>): ActionDefinition {
  return definition as unknown as ActionDefinition;
}

export type ActionRegistry = Map<string, ActionDefinition>;

export function buildRegistry(...groups: ActionDefinition[][]): ActionRegistry {
  const registry: ActionRegistry = new Map();
  for (const action of groups.flat()) {
    const key = `${action.product}:${action.name}`;
    if (registry.has(key)) throw new Error(`action ${key} declared twice`);
    registry.set(key, action);
  }
  return registry;
}
