/**
 * The running channels: calls each attempt's channel (no transaction open), then records every
 * answer in one transaction; attempts a platform refused for now go back (held.ts); calls it
 * accepted keep its id for the report that comes later.
 */
import { sql } from 'drizzle-orm';
import { pgArray } from '../db/sql.ts';
import { channelLatency, engineStage } from '../metrics.ts';
import { type AttemptReport, recordResults } from '../services/follow-ups/attempt-results.ts';
import type { AttemptJob, ChannelOutcome } from './channels/channel.ts';
import type { EngineContext } from './context.ts';
import { type HeldAttempt, returnHeld } from './held.ts';

/**
 * Starts `jobs` on their channels and records what they answered; at the cutoff, records the
 * answers that came so far and leaves the others (the engine then releases their attempts).
 */
export async function runJobs(
  ctx: EngineContext,
  jobs: AttemptJob[],
  cutoff: AbortSignal | undefined,
): Promise<void> {
  const reports: AttemptReport[] = [];
  const held: HeldAttempt[] = [];
  const accepted: { attemptId: string; providerRef: string }[] = [];
  const channelStart = performance.now();
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
  const recordStart = performance.now();
  engineStage.observe({ stage: 'channel' }, (recordStart - channelStart) / 1000);
  // At the cutoff, answers still to come are left out: their attempts are released.
  if (held.length > 0) await returnHeld(ctx, held.splice(0));
  if (accepted.length > 0) await noteProviderRefs(ctx, accepted.splice(0));
  if (reports.length === 0) return;
  // The record stage in three parts: waiting for a connection (and BEGIN), the statements, and
  // the commit (where PostgreSQL serialises transactions that sent notifications).
  let began = recordStart;
  let written = recordStart;
  const recorded = await ctx.db.transaction(async (tx) => {
    began = performance.now();
    const rows = await recordResults(tx, ctx.clock.now(), reports.splice(0));
    written = performance.now();
    return rows;
  });
  const end = performance.now();
  engineStage.observe({ stage: 'record' }, (end - recordStart) / 1000);
  engineStage.observe({ stage: 'record_connect' }, (began - recordStart) / 1000);
  engineStage.observe({ stage: 'record_statements' }, (written - began) / 1000);
  engineStage.observe({ stage: 'record_commit' }, (end - written) / 1000);
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
