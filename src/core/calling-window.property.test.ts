/**
 * Property tests of the calling window around daylight-saving transitions: random policies
 * (ranges crossing midnight, starting or ending inside skipped and repeated hours, closed
 * dates near the instant), random instants (mostly within ±3 days of a transition), with and
 * without the legal bound, in zones with unusual transitions (30-minute DST on Lord Howe,
 * midnight transitions in Santiago, Beirut and the Azores, no DST in Kolkata and Kathmandu).
 */
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import {
  type CallingWindowPolicy,
  currentWindowEnd,
  isInsideWindow,
  nextWindowStart,
  type TimeRange,
  WEEKDAYS,
  type Weekday,
  type WindowOptions,
} from './calling-window.ts';

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
];
// FT_PROPERTY_RUNS=5000 npx vitest run src/core/calling-window.property.test.ts for a deep run.
const RUNS_PER_ZONE = Number(process.env.FT_PROPERTY_RUNS) || 300;
const TIMEOUT_MS = 60_000 + RUNS_PER_ZONE * 50;
const SAMPLES_BETWEEN = 30;

const FROM = Temporal.Instant.from('2025-01-01T00:00:00Z');
const UNTIL = Temporal.Instant.from('2028-01-01T00:00:00Z');
const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;
const NS_PER_DAY = 86_400_000_000_000n;

/** The zone's offset transitions in [FROM, UNTIL). */
function transitionsOf(zone: string): Temporal.Instant[] {
  const out: Temporal.Instant[] = [];
  let zdt = FROM.toZonedDateTimeISO(zone);
  for (;;) {
    const next = zdt.getTimeZoneTransition('next');
    if (!next || Temporal.Instant.compare(next.toInstant(), UNTIL) >= 0) return out;
    out.push(next.toInstant());
    zdt = next;
  }
}

// Times of day, with extra weight on those inside the skipped and repeated hours of the zones
// above (00:00–03:00) and on the legal bound.
const SPECIAL_TIMES = ['00:00', '00:30', '01:00', '01:30', '02:00', '02:30', '03:00'];
const pad = (n: number) => String(n).padStart(2, '0');
const clockArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...SPECIAL_TIMES) },
  { weight: 1, arbitrary: fc.constantFrom('08:00', '09:00', '20:30', '21:00', '23:00', '23:30') },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45))
      .map(([h, m]) => `${pad(h)}:${pad(m)}`),
  },
);
const rangeArb: fc.Arbitrary<TimeRange> = fc.record({
  start: clockArb,
  end: fc.oneof({ weight: 8, arbitrary: clockArb }, { weight: 1, arbitrary: fc.constant('24:00') }),
});
const weeklyArb = fc.record(
  Object.fromEntries(WEEKDAYS.map((d) => [d, fc.array(rangeArb, { maxLength: 3 })])) as Record<
    Weekday,
    fc.Arbitrary<TimeRange[]>
  >,
);

function instantArb(transitions: Temporal.Instant[]): fc.Arbitrary<Temporal.Instant> {
  const anywhere = fc
    .integer({ min: FROM.epochMilliseconds, max: UNTIL.epochMilliseconds - 1 })
    .map((ms) => Temporal.Instant.fromEpochMilliseconds(ms));
  if (transitions.length === 0) return anywhere;
  const offset = fc.oneof(
    fc.integer({ min: -3 * MS_PER_DAY, max: 3 * MS_PER_DAY }),
    // On quarter hours, to land exactly on range boundaries and transitions.
    fc.integer({ min: -3 * 96, max: 3 * 96 }).map((k) => k * 15 * MS_PER_MINUTE),
    fc.integer({ min: -3 * 60, max: 3 * 60 }).map((k) => k * MS_PER_MINUTE),
  );
  const near = fc
    .tuple(fc.constantFrom(...transitions), offset)
    .map(([tr, ms]) => Temporal.Instant.fromEpochMilliseconds(tr.epochMilliseconds + ms));
  return fc.oneof({ weight: 1, arbitrary: anywhere }, { weight: 4, arbitrary: near });
}

