import { storedName } from '../ram/stored-names.js';
import type { ActionContext } from './define-action.js';
import type { EntityKind } from '../ram/entity-kind.js';
import type { EntityNaming, ParamSpec } from './params.js';

function kindOf(naming: EntityNaming, params: Record<string, unknown>): EntityKind | undefined {
  if ('kind' in naming) return naming.kind;
  const given = params[naming.kindFrom];
  return naming.kinds.find((kind) => kind === given);
}

/**
 * The gateway's "resolve" step: each parameter declared as naming an entity is replaced by the entity's stored
 * spelling before authorization, so the authorizer and the handler see the same name and a Deny on the stored
 * name cannot be stepped around by changing case.
 */
export async function withStoredNames<P extends object>(specs: Record<string, ParamSpec<unknown>>, params: P, c: ActionContext): Promise<P> {
  const given = params as Record<string, unknown>;
  const out: Record<string, unknown> = { ...given };
  for (const [name, spec] of Object.entries(specs)) {
    const kind = spec.names && kindOf(spec.names, given);
    const value = given[name];
    if (!kind || value === undefined) continue;
    const resolve = (v: unknown): Promise<unknown> | unknown => (typeof v === 'string' ? storedName(c.tx, c.accountId, kind, v, given) : v);
    out[name] = Array.isArray(value) ? await Promise.all(value.map(resolve)) : await resolve(value);
  }
  return out as P;
}
