// Violations of a declared parameter, from its declaration alone: the smoke sweep in limits.test.ts sends them all.
import type { ParamSpec } from '../../src/openapi/params.js';

type Limits = { min?: number; max?: number; pattern?: string; enum?: string[]; default?: unknown; example?: string };

export function sample(spec: ParamSpec<unknown>): string | undefined {
  const limits = spec.limits as Limits;
  if (spec.kind === 'integer') return String(limits.min ?? limits.default ?? 1);
  if (spec.kind === 'boolean') return 'false';
  if (spec.kind === 'list') return limits.example;
  if (spec.kind !== 'string') return undefined;
  if (limits.enum) return limits.enum[0];
  const min = limits.min ?? 1;
  const candidates = ['a'.repeat(Math.max(min, 2)), 'ab1'.padEnd(min, 'b'), 'acs:ram::1234567890123456:role/a', '1'.repeat(Math.max(min, 2)), 'https://ram.console.aliyun.com', 'a@example.onaliyun.com'];
  return candidates.find((c) => (!limits.pattern || new RegExp(limits.pattern).test(c)) && (!limits.max || c.length <= limits.max));
}

export function violations(spec: ParamSpec<unknown>): Array<{ value: string; why: string }> {
  const limits = spec.limits as Limits;
  const out: Array<{ value: string; why: string }> = [];
  if (spec.kind === 'integer') {
    if (limits.min !== undefined) out.push({ value: String(limits.min - 1), why: `below ${limits.min}` });
    if (limits.max !== undefined) out.push({ value: String(limits.max + 1), why: `above ${limits.max}` });
    out.push({ value: 'twelve', why: 'not a number' });
  } else if (spec.kind === 'boolean') {
    out.push({ value: 'maybe', why: 'not a boolean' });
  } else if (spec.kind === 'list' && limits.example) {
    const one = (JSON.parse(limits.example) as unknown[])[0];
    if (limits.max !== undefined) out.push({ value: JSON.stringify(Array(limits.max + 1).fill(one)), why: `with more than ${limits.max} entries` });
    out.push({ value: '{"not":"a list"}', why: 'not a JSON array' });
  } else if (spec.kind === 'string') {
    if (limits.max !== undefined) out.push({ value: 'a'.repeat(limits.max + 1), why: `longer than ${limits.max}` });
    if (limits.min !== undefined && limits.min > 1) out.push({ value: 'a'.repeat(limits.min - 1), why: `shorter than ${limits.min}` });
    if (limits.enum) out.push({ value: 'NotOneOfThem', why: 'outside the enumeration' });
    if (limits.pattern && !new RegExp(limits.pattern).test('bad value!#')) out.push({ value: 'bad value!#', why: 'characters not allowed' });
  }
  return out;
}

