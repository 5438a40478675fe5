/**
 * Contact frequency caps (docs/compliance.md): at most `max` attempts of a channel started for
 * one contact in any rolling `periodHours`. A workspace's caps count every attempt of the
 * workspace for the contact; a campaign's caps count that campaign's attempts; a state rule
 * that limits calls (Florida, Oklahoma, Maryland) caps every contact who may be in the state,
 * counting every attempt of the workspace. The customer override does not lift a cap.
 * Pure: the engine gathers the attempts started and this decides.
 */
import { countOf, nounFor } from './plural.ts';
import type { StateCallingRule } from './state-calling-rules.ts';

export const CAP_CHANNELS = ['call', 'sms'] as const;
export type CapChannel = (typeof CAP_CHANNELS)[number];

/** A cap as a workspace or campaign sets it. */
export interface FrequencyCap {
  channel: CapChannel;
  max: number;
  periodHours: number;
}

export const CAP_LIMITS = { maxMin: 1, maxMax: 1000, periodMin: 1, periodMax: 720 } as const;

export type CapScope = 'workspace' | 'campaign' | 'state';

/** A cap that applies to one follow-up, with where it comes from. */
export interface AppliedCap {
  scope: CapScope;
  /** The channels it counts (a state rule may count calls and SMS together). */
  channels: readonly CapChannel[];
  max: number;
  periodHours: number;
  /** Who set it, in words ('Workspace', 'Campaign', 'Florida'). */
  label: string;
  /** The citation of a state rule, else null. */
  source: string | null;
}

/** One attempt started for the contact (the engine reads them from follow_up_attempts). */
export interface StartedAttempt {
  channel: string;
  /** The campaign of its follow-up, or null. */
  campaignId: string | null;
  startedAt: Date;
}

export interface CapHold {
  cap: AppliedCap;
  /** The first instant the cap allows another attempt (when the oldest counted one leaves). */
  until: Date;
  /** Attempts counted in the period. */
  count: number;
}

const HOUR_MS = 3_600_000;

/** The longest period any cap can have: attempts older than this never count. */
export const LONGEST_CAP_HOURS = CAP_LIMITS.periodMax;

/** What is wrong with a list of caps, in words ([] when nothing is). */
export function validateCaps(caps: readonly FrequencyCap[]): string[] {
  const problems: string[] = [];
  caps.forEach((cap, i) => {
    const n = `Cap ${i + 1}`;
    if (!(CAP_CHANNELS as readonly string[]).includes(cap.channel)) {
      problems.push(`${n}: choose call or sms.`);
    }
    if (!Number.isInteger(cap.max) || cap.max < CAP_LIMITS.maxMin || cap.max > CAP_LIMITS.maxMax) {
      problems.push(`${n}: give a whole number of attempts from 1 to ${CAP_LIMITS.maxMax}.`);
    }
    if (
      !Number.isInteger(cap.periodHours) ||
      cap.periodHours < CAP_LIMITS.periodMin ||
      cap.periodHours > CAP_LIMITS.periodMax
    ) {
      problems.push(`${n}: give the period as a whole number of hours from 1 to 720.`);
    }
  });
  return problems;
}

/**
 * A cap in words, the number of its noun agreeing with the count: '1 call in 1 h', '3 calls in
 * 24 h', '7 calls in 7 days', '3 calls or SMS in 24 h', '1 SMS in 12 h'. For the rules, the
 * timeline, the waiting reasons and Settings › Compliance.
 */
export function capText(cap: Pick<AppliedCap, 'channels' | 'max' | 'periodHours'>): string {
  const calls = nounFor(cap.max, 'call');
  const noun =
    cap.channels.length > 1 ? `${calls} or SMS` : cap.channels[0] === 'sms' ? 'SMS' : calls;
  const period =
    cap.periodHours % 24 === 0 && cap.periodHours >= 48
      ? countOf(cap.periodHours / 24, 'day')
      : `${cap.periodHours} h`;
  return `${cap.max} ${noun} in ${period}`;
}

/**
 * The caps that apply to a follow-up of `channel`: the workspace's, its campaign's, and those
 * of the state rules that may apply to its contact (a state named twice counts once).
 */
