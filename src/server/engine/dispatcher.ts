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
import type { Tx } from '../db/client.ts';
import type { followUpAttempts } from '../db/schema.ts';
import { pgArray, rowsOf } from '../db/sql.ts';
import { newId } from '../ids.ts';
import { channelLatency, dispatchLag } from '../metrics.ts';
import { type AttemptReport, record } from '../services/follow-ups/attempt-results.ts';
import { transitionRows } from '../services/transitions.ts';
import type { AttemptJob, ChannelOutcome } from './channels/channel.ts';
import type { EngineContext } from './context.ts';
import { holdCappedAttempts } from './frequency-caps.ts';
import { type HeldAttempt, returnHeld } from './held.ts';
import {
  agentFor,
  applyPlacements,
  CAMPAIGN_RUNS,
  PLACEMENT_COLUMNS,
  PLACEMENT_JOINS,
  type PlacementRow,
} from './scheduler.ts';

interface QueuedRow extends PlacementRow {
  run_at: Date | string;
  priority_rank: number;
  scheduled_at: Date | string;
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

const CLAIM_COLUMNS = sql`${PLACEMENT_COLUMNS}, f.run_at, f.priority_rank, f.scheduled_at,
  f.contact_id, f.attempts, f.notes, c.first_name, c.last_name, c.email`;

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
  const { claimed, queued, capped, jobs, runAt } = await ctx.db.transaction(async (tx) => {
    const rows = rowsOf<QueuedRow>(
      await tx.execute(
        from === 'queued'
          ? sql`
            with busy as (
              select b.resolved_agent_id as agent_id
              from follow_ups b join agents a on a.id = b.resolved_agent_id
              where b.status = 'in_progress' and b.type = 'call'
              group by b.resolved_agent_id, a.max_concurrent_calls
              having count(*) >= a.max_concurrent_calls
            )
            select ${CLAIM_COLUMNS}
            from follow_ups f ${PLACEMENT_JOINS}
            where f.status = 'queued'
              and not (f.type = 'call' and f.resolved_agent_id in (select agent_id from busy))
            order by f.priority_rank, f.scheduled_at, f.id
            limit ${ctx.batchSize}
            for update of f skip locked`
          : sql`
            select ${CLAIM_COLUMNS}
            from follow_ups f ${PLACEMENT_JOINS}
            where f.status = 'scheduled' and f.run_at <= ${now.toISOString()}::timestamptz
              and ${CAMPAIGN_RUNS}
            order by f.run_at limit ${ctx.batchSize}
            for update of f skip locked`,
      ),
    );
    const runAt = new Map<string, Date>();
    if (rows.length === 0) {
      return { claimed: 0, queued: 0, capped: 0, jobs: [] as AttemptJob[], runAt };
    }
    const runnable = (await applyPlacements(tx, rows, now)) as QueuedRow[];
    // The batch in dispatch order (the queue is claimed in it already).
    if (from === 'due') runnable.sort(byDispatchOrder);
    const allocated = await allocate(tx, runnable, from === 'due');
    // Frequency caps: the contacts locked, their attempts counted, the capped rows deferred.
    const capped = await holdCappedAttempts(
      tx,
      allocated.map((a) => a.row),
      now,
    );
    const starting = allocated.filter((a) => !capped.has(a.row.id));

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
    if (attempts.length > 0) await insertAttempts(tx, attempts);
    return { claimed: rows.length, queued, capped: capped.size, jobs, runAt };
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
          observeLag(ctx, jobs, runAt, now, from === 'due').catch((error) =>
            ctx.logger.debug({ err: error }, 'dispatch lag not measured'),
          ),
        ]).then(() => {});
  return { claimed, queued, capped, started: jobs.length, done };
}

