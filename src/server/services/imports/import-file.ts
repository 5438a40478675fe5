/**
 * `followthrough import-contacts FILE`: the same import as the web app's, from a file on disk,
 * recorded as an import job of the workspace (so the app lists it too). The error report is
 * written as CSV next to the file, or where the caller says.
 */
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import { eq } from 'drizzle-orm';
import { checkMapping, type ImportKind, type ImportMapping } from '../../../core/import-mapping.ts';
import type { Database } from '../../db/client.ts';
import { importJobs, workspaces } from '../../db/schema.ts';
import { newId } from '../../ids.ts';
import type { ServiceContext } from '../context.ts';
import { inspectFile } from './csv-file.ts';
import { type ImportTotals, runImportJob } from './import-run.ts';

export class ImportFileError extends Error {}

/** The workspace named `name`, or the only one when no name is given. */
export async function findWorkspace(db: Database, name: string | undefined): Promise<string> {
  const rows = await db
    .select({ id: workspaces.id, name: workspaces.name })
    .from(workspaces)
    .where(name === undefined ? undefined : eq(workspaces.name, name))
    .limit(20);
  if (rows.length === 1) return rows[0]!.id;
  if (name !== undefined) throw new ImportFileError(`No workspace is named "${name}".`);
  if (rows.length === 0)
    throw new ImportFileError(
      'There is no workspace yet: run `followthrough serve` or `seed` first.',
    );
  throw new ImportFileError(
    `There are several workspaces: choose one with --workspace (${rows.map((r) => `"${r.name}"`).join(', ')}).`,
  );
}

export const defaultErrorsPath = (file: string) => `${file.replace(/\.csv$/i, '')}-errors.csv`;

export async function importFile(
  ctx: ServiceContext,
  input: {
    file: string;
    kind: ImportKind;
    mapping: ImportMapping;
    workspace: string | undefined;
    errorsPath: string;
    onProgress?: (done: number, total: number) => void;
  },
): Promise<ImportTotals & { jobId: string; errorsPath: string | null }> {
  const workspaceId = await findWorkspace(ctx.db, input.workspace);
  const file = await inspectFile(input.file).catch((error: Error) => {
    throw new ImportFileError(`Could not read ${input.file}: ${error.message}`);
  });
  const problems = checkMapping(input.mapping, file.headers, input.kind);
  if (problems.length > 0) {
    throw new ImportFileError(
      `The --map option has problems:\n${problems.map((p) => `  ${p.message}`).join('\n')}\n` +
        `The file's columns: ${file.headers.map((h) => `"${h}"`).join(', ')}`,
    );
  }
  const jobId = newId();
  const now = ctx.clock.now();
  await ctx.db.insert(importJobs).values({
    id: jobId,
    workspaceId,
    kind: input.kind,
    status: 'running',
    fileName: input.file.split(/[\\/]/).pop() ?? input.file,
    filePath: input.file,
    headers: file.headers,
    mapping: input.mapping,
    totalRows: file.totalRows,
    startedAt: now,
    heartbeatAt: now,
    createdAt: now,
    updatedAt: now,
  });
  input.onProgress?.(0, file.totalRows);
  const totals = await runImportJob(ctx, {
    jobId,
    workspaceId,
    actor: null,
    kind: input.kind,
    filePath: input.file,
    mapping: input.mapping,
    deleteFile: false,
    onProgress: (t) => input.onProgress?.(t.processed, file.totalRows),
  });
  if (totals.errors === 0) return { ...totals, jobId, errorsPath: null };
  const [job] = await ctx.db
    .select({ rowErrors: importJobs.rowErrors })
    .from(importJobs)
    .where(eq(importJobs.id, jobId));
  const csv = stringify({ header: true, columns: ['line', 'reason'] });
  const written = pipeline(csv, createWriteStream(input.errorsPath));
  for (const row of job?.rowErrors ?? []) csv.write([row.line, row.reason]);
  csv.end();
  await written;
  return { ...totals, jobId, errorsPath: input.errorsPath };
}
