/**
 * A calling window that changes applies at once: the follow-ups the engine deferred to the old
 * window's next opening (never attempted; a retry's backoff is kept) are due again now, and the
 * engine places them in the new window in its next round (it is woken). Each gets a
 * `rescheduled` event saying why.
 */
import { and, eq, gt, isNull, or, type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { followUps } from '../../db/schema.ts';
import type { Actor } from '../context.ts';
import { tryTransitionMany } from './transitions.ts';

/** The follow-ups that obey a window: one campaign's, or every one that uses the workspace's. */
export type WindowScope = { campaignId: string } | 'workspace';

function scopeCondition(scope: WindowScope): SQL | undefined {
  if (scope !== 'workspace') return eq(followUps.campaignId, scope.campaignId);
  return or(
    isNull(followUps.campaignId),
    sql`exists (select 1 from campaigns camp where camp.workspace_id = ${followUps.workspaceId}
      and camp.id = ${followUps.campaignId} and camp.calling_window is null)`,
  );
}

export async function replanDeferred(
  tx: Tx,
  actor: Actor,
  scope: WindowScope,
  now: Date,
): Promise<number> {
  const rows = await tx
    .select({ id: followUps.id })
    .from(followUps)
    .where(
      and(
        eq(followUps.workspaceId, actor.workspaceId),
        eq(followUps.status, 'scheduled'),
        eq(followUps.attempts, 0),
        gt(followUps.nextAttemptAt, now),
        scopeCondition(scope),
      ),
    );
  const moved = await tryTransitionMany(tx, {
    workspaceId: actor.workspaceId,
    followUpIds: rows.map((r) => r.id),
    action: 'defer',
    at: now,
    actor,
    set: { nextAttemptAt: null },
    event: { kind: 'rescheduled', data: { reason: 'calling_window_changed' } },
  });
  return moved.length;
}
