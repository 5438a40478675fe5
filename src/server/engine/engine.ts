/**
 * The engine's life cycle: started in-process by the embedded `serve`, alone by `worker`, in
 * any number of processes on PostgreSQL. It works in rounds — resume ended snoozes, expire,
 * promote what is due, dispatch, reap expired leases — and sleeps until the next thing is due:
 * a timer to the next due time, a wake-up notification when somebody creates or moves a
 * follow-up (NOTIFY on PostgreSQL, PGlite's own on the embedded database), and a slow safety
 * poll in case a notification was lost.
 */
import { setMaxListeners } from 'node:events';
import { hostname } from 'node:os';
import { type SQL, sql } from 'drizzle-orm';
import { LEASE_SECONDS } from '../../core/retry.ts';
import type { Clock } from '../clock.ts';
import type { DatabaseHandle } from '../db/client.ts';
import { CHANNELS } from '../db/notify.ts';
import { rowsOf } from '../db/sql.ts';
import type { Logger } from '../logger.ts';
import { engineStage } from '../metrics.ts';
import type { Channels } from './channels/channel.ts';
import type { EngineContext } from './context.ts';
import { type Dispatched, dispatchBatch, promoteBatch } from './dispatcher.ts';
import { reapExpiredLeases, releaseAttempts } from './reaper.ts';
import { CAMPAIGN_RUNS_ALONE, expireOverdue, resumeSnoozed } from './scheduler.ts';

export interface EngineOptions {
  handle: DatabaseHandle;
  clock: Clock;
  logger: Logger;
  channels: Channels;
  workerId?: string;
  batchSize?: number;
  /** The lease of a call attempt (default SPEC §2.4's 15 minutes). */
  callLeaseSeconds?: number;
  /** The slow safety poll, in milliseconds. */
  pollMs?: number;
  /** Batches whose channels may be running at once in this process. */
  maxBatchesInFlight?: number;
  /** How long a graceful stop waits for running attempts before releasing them. */
  stopGraceMs?: number;
}

export interface Engine {
  /** One full round now (tests drive the engine with this and a fake clock). */
  runOnce(): Promise<RoundStats>;
  /** Asks for a round soon (after a change that may make something runnable). */
  wake(): void;
  /** Runs rounds by itself: now, on wake-up notifications, on timers. */
  start(): void;
  /** Waits until the attempts started so far have been recorded and no round is running (tests). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export interface RoundStats {
  resumed: number;
  expired: number;
  promoted: number;
  started: number;
  reaped: number;
}

export function createEngine(options: EngineOptions): Engine {
  const ctx: EngineContext = {
    db: options.handle.db,
    clock: options.clock,
    logger: options.logger,
    channels: options.channels,
    workerId: options.workerId ?? `${hostname()}:${process.pid}`,
    batchSize: options.batchSize ?? 500,
    leaseSeconds: { ...LEASE_SECONDS, call: options.callLeaseSeconds ?? LEASE_SECONDS.call },
  };
  const maxInFlight = options.maxBatchesInFlight ?? 8;
  const inFlight = new Set<Promise<void>>();
  // Graceful stop: a round waiting for room stops waiting; at the end of the grace, `cutoff`
  // makes running batches record what they have.
  let stopWaiting: (() => void) | null = null;
  const cutoff = new AbortController();
  setMaxListeners(0, cutoff.signal);

  async function drain(step: () => Promise<number>): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await step();
      total += n;
      if (n < ctx.batchSize) return total;
    }
  }

  async function runOnce(): Promise<RoundStats> {
    const stats: RoundStats = { resumed: 0, expired: 0, promoted: 0, started: 0, reaped: 0 };
    // Most rounds (a call ended, a follow-up was created) have one thing to do: one look at the
    // partial indexes says which steps to run, instead of a transaction for each.
    const looking = performance.now();
    const due = await dueWork(ctx);
    engineStage.observe({ stage: 'look' }, (performance.now() - looking) / 1000);
    if (due.resume) stats.resumed = await drain(() => resumeSnoozed(ctx));
    if (due.expire) stats.expired = await drain(() => expireOverdue(ctx));
    let queued = 0;
    if (due.promote || stats.resumed > 0) {
      await inBatches(stats, promoteBatch, (batch) => {
        stats.promoted += batch.claimed;
        queued += batch.queued;
        return batch.claimed < ctx.batchSize;
      });
    }
    if (due.reap) stats.reaped = await drain(() => reapExpiredLeases(ctx));
    if (due.dispatch || queued > 0) {
      // A full batch that started nothing is calls waiting for their agents: the same rows would
      // be claimed again. One whose calls a frequency cap held did something: the next may start.
      await inBatches(
        stats,
        dispatchBatch,
        (batch) => batch.claimed < ctx.batchSize || batch.started + batch.capped === 0,
      );
    }
    return stats;
  }

  /**
   * Runs `step` batch after batch until `last` says so, with at most maxInFlight batches whose
   * channels are still running.
   */
  async function inBatches(
    stats: RoundStats,
    step: typeof dispatchBatch,
    last: (batch: Dispatched) => boolean,
  ): Promise<void> {
    for (;;) {
      if (inFlight.size >= maxInFlight && !stopped) {
        await new Promise<void>((resolve) => {
          stopWaiting = resolve;
          Promise.race(inFlight).then(resolve, resolve);
        });
        stopWaiting = null;
      }
      if (stopped) return;
      const batch = await step(ctx, { cutoff: cutoff.signal });
      stats.started += batch.started;
      const done = batch.done
        .catch((error) => ctx.logger.error({ err: error }, 'recording attempt results failed'))
        .finally(() => {
          inFlight.delete(done);
          // Finished calls free agent capacity: look at the queue again.
          if (batch.started > 0) wake();
        });
      inFlight.add(done);
      if (last(batch)) return;
    }
  }

