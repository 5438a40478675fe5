/**
 * CSV exports of the follow-ups and call logs lists (same filters, same order, every row).
 * The list services are walked page by page with their keyset cursors and each page is written
 * as soon as it is read, so memory does not grow with the export. The first page is read before
 * anything is sent: a bad filter is still a 400 problem, not a broken download.
 */
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import type { CallLog } from '../../contracts/call-logs.contract.ts';
import type { CallLogExportQuery, FollowUpExportQuery } from '../../contracts/exports.contract.ts';
import type { FollowUp } from '../../contracts/follow-ups.contract.ts';
import { INHERIT_LABEL } from '../../core/agent-routing.ts';
import {
  PRIORITY_LABELS,
  SOURCE_LABELS,
  STATUS_LABELS,
  TYPE_LABELS,
} from '../../core/follow-up.ts';
import { CALL_OUTCOME_LABELS } from '../../core/results.ts';
import { listCallLogs } from './call-logs.service.ts';
import type { Actor, ServiceContext } from './context.ts';
import { listFollowUps } from './follow-ups/follow-up-list.ts';

/** Rows read per query. */
export const EXPORT_PAGE_SIZE = 1000;

type Cell = string | number | null;
interface Column<T> {
  header: string;
  value: (row: T) => Cell;
}

/**
 * A cell as written: spreadsheets run a cell that starts with = + - @ (or a tab or carriage
 * return) as a formula, so such text gets a leading apostrophe. Numbers are left alone.
 */
export function csvCell(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

const yesNo = (value: boolean) => (value ? 'Yes' : 'No');

const FOLLOW_UP_COLUMNS: Column<FollowUp>[] = [
  { header: 'ID', value: (f) => f.id },
  { header: 'Status', value: (f) => STATUS_LABELS[f.status] },
  { header: 'Type', value: (f) => TYPE_LABELS[f.type] },
  { header: 'Contact ID', value: (f) => f.contact.id },
  { header: 'Contact', value: (f) => f.contact.name },
  { header: 'Scheduled at', value: (f) => f.scheduledAt },
  { header: 'Contact local time', value: (f) => f.contactLocal.scheduledAt },
  { header: 'Contact time zone', value: (f) => f.contactLocal.timezone },
  { header: 'Contact region', value: (f) => f.contactLocal.region },
  { header: 'Phone region', value: (f) => f.contactLocal.phoneRegion },
  { header: 'Agent ID', value: (f) => f.agent?.id ?? null },
  { header: 'Agent', value: (f) => f.agent?.name ?? INHERIT_LABEL },
  { header: 'Resolved agent', value: (f) => f.resolvedAgent?.name ?? null },
  { header: 'Campaign ID', value: (f) => f.campaign?.id ?? null },
  { header: 'Campaign', value: (f) => f.campaign?.name ?? null },
  { header: 'Priority', value: (f) => PRIORITY_LABELS[f.priority] },
  { header: 'Attempts', value: (f) => f.attempts },
  { header: 'Max attempts', value: (f) => f.maxAttempts },
  { header: 'Source', value: (f) => SOURCE_LABELS[f.source] },
  { header: 'Out of window', value: (f) => yesNo(f.allowOutOfWindow) },
  { header: 'Next attempt at', value: (f) => f.nextAttemptAt },
  { header: 'Snoozed until', value: (f) => f.snoozedUntil },
  { header: 'Expires at', value: (f) => f.expiresAt },
  { header: 'Completed at', value: (f) => f.completedAt },
  { header: 'Last error', value: (f) => f.lastError },
  { header: 'Notes', value: (f) => f.notes },
  { header: 'Created by', value: (f) => f.createdBy?.name ?? null },
  { header: 'Created at', value: (f) => f.createdAt },
];

const CALL_LOG_COLUMNS: Column<CallLog>[] = [
  { header: 'ID', value: (c) => c.id },
  { header: 'Started at', value: (c) => c.startedAt },
  { header: 'Ended at', value: (c) => c.endedAt },
  { header: 'Duration (seconds)', value: (c) => c.durationSeconds },
  { header: 'Direction', value: (c) => (c.direction === 'inbound' ? 'Inbound' : 'Outbound') },
  { header: 'Outcome', value: (c) => CALL_OUTCOME_LABELS[c.outcome] },
  { header: 'Contact ID', value: (c) => c.contact.id },
  { header: 'Contact', value: (c) => c.contact.name },
  { header: 'Agent ID', value: (c) => c.agent?.id ?? null },
  { header: 'Agent', value: (c) => c.agent?.name ?? null },
  { header: 'Campaign ID', value: (c) => c.campaign?.id ?? null },
  { header: 'Campaign', value: (c) => c.campaign?.name ?? null },
  { header: 'Follow-up ID', value: (c) => c.followUpId },
  { header: 'Requested callback at', value: (c) => c.requestedCallbackAt },
  { header: 'Summary', value: (c) => c.summary },
];

export interface CsvExport {
  /** A dated file name, e.g. follow-ups-2026-03-02.csv. */
  fileName: string;
  body: Readable;
}

type Page<T> = { items: T[]; nextCursor: string | null };

/**
 * Reads the first page now (its errors are the caller's), then streams the CSV: a byte order
 * mark and the header, then page after page, each read only when the reader wants more.
 */
async function csvExport<T>(
  name: string,
  now: Date,
  columns: Column<T>[],
  fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
): Promise<CsvExport> {
  const first = await fetchPage(undefined);
  const toCsv = (rows: Cell[][]) => stringify(rows, { cast: { number: String }, eof: true });
  async function* chunks(): AsyncGenerator<string> {
    yield `\ufeff${toCsv([columns.map((c) => c.header)])}`;
    let page = first;
    for (;;) {
      if (page.items.length > 0) {
        yield toCsv(page.items.map((row) => columns.map((c) => csvCell(c.value(row)))));
      }
      if (!page.nextCursor) return;
      page = await fetchPage(page.nextCursor);
    }
  }
  return {
    fileName: `${name}-${now.toISOString().slice(0, 10)}.csv`,
    body: Readable.from(chunks(), { objectMode: false }),
  };
}

export function exportFollowUps(
  ctx: ServiceContext,
  actor: Actor,
  filters: FollowUpExportQuery,
): Promise<CsvExport> {
  return csvExport('follow-ups', ctx.clock.now(), FOLLOW_UP_COLUMNS, (cursor) =>
    listFollowUps(ctx, actor, { ...filters, limit: EXPORT_PAGE_SIZE, cursor }),
  );
}

export function exportCallLogs(
  ctx: ServiceContext,
  actor: Actor,
  filters: CallLogExportQuery,
): Promise<CsvExport> {
  return csvExport('call-logs', ctx.clock.now(), CALL_LOG_COLUMNS, (cursor) =>
    listCallLogs(ctx, actor, { ...filters, limit: EXPORT_PAGE_SIZE, cursor }),
  );
}
