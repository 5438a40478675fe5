/**
 * The reaper (SPEC §2.4): an attempt that never reported back (a worker died, a provider lost
 * the callback) is ended as `timeout` when its lease runs out, and so retried like any
 * retryable result.
 */
import { sql } from 'drizzle-orm';
import { rowsOf } from '../db/sql.ts';
import { type RecordedAttempt, recordResults } from '../services/follow-ups/attempt-results.ts';
import type { EngineContext } from './context.ts';

export async function reapExpiredLeases(ctx: EngineContext): Promise<number> {
  const now = ctx.clock.now();
  const { count, ended } = await ctx.db.transaction(async (tx) => {
    const rows = rowsOf<{ id: string }>(
      await tx.execute(sql`
        select id from follow_up_attempts
        where ended_at is null and lease_expires_at <= ${now.toISOString()}::timestamptz
        order by lease_expires_at limit ${ctx.batchSize}
        for update skip locked`),
    );
    const ended = await recordResults(
      tx,
      now,
      rows.map((r) => ({ attemptId: r.id, result: 'timeout' as const })),
    );
    return { count: rows.length, ended };
  });
  log(ctx, ended, 'warn', 'attempt lease ran out: ended as timeout');
  return count;
}

/**
 * Ends this worker's open attempts at once as `timeout` (graceful shutdown): they are retried
 * by whoever runs next instead of waiting for their leases.
 */
export async function releaseAttempts(ctx: EngineContext): Promise<number> {
  const now = ctx.clock.now();
  const { count, ended } = await ctx.db.transaction(async (tx) => {
    const rows = rowsOf<{ id: string }>(
      await tx.execute(sql`
        select id from follow_up_attempts
        where ended_at is null and worker_id = ${ctx.workerId}
        for update skip locked`),
    );
    const ended = await recordResults(
      tx,
      now,
      rows.map((r) => ({
        attemptId: r.id,
        result: 'timeout' as const,
        error: 'The worker stopped before the attempt reported back.',
      })),
    );
    return { count: rows.length, ended };
  });
  log(ctx, ended, 'info', 'attempt released at shutdown: ended as timeout');
  return count;
}

function log(
  ctx: EngineContext,
  ended: readonly RecordedAttempt[],
  level: 'info' | 'warn',
  message: string,
): void {
  for (const e of ended) {
    ctx.logger[level](
      { followUpId: e.followUpId, attemptId: e.attemptId, outcome: e.outcome },
      message,
    );
  }
}