  // The loop: one round at a time; a wake-up during a round asks for one more.
  let stopped = false;
  let stopDone: Promise<void> | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | null = null;
  const pollMs = options.pollMs ?? 10_000;

  let started = false;
  /** When the first wake-up not yet served by a round came (followthrough_engine_stage wake). */
  let wokeAt: number | null = null;
  function wake(): void {
    if (stopped || !started) return;
    wokeAt ??= performance.now();
    if (running) {
      again = true;
      return;
    }
    running = loop().finally(() => {
      running = null;
    });
  }

  async function loop(): Promise<void> {
    do {
      again = false;
      if (wokeAt !== null) {
        engineStage.observe({ stage: 'wake' }, (performance.now() - wokeAt) / 1000);
        wokeAt = null;
      }
      try {
        const stats = await runOnce();
        if (stats.promoted + stats.started + stats.expired + stats.resumed + stats.reaped > 0) {
          ctx.logger.debug(stats, 'engine round');
        }
      } catch (error) {
        ctx.logger.warn({ err: error }, 'engine round failed; retrying shortly');
        await sleep(500);
      }
      if (again || stopped) continue;
      // A wake-up that comes while the next round is being planned asks for one more round
      // too (it used to be lost until the timer or the safety poll).
      await planNextRound();
    } while (again && !stopped);
  }

  /** Sleeps until the next thing is due (or the safety poll), unless woken earlier. */
  async function planNextRound(): Promise<void> {
    let delay = pollMs;
    try {
      const [row] = rowsOf<{ next: Date | string | null }>(
        await ctx.db.execute(sql`
          select least(
            (select min(f.run_at) from follow_ups f
              where f.status = 'scheduled' and ${CAMPAIGN_RUNS_ALONE}),
            (select min(snoozed_until) from follow_ups where status = 'snoozed'),
            (select min(expires_at) from follow_ups
              where status in ('scheduled', 'queued', 'snoozed')),
            (select min(lease_expires_at) from follow_up_attempts where ended_at is null)
          ) as next`),
      );
      if (row?.next) {
        const wait = new Date(row.next).getTime() - ctx.clock.now().getTime();
        delay = Math.min(pollMs, Math.max(0, wait + 5));
      }
    } catch {
      delay = 1000;
    }
    if (timer) clearTimeout(timer);
    timer = setTimeout(wake, delay);
    timer.unref?.();
  }

