import { describe, expect, it } from 'vitest';
import { formatLocalTime, type WaitingFacts, waitingReason } from './waiting.ts';

const now = new Date('2026-03-02T15:00:00Z'); // Monday 10:00 in New York
const base: WaitingFacts = {
  now,
  status: 'scheduled',
  type: 'call',
  scheduledAt: new Date('2026-03-02T14:00:00Z'),
  nextAttemptAt: null,
  snoozedUntil: null,
  attempts: 0,
  zone: 'America/New_York',
  campaignStatus: 'running',
  runsAt: now,
  agentLoad: null,
};
const at = (iso: string) => new Date(iso);

describe('waitingReason', () => {
  it('says nothing about a scheduled follow-up that is not due yet', () => {
    expect(waitingReason({ ...base, scheduledAt: at('2026-03-02T18:00:00Z') })).toBeNull();
  });

  it('says nothing about running or finished follow-ups', () => {
    for (const status of ['in_progress', 'completed', 'failed', 'cancelled', 'expired'] as const) {
      expect(waitingReason({ ...base, status })).toBeNull();
    }
  });

  it('explains a due follow-up outside its window with the local opening time', () => {
    const w = waitingReason({ ...base, runsAt: at('2026-03-03T14:00:00Z') });
    expect(w).toEqual({
      code: 'outside_window',
      message: 'Outside calling window until Tue 3 Mar, 09:00 EST',
      until: '2026-03-03T14:00:00.000Z',
    });
  });

  it('explains a deferral by the engine and a retry backoff apart', () => {
    const next = at('2026-03-02T20:00:00Z');
    expect(waitingReason({ ...base, nextAttemptAt: next })?.message).toBe(
      'Outside calling window until Mon 2 Mar, 15:00 EST',
    );
    expect(waitingReason({ ...base, nextAttemptAt: next, attempts: 1 })).toEqual({
      code: 'retry_backoff',
      message: 'Retry at Mon 2 Mar, 15:00 EST',
      until: next.toISOString(),
    });
    // A retry time outside the window: the retry waits for the window to open.
    const opens = at('2026-03-03T14:00:00Z');
    expect(waitingReason({ ...base, nextAttemptAt: next, attempts: 1, runsAt: opens })).toEqual({
      code: 'retry_backoff',
      message: 'Retry at Tue 3 Mar, 09:00 EST',
      until: opens.toISOString(),
    });
    // A retry that cannot run (runsAt null) still says its retry time.
    expect(
      waitingReason({ ...base, nextAttemptAt: next, attempts: 1, runsAt: null })?.message,
    ).toBe('Retry at Mon 2 Mar, 15:00 EST');
  });

  it('holds everything scheduled of a campaign that is not running', () => {
    expect(waitingReason({ ...base, campaignStatus: 'paused' })?.message).toBe('Campaign paused');
    expect(waitingReason({ ...base, campaignStatus: 'draft' })?.message).toBe(
      'Campaign not started',
    );
    expect(waitingReason({ ...base, campaignStatus: 'scheduled' })?.code).toBe(
      'campaign_not_started',
    );
    expect(waitingReason({ ...base, campaignStatus: 'completed' })?.code).toBe(
      'campaign_completed',
    );
    expect(waitingReason({ ...base, campaignStatus: null })?.code).toBe('waiting_for_dispatch');
  });

  it('tells a queued call held by its agent from one waiting for a dispatcher', () => {
    const queued = { ...base, status: 'queued' as const };
    expect(waitingReason({ ...queued, agentLoad: { inProgress: 2, max: 2 } })).toEqual({
      code: 'agent_at_capacity',
      message: 'Agent at capacity (2 of 2 calls)',
      until: null,
    });
    expect(waitingReason({ ...queued, agentLoad: { inProgress: 1, max: 2 } })?.message).toBe(
      'Waiting for dispatch',
    );
    // SMS are not limited by agent capacity.
    expect(
      waitingReason({ ...queued, type: 'sms', agentLoad: { inProgress: 2, max: 2 } })?.code,
    ).toBe('waiting_for_dispatch');
  });

  it('says until when a snooze lasts', () => {
    const until = at('2026-03-04T13:30:00Z');
    expect(waitingReason({ ...base, status: 'snoozed', snoozedUntil: until })?.message).toBe(
      'Snoozed until Wed 4 Mar, 08:30 EST',
    );
  });

  it('says nothing when it can never run (Do Not Call or expiry first)', () => {
    expect(waitingReason({ ...base, runsAt: null })).toBeNull();
  });
});

describe('formatLocalTime', () => {
  it('uses the zone across a daylight-saving change', () => {
    expect(formatLocalTime(at('2026-03-09T13:00:00Z'), 'America/New_York')).toBe(
      'Mon 9 Mar, 09:00 EDT',
    );
    expect(formatLocalTime(at('2026-03-09T09:00:00Z'), 'Europe/London')).toBe(
      'Mon 9 Mar, 09:00 GMT',
    );
  });
});

describe('waitingReason: calling rules and caps', () => {
  it('names the frequency cap that holds a follow-up, and when it may run', () => {
    const until = at('2026-03-03T14:00:00Z');
    const w = waitingReason({
      ...base,
      nextAttemptAt: until,
      capHold: {
        rule: 'Frequency cap (Florida): 3 calls in 24 h (Fla. Stat. 501.616(6)(a)–(b))',
        until,
      },
    });
    expect(w).toEqual({
      code: 'frequency_cap',
      message:
        'Frequency cap (Florida): 3 calls in 24 h (Fla. Stat. 501.616(6)(a)–(b)); next at Tue 3 Mar, 09:00 EST',
      until: until.toISOString(),
    });
    // A hold that ended explains nothing any more.
    expect(
      waitingReason({ ...base, capHold: { rule: 'x', until: at('2026-03-02T14:59:00Z') } })?.code,
    ).toBe('waiting_for_dispatch');
  });

  it('names the state rule that keeps a due or deferred follow-up waiting', () => {
    const opens = at('2026-03-02T17:00:00Z');
    expect(waitingReason({ ...base, runsAt: opens, stricterRules: 'Texas' })).toEqual({
      code: 'state_rule',
      message: 'Outside the calling hours of Texas until Mon 2 Mar, 12:00 EST',
      until: opens.toISOString(),
    });
    expect(
      waitingReason({ ...base, nextAttemptAt: opens, stricterRules: 'Florida and Texas' })?.message,
    ).toBe('Outside the calling hours of Florida and Texas until Mon 2 Mar, 12:00 EST');
    // A campaign hold comes first.
    expect(
      waitingReason({ ...base, campaignStatus: 'paused', runsAt: opens, stricterRules: 'Texas' })
        ?.code,
    ).toBe('campaign_paused');
  });
});
