import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import {
  type CallingWindowPolicy,
  currentWindowEnd,
  DEFAULT_CALLING_WINDOW,
  isInsideWindow,
  LEGAL_BOUND,
  nextWindowStart,
  type TimeRange,
  validatePolicy,
  WEEKDAYS,
  type Weekday,
} from './calling-window.ts';

const NY = 'America/New_York';
const LONDON = 'Europe/London';
const KATHMANDU = 'Asia/Kathmandu';
const NO_BOUND = { legalBound: false };

/** The instant of a local wall time with an explicit offset, e.g. '2025-06-02T09:00-04:00'. */
const at = (iso: string) => Temporal.Instant.from(iso);

/** The instant of an unambiguous local wall time in a zone. */
const local = (wall: string, zone: string) =>
  Temporal.PlainDateTime.from(wall).toZonedDateTime(zone).toInstant();

const show = (instant: Temporal.Instant | null, zone: string) =>
  instant?.toZonedDateTimeISO(zone).toString({ timeZoneName: 'never' }) ?? null;

function policy(
  ranges: Partial<Record<Weekday, TimeRange[]>>,
  closedDates: string[] = [],
): CallingWindowPolicy {
  const weekly = Object.fromEntries(WEEKDAYS.map((d) => [d, ranges[d] ?? []])) as Record<
    Weekday,
    TimeRange[]
  >;
  return { weekly, closedDates };
}

const everyDay = (start: string, end: string) =>
  policy(Object.fromEntries(WEEKDAYS.map((d) => [d, [{ start, end }]])));

describe('DEFAULT_CALLING_WINDOW', () => {
  it('is Monday–Friday 09:00–18:00 and frozen', () => {
    expect(DEFAULT_CALLING_WINDOW.weekly.monday).toEqual([{ start: '09:00', end: '18:00' }]);
    expect(DEFAULT_CALLING_WINDOW.weekly.friday).toEqual([{ start: '09:00', end: '18:00' }]);
    expect(DEFAULT_CALLING_WINDOW.weekly.saturday).toEqual([]);
    expect(DEFAULT_CALLING_WINDOW.weekly.sunday).toEqual([]);
    expect(DEFAULT_CALLING_WINDOW.closedDates).toEqual([]);
    expect(Object.isFrozen(DEFAULT_CALLING_WINDOW.weekly.monday)).toBe(true);
    expect(LEGAL_BOUND).toEqual({ start: '08:00', end: '21:00' });
    expect(validatePolicy(DEFAULT_CALLING_WINDOW)).toEqual([]);
  });
});

describe('isInsideWindow with the default policy in America/New_York', () => {
  const p = DEFAULT_CALLING_WINDOW;
  it('is open on weekdays from 09:00 (inclusive) to 18:00 (exclusive)', () => {
    // 2025-06-02 is a Monday (EDT, -04:00).
    expect(isInsideWindow(p, NY, at('2025-06-02T08:59:59-04:00'))).toBe(false);
    expect(isInsideWindow(p, NY, at('2025-06-02T09:00:00-04:00'))).toBe(true);
    expect(isInsideWindow(p, NY, at('2025-06-02T12:00:00-04:00'))).toBe(true);
    expect(isInsideWindow(p, NY, at('2025-06-02T17:59:59.999-04:00'))).toBe(true);
    expect(isInsideWindow(p, NY, at('2025-06-02T18:00:00-04:00'))).toBe(false);
    expect(isInsideWindow(p, NY, at('2025-06-06T10:00:00-04:00'))).toBe(true); // Friday
  });

  it('is closed on the weekend', () => {
    expect(isInsideWindow(p, NY, at('2025-06-07T12:00:00-04:00'))).toBe(false); // Saturday
    expect(isInsideWindow(p, NY, at('2025-06-08T12:00:00-04:00'))).toBe(false); // Sunday
  });

  it('uses the local time of the zone, not UTC', () => {
    // 14:00 UTC on a Monday in January is 09:00 EST; 13:59 UTC is still closed.
    expect(isInsideWindow(p, NY, at('2025-01-06T14:00:00Z'))).toBe(true);
    expect(isInsideWindow(p, NY, at('2025-01-06T13:59:00Z'))).toBe(false);
    // Monday 01:00 UTC is Sunday evening in New York.
    expect(isInsideWindow(p, NY, at('2025-01-06T01:00:00Z'))).toBe(false);
  });

  it('reports the end of the open window', () => {
    expect(show(currentWindowEnd(p, NY, at('2025-06-02T10:00:00-04:00')), NY)).toBe(
      '2025-06-02T18:00:00-04:00',
    );
    expect(currentWindowEnd(p, NY, at('2025-06-02T18:00:00-04:00'))).toBeNull();
    expect(currentWindowEnd(p, NY, at('2025-06-07T12:00:00-04:00'))).toBeNull();
  });
});

