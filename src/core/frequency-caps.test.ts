import { describe, expect, it } from 'vitest';
import {
  type AppliedCap,
  applicableCaps,
  capHold,
  capRuleText,
  capText,
  decideCaps,
  type StartedAttempt,
  validateCaps,
} from './frequency-caps.ts';
import { stateCallingRule } from './state-calling-rules.ts';

const at = (iso: string) => new Date(iso);
const now = at('2026-03-02T15:00:00Z');
const call = (iso: string, campaignId: string | null = null): StartedAttempt => ({
  channel: 'call',
  campaignId,
  startedAt: at(iso),
});
const workspaceCap = (max: number, periodHours: number): AppliedCap => ({
  scope: 'workspace',
  channels: ['call'],
  max,
  periodHours,
  label: 'Workspace',
  source: null,
});

describe('frequency caps', () => {
  it('checks caps in words', () => {
    expect(validateCaps([{ channel: 'call', max: 7, periodHours: 168 }])).toEqual([]);
    expect(validateCaps([{ channel: 'call', max: 0, periodHours: 721 }])).toEqual([
      'Cap 1: give a whole number of attempts from 1 to 1000.',
      'Cap 1: give the period as a whole number of hours from 1 to 720.',
    ]);
  });

  it('says a cap in words', () => {
    expect(capText({ channels: ['call'], max: 7, periodHours: 168 })).toBe('7 calls in 7 days');
    expect(capText({ channels: ['call'], max: 3, periodHours: 24 })).toBe('3 calls in 24 h');
    expect(capText({ channels: ['call', 'sms'], max: 3, periodHours: 24 })).toBe(
      '3 calls or SMS in 24 h',
    );
    expect(capText({ channels: ['sms'], max: 1, periodHours: 12 })).toBe('1 SMS in 12 h');
  });

  it('makes the noun agree with the count: never "1 calls" nor "3 call"', () => {
    expect(capText({ channels: ['call'], max: 1, periodHours: 1 })).toBe('1 call in 1 h');
    expect(capText({ channels: ['call'], max: 2, periodHours: 48 })).toBe('2 calls in 2 days');
    expect(capText({ channels: ['call', 'sms'], max: 1, periodHours: 24 })).toBe(
      '1 call or SMS in 24 h',
    );
    expect(capText({ channels: ['sms'], max: 5, periodHours: 720 })).toBe('5 SMS in 30 days');
    // Every state limit reads right, as Settings › Compliance and the waiting reasons show it.
    expect(capText(stateCallingRule('US-FL')!.callLimit!)).toBe('3 calls in 24 h');
    expect(capText(stateCallingRule('US-MD')!.callLimit!)).toBe('3 calls or SMS in 24 h');
    for (let max = 1; max <= 12; max++) {
      for (const periodHours of [1, 24, 48, 168, 720]) {
        const text = capText({ channels: ['call'], max, periodHours });
        expect(text).not.toMatch(/\b1 calls\b|\b([02-9]|1\d) call\b|\b1 days\b/);
      }
    }
  });

  it('applies the workspace’s, the campaign’s and the state rules’ caps of the channel', () => {
    const fl = stateCallingRule('US-FL')!;
    const md = stateCallingRule('US-MD')!;
    const caps = applicableCaps({
      channel: 'call',
      workspaceCaps: [
        { channel: 'call', max: 7, periodHours: 168 },
        { channel: 'sms', max: 2, periodHours: 24 },
      ],
      campaignCaps: [{ channel: 'call', max: 2, periodHours: 24 }],
      stateRules: [fl, fl, md],
    });
    expect(caps.map((c) => [c.scope, c.label, c.max, c.periodHours])).toEqual([
      ['workspace', 'Workspace', 7, 168],
      ['campaign', 'Campaign', 2, 24],
      ['state', 'Florida', 3, 24],
      ['state', 'Maryland', 3, 24],
    ]);
    expect(capRuleText(caps[2]!)).toBe(
      'Frequency cap (Florida): 3 calls in 24 h (Fla. Stat. 501.616(6)(a)–(b))',
    );
    // Florida counts calls only; Maryland calls and texts.
    const sms = applicableCaps({
      channel: 'sms',
      workspaceCaps: [],
      campaignCaps: null,
      stateRules: [fl, md],
    });
    expect(sms.map((c) => c.label)).toEqual(['Maryland']);
    expect(
      applicableCaps({
        channel: 'webhook',
        workspaceCaps: [],
        campaignCaps: null,
        stateRules: [md],
      }),
    ).toEqual([]);
  });

  it('holds the attempt that would break a cap until the oldest counted one leaves the period', () => {
    const cap = workspaceCap(2, 24);
    const attempts = [call('2026-03-01T16:00:00Z'), call('2026-03-02T09:00:00Z')];
    expect(capHold({ caps: [cap], campaignId: null, attempts, at: now })).toEqual({
      cap,
      until: at('2026-03-02T16:00:00Z'),
      count: 2,
    });
    // One of them outside the period: room for one more.
    const later = at('2026-03-02T16:00:00Z');
    expect(capHold({ caps: [cap], campaignId: null, attempts, at: later })).toBeNull();
    // Three counted with a cap of two: the second must leave too.
    const three = [...attempts, call('2026-03-02T14:00:00Z')];
    expect(capHold({ caps: [cap], campaignId: null, attempts: three, at: now })?.until).toEqual(
      at('2026-03-03T09:00:00Z'),
    );
  });

  it('counts an attempt another worker started a moment after the instant looked from', () => {
    const attempts = [call('2026-03-02T09:00:00Z'), call('2026-03-02T15:00:00.030Z')];
    expect(
      capHold({ caps: [workspaceCap(2, 24)], campaignId: null, attempts, at: now })?.until,
    ).toEqual(at('2026-03-03T09:00:00Z'));
  });

  it('counts a campaign’s cap over that campaign’s attempts only; the workspace’s over all', () => {
    const campaignCap: AppliedCap = {
      ...workspaceCap(1, 24),
      scope: 'campaign',
      label: 'Campaign',
    };
    const attempts = [call('2026-03-02T09:00:00Z', 'other')];
    expect(capHold({ caps: [campaignCap], campaignId: 'mine', attempts, at: now })).toBeNull();
    expect(
      capHold({ caps: [workspaceCap(1, 24)], campaignId: 'mine', attempts, at: now }),
    ).not.toBeNull();
  });

  it('keeps the longest hold when several caps are reached', () => {
    const short = workspaceCap(1, 2);
    const long = workspaceCap(2, 168);
    const attempts = [call('2026-02-27T15:00:00Z'), call('2026-03-02T14:30:00Z')];
    const hold = capHold({ caps: [short, long], campaignId: null, attempts, at: now });
    expect(hold?.cap).toBe(long);
    expect(hold?.until).toEqual(at('2026-03-06T15:00:00Z'));
  });

  it('lets two follow-ups of one contact in one batch take one last place, not two', () => {
    const caps = [workspaceCap(2, 24)];
    const decisions = decideCaps(
      [
        { id: 'a', contactId: 'c1', channel: 'call', campaignId: null, caps },
        { id: 'b', contactId: 'c1', channel: 'call', campaignId: null, caps },
        { id: 'c', contactId: 'c2', channel: 'call', campaignId: null, caps },
      ],
      new Map([['c1', [call('2026-03-02T09:00:00Z')]]]),
      now,
    );
    expect(decisions.map((d) => [d.id, d.hold?.until.toISOString() ?? null])).toEqual([
      ['a', null],
      ['b', '2026-03-03T09:00:00.000Z'],
      ['c', null],
    ]);
  });
});
