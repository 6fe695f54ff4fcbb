// Every declared parameter limit agrees with the contract's table (test/openapi/contract-limits.ts), and every
// declared limit is either in that table or listed as not in the contract. A wrong bound in a declaration fails here.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { actionRegistry } from '../../src/openapi/actions.js';
import { ApiError } from '../../src/openapi/errors.js';
import type { ParamSpec } from '../../src/openapi/params.js';
import { CONTRACT_LIMITS, NOT_IN_CONTRACT, type ContractLimit, type Unchecked } from './contract-limits.js';
import { expandChars, valueOf } from './contract-values.js';

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
