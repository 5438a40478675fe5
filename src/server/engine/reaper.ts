/**
 * The reaper (SPEC §2.4): an attempt that never reported back (a worker died, a provider lost
 * the callback) is ended as `timeout` when its lease runs out, and so retried like any
 * retryable result.
 */
import { sql } from 'drizzle-orm';
import { rowsOf } from '../db/sql.ts';
import type { EngineContext } from './context.ts';
import { recordResults } from './record.ts';

export async function reapExpiredLeases(ctx: EngineContext): Promise<number> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const rows = rowsOf<{ id: string }>(
      await tx.execute(sql`
        select id from follow_up_attempts
        where ended_at is null and lease_expires_at <= ${now.toISOString()}::timestamptz
        order by lease_expires_at limit ${ctx.batchSize}
        for update skip locked`),
    );
    await recordResults(
      tx,
      now,
      rows.map((r) => ({ attemptId: r.id, result: 'timeout' as const })),
    );
    return rows.length;
  });
}

/**
 * Ends this worker's open attempts at once as `timeout` (graceful shutdown): they are retried
 * by whoever runs next instead of waiting for their leases.
 */
export async function releaseAttempts(ctx: EngineContext): Promise<number> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const rows = rowsOf<{ id: string }>(
      await tx.execute(sql`
        select id from follow_up_attempts
        where ended_at is null and worker_id = ${ctx.workerId}
        for update skip locked`),
    );
    await recordResults(
      tx,
      now,
      rows.map((r) => ({
        attemptId: r.id,
        result: 'timeout' as const,
        error: 'The worker stopped before the attempt reported back.',
      })),
    );
    return rows.length;
  });
}
