/**
 * Property tests of the effective calling time: random contacts (stated regions, phones from
 * area codes of ruled and unruled states), zones (the nine zones the calling-window tests use,
 * and the area codes' own), windows, every-zone and holiday settings, instants around DST
 * transitions. runsAt is never before the requested time; at runsAt every applicable rule holds
 * in every zone the contact may be in, checked by an oracle that reads the rules' hours
 * directly (not through the weekly intersection); and it is the earliest such instant, checked
 * minute by minute over the next 8 days on samples. With frequency caps (workspace and campaign
 * caps at random, the state rules' own limits, attempts already started), the time the preview
 * and the engine reach — the first calling time, and when a cap holds it, the first calling time
 * once every cap allows — keeps every rule and every cap and is again the earliest.
 */
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { areaCodeOf } from './area-codes.ts';
import { callingRules, nextCallingTime, publicHolidays } from './calling-rules.ts';
import {
  type CallingWindowPolicy,
  isInsideWindow,
  type TimeRange,
  WEEKDAYS,
  type Weekday,
} from './calling-window.ts';
import {
  type AppliedCap,
  applicableCaps,
  type CapChannel,
  capHold,
  type StartedAttempt,
} from './frequency-caps.ts';
import { STATE_CALLING_RULES, stateCallingRule } from './state-calling-rules.ts';

const ZONES = [
  'America/New_York',
  'Europe/London',
  'Australia/Sydney',
  'Australia/Lord_Howe',
  'America/Santiago',
  'Asia/Beirut',
  'Atlantic/Azores',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'America/Chicago',
  'America/Los_Angeles',
];
// Area codes of every ruled state, of unruled places, and one non-geographic code.
const PHONES = [
  '+13055550100', // FL, Eastern
  '+18505550100', // FL panhandle, Central
  '+14055550100', // OK
  '+14105550100', // MD
  '+12145550100', // TX
  '+19155550100', // TX, Mountain
  '+12065550100', // WA
  '+15045550100', // LA
  '+16015550100', // MS
  '+12055550100', // AL
  '+12125550100', // NY
  '+14165550100', // ON
  '+18085550100', // HI
  '+18005550100', // toll-free
  '+442079460018', // not North American
];
const REGIONS = [...STATE_CALLING_RULES.map((r) => r.region), 'US-NY', 'CA-ON', 'US-CA'];
const RUNS = Number(process.env.FT_PROPERTY_RUNS) || 200;
const EARLIEST_SAMPLES = Math.max(8, Math.floor(RUNS / 25));
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

const pad = (n: number) => String(n).padStart(2, '0');
const clockArb = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45))
  .map(([h, m]) => `${pad(h)}:${pad(m)}`);
const rangeArb: fc.Arbitrary<TimeRange> = fc.record({
  start: clockArb,
  end: fc.oneof({ weight: 6, arbitrary: clockArb }, { weight: 1, arbitrary: fc.constant('24:00') }),
});
const policyArb: fc.Arbitrary<CallingWindowPolicy> = fc
  .record(
    Object.fromEntries(WEEKDAYS.map((d) => [d, fc.array(rangeArb, { maxLength: 1 })])) as Record<
      Weekday,
      fc.Arbitrary<TimeRange[]>
    >,
  )
  .map((weekly) => ({
    weekly: Object.fromEntries(
      WEEKDAYS.map((d) => [d, weekly[d].filter((r) => r.start !== r.end)]),
    ) as Record<Weekday, TimeRange[]>,
    closedDates: [],
  }));
// Whole minutes from 2025 to 2027, with weight on the days around US and EU DST changes.
const DST_DAYS = ['2026-03-08', '2026-03-29', '2026-10-25', '2026-11-01', '2026-04-05'];
const instantArb = fc.oneof(
  fc
    .integer({ min: 0, max: 3 * 365 * 1440 })
    .map((m) => Temporal.Instant.from('2025-01-01T00:00:00Z').add({ minutes: m })),
  fc
    .tuple(fc.constantFrom(...DST_DAYS), fc.integer({ min: -3 * 1440, max: 3 * 1440 }))
    .map(([d, m]) => Temporal.Instant.from(`${d}T06:00:00Z`).add({ minutes: m })),
);
const caseArb = fc.record({
  policy: policyArb,
  zone: fc.constantFrom(...ZONES),
  region: fc.option(fc.constantFrom(...REGIONS), { nil: null }),
  phone: fc.constantFrom(...PHONES),
  everyZone: fc.boolean(),
  closedOnPublicHolidays: fc.boolean(),
  at: instantArb,
});
type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

const WEEKDAY_OF = (zdt: Temporal.ZonedDateTime) => WEEKDAYS[zdt.dayOfWeek - 1]!;
const toMinutes = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));

/** The oracle: whether a call may start at `t`, reading every rule directly. */
function allowed(c: Case, t: Temporal.Instant): boolean {
  const area = areaCodeOf(c.phone);
  const zones = [c.zone];
  if (c.everyZone && area?.zone && area.zone !== c.zone) zones.push(area.zone);
  const regions = [c.region, area?.region].filter((r): r is string => !!r);
  for (const zone of zones) {
    // The window and the federal 08:00–21:00 bound.
    if (!isInsideWindow(c.policy, zone, t)) return false;
    const local = t.toZonedDateTimeISO(zone);
    const minute = local.hour * 60 + local.minute;
    const date = local.toPlainDate().toString();
    for (const region of regions) {
      const [country, sub] = region.split('-') as [string, string];
      if (c.closedOnPublicHolidays && publicHolidays(country, sub, local.year).includes(date)) {
        return false;
      }
      const rule = stateCallingRule(region);
      if (!rule) continue;
      const ranges = rule.hours[WEEKDAY_OF(local)];
      if (!ranges.some((r) => minute >= toMinutes(r.start) && minute < toMinutes(r.end))) {
        return false;
      }
      if (rule.closedOnHolidays && publicHolidays(country, sub, local.year).includes(date)) {
        return false;
      }
    }
  }
  return true;
}