const localDate = (t: Temporal.Instant, zone: string) => t.toZonedDateTimeISO(zone).toPlainDate();
const cmp = Temporal.Instant.compare;
const ns = (n: bigint) => Temporal.Instant.fromEpochNanoseconds(n);

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}

/** Local minutes after midnight of an instant, with fractions. */
function localMinutes(t: Temporal.Instant, zone: string): number {
  const z = t.toZonedDateTimeISO(zone);
  return z.hour * 60 + z.minute + z.second / 60 + z.millisecond / 60_000;
}

/**
 * An independent wall-clock model of the window: is the instant's local wall time inside an
 * open range (of its date, or of the day before when crossing midnight)? It decides every
 * instant whose wall time occurs once; inside a repeated hour the engine keeps one contiguous
 * interval from the first start to the last end, which a wall clock cannot express.
 */
function wallClockInside(
  policy: CallingWindowPolicy,
  zone: string,
  t: Temporal.Instant,
  bound: boolean,
): boolean {
  const today = localDate(t, zone);
  const minute = localMinutes(t, zone);
  for (const [date, shift] of [
    [today, 0],
    [today.subtract({ days: 1 }), 1440],
  ] as const) {
    if (policy.closedDates.includes(date.toString())) continue;
    for (const range of policy.weekly[WEEKDAYS[date.dayOfWeek - 1]!]) {
      let start = minutesOf(range.start);
      let end = minutesOf(range.end);
      if (end <= start) end += 1440;
      if (bound) {
        start = Math.max(start, 480);
        end = Math.min(end, 1260);
      }
      if (start <= minute + shift && minute + shift < end) return true;
    }
  }
  return false;
}

/** Whether the instant's local wall time occurs twice (a repeated, fall-back hour). */
function isRepeatedWallTime(zone: string, x: Temporal.Instant): boolean {
  const wall = x.toZonedDateTimeISO(zone).toPlainDateTime();
  const earlier = wall.toZonedDateTime(zone, { disambiguation: 'earlier' });
  const later = wall.toZonedDateTime(zone, { disambiguation: 'later' });
  return earlier.epochNanoseconds !== later.epochNanoseconds;
}

/**
 * Instants where the window could open: every range boundary and legal-bound boundary of the
 * local dates from `from` to `to`, under each disambiguation, ±1 ns; and every transition ±1 ns.
 */
function boundaryInstants(
  policy: CallingWindowPolicy,
  zone: string,
  from: Temporal.PlainDate,
  to: Temporal.PlainDate,
  transitions: Temporal.Instant[],
): bigint[] {
  const out: bigint[] = [];
  for (let d = from; Temporal.PlainDate.compare(d, to) <= 0; d = d.add({ days: 1 })) {
    const walls = new Set(['08:00', '21:00']);
    for (const range of policy.weekly[WEEKDAYS[d.dayOfWeek - 1]!]) {
      walls.add(range.start);
      walls.add(range.end);
    }
    for (const wall of walls) {
      const minutes = minutesOf(wall);
      const day = minutes === 1440 ? d.add({ days: 1 }) : d;
      const time = { hour: Math.floor(minutes / 60) % 24, minute: minutes % 60 };
      for (const disambiguation of ['earlier', 'later', 'compatible'] as const) {
        const x = day.toPlainDateTime(time).toZonedDateTime(zone, { disambiguation });
        out.push(x.epochNanoseconds - 1n, x.epochNanoseconds, x.epochNanoseconds + 1n);
      }
    }
  }
  for (const tr of transitions) {
    out.push(tr.epochNanoseconds - 1n, tr.epochNanoseconds, tr.epochNanoseconds + 1n);
  }
  return out;
}

