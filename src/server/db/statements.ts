/**
 * Hand-written statements (decision 0005): SQL text written once, with `$1…$n` parameters,
 * sent as it is. On a database handle they go straight to the driver — named ones are parsed
 * and planned once per connection — and their rows come back as the driver reads them: no ORM
 * mapping, instants as the database's text. Inside a transaction they go through the
 * transaction's own `execute`, with the same text, values and rows.
 */
import type { PGlite } from '@electric-sql/pglite';
import { type SQL, sql } from 'drizzle-orm';
import pg from 'pg';
import type { Database, DbOrTx } from './client.ts';
import { rowsOf } from './sql.ts';

/** A statement returning rows of `R` for the values `V` (bound to `$1…$n` in order). */
export interface Statement<V extends readonly unknown[], R> {
  /** Set when the plan does not depend on the values: PostgreSQL then plans it once. */
  readonly name: string | undefined;
  readonly text: string;
  /** The text cut at its parameters: `[sql, index, sql, index, …, sql]` (for transactions). */
  readonly parts: readonly (string | number)[];
  /** Never set: carries the row and value types. */
  readonly types?: { values: V; row: R };
}

export function statement<R, V extends readonly unknown[]>(
  text: string,
  name?: string,
): Statement<V, R> {
  const parts = text.split(/\$(\d+)/).map((part, i) => (i % 2 === 1 ? Number(part) - 1 : part));
  return { name, text, parts };
}

/** What a database handle runs statements with: its driver, and its query log. */
export type StatementDriver = (
  statement: { name: string | undefined; text: string },
  values: readonly unknown[],
) => Promise<unknown[]>;

const drivers = new WeakMap<object, StatementDriver>();

/** Called once by `openDatabase` for each handle's `db`. */
export function attachStatementDriver(db: Database, driver: StatementDriver): void {
  drivers.set(db, driver);
}

type QueryLog = { logQuery(query: string, params: unknown[]): void } | undefined;

// Types read as the database prints them, as drizzle reads them: timestamptz, timestamp, date,
// interval and their arrays.
const TEXT_TYPES = new Set([1184, 1114, 1082, 1186, 1185, 1115, 1182, 1187, 1231]);
const asText = (value: string) => value;

const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    TEXT_TYPES.has(oid)
      ? asText
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export function pgStatementDriver(pool: pg.Pool, log: QueryLog): StatementDriver {
  return async ({ name, text }, values) => {
    log?.logQuery(text, [...values]);
    const config = { text, values: [...values], types: pgTypes };
    return (await pool.query(name ? { ...config, name } : config)).rows;
  };
}

const pgliteParsers = Object.fromEntries([...TEXT_TYPES].map((oid) => [oid, asText]));

export function pgliteStatementDriver(client: PGlite, log: QueryLog): StatementDriver {
  return async ({ text }, values) => {
    log?.logQuery(text, [...values]);
    return (await client.query(text, [...values], { parsers: pgliteParsers })).rows;
  };
}

/** The rows of `statement` for `values`, on a handle or inside one of its transactions. */
export async function run<V extends readonly unknown[], R>(
  db: DbOrTx,
  statement: Statement<V, R>,
  values: V,
): Promise<R[]> {
  const driver = drivers.get(db);
  if (driver) return (await driver(statement, values)) as R[];
  return rowsOf<R>(await db.execute(boundSql(statement, values)));
}

function boundSql(statement: Statement<readonly unknown[], unknown>, values: readonly unknown[]) {
  const chunks: SQL[] = statement.parts.map((part) =>
    typeof part === 'number' ? sql`${sql.param(values[part])}` : sql.raw(part),
  );
  return sql.join(chunks);
}
