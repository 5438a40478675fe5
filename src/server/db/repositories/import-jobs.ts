/**
 * The import_jobs table: the queries the imports service needs, without rules. Each is scoped
 * to the workspace; a read returns undefined when the workspace has no such job, and the
 * service decides what that means (usually a 404).
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { importJobs } from '../schema.ts';

export type ImportJobRow = typeof importJobs.$inferSelect;
export type NewImportJob = typeof importJobs.$inferInsert;

/** A job with the first of its row errors (the whole list can be 10,000 rows). */
export interface ImportJobWithErrors<E> {
  job: ImportJobRow;
  firstErrors: E[];
}

const withFirstErrors = <E>(first: number) => ({
  job: importJobs,
  firstErrors: sql<
    E[]
  >`jsonb_path_query_array(${importJobs.rowErrors}, ${`$[0 to ${first - 1}]`}::jsonpath)`,
});

const ofWorkspace = (workspaceId: string, id: string) =>
  and(eq(importJobs.workspaceId, workspaceId), eq(importJobs.id, id));

/** The status of a job that waits to be started (its file is on disk). */
const UPLOADED = 'uploaded';

export async function findImportJob<E>(
  db: DbOrTx,
  workspaceId: string,
  id: string,
  firstErrors: number,
): Promise<ImportJobWithErrors<E> | undefined> {
  const [row] = await db
    .select(withFirstErrors<E>(firstErrors))
    .from(importJobs)
    .where(ofWorkspace(workspaceId, id));
  return row as ImportJobWithErrors<E> | undefined;
}

/** The workspace's latest jobs of a kind (or of every kind), newest first. */
export async function listImportJobs<E>(
  db: DbOrTx,
  workspaceId: string,
  kind: string | undefined,
  limit: number,
  firstErrors: number,
): Promise<ImportJobWithErrors<E>[]> {
  const rows = await db
    .select(withFirstErrors<E>(firstErrors))
    .from(importJobs)
    .where(
      and(eq(importJobs.workspaceId, workspaceId), kind ? eq(importJobs.kind, kind) : undefined),
    )
    .orderBy(desc(importJobs.createdAt), desc(importJobs.id))
    .limit(limit);
  return rows as ImportJobWithErrors<E>[];
}

/** The job's file name and every row error it kept. */
export async function findImportJobErrors<E>(
  db: DbOrTx,
  workspaceId: string,
  id: string,
): Promise<{ fileName: string; errors: E[] } | undefined> {
  const [row] = await db
    .select({ fileName: importJobs.fileName, errors: importJobs.rowErrors })
    .from(importJobs)
    .where(ofWorkspace(workspaceId, id));
  return row as { fileName: string; errors: E[] } | undefined;
}

export async function insertImportJob(db: DbOrTx, job: NewImportJob): Promise<void> {
  await db.insert(importJobs).values(job);
}

/**
 * Deletes the job if it was uploaded and never started; its file path, or undefined when no
 * such job waits to be started.
 */
export async function deleteUploadedImportJob(
  db: DbOrTx,
  workspaceId: string,
  id: string,
): Promise<{ filePath: string | null } | undefined> {
  const [row] = await db
    .delete(importJobs)
    .where(and(ofWorkspace(workspaceId, id), eq(importJobs.status, UPLOADED)))
    .returning({ filePath: importJobs.filePath });
  return row;
}

/** The workspace's jobs waiting to be started: how many, and their files' bytes in all. */
export async function countUploadedImportJobs(
  db: DbOrTx,
  workspaceId: string,
): Promise<{ files: number; bytes: number }> {
  const [row] = await db
    .select({
      files: sql<number>`count(*)::int`,
      bytes: sql<string>`coalesce(sum(${importJobs.fileBytes}), 0)::text`,
    })
    .from(importJobs)
    .where(and(eq(importJobs.workspaceId, workspaceId), eq(importJobs.status, UPLOADED)));
  return { files: Number(row?.files ?? 0), bytes: Number(row?.bytes ?? 0) };
}

/**
 * Marks a job that waits to be started as running, with its mapping, in one statement (two
 * starts cannot both claim it); the job as started, or undefined when it was not waiting.
 */
export async function claimUploadedImportJob(
  db: DbOrTx,
  workspaceId: string,
  id: string,
  mapping: Record<string, string>,
  now: Date,
): Promise<ImportJobRow | undefined> {
  const [row] = await db
    .update(importJobs)
    .set({ status: 'running', mapping, startedAt: now, heartbeatAt: now, updatedAt: now })
    .where(and(ofWorkspace(workspaceId, id), eq(importJobs.status, UPLOADED)))
    .returning();
  return row;
}
