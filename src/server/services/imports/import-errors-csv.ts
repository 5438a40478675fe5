import type { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { Actor, ServiceContext } from '../context.ts';
import { importErrors } from './import-jobs.ts';

/** The rows an import did not take, as a CSV download named after the uploaded file. */
export interface ImportErrorsCsv {
  /** e.g. leads-errors.csv for leads.csv (characters unsafe in a header become `_`). */
  fileName: string;
  body: Readable;
}

/** The rows that were not imported, as CSV with the columns line and reason, in file order. */
export async function importErrorsCsv(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
): Promise<ImportErrorsCsv> {
  const { fileName, errors: rows } = await importErrors(ctx, actor, id);
  const csv = stringify({ header: true, columns: ['line', 'reason'] });
  for (const row of rows) csv.write([row.line, row.reason]);
  csv.end();
  const base = fileName.replace(/\.csv$/i, '').replace(/[^\w.-]+/g, '_') || 'import';
  return { fileName: `${base}-errors.csv`, body: csv };
}
