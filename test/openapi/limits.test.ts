// Parameter limits, checked against the contract's table (contract-limits.ts), never against themselves:
// 1. every declared limit agrees with the table, and every declared limit is in the table or listed as not in the
//    contract, so a wrong bound in a declaration fails;
// 2. over HTTP with the official SDK's callApi: min and max are accepted, min−1 and max+1 are refused with 400 and the
//    documented code, and a refused call changes nothing. Values and codes come from the table; contract-fixtures.ts
//    only knows how to make a valid call;
// 3. a smoke sweep generated from the declarations: every declared violation is refused with 400 InvalidParameter,
//    so a new action is covered the day it is declared (it cannot tell a wrong bound from a right one; 1 and 2 can).
// One server for the file; 1 needs none.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { actionRegistry } from '../../src/openapi/actions.js';
import { PRODUCT_VERSIONS, type ActionDefinition } from '../../src/openapi/define-action.js';
import { ApiError } from '../../src/errors.js';
import type { ParamSpec } from '../../src/openapi/params.js';
import { startServer, type TestServer } from '../support/server.js';
import { callApi, expectApiError } from '../support/sdk.js';
import { CONTRACT_LIMITS, NOT_IN_CONTRACT, type ContractLimit, type Unchecked } from './contract-limits.js';
import { expandChars, valueOf } from './contract-values.js';
import { contractFixtures, VERSION, type Fixture, type Query } from './contract-fixtures.js';
import { sample, violations } from './declared-violations.js';

const VERSION_OF = Object.fromEntries(Object.entries(PRODUCT_VERSIONS).map(([version, product]) => [product, version]));

type Declared = { min?: number; max?: number; pattern?: string; enum?: readonly string[] };
type Facet = keyof Declared;

const registry = actionRegistry();
const key = (product: string, action: string, param: string): string => `${product} ${action} ${param}`;
const rowOf = new Map(CONTRACT_LIMITS.map((row) => [key(row.product, row.action, row.param), row]));

function specOf(row: ContractLimit): ParamSpec<unknown> {
  const spec = registry.get(`${row.product}:${row.action}`)?.params[row.param];
  assert.ok(spec, `${key(row.product, row.action, row.param)} is in the contract table but not declared`);
  return spec;
}

function declaredFacets(spec: ParamSpec<unknown>): Declared {
  const limits = spec.limits as Declared;
  // "≤N" in the contract: a string's minimum of 1 is the same as none (an empty value reads as absent).
  const min = spec.kind === 'string' && limits.min === 1 ? undefined : limits.min;
  return { min, max: limits.max, pattern: limits.pattern, enum: limits.enum };
}

const uncheckedFor = (product: string, action: string, param: string): Unchecked[] =>
  NOT_IN_CONTRACT.filter((u) => (u.product === '*' || u.product === product) && u.param === param && (!u.actions || u.actions.includes(action)));

/** The code a declared parameter throws for `value`, or undefined when it accepts it. */
function codeFor(spec: ParamSpec<unknown>, param: string, value: string): string | undefined {
  try {
    spec.parse(value, param);
    return undefined;
  } catch (error) {
    if (error instanceof ApiError) return error.code;
    throw error;
  }
}