export function applicableCaps(input: {
  channel: string;
  workspaceCaps: readonly FrequencyCap[];
  campaignCaps: readonly FrequencyCap[] | null;
  stateRules: readonly StateCallingRule[];
}): AppliedCap[] {
  if (!(CAP_CHANNELS as readonly string[]).includes(input.channel)) return [];
  const channel = input.channel as CapChannel;
  const out: AppliedCap[] = [];
  for (const cap of input.workspaceCaps) {
    if (cap.channel !== channel) continue;
    out.push({ scope: 'workspace', channels: [channel], ...limits(cap), label: 'Workspace' });
  }
  for (const cap of input.campaignCaps ?? []) {
    if (cap.channel !== channel) continue;
    out.push({ scope: 'campaign', channels: [channel], ...limits(cap), label: 'Campaign' });
  }
  const seen = new Set<string>();
  for (const rule of input.stateRules) {
    const limit = rule.callLimit;
    if (!limit || seen.has(rule.region) || !limit.channels.includes(channel)) continue;
    seen.add(rule.region);
    out.push({
      scope: 'state',
      channels: limit.channels,
      max: limit.max,
      periodHours: limit.periodHours,
      label: rule.state,
      source: rule.citation,
    });
  }
  return out;
}

function limits(cap: FrequencyCap) {
  return { max: cap.max, periodHours: cap.periodHours, source: null };
}

/**
 * The attempts a cap counts: of its channels, started after at − period (one started by another
 * worker a moment after `at` counts too), of the follow-up's campaign for a campaign's cap.
 */
function counted(
  cap: AppliedCap,
  campaignId: string | null,
  attempts: readonly StartedAttempt[],
  at: Date,
): Date[] {
  const from = at.getTime() - cap.periodHours * HOUR_MS;
  return attempts
    .filter(
      (a) =>
        (cap.channels as readonly string[]).includes(a.channel) &&
        (cap.scope !== 'campaign' || a.campaignId === campaignId) &&
        a.startedAt.getTime() > from,
    )
    .map((a) => a.startedAt)
    .sort((x, y) => x.getTime() - y.getTime());
}

/**
 * Whether starting one more attempt at `at` would break a cap; if so, the cap that holds it
 * the longest and the first instant every cap allows it. Attempts only leave the period as
 * time passes, so after that instant no cap counts more than it does now.
 */
export function capHold(input: {
  caps: readonly AppliedCap[];
  campaignId: string | null;
  attempts: readonly StartedAttempt[];
  at: Date;
}): CapHold | null {
  let hold: CapHold | null = null;
  for (const cap of input.caps) {
    const times = counted(cap, input.campaignId, input.attempts, input.at);
    if (times.length < cap.max) continue;
    // With n counted, the next attempt is allowed once n − max + 1 of them left the period.
    const oldestToLeave = times[times.length - cap.max]!;
    const until = new Date(oldestToLeave.getTime() + cap.periodHours * HOUR_MS);
    if (!hold || until.getTime() > hold.until.getTime()) {
      hold = { cap, until, count: times.length };
    }
  }
  return hold;
}

/** What a batch decides for one candidate. */
export type CapDecision = { id: string; hold: null } | { id: string; hold: CapHold };

export interface CapCandidate {
  id: string;
  contactId: string;
  channel: string;
  campaignId: string | null;
  caps: readonly AppliedCap[];
}

/**
 * Decides, in order, which candidates may start at `at`: each start counts against the caps of
 * the candidates after it (two follow-ups of one contact in one batch cannot both take the
 * last place). `attempts` are those already started, by contact.
 */
export function decideCaps(
  candidates: readonly CapCandidate[],
  attempts: ReadonlyMap<string, readonly StartedAttempt[]>,
  at: Date,
): CapDecision[] {
  const started = new Map<string, StartedAttempt[]>();
  for (const [contact, list] of attempts) started.set(contact, [...list]);
  return candidates.map((c) => {
    const list = started.get(c.contactId) ?? [];
    const hold =
      c.caps.length === 0
        ? null
        : capHold({ caps: c.caps, campaignId: c.campaignId, attempts: list, at });
    if (hold) return { id: c.id, hold };
    list.push({ channel: c.channel, campaignId: c.campaignId, startedAt: at });
    started.set(c.contactId, list);
    return { id: c.id, hold: null };
  });
}

/** 'Frequency cap (Florida): 3 calls in 24 h (Fla. Stat. …)', for the rules and the timeline. */
export function capRuleText(cap: AppliedCap): string {
  const who = cap.scope === 'state' ? cap.label : `${cap.label} cap`;
  return `Frequency cap (${who}): ${capText(cap)}${cap.source ? ` (${cap.source})` : ''}`;
}
