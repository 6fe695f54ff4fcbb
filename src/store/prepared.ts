import { CompiledQuery, type Compilable, type QueryResult } from 'kysely';
import type SQLite from 'better-sqlite3';
import { nameStatement, sqliteLaneOf, type SqliteLane, type Tx } from './db.js';

// Kysely builds and compiles a query's SQL on every call; on the signed-request path that costs more than running the
// query. A prepared query is built once per dialect with marker values, and later calls only fill in the parameters.
// Only for queries whose shape never depends on the values (no `in (…)` lists of varying length).
//
// On SQLite a prepared query also skips Kysely's executor, whose promises and connection queue cost more than the
// statement itself, and runs on the connection directly, synchronously, when that is safe: inside the caller's own
// transaction (which holds the connection), or when no transaction is open on it. Otherwise (another request's
// transaction is open, between two of its statements) it waits in Kysely's queue like any other query. On PostgreSQL
// it runs as a named statement, which the server prepares once per connection.

const MARKER = '\u0000gatehouse-param:';

type Slot = { key: string } | { value: unknown };

type Template = { sql: string; slots: Slot[] };

function templateFor<P extends Record<string, unknown>>(tx: Tx, params: P, build: (tx: Tx, params: P) => Compilable<unknown>, templates: WeakMap<object, Template>): Template {
  const adapter = tx.getExecutor().adapter;
  let template = templates.get(adapter);
  if (!template) {
    const markers = Object.fromEntries(Object.keys(params).map((key) => [key, `${MARKER}${key}`])) as P;
    const compiled = build(tx, markers).compile();
    const slots = compiled.parameters.map((value): Slot =>
      typeof value === 'string' && value.startsWith(MARKER) ? { key: value.slice(MARKER.length) } : { value },
    );
    template = { sql: compiled.sql, slots };
    templates.set(adapter, template);
    nameStatement(template.sql);
  }
  return template;
}

const valuesOf = (template: Template, params: Record<string, unknown>): unknown[] => template.slots.map((slot) => ('key' in slot ? params[slot.key] : slot.value));

/** Whether a prepared query may run on SQLite's connection directly (see above). */
function directLane(tx: Tx): SqliteLane | undefined {
  const lane = sqliteLaneOf(tx);
  return lane && (tx.isTransaction || !lane.sqlite.inTransaction) ? lane : undefined;
}

export function preparedQuery<P extends Record<string, unknown>, R>(build: (tx: Tx, params: P) => Compilable<R>): (tx: Tx, params: P) => Promise<QueryResult<R>> {
  const templates = new WeakMap<object, Template>();
  return async (tx, params) => {
    const template = templateFor(tx, params, build, templates);
    const values = valuesOf(template, params);
    const lane = directLane(tx);
    if (lane) return runOnSqlite<R>(lane, template.sql, values);
    return tx.executeQuery<R>(CompiledQuery.raw(template.sql, values) as CompiledQuery<R>);
  };
}

/**
 * A prepared read whose rows come as arrays of the selected values, in the select list's order. On SQLite a row
 * object costs a lookup of every column's name in V8's string table, each time; a read of many columns on a hot path
 * (a logon's state) takes its values by position instead. The selected names must be distinct.
 */
export function preparedRows<P extends Record<string, unknown>>(build: (tx: Tx, params: P) => Compilable<unknown>): (tx: Tx, params: P) => Promise<unknown[][]> {
  const templates = new WeakMap<object, Template>();
  // Statements in raw mode of their own, apart from the cache Kysely's queries share.
  const rawStatements = new WeakMap<SqliteLane, SQLite.Statement>();
  return async (tx, params) => {
    const template = templateFor(tx, params, build, templates);
    const values = valuesOf(template, params);
    const lane = directLane(tx);
    if (lane) {
      let statement = rawStatements.get(lane);
      if (!statement) rawStatements.set(lane, (statement = lane.sqlite.prepare(template.sql).raw(true)));
      return statement.all(values) as unknown[][];
    }
    const { rows } = await tx.executeQuery<Record<string, unknown>>(CompiledQuery.raw(template.sql, values) as CompiledQuery<Record<string, unknown>>);
    return rows.map((row) => Object.values(row));
  };
}

/** What Kysely's SQLite driver does with a statement, without its queue. */
function runOnSqlite<R>(lane: SqliteLane, sql: string, values: unknown[]): QueryResult<R> {
  const statement = lane.statements.prepare(sql);
  if (statement.reader) return { rows: statement.all(values) as R[] };
  const { changes, lastInsertRowid } = statement.run(values);
  return { rows: [], numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid) };
}
