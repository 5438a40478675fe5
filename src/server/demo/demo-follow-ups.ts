/**
 * The demo's ~600 follow-ups: a quota per status and story, and one recipe each that drafts a
 * follow-up and plays its timeline up to that status (or gives up, to be tried again).
 */
import { type FollowUpStatus, PRIORITIES } from '../../core/follow-up.ts';
import { backoffMinutes } from '../../core/retry.ts';
import {
  applySteps,
  backward,
  FINAL,
  failures,
  forward,
  pickOutcome,
  resolveAgentFor,
  SUCCESS,
} from './demo-attempts.ts';
import { makeCall } from './demo-calls.ts';
import { addEvent, begin, commit, draft, finish, setTimes, someone } from './demo-drafts.ts';
import {
  DAY,
  type DemoState,
  type Draft,
  EXPIRY_HOURS,
  HOUR,
  iso,
  MIN,
  RETRY_SCHEDULE,
  type Step,
  SYSTEM,
  type When,
} from './demo-model.ts';
import { businessTime, inWindow, nextRunAt } from './demo-time.ts';

/** One follow-up of the recipe's status and story, or null to try again (`lenient` late on). */
type Recipe = (demo: DemoState, lenient: boolean) => Draft | null;

const RECIPES: Record<string, Recipe> = {
  in_progress: inProgress,
  queued,
  snoozed,
  'scheduled:retry': retryScheduled,
  'scheduled:rescheduled': rescheduled,
  'scheduled:resumed': resumed,
  'scheduled:retried': retried,
  completed,
  'completed:inbound': completedInbound,
  'failed:exhausted': (demo) => failed(demo, true),
  'failed:final': (demo) => failed(demo, false),
  cancelled,
  expired,
  scheduled,
};

export function planFollowUps(demo: DemoState, total: number): void {
  const quotas: [string, number][] = [
    ['in_progress', 12],
    ['queued', 14],
    ['snoozed', 32],
    ['scheduled:retry', 30],
    ['scheduled:rescheduled', 14],
    ['scheduled:resumed', 6],
    ['scheduled:retried', 8],
    ['completed', 172],
    ['completed:inbound', 14],
    ['failed:exhausted', 30],
    ['failed:final', 14],
    ['cancelled', 46],
    ['expired', 38],
  ];
  const planned = quotas.reduce((sum, [, n]) => sum + n, 0) + demo.rows.followUps.length;
  quotas.push(['scheduled', Math.max(0, total - planned)]);
  for (const [name, n] of quotas) {
    const recipe = RECIPES[name];
    if (!recipe) throw new Error(`unknown recipe ${name}`);
    for (let i = 0; i < n; i++) {
      for (let tries = 0; tries < 40; tries++) {
        const d = recipe(demo, tries >= 20);
        if (d) {
          commit(demo, d);
          break;
        }
      }
    }
  }
}

function scheduled(demo: DemoState): Draft | null {
  const d = draft(demo, { open: true });
  return setTimes(demo, d, { kind: 'future' }) ? begin(demo, d) : null;
}

function queued(demo: DemoState, lenient: boolean): Draft | null {
  const r = demo.rng;
  const d = draft(demo, { open: true });
  if (!inWindow(d, demo.now)) {
    if (!lenient) return null;
    d.allowOutOfWindow = true;
  }
  if (!setTimes(demo, d, { kind: 'at', at: demo.now - r.int(1, 20) * MIN })) return null;
  begin(demo, d);
  addEvent(demo, d, d.scheduledAt + r.int(1, 30) * 1000, 'queued', SYSTEM, {
    from: 'scheduled',
    to: 'queued',
  });
  d.status = 'queued';
  return d;
}

