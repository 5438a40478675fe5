/**
 * Why an open follow-up is not running yet, in words an operator understands (the "Waiting"
 * column of a campaign's follow-ups). Pure: the server gathers the facts of a page's rows in a
 * few batched queries and this decides.
 */
import type { FollowUpStatus, FollowUpType } from './follow-up.ts';
import type { CampaignStatus } from './roles.ts';

export const WAITING_CODES = [
  'outside_window',
  'state_rule',
  'frequency_cap',
  'retry_backoff',
  'agent_at_capacity',
  'waiting_for_dispatch',
  'snoozed',
  'campaign_paused',
  'campaign_not_started',
  'campaign_completed',
] as const;
export type WaitingCode = (typeof WAITING_CODES)[number];

export interface Waiting {
  code: WaitingCode;
  message: string;
  /** When the reason ends by itself (ISO 8601), or null when someone has to act. */
  until: string | null;
}

export interface WaitingFacts {
  now: Date;
  status: FollowUpStatus;
  type: FollowUpType;
  scheduledAt: Date;
  nextAttemptAt: Date | null;
  snoozedUntil: Date | null;
  attempts: number;
  /** The contact's time zone: the times in the messages are its local times. */
  zone: string;
  /** null = no campaign. */
  campaignStatus: CampaignStatus | null;
  /**
   * For a scheduled row that is due or waits for a retry: the first instant it may start from
   * now or from its retry time (its calling window, the 08:00–21:00 bound and its override
   * applied), or null when it cannot run at all (or was not asked).
   */
  runsAt: Date | null;
  /** For a queued call: its agent's calls in progress and capacity. */
  agentLoad: { inProgress: number; max: number } | null;
  /**
   * The frequency cap that holds it (the engine's last deferral, while it lasts): the cap in
   * words ('Frequency cap (Florida): 3 calls in 24 h (…)') and when it may run.
   */
  capHold?: { rule: string; until: Date } | null;
  /**
   * When rules stricter than the calling window (state hours or holidays, public holidays,
   * the area code's zone) make it wait longer than the window alone would: who they are, in
   * words ('Florida', 'Florida and Texas', 'the area code’s zone').
   */
  stricterRules?: string | null;
}

/** 'Mon 9 Mar, 09:00 EDT': a time in the contact's zone, with the zone's abbreviation. */
export function formatLocalTime(at: Date, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  // en-US names the zones people know ('EDT', 'PST'); elsewhere it says 'GMT+1'.
  const name = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'short' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')?.value;
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    parts.find((p) => p.type === type)?.value ?? '';
  return `${part('weekday')} ${part('day')} ${part('month')}, ${part('hour')}:${part('minute')} ${name ?? zone}`;
}

const CAMPAIGN_HOLDS: Partial<Record<CampaignStatus, { code: WaitingCode; message: string }>> = {
  draft: { code: 'campaign_not_started', message: 'Campaign not started' },
  scheduled: { code: 'campaign_not_started', message: 'Campaign not started' },
  paused: { code: 'campaign_paused', message: 'Campaign paused' },
  completed: { code: 'campaign_completed', message: 'Campaign completed' },
};

const timed = (code: WaitingCode, label: string, at: Date, zone: string): Waiting => ({
  code,
  message: `${label} ${formatLocalTime(at, zone)}`,
  until: at.toISOString(),
});

/** Outside the calling time: the window's, or a stricter rule's named. */
function outside(f: WaitingFacts, until: Date): Waiting {
  return f.stricterRules
    ? timed('state_rule', `Outside the calling hours of ${f.stricterRules} until`, until, f.zone)
    : timed('outside_window', 'Outside calling window until', until, f.zone);
}

/**
 * The reason, or null when there is nothing to explain: a finished or running follow-up, or a
 * scheduled one that is simply not due yet.
 */
export function waitingReason(f: WaitingFacts): Waiting | null {
  const now = f.now.getTime();
  if (f.status === 'snoozed') {
    return f.snoozedUntil
      ? timed('snoozed', 'Snoozed until', f.snoozedUntil, f.zone)
      : { code: 'snoozed', message: 'Snoozed', until: null };
  }
  if (f.status === 'queued') {
    if (f.type === 'call' && f.agentLoad && f.agentLoad.inProgress >= f.agentLoad.max) {
      const { inProgress, max } = f.agentLoad;
      return {
        code: 'agent_at_capacity',
        message: `Agent at capacity (${inProgress} of ${max} calls)`,
        until: null,
      };
    }
    return { code: 'waiting_for_dispatch', message: 'Waiting for dispatch', until: null };
  }
  if (f.status !== 'scheduled') return null;

  const hold = f.campaignStatus ? CAMPAIGN_HOLDS[f.campaignStatus] : undefined;
  if (hold) return { ...hold, until: null };
  if (f.capHold && f.capHold.until.getTime() > now) {
    return {
      code: 'frequency_cap',
      message: `${f.capHold.rule}; next at ${formatLocalTime(f.capHold.until, f.zone)}`,
      until: f.capHold.until.toISOString(),
    };
  }
  if (f.nextAttemptAt && f.nextAttemptAt.getTime() > now) {
    if (f.attempts === 0) return outside(f, f.nextAttemptAt);
    // A retry that falls outside the calling window waits for the window to open.
    const retryAt =
      f.runsAt && f.runsAt.getTime() > f.nextAttemptAt.getTime() ? f.runsAt : f.nextAttemptAt;
    return timed('retry_backoff', 'Retry at', retryAt, f.zone);
  }
  const dueAt = f.nextAttemptAt ?? f.scheduledAt;
  if (dueAt.getTime() > now) return null;
  if (f.runsAt && f.runsAt.getTime() > now) return outside(f, f.runsAt);
  if (!f.runsAt) return null;
  return { code: 'waiting_for_dispatch', message: 'Waiting for dispatch', until: null };
}
