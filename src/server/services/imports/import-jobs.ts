/**
 * Import jobs (table import_jobs): an uploaded CSV file is kept on disk, reviewed against a
 * mapping without writing, then imported in the background of the process that received it,
 * batch after batch, with its progress, counts and row errors written to the job after each
 * batch. A running job whose heartbeat stops (its server went away) is reported as failed.
 */
import { createWriteStream } from 'node:fs';
import { chmod, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type {
  ImportJob,
  ImportReview,
  UploadedImport,
  UploadImportQuery,
} from '../../../contracts/imports.contract.ts';
import {
  checkMapping,
  type ImportKind,
  type ImportMapping,
  suggestMapping,
} from '../../../core/import-mapping.ts';
import type { ContactRecord, DncRecord } from '../../../core/import-rows.ts';
import {
  claimUploadedImportJob,
  countUploadedImportJobs,
  deleteUploadedImportJob,
  findImportJob,
  findImportJobErrors,
  type ImportJobRow,
  type ImportJobWithErrors,
  insertImportJob,
  listImportJobs,
} from '../../db/repositories/import-jobs.ts';
import { conflict, invalid, notFound, ProblemError } from '../../errors.ts';
import { newId } from '../../ids.ts';
import type { Actor, ServiceContext } from '../context.ts';
import { classifyContacts, classifyDnc } from './batch-writes.ts';
import { CsvFileError, inspectFile } from './csv-file.ts';
import { passOverFile, type RowProblem } from './import-rows-pass.ts';
import { runImportJob, workspaceCountry } from './import-run.ts';

export const DEFAULT_MAX_UPLOAD_BYTES = 100 * 1024 * 1024;
export const DEFAULT_UPLOAD_DIR = path.join(tmpdir(), 'followthrough-imports');
/** A running job without a heartbeat for this long lost its process. */
export const STALE_AFTER_MS = 2 * 60_000;
export const STOPPED_MESSAGE =
  'The import stopped: the server restarted. Run it again — rows already imported are not duplicated.';
const FIRST_ERRORS = 20;
/** Imports listed at once (the latest). */
const LIST_LIMIT = 20;

/** Uploads never started that a workspace may keep at once: files and bytes in all. */
export const DEFAULT_UPLOAD_QUOTA = { files: 20, bytes: 1024 * 1024 * 1024 };

export interface UploadOptions {
  dir?: string;
  maxBytes?: number;
  /** The workspace's uploads waiting to be started, at most (default 20 files, 1 GB). */
  quota?: { files: number; bytes: number };
}

export const sizeText = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 1024)} MB` : `${Math.round(bytes / 1024)} KB`;

export const tooLarge = (max: number) =>
  new ProblemError(
    413,
    'too-large',
    'Request too large',
    `The file is larger than the ${sizeText(max)} an import accepts. Split it into smaller files.`,
  );

export const uploadQuotaFull = (quota: { files: number; bytes: number }) =>
  new ProblemError(
    409,
    'upload-quota',
    'Too many uploads waiting',
    `Your workspace keeps at most ${quota.files} uploaded files that were never started, ` +
      `${sizeText(quota.bytes)} in all. Start or delete some of them, then upload again ` +
      '(an upload never started is deleted after 24 hours).',
  );

// Reading.

type JobRow = ImportJobWithErrors<RowProblem>;

function jobView({ job, firstErrors }: JobRow, now: Date): ImportJob {
  const stale =
    job.status === 'running' &&
    now.getTime() - (job.heartbeatAt ?? job.startedAt ?? job.createdAt).getTime() > STALE_AFTER_MS;
  return {
    id: job.id,
    kind: job.kind as ImportKind,
    status: stale ? 'failed' : (job.status as ImportJob['status']),
    fileName: job.fileName,
    fileBytes: job.fileBytes,
    headers: job.headers,
    mapping: job.mapping ?? null,
    totalRows: job.totalRows,
    processedRows: job.processedRows,
    created: job.createdCount,
    updated: job.updatedCount,
    skipped: job.skippedCount,
    errorCount: job.errorCount,
    firstErrors: firstErrors ?? [],
    failure: stale ? STOPPED_MESSAGE : job.failure,
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
    createdAt: job.createdAt.toISOString(),
  };
}

async function loadJob(ctx: ServiceContext, actor: Actor, id: string): Promise<JobRow> {
  const row = await findImportJob<RowProblem>(ctx.db, actor.workspaceId, id, FIRST_ERRORS);
  if (!row) throw notFound('import');
  return row;
}

/** Deletes an import that was uploaded and never started, and its file. */
export async function deleteImport(ctx: ServiceContext, actor: Actor, id: string): Promise<void> {
  const row = await deleteUploadedImportJob(ctx.db, actor.workspaceId, id);
  if (!row) {
    await loadJob(ctx, actor, id); // 404 when it is not there
    throw conflict(
      'This import has started: only an import that was never started can be deleted.',
    );
  }
  if (row.filePath) await rm(row.filePath, { force: true });
}

export async function getImport(ctx: ServiceContext, actor: Actor, id: string): Promise<ImportJob> {
  return jobView(await loadJob(ctx, actor, id), ctx.clock.now());
}

/** The workspace's 20 latest imports of a kind (or of both), newest first. */
export async function listImports(
  ctx: ServiceContext,
  actor: Actor,
  kind: ImportKind | undefined,
): Promise<{ items: ImportJob[]; nextCursor: null }> {
  const rows = await listImportJobs<RowProblem>(
    ctx.db,
    actor.workspaceId,
    kind,
    LIST_LIMIT,
    FIRST_ERRORS,
  );
  const now = ctx.clock.now();
  return { items: rows.map((r) => jobView(r, now)), nextCursor: null };
}

/** The rows that were not imported (the first 10,000), in file order. */
export async function importErrors(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
): Promise<{ fileName: string; errors: RowProblem[] }> {
  const row = await findImportJobErrors<RowProblem>(ctx.db, actor.workspaceId, id);
  if (!row) throw notFound('import');
  return row;
}

// Uploading.

/** Streams the request body to a file (at most `maxBytes`), reads its header and first rows. */
export async function uploadImport(
  ctx: ServiceContext,
  actor: Actor,
  query: UploadImportQuery,
  body: Readable,
  options: UploadOptions = {},
): Promise<UploadedImport> {
  const dir = options.dir ?? DEFAULT_UPLOAD_DIR;
  const quota = options.quota ?? DEFAULT_UPLOAD_QUOTA;
  const stored = await countUploadedImportJobs(ctx.db, actor.workspaceId);
  const room = quota.bytes - stored.bytes;
  if (stored.files >= quota.files || room <= 0) {
    body.resume(); // read and dropped, so that the client receives the answer
    throw uploadQuotaFull(quota);
  }
  const fileMax = options.maxBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  const max = Math.min(fileMax, room);
  const overLimit = () => (max < fileMax ? uploadQuotaFull(quota) : tooLarge(fileMax));
  // Only the server's own user reads uploads: the folder 0700, each file 0600.
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const id = newId();
  const filePath = path.join(dir, `${id}.csv`);
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      done(bytes > max ? overLimit() : null, chunk);
    },
  });
  try {
    // The request is piped, not handed to pipeline(): on a refusal it is drained, not
    // destroyed, so that the client still receives the answer.
    body.on('error', (error) => counter.destroy(error));
    body.pipe(counter);
    await pipeline(counter, createWriteStream(filePath, { mode: 0o600 })).catch((error) => {
      body.unpipe(counter);
      body.resume();
      throw error;
    });
    const file = await inspectFile(filePath).catch((error) => {
      if (error instanceof CsvFileError)
        throw invalid(error.message, [{ path: 'body', message: error.message }]);
      throw error;
    });
    if (file.totalRows === 0) {
      const message = 'The file has no rows after its header row.';
      throw invalid(message, [{ path: 'body', message }]);
    }
    const now = ctx.clock.now();
    await insertImportJob(ctx.db, {
      id,
      workspaceId: actor.workspaceId,
      kind: query.kind,
      status: 'uploaded',
      fileName: query.fileName,
      filePath,
      fileBytes: bytes,
      headers: file.headers,
      totalRows: file.totalRows,
      createdByUserId: actor.kind === 'user' ? actor.id : null,
      createdAt: now,
      updatedAt: now,
    });
    const job = await getImport(ctx, actor, id);
    return {
      ...job,
      sample: file.sample,
      suggestedMapping: suggestMapping(file.headers, query.kind),
    };
  } catch (error) {
    await rm(filePath, { force: true });
    throw error;
  }
}

// Reviewing and starting.

function assertMapping(mapping: ImportMapping, headers: string[], kind: ImportKind): void {
  const problems = checkMapping(mapping, headers, kind);
  if (problems.length > 0) {
    throw invalid(
      `The column mapping has ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}: ${problems.map((p) => p.message).join(' ')}`,
      problems,
    );
  }
}

function assertFileKept(job: ImportJobRow): string {
  if (job.status !== 'uploaded' || !job.filePath) {
    throw conflict(
      'This import has been started already: upload the file again to import it again.',
    );
  }
  return job.filePath;
}

/** What an import with this mapping would do, counted without writing. */
export async function reviewImport(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
  mapping: ImportMapping,
): Promise<ImportReview> {
  const { job } = await loadJob(ctx, actor, id);
  const filePath = assertFileKept(job);
  const kind = job.kind as ImportKind;
  assertMapping(mapping, job.headers, kind);
  const review: ImportReview = {
    totalRows: 0,
    toImport: { new: 0, update: 0, unchanged: 0 },
    invalidPhones: 0,
    duplicates: 0,
    errorCount: 0,
    problems: [],
  };
  await passOverFile({
    filePath,
    kind,
    mapping,
    defaultCountry: await workspaceCountry(ctx.db, actor.workspaceId),
    write: (records) =>
      kind === 'contacts'
        ? classifyContacts(ctx.db, actor.workspaceId, records as ContactRecord[])
        : classifyDnc(ctx.db, actor.workspaceId, records as DncRecord[]),
    onBatch: (b) => {
      review.totalRows += b.rows;
      review.toImport.new += b.counts.created;
      review.toImport.update += b.counts.updated;
      review.toImport.unchanged += b.counts.unchanged;
      review.invalidPhones += b.invalidPhones;
      review.duplicates += b.duplicates;
      review.errorCount += b.problems.length;
      const room = FIRST_ERRORS - review.problems.length;
      if (room > 0) review.problems.push(...b.problems.slice(0, room));
    },
  });
  return review;
}

const running = new Set<Promise<unknown>>();

/** Waits for the imports this process is running (on shutdown, and in tests). */
export async function drainImports(): Promise<void> {
  while (running.size > 0) await Promise.allSettled([...running]);
}

/** Marks the job running (once: a second start is 409) and imports it in the background. */
export async function startImport(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
  mapping: ImportMapping,
  onError?: (error: unknown) => void,
): Promise<ImportJob> {
  const { job } = await loadJob(ctx, actor, id);
  const filePath = assertFileKept(job);
  const kind = job.kind as ImportKind;
  assertMapping(mapping, job.headers, kind);
  const now = ctx.clock.now();
  const started = await claimUploadedImportJob(ctx.db, actor.workspaceId, id, mapping, now);
  if (!started) {
    assertFileKept({ ...job, status: 'running' });
    throw new Error('unreachable: a job not claimed is refused above');
  }
  // The answer is the job as this request started it (what the 202 means), read before the
  // import runs: a small file may finish before a later read, and the answer must not depend on it.
  const answer = jobView({ job: started, firstErrors: [] }, now);
  const run = runImportJob(ctx, {
    jobId: id,
    workspaceId: actor.workspaceId,
    actor,
    kind,
    filePath,
    mapping,
    deleteFile: true,
    onError,
  }).catch(() => {
    // The failure is written to the job; nothing else waits for it.
  });
  running.add(run);
  void run.finally(() => running.delete(run));
  return answer;
}