describe('nextWindowStart', () => {
  it('returns the instant itself when already inside', () => {
    const t = at('2025-06-02T10:15:30.123-04:00');
    expect(nextWindowStart(DEFAULT_CALLING_WINDOW, NY, t)).toBe(t);
  });

  it('from Friday evening gives Monday 09:00 local', () => {
    const next = nextWindowStart(DEFAULT_CALLING_WINDOW, NY, at('2025-06-06T19:30:00-04:00'));
    expect(show(next, NY)).toBe('2025-06-09T09:00:00-04:00');
  });

  it('from early morning gives 09:00 the same day', () => {
    const next = nextWindowStart(DEFAULT_CALLING_WINDOW, NY, at('2025-06-03T06:00:00-04:00'));
    expect(show(next, NY)).toBe('2025-06-03T09:00:00-04:00');
  });

  it('finds the next of several ranges in a day', () => {
    const p = policy({
      monday: [
        { start: '14:00', end: '17:00' },
        { start: '09:00', end: '12:00' },
      ],
    });
    expect(show(nextWindowStart(p, NY, at('2025-06-02T12:30:00-04:00')), NY)).toBe(
      '2025-06-02T14:00:00-04:00',
    );
    expect(show(nextWindowStart(p, NY, at('2025-06-02T17:00:00-04:00')), NY)).toBe(
      '2025-06-09T09:00:00-04:00',
    );
  });

  it('crosses the spring-forward weekend counting calendar days', () => {
    // Friday 2025-03-07 is EST (-05:00); Monday 2025-03-10 is EDT (-04:00).
    const next = nextWindowStart(DEFAULT_CALLING_WINDOW, NY, at('2025-03-07T18:30:00-05:00'));
    expect(show(next, NY)).toBe('2025-03-10T09:00:00-04:00');
  });
});

describe('the legal bound (08:00–21:00 local)', () => {
  const wide = everyDay('06:00', '23:00');

  it('cuts a 06:00–23:00 policy to 08:00–21:00', () => {
    expect(isInsideWindow(wide, NY, local('2025-06-02T07:59', NY))).toBe(false);
    expect(isInsideWindow(wide, NY, local('2025-06-02T08:00', NY))).toBe(true);
    expect(isInsideWindow(wide, NY, local('2025-06-02T20:59', NY))).toBe(true);
    expect(isInsideWindow(wide, NY, local('2025-06-02T21:00', NY))).toBe(false);
    expect(show(nextWindowStart(wide, NY, local('2025-06-02T06:30', NY)), NY)).toBe(
      '2025-06-02T08:00:00-04:00',
    );
    expect(show(currentWindowEnd(wide, NY, local('2025-06-02T12:00', NY)), NY)).toBe(
      '2025-06-02T21:00:00-04:00',
    );
  });

  it('applies the policy as is when the bound is off', () => {
    expect(isInsideWindow(wide, NY, local('2025-06-02T06:00', NY), NO_BOUND)).toBe(true);
    expect(isInsideWindow(wide, NY, local('2025-06-02T22:59', NY), NO_BOUND)).toBe(true);
    expect(isInsideWindow(wide, NY, local('2025-06-02T23:00', NY), NO_BOUND)).toBe(false);
    expect(isInsideWindow(wide, NY, local('2025-06-02T05:59', NY), NO_BOUND)).toBe(false);
  });

  it('is on by default and with { legalBound: true }', () => {
    const t = local('2025-06-02T22:00', NY);
    expect(isInsideWindow(wide, NY, t)).toBe(false);
    expect(isInsideWindow(wide, NY, t, {})).toBe(false);
    expect(isInsideWindow(wide, NY, t, { legalBound: true })).toBe(false);
  });

  it('leaves nothing of a range entirely outside it', () => {
    const night = everyDay('22:00', '23:00');
    const t = local('2025-06-02T12:00', NY);
    expect(nextWindowStart(night, NY, t)).toBeNull();
    expect(show(nextWindowStart(night, NY, t, NO_BOUND), NY)).toBe('2025-06-02T22:00:00-04:00');
  });
});

