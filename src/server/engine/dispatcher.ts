/**
 * The dispatcher (SPEC §2.3, §2.4): claims queued follow-ups in batches, urgent → high →
 * normal → low then earliest, never more calls in progress for an agent than its capacity;
 * starts one attempt each (attempts + 1, an idempotency key, a lease) in one transaction; calls
 * the channels outside any transaction; records what they answered in one more.
 */
import { sql } from 'drizzle-orm';
import { contactDisplayName } from '../../core/contact.ts';
import type { FollowUpType } from '../../core/follow-up.ts';
import { LEASE_SECONDS } from '../../core/retry.ts';
import { followUpAttempts } from '../db/schema.ts';
import { pgArray, rowsOf } from '../db/sql.ts';
import { newId } from '../ids.ts';
import { transitionRows } from '../services/transitions.ts';
import type { AttemptJob, ChannelOutcome } from './channels/channel.ts';
import type { EngineContext } from './context.ts';
import { type AttemptReport, record } from './record.ts';
import {
  agentFor,
  applyPlacements,
  PLACEMENT_COLUMNS,
  PLACEMENT_JOINS,
  type PlacementRow,
} from './scheduler.ts';

interface QueuedRow extends PlacementRow {
  contact_id: string;
  attempts: number;
  notes: string | null;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
}

export interface Dispatched {
  /** Follow-ups claimed from the queue (started, deferred, blocked or expired). */
  claimed: number;
  /** Attempts started. */
  started: number;
  /** Settles when every channel answered and the answers are recorded. */
  done: Promise<void>;
}

/** Claims and starts one batch; `done` resolves when its channels answered and were recorded. */
export async function dispatchBatch(ctx: EngineContext): Promise<Dispatched> {
  const now = ctx.clock.now();
  const { claimed, jobs } = await ctx.db.transaction(async (tx) => {
    const rows = rowsOf<QueuedRow>(
      await tx.execute(sql`
        with busy as (
          select b.resolved_agent_id as agent_id
          from follow_ups b join agents a on a.id = b.resolved_agent_id
          where b.status = 'in_progress' and b.type = 'call'
          group by b.resolved_agent_id, a.max_concurrent_calls
          having count(*) >= a.max_concurrent_calls
        )
        select ${PLACEMENT_COLUMNS}, f.contact_id, f.attempts, f.notes,
          c.first_name, c.last_name, c.email
        from follow_ups f ${PLACEMENT_JOINS}
        where f.status = 'queued'
          and not (f.type = 'call' and f.resolved_agent_id in (select agent_id from busy))
        order by f.priority_rank, f.scheduled_at, f.id
        limit ${ctx.batchSize}
        for update of f skip locked`),
    );
    if (rows.length === 0) return { claimed: 0, jobs: [] as AttemptJob[] };
    const runnable = await applyPlacements(tx, rows, now);

    // Agent capacity: lock the agents of this batch's calls (in a fixed order: no deadlocks),
    // then count what they already have in progress.
    const calls = runnable.filter((r) => r.type === 'call');
    const agentIds = [
      ...new Set(calls.map(agentFor).filter((a): a is string => a !== null)),
    ].sort();
    const room = new Map<string, number>();
    if (agentIds.length > 0) {
      await tx.execute(sql`
        select pg_advisory_xact_lock(7419100, hashtext(a))
        from unnest(${pgArray(agentIds)}::text[]) as a order by a`);
      const capacity = rowsOf<{ id: string; status: string; max: number; busy: number }>(
        await tx.execute(sql`
          select a.id, a.status, a.max_concurrent_calls as max,
            (select count(*)::int from follow_ups b
              where b.resolved_agent_id = a.id and b.status = 'in_progress' and b.type = 'call')
              as busy
          from agents a where a.id = any(${pgArray(agentIds)}::uuid[])`),
      );
      for (const a of capacity) room.set(a.id, a.status === 'active' ? a.max - a.busy : 0);
    }
    const starting: { row: QueuedRow; agentId: string | null }[] = [];
    for (const row of runnable as QueuedRow[]) {
      const agentId = agentFor(row);
      if (row.type === 'call') {
        const left = agentId ? (room.get(agentId) ?? 0) : 0;
        if (left <= 0) continue; // stays queued until the agent has room
        room.set(agentId!, left - 1);
      }
      starting.push({ row, agentId });
    }

    const moved = await transitionRows(tx, {
      action: 'start',
      at: now,
      rows: starting.map(({ row, agentId }) => ({
        id: row.id,
        workspaceId: row.workspace_id,
        resolvedAgentId: agentId,
        data: { attempt: row.attempts + 1, agentId },
      })),
      columns: ['resolvedAgentId'],
      incrementAttempts: true,
      event: { kind: 'attempt_started' },
    });
    const startedIds = new Set(moved.map((m) => m.id));
    const jobs: AttemptJob[] = [];
    const attempts: (typeof followUpAttempts.$inferInsert)[] = [];
    for (const { row, agentId } of starting) {
      if (!startedIds.has(row.id)) continue;
      const number = row.attempts + 1;
      const type = row.type as FollowUpType;
      const job: AttemptJob = {
        attemptId: newId(),
        followUpId: row.id,
        workspaceId: row.workspace_id,
        number,
        type,
        idempotencyKey: `${row.id}:${number}`,
        agentId,
        campaignId: row.campaign_id,
        notes: row.notes,
        contact: {
          id: row.contact_id,
          name: contactDisplayName({
            id: row.contact_id,
            firstName: row.first_name,
            lastName: row.last_name,
            phone: row.contact_phone,
          }),
          phone: row.contact_phone,
          email: row.email,
          timezone: row.contact_timezone ?? row.workspace_timezone,
        },
      };
      jobs.push(job);
      attempts.push({
        id: job.attemptId,
        workspaceId: job.workspaceId,
        followUpId: job.followUpId,
        number,
        channel: type,
        provider: ctx.channels[type].provider,
        agentId,
        idempotencyKey: job.idempotencyKey,
        startedAt: now,
        leaseExpiresAt: new Date(now.getTime() + LEASE_SECONDS[type] * 1000),
        workerId: ctx.workerId,
      });
    }
    if (attempts.length > 0) await tx.insert(followUpAttempts).values(attempts);
    return { claimed: rows.length, jobs };
  });

  return { claimed, started: jobs.length, done: runJobs(ctx, jobs) };
}

/** Calls the channels (no transaction open), then records every answer in one transaction. */
async function runJobs(ctx: EngineContext, jobs: AttemptJob[]): Promise<void> {
  if (jobs.length === 0) return;
  const outcomes = await Promise.all(jobs.map((job) => startSafely(ctx, job)));
  const reports: AttemptReport[] = [];
  outcomes.forEach((outcome, i) => {
    if (outcome.status === 'done') {
      reports.push({
        attemptId: jobs[i]!.attemptId,
        result: outcome.result,
        error: outcome.error ?? null,
        providerRef: outcome.providerRef ?? null,
        ...(outcome.httpStatus === undefined ? {} : { httpStatus: outcome.httpStatus }),
      });
    }
    // 'pending': the provider reports through its callback (or the reaper ends it).
  });
  await record(ctx, reports);
}

async function startSafely(ctx: EngineContext, job: AttemptJob): Promise<ChannelOutcome> {
  try {
    return await ctx.channels[job.type].start(job);
  } catch (error) {
    ctx.logger.warn(
      { followUpId: job.followUpId, attemptId: job.attemptId, err: error },
      'channel failed to start the attempt',
    );
    return { status: 'done', result: 'provider_error', error: (error as Error).message };
  }
}
