/**
 * Recording attempt results: from a channel that answered at once, from a provider's callback,
 * or from the reaper when a lease ran out. The first report of an attempt counts; later ones
 * change nothing. Success completes the follow-up; a retryable result schedules the next attempt
 * after the workspace's backoff (the scheduler then keeps it inside the calling window); a final
 * result, or the last attempt, fails it.
 */
import { sql } from 'drizzle-orm';
import { type AttemptResult, classifyResult } from '../../../core/results.ts';
import { backoffMinutes } from '../../../core/retry.ts';
import type { Tx } from '../../db/client.ts';
import { CHANNELS } from '../../db/notify.ts';
import { pgArray, rowsOf } from '../../db/sql.ts';
import { newId } from '../../ids.ts';
import { attemptsTotal } from '../../metrics.ts';
import { type RowTransition, transitionRows } from './transitions.ts';

export interface AttemptReport {
  attemptId: string;
  result: AttemptResult;
  error?: string | null;
  providerRef?: string | null;
  httpStatus?: number;
  callLogId?: string | null;
}

interface EndedAttempt {
  id: string;
  channel: string;
  workspace_id: string;
  follow_up_id: string;
  number: number;
  agent_id: string | null;
  attempts: number;
  max_attempts: number;
  retry_schedule_minutes: number[];
}

const RESULT_TEXT: Partial<Record<AttemptResult, string>> = {
  no_answer: 'No answer.',
  busy: 'The line was busy.',
  voicemail: 'Reached voicemail.',
  failed: 'The call failed.',
  do_not_call: 'The contact asked not to be called.',
  invalid_number: 'The number is not valid.',
  opted_out: 'The contact opted out of messages.',
  network_error: 'The provider could not be reached.',
  provider_error: 'The provider reported an error.',
  timeout: 'No result came back before the lease ran out.',
  http_error: 'The webhook endpoint refused the delivery.',
};

/** What became of one ended attempt's follow-up. */
export interface RecordedAttempt {
  attemptId: string;
  followUpId: string;
  workspaceId: string;
  result: AttemptResult;
  outcome: 'completed' | 'retry' | 'failed';
}

/**
 * Ends the attempts and moves their follow-ups, in the caller's transaction: one statement ends
 * the attempts, writes their attempt_succeeded / attempt_failed events and wakes the engines
 * when a call's agent is free for calls that wait; one more per outcome moves the follow-ups
 * (completed, retry scheduled, failed) with their events.
 */
