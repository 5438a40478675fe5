/**
 * A demo follow-up from draft to rows: who it is for, what and how (draft), when (setTimes,
 * with the call it comes from), its timeline of events (begin, addEvent, finish), and commit,
 * which adds the follow-up with its events, attempts and calls to the plan.
 */
import {
  type FollowUpEventKind,
  type FollowUpSource,
  type FollowUpStatus,
  type FollowUpType,
  isOpen,
  type Priority,
} from '../../core/follow-up.ts';
import { DEFAULT_OUTCOME_RULES, type OutcomeRule } from '../../core/outcome-rules.ts';
import { makeCall } from './demo-calls.ts';
import {
  type Actor,
  type Campaign,
  DAY,
  type DemoState,
  type Draft,
  EXPIRY_HOURS,
  HOUR,
  iso,
  MIN,
  type Person,
  SYSTEM,
  toDate,
  type Weights,
  type When,
} from './demo-model.ts';
import { businessTime } from './demo-time.ts';
import { seededId } from './random.ts';
import { NOTES } from './summaries.ts';

const SOURCE_WEIGHTS: Weights<FollowUpSource> = {
  manual: 34,
  api: 12,
  campaign: 20,
  call_outcome: 24,
  automation: 10,
};
const TYPE_WEIGHTS: Record<FollowUpSource, Weights<FollowUpType>> = {
  manual: { call: 75, sms: 18, webhook: 7 },
  api: { call: 45, sms: 30, webhook: 25 },
  campaign: { call: 85, sms: 15 },
  call_outcome: { call: 1 },
  automation: { call: 15, sms: 40, webhook: 45 },
};
const MAX_ATTEMPTS: Record<FollowUpType, Weights<string>> = {
  call: { 1: 5, 2: 15, 3: 60, 4: 10, 5: 10 },
  sms: { 1: 45, 2: 40, 3: 15 },
  webhook: { 3: 30, 5: 50, 8: 20 },
};
const PRIORITY_WEIGHTS: Weights<Priority> = { urgent: 10, high: 22, normal: 55, low: 13 };

/** A follow-up's who, what and how (not yet when). */
export function draft(
  demo: DemoState,
  o: {
    open: boolean;
    type?: FollowUpType;
    person?: Person;
    sources?: Weights<FollowUpSource>;
  },
): Draft {
  const r = demo.rng;
  const source = r.weightedKey(o.sources ?? SOURCE_WEIGHTS);
  const fits = (c: Campaign, p?: Person) =>
    (c.open || !o.open) && (!p || !c.continents || c.continents.includes(p.continent));
  let campaign: Campaign | null = null;
  if (source === 'campaign' || (source === 'call_outcome' && r.chance(0.5))) {
    campaign = r.pick(demo.campaigns.filter((c) => fits(c, o.person)));
  }
  let type = o.type ?? r.weightedKey(TYPE_WEIGHTS[source]);
  let rule: OutcomeRule | null = null;
  if (source === 'call_outcome') {
    // Open ones come from callbacks (a delay rule would have fired already).
    const usable = (x: OutcomeRule) =>
      (!o.open || x.delayMinutes === null) && (!o.type || x.type === o.type);
    if (!campaign?.rules.some(usable)) campaign = null;
    rule = r.pick((campaign?.rules ?? DEFAULT_OUTCOME_RULES).filter(usable));
    type = rule.type;
  }
  const person = o.person ?? pickPerson(demo, campaign, type, o.open);
  const creator =
    source === 'manual'
      ? r.chance(0.65)
        ? demo.users.operator
        : demo.users.admin
      : source === 'api'
        ? demo.apiKey
        : SYSTEM;
  let agentId: string | null = null;
  if (r.chance(type === 'call' ? 0.5 : 0.12)) agentId = r.weighted(demo.activeAgents);
  const notes =
    source === 'manual' && r.chance(0.45)
      ? r.pick(NOTES)
      : source === 'api' && r.chance(0.3)
        ? 'Created by the CRM workflow "Stale deal follow-up".'
        : null;
  return {
    id: '',
    person,
    type,
    source,
    campaign,
    rule,
    sourceCall: null,
    agentId,
    priority: rule?.priority ?? r.weightedKey(PRIORITY_WEIGHTS),
    maxAttempts: rule?.maxAttempts ?? Number(r.weightedKey(MAX_ATTEMPTS[type])),
    attempts: 0,
    allowOutOfWindow: type !== 'webhook' && r.chance(0.03),
    notes,
    status: 'scheduled',
    scheduledAt: 0,
    nextAttemptAt: null,
    snoozedUntil: null,
    expiresAt: 0,
    lastError: null,
    completedAt: null,
    resolvedAgentId: null,
    creator,
    createdAt: 0,
    lastAt: 0,
    events: [],
    attemptRows: [],
    calls: [],
  };
}