describe('closed dates', () => {
  // 2025-12-25 is a Thursday.
  const p: CallingWindowPolicy = { ...DEFAULT_CALLING_WINDOW, closedDates: ['2025-12-25'] };

  it('close the whole day', () => {
    expect(isInsideWindow(p, NY, local('2025-12-25T10:00', NY))).toBe(false);
    expect(isInsideWindow(p, NY, local('2025-12-24T10:00', NY))).toBe(true);
    expect(show(nextWindowStart(p, NY, local('2025-12-24T18:00', NY)), NY)).toBe(
      '2025-12-26T09:00:00-05:00',
    );
  });

  it('close only the ranges that start on that date', () => {
    const night = policy({ wednesday: [{ start: '20:00', end: '02:00' }] }, ['2025-12-25']);
    // The range starting Wednesday 24 December runs into the closed Thursday.
    expect(isInsideWindow(night, NY, local('2025-12-25T00:30', NY), NO_BOUND)).toBe(true);
    const closedEve = { ...night, closedDates: ['2025-12-24'] };
    expect(isInsideWindow(closedEve, NY, local('2025-12-25T00:30', NY), NO_BOUND)).toBe(false);
    expect(isInsideWindow(closedEve, NY, local('2025-12-24T20:30', NY), NO_BOUND)).toBe(false);
  });
});

describe('a range crossing midnight (Monday 20:00–02:00)', () => {
  const p = policy({ monday: [{ start: '20:00', end: '02:00' }] });

  it('is cut at 21:00 by the legal bound', () => {
    expect(isInsideWindow(p, NY, local('2025-06-02T19:59', NY))).toBe(false);
    expect(isInsideWindow(p, NY, local('2025-06-02T20:00', NY))).toBe(true);
    expect(isInsideWindow(p, NY, local('2025-06-02T20:59', NY))).toBe(true);
    expect(isInsideWindow(p, NY, local('2025-06-02T21:00', NY))).toBe(false);
    expect(isInsideWindow(p, NY, local('2025-06-03T00:30', NY))).toBe(false);
    expect(show(currentWindowEnd(p, NY, local('2025-06-02T20:30', NY)), NY)).toBe(
      '2025-06-02T21:00:00-04:00',
    );
  });

  it('runs into Tuesday without the bound', () => {
    expect(isInsideWindow(p, NY, local('2025-06-03T00:30', NY), NO_BOUND)).toBe(true);
    expect(isInsideWindow(p, NY, local('2025-06-03T01:59', NY), NO_BOUND)).toBe(true);
    expect(isInsideWindow(p, NY, local('2025-06-03T02:00', NY), NO_BOUND)).toBe(false);
    // Monday 00:30 belongs to the range of Sunday, which is closed.
    expect(isInsideWindow(p, NY, local('2025-06-02T00:30', NY), NO_BOUND)).toBe(false);
    expect(show(currentWindowEnd(p, NY, local('2025-06-02T23:00', NY), NO_BOUND), NY)).toBe(
      '2025-06-03T02:00:00-04:00',
    );
  });

  it('is a whole day for 00:00–24:00', () => {
    const allDay = policy({ monday: [{ start: '00:00', end: '24:00' }] });
    expect(isInsideWindow(allDay, NY, local('2025-06-02T00:00', NY), NO_BOUND)).toBe(true);
    expect(isInsideWindow(allDay, NY, local('2025-06-02T23:59', NY), NO_BOUND)).toBe(true);
    expect(isInsideWindow(allDay, NY, local('2025-06-03T00:00', NY), NO_BOUND)).toBe(false);
  });
});

