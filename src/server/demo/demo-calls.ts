/**
 * The demo's calls: one call with its timing and the summary the agent wrote, the background
 * calls nobody scheduled a follow-up for (steering the outcome mix over all calls), and the
 * call_logs row a call becomes.
 */
import { CALL_OUTCOMES, type CallDirection, type CallOutcome } from '../../core/results.ts';
import type * as s from '../db/schema.ts';
import {
  type Call,
  type Campaign,
  DAY,
  type DemoState,
  HOUR,
  MIN,
  type Person,
  type Row,
  toDate,
} from './demo-model.ts';
import { businessTime } from './demo-time.ts';
import { seededId } from './random.ts';
import { fillTemplate, INBOUND_SUMMARIES, SUMMARIES } from './summaries.ts';

/** The share of each outcome over all call logs. */
const CALL_MIX: Record<CallOutcome, number> = {
  answered: 0.35,
  no_answer: 0.25,
  voicemail: 0.15,
  busy: 0.07,
  callback_requested: 0.08,
  not_interested: 0.06,
  failed: 0.02,
  do_not_call: 0.02,
};
export const IS_CALL_OUTCOME = new Set<string>(CALL_OUTCOMES);

export function makeCall(
  demo: DemoState,
  person: Person,
  startedAt: number,
  outcome: CallOutcome,
  o: {
    campaign?: Campaign | null;
    agentId?: string | null;
    followUpId?: string | null;
    direction?: CallDirection;
    timing?: { ring: number; talk: number };
    requestedCallbackAt?: number;
  },
): Call {
  const r = demo.rng;
  const { ring, talk } = o.timing ?? callTiming(demo, outcome);
  const endedAt = startedAt + (ring + talk) * 1000;
  const direction = o.direction ?? 'outbound';
  let requestedCallbackAt: number | null = null;
  if (outcome === 'callback_requested') {
    requestedCallbackAt =
      o.requestedCallbackAt ??
      businessTime(
        demo,
        person.zone,
        () => r.int(0, 4),
        null,
        endedAt + HOUR,
        endedAt + 6 * DAY,
        undefined,
        endedAt,
      ) ??
      endedAt + DAY;
  }
  const template = direction === 'inbound' ? r.pick(INBOUND_SUMMARIES) : r.pick(SUMMARIES[outcome]);
  return {
    id: seededId(startedAt, r),
    person,
    agentId:
      o.agentId !== undefined ? o.agentId : (o.campaign?.agentId ?? r.weighted(demo.activeAgents)),
    campaignId: o.campaign?.id ?? null,
    followUpId: o.followUpId ?? null,
    direction,
    outcome,
    startedAt,
    endedAt,
    talk,
    summary: fillTemplate(template, r),
    requestedCallbackAt,
  };
}

/** Seconds ringing and talking for an outcome. */
export function callTiming(demo: DemoState, outcome: CallOutcome): { ring: number; talk: number } {
  const r = demo.rng;
  const ring = r.int(4, 18);
  switch (outcome) {
    case 'answered':
      return { ring, talk: r.int(40, 70) + Math.round(r.next() ** 2 * 540) };
    case 'callback_requested':
      return { ring, talk: r.int(20, 150) };
    case 'not_interested':
      return { ring, talk: r.int(10, 90) };
    case 'do_not_call':
      return { ring, talk: r.int(8, 45) };
    case 'voicemail':
      return { ring: r.int(18, 30), talk: r.int(15, 40) };
    case 'no_answer':
      return { ring: r.int(25, 45), talk: 0 };
    case 'busy':
      return { ring: r.int(1, 4), talk: 0 };
    default:
      return { ring: r.int(0, 3), talk: 0 };
  }
}

/** Calls nobody scheduled a follow-up for, until there are `total`, steering the mix. */
export function planBackgroundCalls(demo: DemoState, total: number): void {
  const r = demo.rng;
  const counts = new Map<CallOutcome, number>();
  for (const c of demo.calls) counts.set(c.outcome, (counts.get(c.outcome) ?? 0) + 1);
  const people = demo.people.map((p) => [p, p.weight] as const);
  const outcomes = CALL_OUTCOMES.filter((o) => o !== 'do_not_call');
  while (demo.calls.length < total) {
    const person = r.weighted(people);
    const hi = Math.min(demo.now, person.dncAt ?? demo.now) - 10 * MIN;
    const lo = demo.now - 30 * DAY;
    if (hi <= lo + DAY) continue;
    const inbound = r.chance(0.08);
    let call: Call;
    if (inbound) {
      const start = businessTime(demo, person.zone, -29, 0, lo, hi, [8 * 60, 20 * 60], demo.now, 0);
      if (start === null) continue;
      const outcome = r.weightedKey({ answered: 85, not_interested: 8, callback_requested: 7 });
      call = makeCall(demo, person, start, outcome, {
        direction: 'inbound',
        agentId: demo.defaultAgentId,
      });
    } else {
      const start = businessTime(demo, person.zone, -29, 0, lo, hi);
      if (start === null) continue;
      const outcome = r.weighted(
        outcomes.map(
          (o) => [o, Math.max(0.5, total * CALL_MIX[o] - (counts.get(o) ?? 0))] as const,
        ),
      );
      const campaign = r.chance(0.55)
        ? (r.pick(
            demo.campaigns.filter(
              (c) =>
                (!c.continents || c.continents.includes(person.continent)) &&
                (c.open || start < demo.now - 12 * DAY),
            ),
          ) ?? null)
        : null;
      call = makeCall(demo, person, start, outcome, { campaign });
    }
    counts.set(call.outcome, (counts.get(call.outcome) ?? 0) + 1);
    demo.calls.push(call);
  }
}

export function callRow(demo: DemoState, c: Call): Row<typeof s.callLogs> {
  return {
    id: c.id,
    workspaceId: demo.wsId,
    contactId: c.person.id,
    agentId: c.agentId,
    campaignId: c.campaignId,
    followUpId: c.followUpId,
    direction: c.direction,
    outcome: c.outcome,
    startedAt: new Date(c.startedAt),
    endedAt: new Date(c.endedAt),
    durationSeconds: c.talk,
    summary: c.summary,
    requestedCallbackAt: toDate(c.requestedCallbackAt),
    createdAt: new Date(c.endedAt),
  };
}
