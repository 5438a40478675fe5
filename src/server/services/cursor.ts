/**
 * Keyset cursors: opaque to clients, a base64url JSON of the last row's sort key. A cursor
 * that was not made here is a 400 that says so, never a 5xx.
 */
import type { AnyColumn, SQL } from 'drizzle-orm';
import { sql } from 'drizzle-orm';
import { afterKeyDescDesc, instantParam } from '../db/keyset.ts';
import { invalid } from '../errors.ts';

const INSTANT_TEXT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** Rows after the cursor [instant, id] in the order (instant DESC, id DESC). */
export function afterDescDesc(instant: AnyColumn, id: AnyColumn, cursor: string): SQL {
  const [at, key] = decodeCursor(cursor, ['instant', 'uuid'] as const);
  return afterKeyDescDesc(instant, id, at, key);
}

/** Rows after the cursor [instant, id] in the order (instant DESC, id ASC). */
export function afterDescAsc(instant: AnyColumn, id: AnyColumn, cursor: string): SQL {
  const [text, key] = decodeCursor(cursor, ['instant', 'uuid'] as const);
  const at = instantParam(text);
  return sql`(${instant} <= ${at} and (${instant} < ${at} or ${id} > ${key}::uuid))`;
}

export function encodeCursor(key: readonly (string | number | null)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** Decodes a cursor into exactly `shape`; anything else is a 400. */
export function decodeCursor<T extends readonly CursorPart[]>(
  cursor: string,
  shape: T,
): { [K in keyof T]: CursorValue<T[K]> } {
  const bad = () =>
    invalid('This cursor is not one the server gave out. Start again from the first page.', [
      { path: 'query.cursor', message: 'Not a valid cursor.' },
    ]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!Array.isArray(parsed) || parsed.length !== shape.length) throw bad();
  return parsed.map((value, i) => {
    const part = shape[i];
    if (part === 'string' && typeof value === 'string' && value.length <= 200) return value;
    if (part === 'uuid' && typeof value === 'string' && UUID.test(value)) return value;
    if (part === 'number' && typeof value === 'number' && Number.isFinite(value)) return value;
    if (part === 'instant' && typeof value === 'string' && INSTANT_TEXT.test(value)) {
      // A real instant prints back as itself: 2026-02-30 or 24:00 would not.
      const ms = Date.parse(value);
      if (!Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 19) === value.slice(0, 19)) {
        return value;
      }
    }
    throw bad();
  }) as never;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type CursorPart = 'string' | 'uuid' | 'number' | 'instant';
type CursorValue<P> = P extends 'number' ? number : string;

/** Fetches limit + 1 rows; returns a page and the cursor of its last row when more exist. */
export function page<R>(rows: R[], limit: number, keyOf: (row: R) => (string | number | null)[]) {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return { items, nextCursor: more && last ? encodeCursor(keyOf(last)) : null };
}