/** urgent → high → normal → low, then earliest (SPEC §2.3). */
function byDispatchOrder(a: QueuedRow, b: QueuedRow): number {
  return (
    a.priority_rank - b.priority_rank ||
    new Date(a.scheduled_at).getTime() - new Date(b.scheduled_at).getTime() ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/**
 * Which of `rows` (in dispatch order) start now: SMS and webhooks all; calls while their agent
 * has room. The agents of the batch's calls are locked (in a fixed order: no deadlocks) before
 * their calls in progress are counted. `behindQueue`: an agent with calls already queued gives
 * its room to those first (the dispatcher takes them in priority order).
 */
async function allocate(
  tx: Tx,
  rows: readonly QueuedRow[],
  behindQueue: boolean,
): Promise<{ row: QueuedRow; agentId: string | null }[]> {
  const agentIds = [
    ...new Set(
      rows
        .filter((r) => r.type === 'call')
        .map(agentFor)
        .filter((a): a is string => a !== null),
    ),
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
    if (behindQueue) {
      const waiting = rowsOf<{ agent_id: string }>(
        await tx.execute(sql`
          select distinct resolved_agent_id as agent_id from follow_ups
          where status = 'queued' and type = 'call'
            and resolved_agent_id = any(${pgArray(agentIds)}::uuid[])`),
      );
      for (const w of waiting) room.set(w.agent_id, 0);
    }
  }
  const starting: { row: QueuedRow; agentId: string | null }[] = [];
  for (const row of rows) {
    const agentId = agentFor(row);
    if (row.type === 'call') {
      const left = agentId ? (room.get(agentId) ?? 0) : 0;
      if (left <= 0) continue; // queued until the agent has room
      room.set(agentId!, left - 1);
    }
    starting.push({ row, agentId });
  }
  return starting;
}

/** The attempts a batch starts, in one statement with one array parameter per column. */
async function insertAttempts(
  tx: Tx,
  attempts: readonly (typeof followUpAttempts.$inferInsert)[],
): Promise<void> {
  const column = <K extends keyof (typeof attempts)[number]>(key: K) =>
    pgArray(attempts.map((a) => a[key] as string | number | Date | null | undefined));
  await tx.execute(sql`
    insert into follow_up_attempts (id, workspace_id, follow_up_id, number, channel, provider,
      agent_id, idempotency_key, started_at, lease_expires_at, worker_id)
    select * from unnest(${column('id')}::uuid[], ${column('workspaceId')}::uuid[],
      ${column('followUpId')}::uuid[], ${column('number')}::smallint[], ${column('channel')}::text[],
      ${column('provider')}::text[], ${column('agentId')}::uuid[],
      ${column('idempotencyKey')}::text[], ${column('startedAt')}::timestamptz[],
      ${column('leaseExpiresAt')}::timestamptz[], ${column('workerId')}::text[])`);
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
  const held: HeldAttempt[] = [];
  const accepted: { attemptId: string; providerRef: string }[] = [];
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
      } else if (outcome.status === 'held') {
        ctx.logger.info(
          { ...log, until: outcome.until },
          'provider refused for now; back to the queue',
        );
        held.push({ attemptId: job.attemptId, until: outcome.until, reason: outcome.reason });
      } else {
        // The provider reports through its callback (or the reaper ends it).
        if (outcome.providerRef) {
          accepted.push({ attemptId: job.attemptId, providerRef: outcome.providerRef });
        }
        ctx.logger.debug(log, 'attempt accepted; its result comes later');
      }
    }),
  );
  await untilAborted(answered, cutoff);
  // At the cutoff, answers still to come are left out: their attempts are released.
  if (held.length > 0) await returnHeld(ctx, held.splice(0));
  if (accepted.length > 0) await noteProviderRefs(ctx, accepted.splice(0));
  if (reports.length === 0) return;
  const recorded = await record(ctx, reports.splice(0));
  for (const r of recorded) {
    ctx.logger.debug(
      { followUpId: r.followUpId, attemptId: r.attemptId, result: r.result, outcome: r.outcome },
      'attempt recorded',
    );
  }
}

/**
 * The platform's id for calls it accepted (a report may name the call by it alone), unless a
 * report came first.
 */
async function noteProviderRefs(
  ctx: EngineContext,
  accepted: readonly { attemptId: string; providerRef: string }[],
): Promise<void> {
  await ctx.db.execute(sql`
    update follow_up_attempts a set provider_ref = v.ref
    from unnest(${pgArray(accepted.map((a) => a.attemptId))}::uuid[],
      ${pgArray(accepted.map((a) => a.providerRef))}::text[]) as v(id, ref)
    where a.id = v.id and a.provider_ref is null`);
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