describe('parameter limits', () => {
  let server: TestServer;
  let fixtures: Record<string, Fixture>;
  let seq = 0;
  const call = (product: keyof typeof VERSION, action: string, query: Query = {}): Promise<any> =>
    callApi(server.url, server.root, action, VERSION[product], query);
  before(async () => {
    server = await startServer();
    fixtures = contractFixtures(call, server.accountId);
  });
  after(async () => server.close());

  describe('declared limits agree with the contract', () => {
    it('every row of the table is a declared parameter of the same kind and bounds', () => {
      const wrong: string[] = [];
      for (const row of CONTRACT_LIMITS) {
        const spec = specOf(row);
        const declared = declaredFacets(spec);
        const unchecked = new Set(uncheckedFor(row.product, row.action, row.param).map((u) => u.facet));
        const where = key(row.product, row.action, row.param);
        if (spec.kind !== row.kind) wrong.push(`${where}: declared a ${spec.kind}, the contract says ${row.kind}`);
        if (declared.min !== row.min && !unchecked.has('min')) wrong.push(`${where}: declared min ${declared.min}, the contract says ${row.min} (${row.source})`);
        if (declared.max !== row.max && !unchecked.has('max')) wrong.push(`${where}: declared max ${declared.max}, the contract says ${row.max} (${row.source})`);
        if (JSON.stringify([...(declared.enum ?? [])].sort()) !== JSON.stringify([...(row.enum ?? [])].sort())) {
          wrong.push(`${where}: declared values ${declared.enum?.join('|')}, the contract says ${row.enum?.join('|')} (${row.source})`);
        }
        if (Boolean(declared.pattern) !== Boolean(row.chars) && !unchecked.has('pattern')) {
          wrong.push(`${where}: declared pattern ${declared.pattern}, the contract gives ${row.chars ? `[${row.chars}]` : 'no characters'} (${row.source})`);
        }
      }
      assert.deepEqual(wrong, []);
    });

    it('every declared limit is in the table or listed as not in the contract', () => {
      const unplaced: string[] = [];
      for (const action of registry.values()) {
        for (const [param, spec] of Object.entries(action.params)) {
          const facets = Object.entries(declaredFacets(spec)).filter(([, v]) => v !== undefined).map(([f]) => f as Facet);
          if (facets.length === 0 || rowOf.has(key(action.product, action.name, param))) continue;
          const unchecked = uncheckedFor(action.product, action.name, param);
          if (unchecked.some((u) => !u.facet)) continue;
          const left = facets.filter((f) => !unchecked.some((u) => u.facet === f));
          if (left.length) unplaced.push(`${key(action.product, action.name, param)} declares ${left.join(', ')}`);
        }
      }
      assert.deepEqual(unplaced, []);
    });

    it('each declaration accepts min and max and refuses min−1 and max+1 with the documented code', () => {
      const wrong: string[] = [];
      for (const row of CONTRACT_LIMITS) {
        const spec = specOf(row);
        const where = key(row.product, row.action, row.param);
        const expect = (value: string, code: string | undefined, why: string): void => {
          const got = codeFor(spec, row.param, value);
          if (got !== code) wrong.push(`${where} ${why}: got ${got ?? 'accepted'}, the contract says ${code ?? 'accepted'}`);
        };
        const lengthCode = row.lengthCode ?? row.code;
        if (row.kind === 'integer') {
          if (row.min !== undefined) expect(String(row.min), undefined, `min ${row.min}`), expect(String(row.min - 1), row.code, `min−1 ${row.min - 1}`);
          if (row.max !== undefined) expect(String(row.max), undefined, `max ${row.max}`), expect(String(row.max + 1), row.code, `max+1 ${row.max + 1}`);
        } else if (row.enum) {
          for (const value of row.enum) expect(value, undefined, `value ${value}`);
          expect(`${row.enum[0]}x`, row.code, 'a value outside the list');
        } else {
          if (row.min !== undefined) expect(valueOf(row, row.min), undefined, `length ${row.min}`), expect(valueOf(row, row.min - 1), lengthCode, `length ${row.min - 1}`);
          if (row.max !== undefined) expect(valueOf(row, row.max), undefined, `length ${row.max}`), expect(valueOf(row, row.max + 1), lengthCode, `length ${row.max + 1}`);
        }
        if (row.chars) {
          const allowed = expandChars(row.chars);
          for (let c = 32; c < 127; c++) {
            const ch = String.fromCharCode(c);
            expect(`a${ch}b`, allowed.has(ch) ? undefined : (row.charsCode ?? row.code), `with ${JSON.stringify(ch)}`);
          }
          for (const value of row.refused ?? []) expect(value, row.charsCode ?? row.code, `as ${JSON.stringify(value)}`);
        }
      }
      assert.deepEqual(wrong, []);
    });
  });

  describe('contract limits at the boundary, over HTTP', () => {
    /** The boundary values of a row: [value, accepted?] — lengths for strings, values for integers, one foreign value for a list. */
    function boundaries(row: ContractLimit): Array<{ value: string; accept: boolean; length?: number }> {
      if (row.enum) return [{ value: `${row.enum[0]}x`, accept: false }];
      const out: Array<{ value: string; accept: boolean; length?: number }> = [];
      const at = (n: number, accept: boolean): void => {
        out.push(row.kind === 'integer' ? { value: String(n), accept } : { value: valueOf(row, n, ++seq), accept, length: n });
      };
      if (row.min !== undefined) at(row.min, true), at(row.min - 1, false);
      if (row.max !== undefined) at(row.max, true), at(row.max + 1, false);
      return out;
    }

    const byAction = new Map<string, ContractLimit[]>();
    for (const row of CONTRACT_LIMITS) byAction.set(`${row.product} ${row.action}`, [...(byAction.get(`${row.product} ${row.action}`) ?? []), row]);

    for (const [action, rows] of byAction) {
      it(`${action}: ${rows.map((r) => r.param).join(', ')} at the contract's bounds`, async () => {
        const fixture = fixtures[action];
        assert.ok(fixture, `no fixture for ${action}`);
        const [product, name] = action.split(' ') as [keyof typeof VERSION, string];
        const cases = rows.flatMap((row) => boundaries(row).map((boundary) => ({ row, ...boundary })));
        // Refusals first, between two looks at what they could change; then the accepted values.
        await fixture.query(0);
        const before = await fixture.snapshot?.();
        const refusals = cases.filter((c) => !c.accept);
        const queries = await Promise.all(refusals.map(async ({ row, value }) => ({ ...(await fixture.query(++seq)), [row.param]: value })));
        const answers = await Promise.all(queries.map((query) => expectApiError(call(product, name, query))));
        refusals.forEach(({ row, value, length }, i) => {
          const what = `${row.param}=${length !== undefined ? `<${length} characters>` : value}`;
          const code = row.kind === 'string' && !row.enum ? (row.lengthCode ?? row.code) : row.code;
          assert.deepEqual({ status: answers[i]?.statusCode, code: answers[i]?.code }, { status: 400, code }, `${action} ${what}`);
        });
        assert.deepEqual(await fixture.snapshot?.(), before, `${action}: a refused call changed something`);
        for (const { row, value, length } of cases.filter((c) => c.accept)) {
          if (fixture.unreachable?.(row, length ?? 0)) continue;
          const query = { ...(await fixture.query(++seq)), [row.param]: value };
          const what = `${row.param}=${length !== undefined ? `<${length} characters>` : value}`;
          const body = await call(product, name, query).catch((error) => assert.fail(`${action} ${what} was refused: ${error.code} ${error.message}`));
          await fixture.afterAccept?.(body, query);
        }
      });
    }
  });

  describe('smoke sweep of every declared limit', () => {
    const actions: ActionDefinition[] = [...actionRegistry().values()].filter((a) => !a.anonymous);
    const products = [...new Set(actions.map((a) => a.product))];
    // A declaration repeated on many actions (DirectoryId on every CloudSSO action) is parsed by the same gateway step
    // on each: the sweep sends its violations through the first action that declares it. Parameters in the contract
    // table are left to the boundary tests above, which check the exact code.
    const seen = new Set<string>();
    const firstDeclaration = (action: ActionDefinition, name: string, spec: ParamSpec<unknown>): boolean => {
      if (rowOf.has(key(action.product, action.name, name))) return false;
      const declaration = JSON.stringify([action.product, name, spec.kind, spec.required, spec.limits]);
      return !seen.has(declaration) && Boolean(seen.add(declaration));
    };
    // One test per product, its violations sent a few at a time.
    for (const product of products) {
      it(`${product}: every declared violation is refused with 400 InvalidParameter`, async () => {
        const calls: Array<() => Promise<string | undefined>> = [];
        for (const action of actions.filter((a) => a.product === product)) {
          const params = Object.entries(action.params);
          for (const [name, spec] of params.filter(([name, spec]) => firstDeclaration(action, name, spec))) {
            for (const violation of violations(spec)) {
              calls.push(async () => {
                const query: Record<string, string | undefined> = {};
                for (const [other, otherSpec] of params) if (other !== name && otherSpec.required) query[other] = sample(otherSpec);
                query[name] = violation.value;
                const error = await expectApiError(callApi(server.url, server.root, action.name, VERSION_OF[action.product] as string, query));
                const ok = error.statusCode === 400 && /^InvalidParameter/.test(error.code);
                return ok ? undefined : `${action.name} ${name} ${violation.why}: ${error.statusCode} ${error.code}`;
              });
            }
          }
        }
        const wrong: string[] = [];
        for (let i = 0; i < calls.length; i += 8) {
          for (const outcome of await Promise.all(calls.slice(i, i + 8).map((c) => c()))) if (outcome) wrong.push(outcome);
        }
        assert.ok(calls.length > 0);
        assert.deepEqual(wrong, []);
      });
    }
  });
});
