/**
 * Runs one import job to its end: every batch is written with one statement (contacts) or one
 * transaction (Do Not Call), then the job's progress, counts, heartbeat and new row errors are
 * saved. The file is deleted when the job ends, whether it completed or failed.
 */
import { rm } from 'node:fs/promises';
import { eq, sql } from 'drizzle-orm';
import type { ImportKind, ImportMapping } from '../../../core/import-mapping.ts';
import type { ContactRecord, DncRecord } from '../../../core/import-rows.ts';
import { workspaceCountry as workspaceCountryOfZone } from '../../../core/time-zone.ts';
import type { DbOrTx } from '../../db/client.ts';
import { findWorkspaceZone } from '../../db/repositories/workspaces.ts';
import { importJobs } from '../../db/schema.ts';
import { notFound } from '../../errors.ts';
import type { Actor, ServiceContext } from '../context.ts';
import { listDncBatch, upsertContacts } from './batch-writes.ts';
import { CsvFileError } from './csv-file.ts';
import { passOverFile } from './import-rows-pass.ts';

/** Row errors kept on the job (the count goes on). */
export const MAX_STORED_ERRORS = 10_000;

/** The country of national numbers (no +): the workspace time zone's, else the US. */
export async function workspaceCountry(db: DbOrTx, workspaceId: string): Promise<string> {
  const zone = await findWorkspaceZone(db, workspaceId);
  if (zone === undefined) throw notFound('workspace');
  return workspaceCountryOfZone(zone);
}

export interface ImportTotals {
  processed: number;
  created: number;
  updated: number;
  skipped: number;
  errors: number;
  failedFollowUps: number;
}

export async function runImportJob(
  ctx: ServiceContext,
  input: {
    jobId: string;
    workspaceId: string;
    actor: Actor | null;
    kind: ImportKind;
    filePath: string;
    mapping: ImportMapping;
    /** Delete the file at the end (uploads); the command line keeps the user's file. */
    deleteFile: boolean;
    batchSize?: number;
    onProgress?: (totals: ImportTotals) => void;
    onBytes?: (bytes: number) => void;
    /** An unexpected failure, for the server log. */
    onError?: (error: unknown) => void;
  },
): Promise<ImportTotals> {
  const { db, clock } = ctx;
  const { jobId, workspaceId, kind } = input;
  const totals: ImportTotals = {
    processed: 0,
    created: 0,
    updated: 0,
    skipped: 0,
    errors: 0,
    failedFollowUps: 0,
  };
  try {
    await passOverFile({
      filePath: input.filePath,
      kind,
      mapping: input.mapping,
      defaultCountry: await workspaceCountry(db, workspaceId),
      ...(input.batchSize ? { batchSize: input.batchSize } : {}),
      ...(input.onBytes ? { onBytes: input.onBytes } : {}),
      write: async (records) => {
        const at = clock.now();
        if (kind === 'contacts') {
          return upsertContacts(db, workspaceId, records as ContactRecord[], at);
        }
        const result = await listDncBatch(
          db,
          { workspaceId, actor: input.actor, jobId, at },
          records as DncRecord[],
        );
        totals.failedFollowUps += result.failedFollowUps;
        return result;
      },
      onBatch: async (b) => {
        const room = Math.max(0, MAX_STORED_ERRORS - totals.errors);
        totals.processed += b.rows;
        totals.created += b.counts.created;
        totals.updated += b.counts.updated;
        totals.skipped += b.counts.unchanged;
        totals.errors += b.problems.length;
        const kept = b.problems.slice(0, room);
        const now = clock.now();
        await db
          .update(importJobs)
          .set({
            processedRows: totals.processed,
            createdCount: totals.created,
            updatedCount: totals.updated,
            skippedCount: totals.skipped,
            errorCount: totals.errors,
            rowErrors:
              kept.length > 0
                ? sql`${importJobs.rowErrors} || ${JSON.stringify(kept)}::jsonb`
                : undefined,
            heartbeatAt: now,
            updatedAt: now,
          })
          .where(eq(importJobs.id, jobId));
        input.onProgress?.(totals);
      },
    });
    const now = clock.now();
    await db
      .update(importJobs)
      .set({
        status: 'completed',
        totalRows: totals.processed,
        filePath: null,
        finishedAt: now,
        heartbeatAt: now,
        updatedAt: now,
      })
      .where(eq(importJobs.id, jobId));
    return totals;
  } catch (error) {
    // People see a sentence; what went wrong inside (a database error carries the query and
    // its values: phones, ids) is only for the server log, through onError.
    const failure =
      error instanceof CsvFileError
        ? error.message
        : `The import stopped after ${totals.processed.toLocaleString('en-US')} rows because of ` +
          'an unexpected error on the server; the rows before it were saved. Try the file again; ' +
          `if it fails again, the server log says why (import ${jobId}).`;
    if (!(error instanceof CsvFileError)) input.onError?.(error);
    const now = clock.now();
    await db
      .update(importJobs)
      .set({ status: 'failed', failure, filePath: null, finishedAt: now, updatedAt: now })
      .where(eq(importJobs.id, jobId))
      .catch(() => {});
    throw error;
  } finally {
    if (input.deleteFile) await rm(input.filePath, { force: true });
  }
}