describe('currentWindowEnd merges adjacent ranges', () => {
  it('within a day', () => {
    const p = policy({
      monday: [
        { start: '09:00', end: '12:00' },
        { start: '12:00', end: '18:00' },
      ],
    });
    expect(show(currentWindowEnd(p, NY, local('2025-06-02T10:00', NY)), NY)).toBe(
      '2025-06-02T18:00:00-04:00',
    );
  });

  it('across midnight', () => {
    const p = policy({
      monday: [{ start: '22:00', end: '24:00' }],
      tuesday: [{ start: '00:00', end: '02:00' }],
    });
    expect(show(currentWindowEnd(p, NY, local('2025-06-02T23:00', NY), NO_BOUND), NY)).toBe(
      '2025-06-03T02:00:00-04:00',
    );
  });
});

describe('zones with 30- and 45-minute offsets', () => {
  it('Asia/Kathmandu (+05:45)', () => {
    const p = DEFAULT_CALLING_WINDOW;
    // Monday 2025-06-02 09:00 in Kathmandu is 03:15 UTC.
    expect(isInsideWindow(p, KATHMANDU, at('2025-06-02T03:14:59Z'))).toBe(false);
    expect(isInsideWindow(p, KATHMANDU, at('2025-06-02T03:15:00Z'))).toBe(true);
    expect(nextWindowStart(p, KATHMANDU, at('2025-06-02T00:00:00Z'))?.toString()).toBe(
      '2025-06-02T03:15:00Z',
    );
    expect(currentWindowEnd(p, KATHMANDU, at('2025-06-02T04:00:00Z'))?.toString()).toBe(
      '2025-06-02T12:15:00Z',
    );
    // Friday 18:00 local (12:15 UTC) → Monday 09:00 local (03:15 UTC).
    expect(nextWindowStart(p, KATHMANDU, at('2025-06-06T12:15:00Z'))?.toString()).toBe(
      '2025-06-09T03:15:00Z',
    );
  });

  it('Asia/Kolkata (+05:30)', () => {
    expect(
      nextWindowStart(
        DEFAULT_CALLING_WINDOW,
        'Asia/Kolkata',
        at('2025-06-02T00:00:00Z'),
      )?.toString(),
    ).toBe('2025-06-02T03:30:00Z');
  });
});

describe('spring forward (America/New_York, Sunday 2025-03-09, 02:00 → 03:00)', () => {
  it("Temporal's 'compatible' disambiguation shifts 02:30 by the gap, to 03:30", () => {
    const zdt = Temporal.PlainDateTime.from('2025-03-09T02:30').toZonedDateTime(NY);
    expect(zdt.toString()).toBe('2025-03-09T03:30:00-04:00[America/New_York]');
  });

  it('a range starting at 02:30 starts at 03:00 EDT, the first valid instant', () => {
    const p = policy({ sunday: [{ start: '02:30', end: '04:00' }] });
    const next = nextWindowStart(p, NY, at('2025-03-08T12:00:00-05:00'), NO_BOUND);
    expect(show(next, NY)).toBe('2025-03-09T03:00:00-04:00');
    expect(isInsideWindow(p, NY, at('2025-03-09T03:00:00-04:00'), NO_BOUND)).toBe(true);
    expect(isInsideWindow(p, NY, at('2025-03-09T01:59:59.999-05:00'), NO_BOUND)).toBe(false);
    expect(show(currentWindowEnd(p, NY, next!, NO_BOUND), NY)).toBe('2025-03-09T04:00:00-04:00');
    // A week later the range starts at 02:30 again.
    const later = nextWindowStart(p, NY, at('2025-03-09T04:00:00-04:00'), NO_BOUND);
    expect(show(later, NY)).toBe('2025-03-16T02:30:00-04:00');
  });

  it('a range ending inside the gap ends at 03:00 EDT', () => {
    const p = policy({ sunday: [{ start: '01:30', end: '02:30' }] });
    const start = nextWindowStart(p, NY, at('2025-03-08T12:00:00-05:00'), NO_BOUND);
    expect(show(start, NY)).toBe('2025-03-09T01:30:00-05:00');
    expect(show(currentWindowEnd(p, NY, start!, NO_BOUND), NY)).toBe('2025-03-09T03:00:00-04:00');
    expect(isInsideWindow(p, NY, at('2025-03-09T03:00:00-04:00'), NO_BOUND)).toBe(false);
  });

  it('a range entirely inside the gap does not open that day', () => {
    const p = policy({ sunday: [{ start: '02:10', end: '02:50' }] });
    const next = nextWindowStart(p, NY, at('2025-03-08T12:00:00-05:00'), NO_BOUND);
    expect(show(next, NY)).toBe('2025-03-16T02:10:00-04:00');
  });
});