export async function recordResults(
  tx: Tx,
  at: Date,
  reports: readonly AttemptReport[],
): Promise<RecordedAttempt[]> {
  if (reports.length === 0) return [];
  const errors = reports.map((r) => r.error ?? describe(r));
  const classes = reports.map((r) => classifyResult(r.result, r.httpStatus));
  const atText = at.toISOString();
  const ended = rowsOf<EndedAttempt>(
    await tx.execute(sql`
      with v as (
        select * from unnest(${pgArray(reports.map((r) => r.attemptId))}::uuid[],
          ${pgArray(reports.map((r) => r.result))}::text[],
          ${pgArray(errors)}::text[],
          ${pgArray(reports.map((r) => r.providerRef ?? null))}::text[],
          ${pgArray(reports.map((r) => r.callLogId ?? null))}::uuid[],
          ${pgArray(reports.map(() => newId()))}::uuid[],
          ${pgArray(classes.map((c) => (c === 'success' ? 'attempt_succeeded' : 'attempt_failed')))}::text[])
          as t(id, result, error, provider_ref, call_log_id, event_id, event_kind)
      ), done as (
        update follow_up_attempts a set
          ended_at = ${atText}::timestamptz, result = v.result, error = v.error,
          provider_ref = coalesce(v.provider_ref, a.provider_ref),
          call_log_id = coalesce(v.call_log_id, a.call_log_id), lease_expires_at = null
        from v where a.id = v.id and a.ended_at is null
        returning a.id, a.workspace_id, a.follow_up_id, a.number, a.agent_id, a.channel,
          v.result, v.error, v.event_id, v.event_kind
      ), ended as (
        select done.*, f.attempts, f.max_attempts, w.retry_schedule_minutes
        from done
        join follow_ups f on f.id = done.follow_up_id and f.status = 'in_progress'
        join workspaces w on w.id = done.workspace_id
      ), events as (
        insert into follow_up_events (id, workspace_id, follow_up_id, at, kind, actor_type,
          actor_id, data)
        select event_id, workspace_id, follow_up_id, ${atText}::timestamptz, event_kind, 'system',
          null, jsonb_build_object('attempt', number, 'result', result, 'agentId', agent_id)
            || case when event_kind = 'attempt_failed' then jsonb_build_object('error', error)
              else '{}'::jsonb end
        from ended
      ), woken as (
        -- A call that ended frees its agent: when calls wait for that agent, the engines look
        -- again (the report may come to another process: a provider callback, a simulated call).
        select count(pg_notify(${CHANNELS.wake}, '')) as n
        where exists (select 1 from follow_ups q
          where q.status = 'queued' and q.type = 'call' and q.resolved_agent_id in
            (select agent_id from ended where channel = 'call'))
      )
      select ended.id, ended.workspace_id, ended.follow_up_id, ended.number, ended.agent_id,
        ended.channel, ended.attempts, ended.max_attempts, ended.retry_schedule_minutes
      from ended, woken`),
  );
  const byAttempt = new Map(
    reports.map((r, i) => [r.attemptId, { ...r, error: errors[i], cls: classes[i]! }]),
  );
  const succeeded: RowTransition[] = [];
  const retried: RowTransition[] = [];
  const failed: RowTransition[] = [];
  const outcomes = new Map<string, RecordedAttempt['outcome']>();
  for (const a of ended) {
    const report = byAttempt.get(a.id)!;
    attemptsTotal.inc({ channel: a.channel, result: report.result });
    const cls = report.cls;
    const base = { id: a.follow_up_id, workspaceId: a.workspace_id };
    if (cls === 'success') {
      succeeded.push({ ...base, lastError: null });
      outcomes.set(a.id, 'completed');
    } else if (cls === 'retryable' && a.attempts < a.max_attempts) {
      outcomes.set(a.id, 'retry');
      const minutes = backoffMinutes(a.retry_schedule_minutes, a.attempts);
      const until = new Date(at.getTime() + minutes * 60_000);
      retried.push({
        ...base,
        nextAttemptAt: until,
        lastError: report.error,
        data: { until: until.toISOString(), backoffMinutes: minutes },
      });
    } else {
      outcomes.set(a.id, 'failed');
      failed.push({
        ...base,
        lastError: report.error,
        data: { reason: cls === 'retryable' ? 'attempts_exhausted' : 'final_result' },
      });
    }
  }
  await transitionRows(tx, {
    action: 'succeed',
    at,
    rows: succeeded,
    columns: ['lastError'],
    event: { kind: 'completed' },
  });
  await transitionRows(tx, {
    action: 'retryLater',
    at,
    rows: retried,
    columns: ['nextAttemptAt', 'lastError'],
    event: { kind: 'retry_scheduled' },
  });
  await transitionRows(tx, {
    action: 'fail',
    at,
    rows: failed,
    columns: ['lastError'],
    event: { kind: 'failed' },
  });
  return ended.map((a) => ({
    attemptId: a.id,
    followUpId: a.follow_up_id,
    workspaceId: a.workspace_id,
    result: byAttempt.get(a.id)!.result,
    outcome: outcomes.get(a.id)!,
  }));
}

function describe(report: AttemptReport): string | null {
  if (report.result === 'http_error' && report.httpStatus) {
    return `The webhook endpoint answered HTTP ${report.httpStatus}.`;
  }
  return RESULT_TEXT[report.result] ?? null;
}
