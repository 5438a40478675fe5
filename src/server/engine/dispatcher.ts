/**
 * The dispatcher (SPEC §2.3, §2.4): claims queued follow-ups in batches, urgent → high →
 * normal → low then earliest, never more calls in progress for an agent than its capacity;
 * starts one attempt each (attempts + 1, an idempotency key, a lease) in one transaction; calls
 * the channels outside any transaction; records what they answered in one more.
 */
import { sql } from 'drizzle-orm';
import { contactDisplayName } from '../../core/contact.ts';
import type { FollowUpType } from '../../core/follow-up.ts';
import { followUpAttempts } from '../db/schema.ts';
import { pgArray, rowsOf } from '../db/sql.ts';
import { newId } from '../ids.ts';
import { channelLatency, dispatchLag } from '../metrics.ts';
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
  run_at: Date | string;
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

export interface DispatchOptions {
  /**
   * Graceful shutdown: when this aborts, the answers that came so far are recorded and `done`
   * settles without waiting for the others (the engine then releases their attempts).
   */
  cutoff?: AbortSignal;
}

/** Claims and starts one batch; `done` resolves when its channels answered and were recorded. */
export async function dispatchBatch(
  ctx: EngineContext,
  options: DispatchOptions = {},
): Promise<Dispatched> {
  const now = ctx.clock.now();
  const { claimed, jobs, runAt } = await ctx.db.transaction(async (tx) => {
    const rows = rowsOf<QueuedRow>(
      await tx.execute(sql`
        with busy as (
          select resolved_agent_id as agent_id, count(*)::int as calls
          from follow_ups where status = 'in_progress' and type = 'call'
          group by resolved_agent_id
        ), waiting as (
          -- Each agent's queued calls beyond the room it has now: they cannot start, so they
          -- are not claimed (and other workers' claims do not skip past them).
          select q.id from (
            select f.id, f.resolved_agent_id, row_number() over (
              partition by f.resolved_agent_id order by f.priority_rank, f.scheduled_at, f.id
            ) as nth
            from follow_ups f where f.status = 'queued' and f.type = 'call'
          ) q
          join agents a on a.id = q.resolved_agent_id
          left join busy b on b.agent_id = q.resolved_agent_id
          where q.nth > a.max_concurrent_calls - coalesce(b.calls, 0)
        )
        select ${PLACEMENT_COLUMNS}, f.run_at, f.contact_id, f.attempts, f.notes,
          c.first_name, c.last_name, c.email
        from follow_ups f ${PLACEMENT_JOINS}
        where f.status = 'queued' and f.id not in (select id from waiting)
        order by f.priority_rank, f.scheduled_at, f.id
        limit ${ctx.batchSize}
        for update of f skip locked`),
    );
    const runAt = new Map<string, Date>();
    if (rows.length === 0) return { claimed: 0, jobs: [] as AttemptJob[], runAt };
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
      runAt.set(row.id, new Date(row.run_at));
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
        leaseExpiresAt: new Date(now.getTime() + ctx.leaseSeconds[type] * 1000),
        workerId: ctx.workerId,
      });
    }
    if (attempts.length > 0) await tx.insert(followUpAttempts).values(attempts);
    return { claimed: rows.length, jobs, runAt };
  });

  for (const job of jobs) {
    ctx.logger.debug(
      {
        followUpId: job.followUpId,
        attemptId: job.attemptId,
        attempt: job.number,
        channel: job.type,
        agentId: job.agentId,
      },
      'attempt started',
    );
  }
  const done =
    jobs.length === 0
      ? Promise.resolve()
      : Promise.all([
          runJobs(ctx, jobs, options.cutoff),
          observeLag(ctx, jobs, runAt, now).catch((error) =>
            ctx.logger.debug({ err: error }, 'dispatch lag not measured'),
          ),
        ]).then(() => {});
  return { claimed, started: jobs.length, done };
}

/**
 * followthrough_dispatch_lag_seconds: attempt start − when the follow-up was due. That is its
 * run time when the scheduler queued it (kept in the `queued` event, since queuing clears
 * nextAttemptAt), else its run time now (rows queued by other means).
 */
async function observeLag(
  ctx: EngineContext,
  jobs: AttemptJob[],
  runAt: Map<string, Date>,
  startedAt: Date,
): Promise<void> {
  const queued = rowsOf<{ follow_up_id: string; due_at: string | null }>(
    await ctx.db.execute(sql`
      select distinct on (follow_up_id) follow_up_id, data->>'dueAt' as due_at
      from follow_up_events
      where follow_up_id = any(${pgArray(jobs.map((j) => j.followUpId))}::uuid[])
        and kind = 'queued'
      order by follow_up_id, at desc, id desc`),
  );
  const dueAt = new Map(queued.map((q) => [q.follow_up_id, q.due_at]));
  for (const job of jobs) {
    const fromEvent = dueAt.get(job.followUpId);
    const due = fromEvent ? new Date(fromEvent) : runAt.get(job.followUpId);
    if (!due || Number.isNaN(due.getTime())) continue;
    dispatchLag.observe(Math.max(0, (startedAt.getTime() - due.getTime()) / 1000));
  }
}

/**
 * Calls the channels (no transaction open), then records every answer in one transaction; at
 * the cutoff, records the answers that came so far and leaves the others.
 */
async function runJobs(
  ctx: EngineContext,
  jobs: AttemptJob[],
  cutoff: AbortSignal | undefined,
): Promise<void> {
  const reports: AttemptReport[] = [];
  const answered = Promise.all(
    jobs.map(async (job) => {
      const outcome = await startSafely(ctx, job);
      const log = { followUpId: job.followUpId, attemptId: job.attemptId };
      if (outcome.status === 'done') {
        ctx.logger.debug({ ...log, result: outcome.result }, 'attempt answered');
        reports.push({
          attemptId: job.attemptId,
          result: outcome.result,
          error: outcome.error ?? null,
          providerRef: outcome.providerRef ?? null,
          ...(outcome.httpStatus === undefined ? {} : { httpStatus: outcome.httpStatus }),
        });
      } else {
        // The provider reports through its callback (or the reaper ends it).
        ctx.logger.debug(log, 'attempt accepted; its result comes later');
      }
    }),
  );
  await untilAborted(answered, cutoff);
  // At the cutoff, answers still to come are left out: their attempts are released.
  if (reports.length === 0) return;
  const recorded = await record(ctx, reports.splice(0));
  for (const r of recorded) {
    ctx.logger.debug(
      { followUpId: r.followUpId, attemptId: r.attemptId, result: r.result, outcome: r.outcome },
      'attempt recorded',
    );
  }
}

/** Waits for `promise`, or until `signal` aborts. */
function untilAborted(promise: Promise<unknown>, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return resolve();
    const onAbort = () => resolve();
    signal?.addEventListener('abort', onAbort, { once: true });
    promise.then(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      (error) => {
        signal?.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

async function startSafely(ctx: EngineContext, job: AttemptJob): Promise<ChannelOutcome> {
  const channel = ctx.channels[job.type];
  const started = performance.now();
  try {
    return await channel.start(job);
  } catch (error) {
    ctx.logger.warn(
      { followUpId: job.followUpId, attemptId: job.attemptId, err: error },
      'channel failed to start the attempt',
    );
    return { status: 'done', result: 'provider_error', error: (error as Error).message };
  } finally {
    channelLatency.observe(
      { channel: job.type, provider: channel.provider },
      (performance.now() - started) / 1000,
    );
  }
}
