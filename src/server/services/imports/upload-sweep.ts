/**
 * Uploads never started do not stay: every hour, the process that keeps the upload folder deletes
 * the imports uploaded more than 24 hours ago and never started, with their files, and any file in
 * the folder that no import keeps (left behind by a crash) and is as old.
 */
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { and, eq, inArray, lt } from 'drizzle-orm';
import { importJobs } from '../../db/schema.ts';
import type { ServiceContext } from '../context.ts';

export const UPLOAD_TTL_MS = 24 * 60 * 60_000;
export const SWEEP_EVERY_MS = 60 * 60_000;

/** Deletes what is older than 24 hours and never started; answers how many files went. */
export async function sweepUploads(ctx: ServiceContext, dir: string): Promise<number> {
  const cutoff = new Date(ctx.clock.now().getTime() - UPLOAD_TTL_MS);
  // System work, across workspaces: only jobs that were never started, and only their files.
  const expired = await ctx.db
    .delete(importJobs)
    .where(and(eq(importJobs.status, 'uploaded'), lt(importJobs.createdAt, cutoff)))
    .returning({ filePath: importJobs.filePath });
  let deleted = 0;
  for (const { filePath } of expired) {
    if (!filePath) continue;
    await rm(filePath, { force: true });
    deleted += 1;
  }
  const names = await readdir(dir).catch(() => [] as string[]);
  const old: string[] = [];
  for (const name of names) {
    if (!name.endsWith('.csv')) continue;
    const file = path.join(dir, name);
    const info = await stat(file).catch(() => null);
    if (info?.isFile() && info.mtimeMs < cutoff.getTime()) old.push(file);
  }
  if (old.length === 0) return deleted;
  const kept = await ctx.db
    .select({ filePath: importJobs.filePath })
    .from(importJobs)
    .where(inArray(importJobs.filePath, old));
  const keep = new Set(kept.map((k) => k.filePath));
  for (const file of old) {
    if (keep.has(file)) continue;
    await rm(file, { force: true });
    deleted += 1;
  }
  return deleted;
}

/** Runs the sweep now and then every hour, until stopped. Failures are reported, not thrown. */
export function startUploadSweep(
  ctx: ServiceContext,
  dir: string,
  onError: (error: unknown) => void,
  everyMs = SWEEP_EVERY_MS,
): { stop: () => Promise<void> } {
  let current: Promise<unknown> = Promise.resolve();
  const run = () => {
    current = sweepUploads(ctx, dir).catch(onError);
  };
  run();
  const timer = setInterval(run, everyMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await current;
    },
  };
}
