/**
 * The dispatcher (SPEC §2.3, §2.4): claims queued follow-ups in batches, urgent → high →
 * normal → low then earliest, never more calls in progress for an agent than its capacity;
 * starts one attempt each (attempts + 1, an idempotency key, a lease) in one transaction; calls
 * the channels outside any transaction; records what they answered in one more. Due follow-ups
 * are claimed the same way (promoteBatch): placed, queued, and started at once when they can;
 * those of a campaign that is not running stay scheduled until it runs.
 */
import { sql } from 'drizzle-orm';
import { contactDisplayName } from '../../core/contact.ts';
import type { FollowUpType } from '../../core/follow-up.ts';
import type { followUpAttempts } from '../db/schema.ts';
import { pgArray, rowsOf } from '../db/sql.ts';
import { newId } from '../ids.ts';
import { dispatchLag, engineStage } from '../metrics.ts';
import { transitionRows } from '../services/follow-ups/transitions.ts';
import type { AttemptJob } from './channels/channel.ts';
import { agentRoom, type ClaimedRow, claim, insertAttempts } from './claim.ts';
import type { EngineContext } from './context.ts';
import { allocate, byDispatchOrder, callAgents } from './dispatch-order.ts';
import { holdCappedAttempts } from './frequency-caps.ts';
import { runJobs } from './running.ts';
import { agentFor, applyPlacements } from './scheduler.ts';

export interface Dispatched {
  /** Follow-ups claimed from the queue (started, deferred, blocked or expired). */
  claimed: number;
  /** Attempts started. */
  started: number;
  /** Due follow-ups queued to wait for their agent (promotion only). */
  queued: number;
  /** Follow-ups held back by a frequency cap (deferred). */
  capped: number;
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

/** Claims queued follow-ups and starts those whose agent has room. */
export function dispatchBatch(ctx: EngineContext, options: DispatchOptions = {}) {
  return claimAndStart(ctx, options, 'queued');
}

/**
 * Due scheduled follow-ups (SPEC §2.2): the ones that may not run now are deferred, blocked or
 * expired; the others are queued, and those that can start at once (SMS, webhooks, calls whose
 * agent has room and no queued calls before them) start in the same update: queued and
 * attempt_started are both on the timeline, the row is written once.
 */
export function promoteBatch(ctx: EngineContext, options: DispatchOptions = {}) {
  return claimAndStart(ctx, options, 'due');
}

/**
 * One batch: claims rows (queued ones, or due scheduled ones), places them, starts what can
 * start; `done` resolves when its channels answered and were recorded.
 */
async function claimAndStart(
  ctx: EngineContext,
  options: DispatchOptions,
  from: 'queued' | 'due',
): Promise<Dispatched> {
  const now = ctx.clock.now();
  const began = performance.now();
  let claimed = began;
  let placed = began;
  const batch = await ctx.db.transaction(async (tx) => {
    const rows = await claim(tx, from, now, ctx.batchSize);
    claimed = performance.now();
    const runAt = new Map<string, Date>();
    if (rows.length === 0) {
      return { count: 0, queued: 0, capped: 0, jobs: [] as AttemptJob[], runAt };
    }
    const runnable = (await applyPlacements(tx, rows, now)) as ClaimedRow[];
    // The batch in dispatch order (the queue is claimed in it already).
    if (from === 'due') runnable.sort(byDispatchOrder);
    const room = await agentRoom(tx, callAgents(runnable), from === 'due');
    const allocated = allocate(runnable, room);
    // Frequency caps: the contacts locked, their attempts counted, the capped rows deferred.
    const capped = await holdCappedAttempts(
      tx,
      allocated.map((a) => a.row),
      now,
    );
    const starting = allocated.filter((a) => !capped.has(a.row.id));
    placed = performance.now();

    const moved =
      from === 'queued'
        ? await transitionRows(tx, {
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
          })
        : await transitionRows(tx, {
            action: 'start',
            via: { action: 'queue', event: { kind: 'queued' } },
            at: now,
            rows: starting.map(({ row, agentId }) => ({
              id: row.id,
              workspaceId: row.workspace_id,
              nextAttemptAt: null,
              resolvedAgentId: agentId,
              data: { attempt: row.attempts + 1, agentId },
              viaData: { dueAt: new Date(row.run_at).toISOString() },
            })),
            columns: ['nextAttemptAt', 'resolvedAgentId'],
            incrementAttempts: true,
            event: { kind: 'attempt_started' },
          });
    let queued = 0;
    if (from === 'due') {
      // The rest wait in the queue. The agent is resolved here too, so that the dispatcher can
      // pass over agents at capacity; dueAt (when it was due) lets it measure its lag.
      const startingIds = new Set(starting.map((s) => s.row.id));
      const waiting = runnable.filter((r) => !startingIds.has(r.id) && !capped.has(r.id));
      queued = (
        await transitionRows(tx, {
          action: 'queue',
          at: now,
          rows: waiting.map((r) => ({
            id: r.id,
            workspaceId: r.workspace_id,
            nextAttemptAt: null,
            resolvedAgentId: agentFor(r),
            data: { dueAt: new Date(r.run_at).toISOString() },
          })),
          columns: ['nextAttemptAt', 'resolvedAgentId'],
          event: { kind: 'queued' },
        })
      ).length;
    }
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
    await insertAttempts(tx, attempts);
    return { count: rows.length, queued, capped: capped.size, jobs, runAt };
  });
  const committed = performance.now();
  engineStage.observe({ stage: 'claim' }, (claimed - began) / 1000);
  if (batch.count > 0) {
    engineStage.observe({ stage: 'queue' }, (placed - claimed) / 1000);
    engineStage.observe({ stage: 'start' }, (committed - placed) / 1000);
  }
  const { jobs, runAt, queued, capped } = batch;

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
          observeLag(ctx, jobs, runAt, now, from === 'due').catch((error) =>
            ctx.logger.debug({ err: error }, 'dispatch lag not measured'),
          ),
        ]).then(() => {});
  return { claimed: batch.count, queued, capped, started: jobs.length, done };
}

/**
 * followthrough_dispatch_lag_seconds: attempt start − when the follow-up was due. That is its
 * run time when the scheduler queued it (kept in the `queued` event, since queuing clears
 * nextAttemptAt), else its run time now (rows queued by other means, and rows started as
 * they were promoted).
 */
async function observeLag(
  ctx: EngineContext,
  jobs: AttemptJob[],
  runAt: Map<string, Date>,
  startedAt: Date,
  /** Started as they came due: their run time is when they were due. */
  exact: boolean,
): Promise<void> {
  const queued = exact
    ? []
    : rowsOf<{ follow_up_id: string; due_at: string | null }>(
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
