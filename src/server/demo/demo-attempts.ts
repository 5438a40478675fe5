/**
 * A demo follow-up's attempts as the engine would run them: results drawn per channel, timed
 * forward from when it was due or backward from when its next retry is due (window deferrals
 * and backoff included), then written onto the draft as attempt rows, events and call logs.
 */
import { resolveAgent } from '../../core/agent-routing.ts';
import type { FollowUpType } from '../../core/follow-up.ts';
import { type AttemptResult, type CallOutcome, classifyResult } from '../../core/results.ts';
import { backoffMinutes, LEASE_SECONDS } from '../../core/retry.ts';
import { callTiming, IS_CALL_OUTCOME, makeCall } from './demo-calls.ts';
import { addEvent } from './demo-drafts.ts';
import {
  DEMO_CALL_WORKER,
  type DemoState,
  type Draft,
  iso,
  MIN,
  type Outcome,
  RETRY_SCHEDULE,
  type Step,
  SYSTEM,
  toDate,
  type Weights,
} from './demo-model.ts';
import { inWindow, nextRunAt } from './demo-time.ts';
import { seededId } from './random.ts';

const RETRYABLE: Record<FollowUpType, Weights<AttemptResult>> = {
  call: { no_answer: 50, voicemail: 25, busy: 15, failed: 10 },
  sms: { provider_error: 50, timeout: 30, network_error: 20 },
  webhook: { http_error: 40, timeout: 30, network_error: 30 },
};
export const SUCCESS: Record<FollowUpType, Weights<AttemptResult>> = {
  call: { answered: 75, callback_requested: 12, not_interested: 13 },
  sms: { delivered: 80, accepted: 20 },
  webhook: { success: 1 },
};
export const FINAL: Record<FollowUpType, Weights<AttemptResult>> = {
  call: { invalid_number: 1 },
  sms: { opted_out: 60, invalid_number: 40 },
  webhook: { http_error: 1 },
};

const ERRORS: Partial<Record<AttemptResult, string>> = {
  no_answer: 'No answer.',
  busy: 'The line was busy.',
  voicemail: 'Reached voicemail.',
  failed: 'The carrier dropped the call before it connected.',
  invalid_number: 'The number is not in service.',
  do_not_call: 'The contact asked not to be called again.',
  opted_out: 'The recipient replied STOP (opted out).',
  provider_error: 'The SMS provider answered 503 Service Unavailable.',
  network_error: 'Network error: connection reset (ECONNRESET).',
  timeout: 'No answer from the provider in time.',
};

function errorOf(o: Outcome): string | null {
  if (o.result === 'http_error') return `The webhook endpoint answered HTTP ${o.http}.`;
  return ERRORS[o.result] ?? null;
}

/** `n` retryable failures for the channel. */
export function failures(demo: DemoState, type: FollowUpType, n: number): Outcome[] {
  return Array.from({ length: Math.max(0, n) }, () => pickOutcome(demo, RETRYABLE[type]));
}

/** A result from one of the tables above; an HTTP error gets a status that fits the table. */
export function pickOutcome(demo: DemoState, entries: Weights<AttemptResult>): Outcome {
  const result = demo.rng.weightedKey(entries);
  if (result !== 'http_error') return { result, http: null };
  const retryable = entries === RETRYABLE.webhook;
  return { result, http: demo.rng.pick(retryable ? [500, 502, 503, 429] : [400, 404, 410]) };
}

/** Attempts from `due` on, as the engine runs them (window deferrals, backoff), or null. */
export function forward(
  demo: DemoState,
  d: Draft,
  results: Outcome[],
  due: number,
  deadline: number,
): Step[] | null {
  const r = demo.rng;
  const steps: Step[] = [];
  for (let i = 0; i < results.length; i++) {
    const outcome = results[i]!;
    const runAt = nextRunAt(d, due);
    const queuedAt = runAt + r.int(0, 20_000);
    const startedAt = queuedAt + r.int(200, 15_000);
    const { ms, ring, talk } = attemptTime(demo, d.type, outcome.result);
    const endedAt = startedAt + ms;
    if (endedAt >= deadline || startedAt >= d.expiresAt) return null;
    const retryAt = nextRetryAt(d, outcome, i + 1, endedAt);
    const deferredFrom = runAt > due + MIN ? due : null;
    steps.push({
      ...outcome,
      n: i + 1,
      deferredFrom,
      runAt,
      queuedAt,
      startedAt,
      endedAt,
      ring,
      talk,
      retryAt,
    });
    if (retryAt !== null) due = retryAt;
  }
  return steps;
}

/** Failed attempts that end so that the last one's retry is due at `next`, or null. */
export function backward(
  demo: DemoState,
  d: Draft,
  results: Outcome[],
  next: number,
): Step[] | null {
  const r = demo.rng;
  const steps: Step[] = [];
  let retryAt = next;
  for (let i = results.length - 1; i >= 0; i--) {
    const outcome = results[i]!;
    const { ms, ring, talk } = attemptTime(demo, d.type, outcome.result);
    const endedAt = retryAt - backoffMinutes(RETRY_SCHEDULE, i + 1) * MIN;
    const startedAt = endedAt - ms;
    const queuedAt = startedAt - r.int(200, 15_000);
    const runAt = queuedAt - r.int(0, 20_000);
    if (!inWindow(d, startedAt)) return null;
    steps.unshift({
      ...outcome,
      n: i + 1,
      deferredFrom: null,
      runAt,
      queuedAt,
      startedAt,
      endedAt,
      ring,
      talk,
      retryAt,
    });
    retryAt = runAt;
  }
  return steps;
}