function inProgress(demo: DemoState, lenient: boolean): Draft | null {
  const r = demo.rng;
  const d = draft(demo, { open: true, type: 'call' });
  const k = Math.min(d.maxAttempts, Number(r.weightedKey({ 1: 75, 2: 25 })));
  const runAt = demo.now - r.int(15, 240) * 1000;
  const queuedAt = runAt + r.int(0, 5000);
  const startedAt = queuedAt + r.int(200, 5000);
  if (!inWindow(d, startedAt)) {
    if (!lenient) return null;
    d.allowOutOfWindow = true;
  }
  const prior = backward(demo, d, failures(demo, 'call', k - 1), runAt);
  if (!prior) return null;
  const at = (prior[0]?.runAt ?? runAt) - r.int(0, 60) * 1000;
  if (!setTimes(demo, d, { kind: 'at', at })) return null;
  // The dispatcher never starts more calls than the agent's capacity.
  let agent = resolveAgentFor(demo, d);
  const full = (id: string | null) =>
    !id || (demo.agentLoad.get(id) ?? 0) >= (demo.agentCapacity.get(id) ?? 0);
  if (full(agent)) {
    agent = demo.activeAgents.map(([id]) => id).find((id) => !full(id)) ?? null;
    if (!agent) return null;
    d.agentId = agent;
  }
  begin(demo, d);
  const open: Step = {
    n: k,
    deferredFrom: null,
    runAt,
    queuedAt,
    startedAt,
    endedAt: null,
    result: 'answered',
    http: null,
    ring: 0,
    talk: 0,
    retryAt: null,
  };
  applySteps(demo, d, [...prior, open]);
  return d;
}

function snoozed(demo: DemoState): Draft | null {
  const r = demo.rng;
  const d = draft(demo, { open: true });
  const wasDue = r.chance(0.4);
  const when: When = wasDue
    ? { kind: 'at', at: demo.now - r.int(60, 20 * 60) * MIN }
    : { kind: 'future' };
  if (!setTimes(demo, d, when)) return null;
  begin(demo, d);
  let from: FollowUpStatus = 'scheduled';
  if (wasDue) {
    const queuedAt = d.scheduledAt + r.int(1, 60) * 1000;
    addEvent(demo, d, queuedAt, 'queued', SYSTEM, { from, to: 'queued' });
    from = 'queued';
  }
  const after = Math.max(d.lastAt, d.createdAt);
  if (after > demo.now - 2 * MIN) return null;
  const at = after + r.next() * (demo.now - MIN - after);
  const latest = Math.min(demo.now + 4 * DAY, d.expiresAt - 6 * HOUR);
  if (latest < demo.now + 45 * MIN) return null;
  const until = Math.floor(demo.now + 30 * MIN + r.next() * (latest - demo.now - 30 * MIN));
  addEvent(demo, d, at, 'snoozed', someone(demo), {
    from,
    to: 'snoozed',
    until: iso(until),
  });
  d.status = 'snoozed';
  d.snoozedUntil = until;
  return d;
}

/** Failed attempts so far; the next retry is due soon. */
function retryScheduled(demo: DemoState, lenient: boolean): Draft | null {
  const r = demo.rng;
  const d = draft(demo, { open: true });
  d.maxAttempts = Math.max(d.maxAttempts, 2);
  const k = r.int(1, Math.min(3, d.maxAttempts - 1));
  const wait = backoffMinutes(RETRY_SCHEDULE, k);
  const next = demo.now + r.int(2, wait - 2) * MIN;
  if (lenient) d.allowOutOfWindow = d.type !== 'webhook';
  const steps = backward(demo, d, failures(demo, d.type, k), next);
  if (!steps) return null;
  const at = steps[0]!.runAt - r.int(0, 60) * 1000;
  if (!setTimes(demo, d, { kind: 'at', at })) return null;
  begin(demo, d);
  applySteps(demo, d, steps);
  return d;
}