  let unlisten: (() => Promise<void>) | null = null;
  let listening: Promise<void> = Promise.resolve();

  return {
    runOnce,
    wake,
    start() {
      started = true;
      listening = options.handle
        .listen(CHANNELS.wake, wake, wake)
        .then((u) => {
          unlisten = u;
        })
        .catch((error) => ctx.logger.warn({ err: error }, 'engine: cannot listen for wake-ups'));
      wake();
    },
    async idle() {
      while (inFlight.size > 0 || running) {
        await Promise.allSettled([...inFlight, ...(running ? [running] : [])]);
      }
    },
    /**
     * Starts nothing new, waits up to the grace for the attempts running in this process to
     * answer (and records them), then ends this worker's attempts still open as `timeout`, so
     * that they are retried (by whoever runs next) instead of waiting for their leases.
     */
    stop() {
      stopped = true;
      stopDone ??= (async () => {
        stopWaiting?.();
        if (timer) clearTimeout(timer);
        await listening;
        await unlisten?.();
        await running;
        const grace = options.stopGraceMs ?? 10_000;
        if (!(await settledWithin(inFlight, grace))) {
          ctx.logger.warn(
            { batches: inFlight.size, graceMs: grace },
            'engine stopping: attempts still running after the grace period are released',
          );
          // Record the answers that came (a database write); the others are released below.
          cutoff.abort();
          await settledWithin(inFlight, Math.max(grace, 5_000));
        }
        for (const channel of Object.values(ctx.channels)) {
          await channel
            .close?.()
            .catch((error) =>
              ctx.logger.warn({ err: error, channel: channel.type }, 'channel did not close'),
            );
        }
        const released = await releaseAttempts(ctx).catch((error) => {
          ctx.logger.warn({ err: error }, 'engine stopping: could not release open attempts');
          return 0;
        });
        if (released > 0) ctx.logger.info({ released }, 'released unfinished attempts for retry');
        ctx.logger.info('engine stopped');
      })();
      return stopDone;
    },
  };
}

/** Starts the loop: a first round now, then on timers and wake-ups. */
export function startEngine(options: EngineOptions): Engine {
  const engine = createEngine(options);
  engine.start();
  options.logger.info({ database: options.handle.kind }, 'engine started');
  return engine;
}

/** Which steps of a round have work now: one statement over the partial indexes. */
export function dueWorkSql(now: Date): SQL {
  const at = now.toISOString();
  return sql`
    select
      exists (select 1 from follow_ups
        where status = 'snoozed' and snoozed_until <= ${at}::timestamptz) as resume,
      exists (select 1 from follow_ups
        where status in ('scheduled', 'queued', 'snoozed') and expires_at <= ${at}::timestamptz)
        as expire,
      exists (select 1 from follow_ups f
        where f.status = 'scheduled' and f.run_at <= ${at}::timestamptz
          and ${CAMPAIGN_RUNS_ALONE}) as promote,
      exists (select 1 from follow_up_attempts
        where ended_at is null and lease_expires_at <= ${at}::timestamptz) as reap,
      exists (select 1 from follow_ups where status = 'queued') as dispatch`;
}

async function dueWork(ctx: EngineContext) {
  const [row] = rowsOf<Record<'resume' | 'expire' | 'promote' | 'reap' | 'dispatch', boolean>>(
    await ctx.db.execute(dueWorkSql(ctx.clock.now())),
  );
  return row!;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether every promise settled within `ms`. */
async function settledWithin(promises: Iterable<Promise<unknown>>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const settled = await Promise.race([
    Promise.allSettled([...promises]).then(() => true),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    }),
  ]);
  clearTimeout(timer);
  return settled;
}