/** When the engine retries after this attempt, or null when it does not. */
function nextRetryAt(d: Draft, o: Outcome, n: number, endedAt: number): number | null {
  if (classifyResult(o.result, o.http ?? undefined) !== 'retryable' || n >= d.maxAttempts) {
    return null;
  }
  return endedAt + backoffMinutes(RETRY_SCHEDULE, n) * MIN;
}

/** Writes the steps' attempts, events and call logs onto the draft. */
export function applySteps(demo: DemoState, d: Draft, steps: Step[]): void {
  const r = demo.rng;
  if (d.type === 'call') d.resolvedAgentId = resolveAgentFor(demo, d);
  const agentId = d.type === 'call' ? d.resolvedAgentId : null;
  for (const st of steps) {
    if (st.deferredFrom !== null) {
      d.nextAttemptAt = st.runAt;
      addEvent(demo, d, st.deferredFrom, 'deferred', SYSTEM, {
        reason: 'outside_calling_window',
        nextAttemptAt: iso(st.runAt),
      });
    }
    addEvent(demo, d, st.queuedAt, 'queued', SYSTEM, { from: 'scheduled', to: 'queued' });
    addEvent(demo, d, st.startedAt, 'attempt_started', SYSTEM, {
      attempt: st.n,
      ...(agentId ? { agentId } : {}),
    });
    d.attempts = st.n;
    const ended = st.endedAt !== null;
    let callLogId: string | null = null;
    if (ended && d.type === 'call' && IS_CALL_OUTCOME.has(st.result)) {
      const call = makeCall(demo, d.person, st.startedAt, st.result as CallOutcome, {
        campaign: d.campaign,
        agentId,
        followUpId: d.id,
        timing: { ring: st.ring, talk: st.talk },
      });
      d.calls.push(call);
      callLogId = call.id;
    }
    const error = ended ? errorOf(st) : null;
    const provider = d.type === 'webhook' ? 'webhook' : 'simulator';
    const reached = ended && !['network_error', 'timeout'].includes(st.result);
    const id = seededId(st.startedAt, r);
    const worker = `worker-${r.int(1, 2)}`;
    d.attemptRows.push({
      id,
      workspaceId: demo.wsId,
      followUpId: d.id,
      number: st.n,
      channel: d.type,
      provider,
      agentId,
      idempotencyKey: `${d.id}:${st.n}`,
      startedAt: new Date(st.startedAt),
      endedAt: toDate(st.endedAt),
      leaseExpiresAt: new Date(st.startedAt + LEASE_SECONDS[d.type] * 1000),
      // A call still in progress is taken over by the simulator when the demo starts.
      workerId: ended ? worker : DEMO_CALL_WORKER,
      result: ended ? st.result : null,
      error,
      providerRef:
        reached || !ended ? `${d.type === 'webhook' ? 'msg' : 'sim'}_${r.hex(20)}` : null,
      callLogId,
    });
    d.status = 'in_progress';
    if (st.endedAt === null) return;
    const success = classifyResult(st.result, st.http ?? undefined) === 'success';
    addEvent(demo, d, st.endedAt, success ? 'attempt_succeeded' : 'attempt_failed', SYSTEM, {
      attempt: st.n,
      result: st.result,
      ...(st.http ? { httpStatus: st.http } : {}),
      ...(callLogId ? { callLogId } : {}),
      ...(error ? { error } : {}),
    });
    if (!success) d.lastError = error;
    if (st.retryAt !== null) {
      d.nextAttemptAt = st.retryAt;
      addEvent(demo, d, st.endedAt, 'retry_scheduled', SYSTEM, {
        from: 'in_progress',
        to: 'scheduled',
        nextAttemptAt: iso(st.retryAt),
      });
      d.status = 'scheduled';
    }
  }
}

function attemptTime(demo: DemoState, type: FollowUpType, result: AttemptResult) {
  const r = demo.rng;
  if (type === 'call' && IS_CALL_OUTCOME.has(result)) {
    const { ring, talk } = callTiming(demo, result as CallOutcome);
    return { ms: (ring + talk) * 1000 + r.int(0, 999), ring, talk };
  }
  if (result === 'timeout') return { ms: LEASE_SECONDS[type] * 1000, ring: 0, talk: 0 };
  const ms = type === 'webhook' ? r.int(80, 2500) : r.int(1000, 8000);
  return { ms, ring: 0, talk: 0 };
}

/** The agent the engine would dial a call follow-up with. */
export function resolveAgentFor(demo: DemoState, d: Draft): string | null {
  return resolveAgent({
    agentId: d.agentId,
    campaignId: d.campaign?.id ?? null,
    source: d.source,
    campaignAgentId: d.campaign?.agentId ?? null,
    sourceCallAgentId: d.sourceCall?.agentId ?? null,
    workspaceDefaultAgentId: demo.defaultAgentId,
  }).agentId;
}