function rescheduled(demo: DemoState): Draft | null {
  const r = demo.rng;
  const d = draft(demo, {
    open: true,
    sources: { manual: 7, api: 3 },
  });
  if (!setTimes(demo, d, { kind: 'future' }) || d.createdAt > demo.now - 20 * MIN) return null;
  const target = d.scheduledAt;
  d.scheduledAt = Math.max(d.createdAt + HOUR, target - r.int(1, 48) * HOUR);
  begin(demo, d);
  const at = d.createdAt + r.next() * (demo.now - 10 * MIN - d.createdAt);
  addEvent(demo, d, at, 'rescheduled', someone(demo), {
    previousScheduledAt: iso(d.scheduledAt),
    scheduledAt: iso(target),
  });
  d.scheduledAt = target;
  d.expiresAt = target + EXPIRY_HOURS * HOUR;
  if (r.chance(0.3)) {
    const priority = r.pick(PRIORITIES.filter((p) => p !== d.priority));
    const when = d.lastAt + r.next() * (demo.now - d.lastAt);
    addEvent(demo, d, when, 'updated', someone(demo), {
      changes: { priority: { from: d.priority, to: priority } },
    });
    d.priority = priority;
  }
  return d;
}

function resumed(demo: DemoState): Draft | null {
  const r = demo.rng;
  const d = draft(demo, { open: true });
  if (!setTimes(demo, d, { kind: 'future' }) || d.createdAt > demo.now - 3 * HOUR) return null;
  begin(demo, d);
  const snoozedAt = d.createdAt + r.next() * (demo.now - 2 * HOUR - d.createdAt);
  const until = demo.now + r.int(1, 3) * DAY;
  addEvent(demo, d, snoozedAt, 'snoozed', someone(demo), {
    from: 'scheduled',
    to: 'snoozed',
    until: iso(until),
  });
  const resumedAt = d.lastAt + r.next() * (demo.now - 10 * MIN - d.lastAt);
  addEvent(demo, d, resumedAt, 'resumed', someone(demo), {
    from: 'snoozed',
    to: 'scheduled',
  });
  return d;
}

/** Failed after all its attempts, then an operator pressed Retry: one more attempt. */
function retried(demo: DemoState): Draft | null {
  const r = demo.rng;
  const d = draft(demo, { open: true });
  if (d.maxAttempts >= 10) d.maxAttempts = 3;
  if (!setTimes(demo, d, { kind: 'past', minDays: 4, maxDays: 12 })) return null;
  begin(demo, d);
  const results = failures(demo, d.type, d.maxAttempts);
  const steps = forward(demo, d, results, d.scheduledAt, demo.now - DAY);
  if (!steps) return null;
  applySteps(demo, d, steps);
  const failedAt = steps[steps.length - 1]!.endedAt!;
  finish(demo, d, 'failed', 'failed', failedAt, SYSTEM, { reason: 'attempts_exhausted' });
  const next = businessTime(demo, d.person.zone, 0, 3, demo.now + HOUR, demo.now + 4 * DAY);
  if (next === null) return null;
  const at = failedAt + r.next() * (demo.now - 10 * MIN - failedAt);
  d.maxAttempts += 1;
  addEvent(demo, d, at, 'retried', someone(demo), {
    from: 'failed',
    to: 'scheduled',
    maxAttempts: d.maxAttempts,
    scheduledAt: iso(next),
  });
  Object.assign(d, { status: 'scheduled', completedAt: null, nextAttemptAt: null });
  d.scheduledAt = next;
  d.expiresAt = next + EXPIRY_HOURS * HOUR;
  return d;
}

function completed(demo: DemoState): Draft | null {
  const r = demo.rng;
  const d = draft(demo, { open: false });
  if (!setTimes(demo, d, { kind: 'past', minDays: 1, maxDays: 29 })) return null;
  begin(demo, d);
  const k = Math.min(d.maxAttempts, Number(r.weightedKey({ 1: 60, 2: 25, 3: 15 })));
  const results = [...failures(demo, d.type, k - 1), pickOutcome(demo, SUCCESS[d.type])];
  const steps = forward(demo, d, results, d.scheduledAt, demo.now - 2 * MIN);
  if (!steps) return null;
  applySteps(demo, d, steps);
  finish(demo, d, 'completed', 'completed', steps[k - 1]!.endedAt!, SYSTEM, {});
  d.lastError = null;
  return d;
}

