import { sql, type Expression, type SqlBool } from 'kysely';
import { invalidParameter } from '../errors.js';

// CloudSSO's `Filter` parameter (spec §1.4): `<Attribute> eq|sw <Value>`, compared case-insensitively.

export interface Filter {
  attribute: string;
  operator: 'eq' | 'sw';
  /** Lower case: filters compare case-insensitively against the lower-cased key columns. */
  value: string;
}

/** Parses a Filter on one of `attributes` (matched case-insensitively); undefined when absent. */
export function parseFilter(text: string | undefined, attributes: readonly string[]): Filter | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const match = /^\s*([A-Za-z]+)\s+(eq|sw)\s+(.+?)\s*$/i.exec(text);
  const attribute = match && attributes.find((a) => a.toLowerCase() === match[1]!.toLowerCase());
  if (!match || !attribute) {
    throw invalidParameter('Filter', `it must be "<${attributes.join('|')}> eq|sw <value>"`);
  }
  let value = match[3]!;
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
  return { attribute, operator: match[2]!.toLowerCase() as 'eq' | 'sw', value: value.toLowerCase() };
}

/** The SQL condition of a filter on a lower-cased key column (`sw` is a LIKE prefix with wildcards escaped). */
export function filterCondition(column: string, f: Filter): Expression<SqlBool> {
  if (f.operator === 'eq') return sql<SqlBool>`${sql.ref(column)} = ${f.value}`;
  const pattern = f.value.replace(/[\\%_]/g, (ch) => `\\${ch}`) + '%';
  return sql<SqlBool>`${sql.ref(column)} like ${pattern} escape '\\'`;
}