describe.each(ZONES)('calling window properties in %s', (zone) => {
  const transitions = transitionsOf(zone);

  it(`${RUNS_PER_ZONE} random policies and instants`, { timeout: TIMEOUT_MS }, () => {
    const arb = fc.record({
      t: instantArb(transitions),
      weekly: weeklyArb,
      closedOffsets: fc.array(fc.integer({ min: -2, max: 10 }), { maxLength: 3 }),
      bound: fc.boolean(),
    });
    fc.assert(
      fc.property(arb, ({ t, weekly, closedOffsets, bound }) => {
        const today = localDate(t, zone);
        const policy: CallingWindowPolicy = {
          weekly,
          closedDates: closedOffsets.map((k) => today.add({ days: k }).toString()),
        };
        const opts: WindowOptions = { legalBound: bound };
        const inside = (x: Temporal.Instant) => isInsideWindow(policy, zone, x, opts);
        const checkLegal = (x: Temporal.Instant) => {
          if (!bound) return;
          const minute = localMinutes(x, zone);
          expect(minute, `${x} local time`).toBeGreaterThanOrEqual(480);
          expect(minute, `${x} local time`).toBeLessThan(1260);
        };

        const next = nextWindowStart(policy, zone, t, opts);
        const insideAtT = inside(t);

        // (1) never before t.
        if (next) expect(cmp(next, t)).toBeGreaterThanOrEqual(0);
        // (2) inside at the returned instant.
        if (next) expect(inside(next)).toBe(true);
        // (4) inside at t exactly when the next start is t.
        expect(insideAtT).toBe(next !== null && cmp(next, t) === 0);
        // (5) with the legal bound, inside instants are within 08:00–21:00 local.
        if (insideAtT) checkLegal(t);
        if (next) checkLegal(next);

        // (3) nothing in [t, next) is inside: samples and every boundary we can compute.
        const tNs = t.epochNanoseconds;
        const untilNs = next ? next.epochNanoseconds : tNs + 400n * NS_PER_DAY;
        const candidates: bigint[] = [];
        for (let k = 1; k <= SAMPLES_BETWEEN; k++) {
          candidates.push(tNs + ((untilNs - tNs) * BigInt(k)) / BigInt(SAMPLES_BETWEEN + 1));
        }
        const lastDate = next ? localDate(next, zone) : today.add({ days: 9 });
        const horizon = today.add({ days: 9 });
        const to = Temporal.PlainDate.compare(lastDate, horizon) < 0 ? lastDate : horizon;
        candidates.push(
          ...boundaryInstants(policy, zone, today.subtract({ days: 1 }), to, transitions),
        );
        for (const c of new Set(candidates)) {
          if (c >= tNs && c < untilNs) expect(inside(ns(c)), `${ns(c)} inside`).toBe(false);
        }

        // (6) the window that contains an instant ends after it, and is closed at its end.
        const end = currentWindowEnd(policy, zone, t, opts);
        expect(end === null).toBe(!insideAtT);
        if (next) {
          const closes = currentWindowEnd(policy, zone, next, opts);
          expect(closes).not.toBeNull();
          expect(cmp(closes!, next)).toBeGreaterThan(0);
          const last = ns(closes!.epochNanoseconds - 1n);
          expect(inside(last)).toBe(true);
          checkLegal(last);
          if (cmp(closes!, next.add({ hours: 24 * 390 })) < 0) expect(inside(closes!)).toBe(false);
        }

        // (7) An instant whose local wall time is inside an open range is inside (nothing in a
        // repeated hour is skipped); where the wall time occurs once, the converse holds too.
        const probes = [t];
        if (next) probes.push(next, next.subtract({ nanoseconds: 1 }));
        if (end) probes.push(end, end.subtract({ nanoseconds: 1 }));
        const nearest = transitions.find(
          (tr) => Math.abs(tr.epochMilliseconds - t.epochMilliseconds) < 3 * MS_PER_DAY,
        );
        if (nearest) {
          for (let k = -4; k <= 4; k++) probes.push(nearest.add({ minutes: 15 * k }));
        }
        for (const x of probes) {
          const byWallClock = wallClockInside(policy, zone, x, bound);
          if (byWallClock) expect(inside(x), `${x} by wall clock`).toBe(true);
          else if (!isRepeatedWallTime(zone, x))
            expect(inside(x), `${x} by wall clock`).toBe(false);
        }
      }),
      { numRuns: RUNS_PER_ZONE },
    );
  });
});
