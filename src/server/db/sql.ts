/** Small SQL helpers shared by bulk writers (seeding, the engine). */

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
