/**
 * Attempts a voice platform refused for now (429, concurrency limit): the call was not placed,
 * so the attempt is taken back (its row removed, the follow-up's attempt count restored) and
 * the follow-up is scheduled again for when the platform's hold ends (the scheduler keeps it
 * inside the calling window). Its timeline says why (a `deferred` event).
 */
import { sql } from 'drizzle-orm';
import { pgArray, rowsOf } from '../db/sql.ts';
import { transitionRows } from '../services/follow-ups/transitions.ts';
import type { EngineContext } from './context.ts';

export interface HeldAttempt {
  attemptId: string;
  until: Date;
  reason: string;
}

export async function returnHeld(
  ctx: Pick<EngineContext, 'db' | 'clock'>,
  held: readonly HeldAttempt[],
): Promise<number> {
  if (held.length === 0) return 0;
  const at = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const taken = rowsOf<{ id: string; follow_up_id: string; workspace_id: string }>(
      await tx.execute(sql`
        delete from follow_up_attempts
        where id = any(${pgArray(held.map((h) => h.attemptId))}::uuid[]) and ended_at is null
        returning id, follow_up_id, workspace_id`),
    );
    if (taken.length === 0) return 0;
    const byAttempt = new Map(held.map((h) => [h.attemptId, h]));
    const moved = await transitionRows(tx, {
      action: 'retryLater',
      at,
      rows: taken.map((t) => {
        const h = byAttempt.get(t.id)!;
        return {
          id: t.follow_up_id,
          workspaceId: t.workspace_id,
          nextAttemptAt: h.until,
          lastError: h.reason,
          data: { reason: 'platform_busy', until: h.until.toISOString(), message: h.reason },
        };
      }),
      columns: ['nextAttemptAt', 'lastError'],
      event: { kind: 'deferred' },
    });
    if (moved.length > 0) {
      await tx.execute(sql`
        update follow_ups set attempts = greatest(attempts - 1, 0)
        where id = any(${pgArray(moved.map((m) => m.id))}::uuid[])`);
    }
    return moved.length;
  });
}
