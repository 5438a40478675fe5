/**
 * Reading an uploaded CSV file as a stream: the header row, a sample, the number of rows, and
 * the rows in batches with their line numbers. The file is never read into memory whole.
 */
import { createReadStream } from 'node:fs';
import { CsvError, type Info, parse } from 'csv-parse';
import { uniqueHeaders } from '../../../core/import-mapping.ts';

export interface CsvRow {
  /** Line of the file where the row ends (the header is line 1). */
  line: number;
  cells: string[];
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: these are what it finds
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are what it replaces
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/** A file that is not CSV (unclosed quote, binary…), with where it went wrong. */
export class CsvFileError extends Error {}

function parser() {
  return parse({
    bom: true,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_empty_values: true,
    max_record_size: 1_000_000,
  });
}

function describe(error: unknown): CsvFileError {
  const e = error as CsvError & { lines?: number };
  const where = typeof e.lines === 'number' ? ` (near line ${e.lines})` : '';
  return new CsvFileError(`The file is not a readable CSV file${where}: ${e.message}`);
}

/**
 * Every row of the file after the header, in batches of `size`. `onBytes` reports how far into
 * the file the reader is (for progress by bytes).
 */
export async function* readBatches(
  filePath: string,
  size: number,
  onBytes?: (bytes: number) => void,
): AsyncGenerator<{ headers: string[]; rows: CsvRow[] }> {
  const input = createReadStream(filePath, { highWaterMark: 256 * 1024 });
  let bytes = 0;
  if (onBytes) {
    input.on('data', (chunk) => {
      bytes += chunk.length;
      onBytes(bytes);
    });
  }
  const records = input.pipe(parser());
  input.on('error', (error) => records.destroy(error));
  let headers: string[] | null = null;
  let batch: CsvRow[] = [];
  let yielded = false;
  try {
    for await (const { record, info } of records as AsyncIterable<{
      record: string[];
      info: Info;
    }>) {
      if (headers === null) {
        const bad = record.findIndex((cell) => CONTROL_CHARACTER.test(cell));
        if (bad >= 0) {
          throw new CsvFileError(
            `The header row has a control character (such as NUL) in column ${bad + 1}: ` +
              'remove it and upload the file again.',
          );
        }
        headers = uniqueHeaders(record);
        continue;
      }
      batch.push({ line: info.lines, cells: record });
      if (batch.length >= size) {
        yielded = true;
        yield { headers, rows: batch };
        batch = [];
      }
    }
  } catch (error) {
    // Every parse error (its code is not always CSV_…: INVALID_OPENING_QUOTE…) is the file's.
    if (error instanceof CsvError) throw describe(error);
    throw error;
  } finally {
    input.destroy();
  }
  if (headers === null) throw new CsvFileError('The file is empty: it has no header row.');
  // A file with a header and no rows still yields its header.
  if (batch.length > 0 || !yielded) yield { headers, rows: batch };
}

/** The header row, the first `sampleSize` rows and the number of rows (one pass over the file). */
export async function inspectFile(
  filePath: string,
  sampleSize = 5,
): Promise<{ headers: string[]; sample: string[][]; totalRows: number }> {
  let headers: string[] = [];
  const sample: string[][] = [];
  let totalRows = 0;
  for await (const batch of readBatches(filePath, 1000)) {
    headers = batch.headers;
    for (const row of batch.rows) {
      // Shown for review only: a control character shows as �; the import refuses its row.
      if (sample.length < sampleSize) {
        sample.push(row.cells.map((cell) => cell.replace(CONTROL_CHARACTERS, '\uFFFD')));
      }
    }
    totalRows += batch.rows.length;
  }
  return { headers, sample, totalRows };
}
