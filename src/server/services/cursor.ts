/**
 * Keyset cursors: opaque to clients, a base64url JSON of the last row's sort key. A cursor
 * that was not made here is a 400 that says so, never a 5xx.
 */
import { invalid } from '../errors.ts';

export function encodeCursor(key: readonly (string | number | null)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** Decodes a cursor into exactly `shape` (a list of 'string' | 'number' | 'instant' | 'nullable-instant'). */
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
    if (
      (part === 'instant' || (part === 'nullable-instant' && value !== null)) &&
      typeof value === 'string'
    ) {
      const date = new Date(value);
      if (!Number.isNaN(date.getTime())) return date;
    }
    if (part === 'nullable-instant' && value === null) return null;
    throw bad();
  }) as never;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type CursorPart = 'string' | 'uuid' | 'number' | 'instant' | 'nullable-instant';
type CursorValue<P> = P extends 'number'
  ? number
  : P extends 'instant'
    ? Date
    : P extends 'nullable-instant'
      ? Date | null
      : string;

/** Fetches limit + 1 rows; returns a page and the cursor of its last row when more exist. */
export function page<R>(rows: R[], limit: number, keyOf: (row: R) => (string | number | null)[]) {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return { items, nextCursor: more && last ? encodeCursor(keyOf(last)) : null };
}