describe('fall back (Europe/London, Sunday 2025-10-26, 02:00 BST → 01:00 GMT)', () => {
  const p = policy({ sunday: [{ start: '01:15', end: '01:45' }] });
  const firstOneFifteen = at('2025-10-26T01:15:00+01:00'); // 00:15 UTC
  const secondOneThirty = at('2025-10-26T01:30:00+00:00'); // 01:30 UTC
  const secondOneFortyFive = at('2025-10-26T01:45:00+00:00'); // 01:45 UTC

  it('starts at the first 01:15', () => {
    const next = nextWindowStart(p, LONDON, at('2025-10-26T00:00:00+01:00'), NO_BOUND);
    expect(next?.toString()).toBe(firstOneFifteen.toString());
  });

  it('runs as one interval until the second 01:45', () => {
    expect(isInsideWindow(p, LONDON, firstOneFifteen, NO_BOUND)).toBe(true);
    expect(isInsideWindow(p, LONDON, at('2025-10-26T01:50:00+01:00'), NO_BOUND)).toBe(true);
    expect(isInsideWindow(p, LONDON, at('2025-10-26T01:05:00+00:00'), NO_BOUND)).toBe(true);
    expect(isInsideWindow(p, LONDON, secondOneThirty, NO_BOUND)).toBe(true);
    expect(isInsideWindow(p, LONDON, secondOneFortyFive, NO_BOUND)).toBe(false);
    expect(currentWindowEnd(p, LONDON, firstOneFifteen, NO_BOUND)?.toString()).toBe(
      secondOneFortyFive.toString(),
    );
    expect(nextWindowStart(p, LONDON, secondOneThirty, NO_BOUND)).toBe(secondOneThirty);
  });

  it('does not open a second time at the second 01:15', () => {
    const next = nextWindowStart(p, LONDON, secondOneFortyFive, NO_BOUND);
    expect(next?.toString()).toBe('2025-11-02T01:15:00Z');
  });

  it('never returns an instant before the input', () => {
    const from = at('2025-10-25T22:00:00Z');
    for (let minutes = 0; minutes <= 6 * 60; minutes += 5) {
      const t = from.add({ minutes });
      const next = nextWindowStart(p, LONDON, t, NO_BOUND);
      expect(next).not.toBeNull();
      expect(Temporal.Instant.compare(next!, t)).toBeGreaterThanOrEqual(0);
      expect(isInsideWindow(p, LONDON, next!, NO_BOUND)).toBe(true);
    }
  });
});

describe('empty and closed policies', () => {
  const empty = policy({});
  const t = at('2025-06-02T12:00:00Z');

  it('an empty policy never opens', () => {
    expect(nextWindowStart(empty, NY, t)).toBeNull();
    expect(nextWindowStart(empty, NY, t, NO_BOUND)).toBeNull();
    expect(isInsideWindow(empty, NY, t)).toBe(false);
    expect(currentWindowEnd(empty, NY, t)).toBeNull();
    expect(validatePolicy(empty)).toEqual([]);
  });

  it('gives up after 400 days of closed dates', () => {
    const start = Temporal.PlainDate.from('2025-06-01');
    const closed = Array.from({ length: 420 }, (_, i) => start.add({ days: i }).toString());
    const p = { ...DEFAULT_CALLING_WINDOW, closedDates: closed };
    expect(nextWindowStart(p, NY, t)).toBeNull();
    const fewer = { ...p, closedDates: closed.slice(0, 300) };
    // The last closed date is Friday 2026-03-27; the weekend is closed anyway.
    expect(show(nextWindowStart(fewer, NY, t), NY)).toBe('2026-03-30T09:00:00-04:00');
  });

  it('rejects a malformed range instead of guessing', () => {
    const bad = policy({ monday: [{ start: '9am', end: '18:00' }] });
    expect(() => isInsideWindow(bad, NY, t)).toThrow(RangeError);
  });
});