/** A contact for a new follow-up: not on the DNC list, at most one open per type/campaign. */
function pickPerson(
  demo: DemoState,
  campaign: Campaign | null,
  type: FollowUpType,
  open: boolean,
): Person {
  const list = demo.people.filter(
    (p) =>
      p.dncAt === null &&
      (!campaign?.continents || campaign.continents.includes(p.continent)) &&
      !(open && demo.openKeys.has(`${p.id}:${type}:${campaign?.id}`)),
  );
  return demo.rng.weighted(list.map((p) => [p, p.weight] as const));
}

/**
 * Sets scheduledAt, createdAt and expiresAt. A `call_outcome` follow-up gets the call it
 * comes from: a callback request for that time, or a call whose outcome rule fired.
 */
export function setTimes(demo: DemoState, d: Draft, when: When): boolean {
  const r = demo.rng;
  const zone = d.person.zone;
  let at: number | null;
  let createdAt: number;
  if (d.rule && d.rule.delayMinutes !== null) {
    if (when.kind !== 'past') return false;
    const lo = demo.now - 29 * DAY;
    const start = businessTime(demo, zone, -when.maxDays, -when.minDays, lo, demo.now - HOUR);
    if (start === null) return false;
    d.sourceCall = makeCall(demo, d.person, start, d.rule.outcome, { campaign: d.campaign });
    createdAt = d.sourceCall.endedAt + r.int(1, 20) * 1000;
    at = createdAt + d.rule.delayMinutes * MIN;
    if (at > demo.now - when.minDays * DAY + DAY) return false;
  } else {
    // The customer may ask for a time outside the calling window (SPEC §6).
    const evening = d.type === 'call' && d.rule !== null && r.chance(0.12);
    if (evening) d.allowOutOfWindow = true;
    const outside = evening || (d.allowOutOfWindow && r.chance(0.6));
    at = targetTime(demo, zone, when, outside);
    if (at === null) return false;
    if (d.rule) {
      const hi = Math.min(at, demo.now) - 30 * MIN;
      const start = businessTime(demo, zone, -29, 0, demo.now - 29 * DAY, hi);
      if (start === null) return false;
      d.sourceCall = makeCall(demo, d.person, start, 'callback_requested', {
        campaign: d.campaign,
        requestedCallbackAt: at,
      });
      createdAt = d.sourceCall.endedAt + r.int(1, 20) * 1000;
    } else if (when.kind === 'future') {
      createdAt = demo.now - r.int(5, 4 * 24 * 60) * MIN;
    } else {
      createdAt = at - r.int(15, 3 * 24 * 60) * MIN;
    }
  }
  if (d.campaign && !d.campaign.open && at > demo.now - 12 * DAY) return false;
  d.scheduledAt = at;
  d.createdAt = Math.min(createdAt, at, demo.now - MIN);
  d.expiresAt = at + EXPIRY_HOURS * HOUR;
  return true;
}

