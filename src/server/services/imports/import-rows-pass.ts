/**
 * One pass over an uploaded file: each batch of rows is checked (phone, email, time zone,
 * duplicates within the file, first line wins) and its valid records handed to `write`, which
 * either writes them (the import) or only counts them (the review).
 */
import type { ImportKind, ImportMapping } from '../../../core/import-mapping.ts';
import {
  type ContactRecord,
  type DncRecord,
  DuplicateTracker,
  duplicateReason,
  lineProblem,
  planColumns,
  validateRow,
} from '../../../core/import-rows.ts';
import type { BatchCounts } from './batch-writes.ts';
import { readBatches } from './csv-file.ts';

export const BATCH_SIZE = 1000;

export interface RowProblem {
  line: number;
  reason: string;
}

export interface BatchReport {
  rows: number;
  counts: BatchCounts;
  problems: RowProblem[];
  invalidPhones: number;
  duplicates: number;
}

export async function passOverFile(input: {
  filePath: string;
  kind: ImportKind;
  mapping: ImportMapping;
  defaultCountry: string | undefined;
  batchSize?: number;
  write: (records: (ContactRecord | DncRecord)[]) => Promise<BatchCounts>;
  onBatch: (report: BatchReport) => Promise<void> | void;
  onBytes?: (bytes: number) => void;
}): Promise<void> {
  const seen = new DuplicateTracker();
  let plan: ReturnType<typeof planColumns> | null = null;
  for await (const batch of readBatches(
    input.filePath,
    input.batchSize ?? BATCH_SIZE,
    input.onBytes,
  )) {
    plan ??= planColumns(batch.headers, input.mapping, input.kind, input.defaultCountry);
    const records: (ContactRecord | DncRecord)[] = [];
    const problems: RowProblem[] = [];
    let invalidPhones = 0;
    let duplicates = 0;
    for (const row of batch.rows) {
      const result = validateRow(row.cells, plan);
      if (!result.ok) {
        if (result.phone) invalidPhones++;
        problems.push(lineProblem(row.line, result.reason));
        continue;
      }
      const first = seen.seen(result.record.phone, row.line);
      if (first !== null) {
        duplicates++;
        problems.push(lineProblem(row.line, duplicateReason(result.record.phone, first)));
        continue;
      }
      records.push(result.record);
    }
    const counts = await input.write(records);
    await input.onBatch({ rows: batch.rows.length, counts, problems, invalidPhones, duplicates });
  }
}