function runsAt(c: Case): Temporal.Instant | null {
  return nextCallingTime(callingRules(c).constraints, c.at);
}

describe('effective calling time (property)', () => {
  it('is never before the requested time and every applicable rule holds there', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const at = runsAt(c);
        if (at === null) return;
        expect(Temporal.Instant.compare(at, c.at)).toBeGreaterThanOrEqual(0);
        expect(allowed(c, at)).toBe(true);
        // A minute before it (when after the request) was not calling time, or it was the request.
        const before = at.subtract({ minutes: 1 });
        if (Temporal.Instant.compare(before, c.at) >= 0) expect(allowed(c, before)).toBe(false);
      }),
      { numRuns: RUNS },
    );
  }, 120_000);

  it('is the earliest such instant, minute by minute over the next 8 days', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const at = runsAt(c);
        const limit = c.at.epochMilliseconds + 8 * DAY_MS;
        const end = at ? Math.min(at.epochMilliseconds, limit) : limit;
        for (let ms = c.at.epochMilliseconds; ms < end; ms += MINUTE_MS) {
          if (allowed(c, Temporal.Instant.fromEpochMilliseconds(ms))) {
            throw new Error(`calling time at ${new Date(ms).toISOString()} before runsAt ${at}`);
          }
        }
      }),
      { numRuns: EARLIEST_SAMPLES },
    );
  }, 300_000);
});

const HOUR_MS = 3_600_000;
const capArb = fc.record({
  channel: fc.constantFrom<CapChannel>('call', 'sms'),
  max: fc.integer({ min: 1, max: 3 }),
  periodHours: fc.integer({ min: 1, max: 96 }),
});
const cappedArb = caseArb.chain((c) =>
  fc.record({
    c: fc.constant(c),
    channel: fc.constantFrom<CapChannel>('call', 'sms'),
    workspaceCaps: fc.array(capArb, { maxLength: 2 }),
    campaignCaps: fc.option(fc.array(capArb, { maxLength: 2 }), { nil: null }),
    campaignId: fc.constantFrom('c1', null),
    attempts: fc.array(
      fc.record({
        channel: fc.constantFrom('call', 'sms'),
        campaignId: fc.constantFrom('c1', 'c2', null),
        // Started up to 100 hours before the request.
        startedAt: fc
          .integer({ min: 0, max: 100 * HOUR_MS })
          .map((back) => new Date(c.at.epochMilliseconds - back)),
      }),
      { maxLength: 8 },
    ),
  }),
);
type Capped = typeof cappedArb extends fc.Arbitrary<infer T> ? T : never;

function capsOf(k: Capped): AppliedCap[] {
  return applicableCaps({
    channel: k.channel,
    workspaceCaps: k.workspaceCaps,
    campaignCaps: k.campaignCaps,
    stateRules: callingRules(k.c).stateRules,
  });
}

/** The caps' oracle: every cap counts fewer than its limit at `t` (read from the rule itself). */
function capsAllow(k: Capped, caps: readonly AppliedCap[], t: number): boolean {
  return caps.every(
    (cap) =>
      k.attempts.filter(
        (a: StartedAttempt) =>
          (cap.channels as readonly string[]).includes(a.channel) &&
          (cap.scope !== 'campaign' || a.campaignId === k.campaignId) &&
          a.startedAt.getTime() > t - cap.periodHours * HOUR_MS,
      ).length < cap.max,
  );
}

/** The first calling time; when a cap holds it, the first calling time once every cap allows. */
function runsAtWithCaps(k: Capped, caps: readonly AppliedCap[]): Temporal.Instant | null {
  const { constraints } = callingRules(k.c);
  const first = nextCallingTime(constraints, k.c.at);
  if (first === null || caps.length === 0) return first;
  const hold = capHold({
    caps,
    campaignId: k.campaignId,
    attempts: k.attempts,
    at: new Date(first.epochMilliseconds),
  });
  return hold
    ? nextCallingTime(constraints, Temporal.Instant.fromEpochMilliseconds(hold.until.getTime()))
    : first;
}

describe('effective calling time with frequency caps (property)', () => {
  it('keeps every rule and every cap, and is the earliest such instant over the next 8 days', () => {
    fc.assert(
      fc.property(cappedArb, (k) => {
        const caps = capsOf(k);
        const at = runsAtWithCaps(k, caps);
        const from = k.c.at.epochMilliseconds;
        if (at !== null) {
          expect(at.epochMilliseconds).toBeGreaterThanOrEqual(from);
          expect(allowed(k.c, at)).toBe(true);
          expect(capsAllow(k, caps, at.epochMilliseconds)).toBe(true);
        }
        const limit = from + 8 * DAY_MS;
        const end = at ? Math.min(at.epochMilliseconds, limit) : limit;
        for (let ms = from; ms < end; ms += MINUTE_MS) {
          if (capsAllow(k, caps, ms) && allowed(k.c, Temporal.Instant.fromEpochMilliseconds(ms))) {
            throw new Error(`allowed at ${new Date(ms).toISOString()} before runsAt ${at}`);
          }
        }
      }),
      { numRuns: EARLIEST_SAMPLES },
    );
  }, 300_000);
});
