/**
 * CSV exports: the follow-ups and call logs lists with the same filters, every row, no
 * pagination. The response is text/csv, streamed.
 */
import { z } from 'zod';
import { CallLogListQuery } from './call-logs.contract.ts';
import {
  FOLLOW_UP_FILTERS,
  FollowUpSortParam,
  scheduledRangeOrdered,
} from './follow-ups.contract.ts';

export const FollowUpExportQuery = scheduledRangeOrdered(
  z.strictObject({ ...FOLLOW_UP_FILTERS, sort: FollowUpSortParam }),
);
export type FollowUpExportQuery = z.infer<typeof FollowUpExportQuery>;

export const CallLogExportQuery = CallLogListQuery.omit({ limit: true, cursor: true });
export type CallLogExportQuery = z.infer<typeof CallLogExportQuery>;

export const CsvBody = z
  .string()
  .describe(
    'text/csv; charset=utf-8 (with a byte order mark for spreadsheets): a header row, then ' +
      'one row per record in the order of the list API. Cells starting with = + - or @ get a ' +
      "leading ' so that spreadsheets do not run them as formulas.",
  );
