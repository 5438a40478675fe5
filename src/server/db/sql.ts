/** Small SQL helpers: bulk writers' arrays, raw rows, instants as the database prints them. */
import { Temporal } from 'temporal-polyfill';

/**
 * A PostgreSQL array literal ('{a,"b c",NULL}') for one text parameter, cast in SQL
 * (`${pgArray(ids)}::uuid[]`). Works the same on PGlite and node-postgres, and keeps a batch
 * of thousands of values to one parameter per column.
 */
export function pgArray(
  values: readonly (string | number | boolean | Date | null | undefined)[],
): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ',';
    const v = values[i];
    if (v === null || v === undefined) out += 'NULL';
    else if (typeof v === 'number') out += String(v);
    else if (typeof v === 'boolean') out += v ? 't' : 'f';
    else if (v instanceof Date) out += `"${v.toISOString()}"`;
    else out += `"${v.replace(/[\\"]/g, '\\$&')}"`;
  }
  return `${out}}`;
}

/** The rows of a raw `db.execute(sql…)` result, on either driver. */
export function rowsOf<R = Record<string, unknown>>(result: unknown): R[] {
  return (result as { rows: R[] }).rows;
}

// '2026-03-02 14:00:00.123456+00': how PostgreSQL prints a timestamptz in a UTC session.
const UTC_TIMESTAMP_TEXT = /^[1-9]\d{3}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?\+00$/;

// What `isoOfTimestampText` prints (a record built in code holds its instants so already).
const ISO_TEXT = /^[1-9]\d{3}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * A timestamptz as the driver hands it over untouched (drizzle asks both drivers for the text)
 * → ISO 8601 with milliseconds, exactly as `new Date(text).toISOString()` would print it, at a
 * tenth of the cost: lists print thousands of these per second. Text already in that form
 * (a record built in code) is kept as it is.
 */
export function isoOfTimestampText(text: string): string {
  if (!UTC_TIMESTAMP_TEXT.test(text))
    return ISO_TEXT.test(text) ? text : new Date(text).toISOString();
  const fraction = text.length > 22 ? `${text.slice(20, -3)}00`.slice(0, 3) : '000';
  return `${text.slice(0, 10)}T${text.slice(11, 19)}.${fraction}Z`;
}

/**
 * The same text exact to the microsecond ('2026-03-02T14:00:00.123456Z'), as keyset cursors
 * carry instants (a Date keeps only milliseconds, and rounding would skip rows).
 */
export function microIsoOfTimestampText(text: string): string {
  if (!UTC_TIMESTAMP_TEXT.test(text)) {
    return Temporal.Instant.from(text).toString({ fractionalSecondDigits: 6 });
  }
  const fraction = text.length > 22 ? `${text.slice(20, -3)}00000`.slice(0, 6) : '000000';
  return `${text.slice(0, 10)}T${text.slice(11, 19)}.${fraction}Z`;
}
