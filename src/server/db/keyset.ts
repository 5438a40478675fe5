/**
 * Keyset paging in SQL: the sort key of a row as cursor text, and the rows after a decoded
 * cursor. (Cursors themselves, opaque to clients, are made and checked in services/cursor.ts.)
 */
import { type AnyColumn, type SQL, sql } from 'drizzle-orm';

// Instants in cursors travel as text exact to the microsecond ('2026-03-02T14:00:00.123456Z'):
// timestamptz keeps microseconds, a JS Date only milliseconds, and rounding would skip rows.

/** An instant column (or expression) as cursor text. */
export const instantKey = (column: AnyColumn | SQL) =>
  sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** A decoded 'instant' cursor part, back as a timestamptz in SQL. */
export const instantParam = (text: string): SQL => sql`${text}::timestamptz`;

/** Rows after the key [at, id] in the order (instant DESC, id DESC). */
export function afterKeyDescDesc(instant: AnyColumn, id: AnyColumn, at: string, key: string): SQL {
  return sql`(${instant}, ${id}) < (${instantParam(at)}, ${key}::uuid)`;
}

/** Rows after the key [at, id] in the order (instant DESC, id ASC). */
export function afterKeyDescAsc(instant: AnyColumn, id: AnyColumn, at: string, key: string): SQL {
  const atParam = instantParam(at);
  return sql`(${instant} <= ${atParam} and (${instant} < ${atParam} or ${id} > ${key}::uuid))`;
}