describe('validatePolicy', () => {
  it('accepts valid policies, 24:00 ends and adjacent ranges', () => {
    const p = policy(
      {
        monday: [
          { start: '09:00', end: '12:00' },
          { start: '12:00', end: '24:00' },
        ],
        tuesday: [{ start: '00:00', end: '02:00' }],
        friday: [{ start: '20:00', end: '02:00' }],
        saturday: [{ start: '02:00', end: '05:00' }],
      },
      ['2025-12-25', '2024-02-29'],
    );
    expect(validatePolicy(p)).toEqual([]);
  });

  it('reports bad times', () => {
    const p = policy({
      monday: [{ start: '9:00', end: '18:00' }],
      tuesday: [{ start: '24:00', end: '18:00' }],
      wednesday: [{ start: '09:00', end: '24:30' }],
      thursday: [{ start: '09:60', end: '18:00' }],
    });
    expect(validatePolicy(p).map((x) => x.path)).toEqual([
      'weekly.monday[0].start',
      'weekly.tuesday[0].start',
      'weekly.wednesday[0].end',
      'weekly.thursday[0].start',
    ]);
    expect(validatePolicy(p)[0]?.message).toBe(
      'Monday start time "9:00" must be HH:MM from 00:00 to 23:59.',
    );
  });

  it('reports empty and overlapping ranges, also across midnight and the week', () => {
    const p = policy({
      monday: [
        { start: '01:00', end: '03:00' },
        { start: '09:00', end: '12:00' },
        { start: '11:00', end: '13:00' },
      ],
      wednesday: [{ start: '10:00', end: '10:00' }],
      thursday: [{ start: '20:00', end: '02:00' }],
      friday: [{ start: '01:00', end: '04:00' }],
      sunday: [{ start: '23:00', end: '02:00' }],
    });
    expect(validatePolicy(p)).toEqual([
      {
        path: 'weekly.wednesday[0]',
        message:
          'Wednesday range 10:00–10:00 starts and ends at the same time ' +
          '(use 00:00–24:00 for a whole day).',
      },
      {
        path: 'weekly.sunday[0]',
        message: 'Sunday 23:00–02:00 overlaps Monday 01:00–03:00.',
      },
      {
        path: 'weekly.monday[2]',
        message: 'Monday 11:00–13:00 overlaps Monday 09:00–12:00.',
      },
      {
        path: 'weekly.friday[0]',
        message: 'Friday 01:00–04:00 overlaps Thursday 20:00–02:00.',
      },
    ]);
  });

  it('reports bad, impossible and duplicate closed dates', () => {
    const p = policy({}, ['2025-02-29', '2025-1-5', '2025-12-25', '2025-12-25', 'tomorrow']);
    expect(validatePolicy(p)).toEqual([
      {
        path: 'closedDates[0]',
        message: 'Closed date "2025-02-29" is not a valid date (YYYY-MM-DD).',
      },
      {
        path: 'closedDates[1]',
        message: 'Closed date "2025-1-5" is not a valid date (YYYY-MM-DD).',
      },
      { path: 'closedDates[3]', message: 'Closed date 2025-12-25 is listed twice.' },
      {
        path: 'closedDates[4]',
        message: 'Closed date "tomorrow" is not a valid date (YYYY-MM-DD).',
      },
    ]);
  });

  it('reports a malformed shape', () => {
    const broken = {
      weekly: { monday: 'all day', funday: [], tuesday: [null] },
      closedDates: '2025-12-25',
    } as unknown as CallingWindowPolicy;
    const paths = validatePolicy(broken).map((x) => x.path);
    expect(paths).toEqual([
      'weekly.funday',
      'weekly.monday',
      'weekly.tuesday[0]',
      'weekly.wednesday',
      'weekly.thursday',
      'weekly.friday',
      'weekly.saturday',
      'weekly.sunday',
      'closedDates',
    ]);
    expect(validatePolicy(null as unknown as CallingWindowPolicy)).toHaveLength(1);
  });
});
