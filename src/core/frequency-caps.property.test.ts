/**
 * Property tests of frequency caps over random caps (workspace, campaign and state scopes,
 * channels, limits, periods), random attempts already started and random instants: a cap holds
 * a start exactly when an independent count reaches its limit; the instant it names is after
 * the requested one, every cap allows a start there, and it is the earliest such instant (a
 * millisecond sooner, one still holds). The customer override plays no part: caps are never
 * lifted (docs/compliance.md).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AppliedCap,
  type CapChannel,
  capHold,
  type StartedAttempt,
} from './frequency-caps.ts';

const RUNS = Number(process.env.FT_PROPERTY_RUNS) || 300;
const HOUR_MS = 3_600_000;
const BASE = Date.parse('2026-03-09T15:00:00Z');
const CAMPAIGNS = ['c1', 'c2', null] as const;

const channels = fc.constantFrom<readonly CapChannel[]>(['call'], ['sms'], ['call', 'sms']);
const cap: fc.Arbitrary<AppliedCap> = fc.record({
  scope: fc.constantFrom('workspace', 'campaign', 'state'),
  channels,
  max: fc.integer({ min: 1, max: 4 }),
  periodHours: fc.integer({ min: 1, max: 72 }),
  label: fc.constant('Cap'),
  source: fc.constant(null),
});
const attempt = (at: number): fc.Arbitrary<StartedAttempt> =>
  fc.record({
    channel: fc.constantFrom('call', 'sms'),
    campaignId: fc.constantFrom(...CAMPAIGNS),
    // Started at most 80 hours before the instant looked at, to the minute or not.
    startedAt: fc.integer({ min: 0, max: 80 * HOUR_MS }).map((back) => new Date(at - back)),
  });
const scenario = fc.integer({ min: 0, max: 14 * 24 * 60 }).chain((minutes) => {
  const at = BASE + minutes * 60_000;
  return fc.record({
    at: fc.constant(new Date(at)),
    caps: fc.array(cap, { minLength: 1, maxLength: 3 }),
    campaignId: fc.constantFrom(...CAMPAIGNS),
    attempts: fc.array(attempt(at), { maxLength: 14 }),
  });
});

/** The oracle: attempts a cap counts at `at`, by reading the rule as docs/compliance.md says. */
function countAt(
  c: AppliedCap,
  campaignId: string | null,
  attempts: readonly StartedAttempt[],
  at: number,
): number {
  return attempts.filter(
    (a) =>
      (c.channels as readonly string[]).includes(a.channel) &&
      (c.scope !== 'campaign' || a.campaignId === campaignId) &&
      a.startedAt.getTime() > at - c.periodHours * HOUR_MS &&
      a.startedAt.getTime() <= at,
  ).length;
}

const full =
  (s: { caps: AppliedCap[]; campaignId: string | null; attempts: StartedAttempt[] }) =>
  (at: number) =>
    s.caps.filter((c) => countAt(c, s.campaignId, s.attempts, at) >= c.max);

describe('frequency caps (property)', () => {
  it('hold exactly when a cap’s count reaches its limit, until the earliest instant all allow', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const at = s.at.getTime();
        const hold = capHold(s);
        const fullAt = full(s);
        if (fullAt(at).length === 0) {
          expect(hold).toBeNull();
          return;
        }
        expect(hold).not.toBeNull();
        const until = hold!.until.getTime();
        // Named by a cap that is full now, with the count the oracle finds.
        expect(fullAt(at)).toContain(hold!.cap);
        expect(hold!.count).toBe(countAt(hold!.cap, s.campaignId, s.attempts, at));
        // Later than asked; every cap allows a start at `until`; a millisecond sooner one holds.
        expect(until).toBeGreaterThan(at);
        expect(fullAt(until)).toEqual([]);
        expect(capHold({ ...s, at: new Date(until) })).toBeNull();
        expect(fullAt(until - 1).length).toBeGreaterThan(0);
      }),
      { numRuns: RUNS },
    );
  });

  it('keeps every cap within its limit when it lets a start through, at any later instant', () => {
    fc.assert(
      fc.property(scenario, fc.integer({ min: 0, max: 96 * 60 }), (s, laterMinutes) => {
        const at = s.at.getTime() + laterMinutes * 60_000;
        const hold = capHold({ ...s, at: new Date(at) });
        // A start allowed at `at` keeps every cap within its limit once counted.
        if (hold === null) {
          const after = [
            ...s.attempts,
            { channel: 'call', campaignId: s.campaignId, startedAt: new Date(at) },
          ];
          for (const c of s.caps) {
            if (!c.channels.includes('call')) continue;
            expect(countAt(c, s.campaignId, after, at)).toBeLessThanOrEqual(c.max);
          }
        }
      }),
      { numRuns: RUNS },
    );
  });
});