/** The contact called us before the follow-up ran. */
function completedInbound(demo: DemoState): Draft | null {
  const r = demo.rng;
  const d = draft(demo, {
    open: false,
    type: 'call',
    sources: { manual: 2, campaign: 1 },
  });
  if (!setTimes(demo, d, { kind: 'past', minDays: 1, maxDays: 29 })) return null;
  const start = d.scheduledAt + r.int(5, 240) * MIN;
  if (start > demo.now - 10 * MIN) return null;
  begin(demo, d);
  const call = makeCall(demo, d.person, start, 'answered', {
    direction: 'inbound',
    agentId: demo.defaultAgentId,
  });
  d.calls.push(call);
  const data = { reason: 'contacted_inbound', callLogId: call.id };
  finish(demo, d, 'completed', 'completed', call.endedAt, SYSTEM, data);
  return d;
}

/** Out of attempts (`exhausted`), or ended by a result that is not worth retrying. */
function failed(demo: DemoState, exhausted: boolean): Draft | null {
  const r = demo.rng;
  const d = draft(demo, { open: false });
  if (!setTimes(demo, d, { kind: 'past', minDays: 1, maxDays: 29 })) return null;
  begin(demo, d);
  const k = exhausted ? d.maxAttempts : Math.min(d.maxAttempts, r.int(1, 2));
  const results = exhausted
    ? failures(demo, d.type, k)
    : [...failures(demo, d.type, k - 1), pickOutcome(demo, FINAL[d.type])];
  const steps = forward(demo, d, results, d.scheduledAt, demo.now - 2 * MIN);
  if (!steps) return null;
  applySteps(demo, d, steps);
  const reason = exhausted ? 'attempts_exhausted' : 'non_retryable';
  finish(demo, d, 'failed', 'failed', steps[k - 1]!.endedAt!, SYSTEM, { reason });
  return d;
}

function cancelled(demo: DemoState): Draft | null {
  const r = demo.rng;
  const d = draft(demo, { open: false });
  if (!setTimes(demo, d, { kind: 'past', minDays: 1, maxDays: 29 })) return null;
  begin(demo, d);
  const k = Math.min(d.maxAttempts - 1, Number(r.weightedKey({ 0: 70, 1: 20, 2: 10 })));
  let from = Math.max(d.createdAt, demo.now - 29 * DAY);
  let until = Math.min(d.scheduledAt + 2 * HOUR, demo.now - 5 * MIN);
  if (k > 0) {
    const results = failures(demo, d.type, k);
    const steps = forward(demo, d, results, d.scheduledAt, demo.now - 10 * MIN);
    if (!steps) return null;
    applySteps(demo, d, steps);
    const last = steps[k - 1]!;
    from = last.endedAt!;
    until = Math.min(last.retryAt ?? from + HOUR, demo.now - 5 * MIN);
  }
  if (until <= from + MIN) return null;
  const at = from + r.next() * (until - from);
  finish(demo, d, 'cancelled', 'cancelled', at, someone(demo), {});
  return d;
}

function expired(demo: DemoState, lenient: boolean): Draft | null {
  const r = demo.rng;
  const d = draft(demo, { open: false });
  if (!setTimes(demo, d, { kind: 'past', minDays: 4, maxDays: 29 })) return null;
  if (d.expiresAt > demo.now - 10 * MIN) return null;
  begin(demo, d);
  const k = Math.min(d.maxAttempts - 1, Number(r.weightedKey({ 0: 55, 1: 30, 2: 15 })));
  if (k > 0) {
    const steps = forward(demo, d, failures(demo, d.type, k), d.scheduledAt, d.expiresAt);
    // It expired because the next try could not start before the expiry.
    const retry = steps?.[k - 1]?.retryAt;
    if (!steps || !retry || nextRunAt(d, retry) < d.expiresAt) {
      if (!lenient) return null;
    } else {
      applySteps(demo, d, steps);
    }
  }
  if (d.attempts === 0) d.lastError = 'It could not run before it expired.';
  finish(demo, d, 'expired', 'expired', d.expiresAt + r.int(0, 50) * 1000, SYSTEM, {});
  return d;
}