function targetTime(demo: DemoState, zone: string, when: When, outside: boolean): number | null {
  if (when.kind === 'at') return when.at;
  const minutes = outside ? ([19 * 60, 20 * 60 + 30] as const) : undefined;
  if (when.kind === 'past') {
    const hi = demo.now - when.minDays * DAY;
    const lo = demo.now - when.maxDays * DAY - DAY;
    return businessTime(demo, zone, -when.maxDays, -when.minDays, lo, hi, minutes);
  }
  const days = () => Math.floor(demo.rng.next() ** 1.6 * 10);
  return businessTime(demo, zone, days, null, demo.now + 30 * MIN, demo.now + 11 * DAY, minutes);
}

/** Opens the timeline: the id (from createdAt) and the `created` event. */
export function begin(demo: DemoState, d: Draft): Draft {
  d.id = seededId(d.createdAt, demo.rng);
  d.lastAt = d.createdAt - 1;
  addEvent(demo, d, d.createdAt, 'created', d.creator, {
    to: 'scheduled',
    scheduledAt: iso(d.scheduledAt),
  });
  return d;
}

/** Adds an event at `at` or just after the previous one; returns its time. */
export function addEvent(
  demo: DemoState,
  d: Draft,
  at: number,
  kind: FollowUpEventKind,
  actor: Actor,
  data: Record<string, unknown>,
): number {
  const t = Math.max(Math.floor(at), d.lastAt + 1);
  d.lastAt = t;
  d.events.push({
    id: seededId(t, demo.rng),
    workspaceId: demo.wsId,
    followUpId: d.id,
    at: new Date(t),
    kind,
    actorType: actor.type,
    actorId: actor.id,
    data,
  });
  return t;
}

export function finish(
  demo: DemoState,
  d: Draft,
  kind: FollowUpEventKind,
  status: FollowUpStatus,
  at: number,
  actor: Actor,
  data: Record<string, unknown>,
): void {
  d.completedAt = addEvent(demo, d, at, kind, actor, { from: d.status, to: status, ...data });
  d.status = status;
}

/** An operator or, less often, the admin. */
export function someone(demo: DemoState): Actor {
  return demo.rng.chance(0.7) ? demo.users.operator : demo.users.admin;
}

export function commit(demo: DemoState, d: Draft): void {
  if (d.sourceCall) demo.calls.push(d.sourceCall);
  demo.calls.push(...d.calls);
  demo.rows.events.push(...d.events);
  demo.rows.attempts.push(...d.attemptRows);
  if (isOpen(d.status)) demo.openKeys.add(`${d.person.id}:${d.type}:${d.campaign?.id}`);
  if (d.status === 'in_progress' && d.resolvedAgentId) {
    const load = demo.agentLoad.get(d.resolvedAgentId) ?? 0;
    demo.agentLoad.set(d.resolvedAgentId, load + 1);
  }
  demo.rows.followUps.push({
    id: d.id,
    workspaceId: demo.wsId,
    contactId: d.person.id,
    type: d.type,
    scheduledAt: new Date(d.scheduledAt),
    agentId: d.agentId,
    priority: d.priority,
    maxAttempts: d.maxAttempts,
    attempts: d.attempts,
    allowOutOfWindow: d.allowOutOfWindow,
    notes: d.notes,
    campaignId: d.campaign?.id ?? null,
    source: d.source,
    sourceCallLogId: d.sourceCall?.id ?? null,
    status: d.status,
    nextAttemptAt: toDate(d.nextAttemptAt),
    snoozedUntil: toDate(d.snoozedUntil),
    expiresAt: new Date(d.expiresAt),
    lastError: d.lastError,
    completedAt: toDate(d.completedAt),
    resolvedAgentId: d.resolvedAgentId,
    createdByUserId: d.creator.type === 'user' ? d.creator.id : null,
    createdByApiKeyId: d.creator.type === 'api_key' ? d.creator.id : null,
    createdAt: new Date(d.createdAt),
    updatedAt: new Date(d.lastAt),
  });
}
