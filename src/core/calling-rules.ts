/**
 * The effective calling time of a contact (docs/compliance.md): the workspace's or campaign's
 * window ∩ the federal 08:00–21:00 bound ∩ the hours of every state rule that may apply (the
 * contact's stated region and the region of its phone's area code), in the contact's zone —
 * and, with `everyZone`, in the area code's zone too. Legal holidays close the day when a state
 * rule says so, and for every contact when the workspace or campaign closes on public holidays
 * (the `date-holidays` library, for the contact's country and region). Pure: no I/O, no clock.
 */
import Holidays from 'date-holidays';
import { Temporal } from 'temporal-polyfill';
import { areaCodeOf } from './area-codes.ts';
import {
  type CallingWindowPolicy,
  isInsideWindow,
  nextWindowStart,
  type TimeRange,
  WEEKDAYS,
  type Weekday,
} from './calling-window.ts';
import { FEDERAL_RULE, type StateCallingRule, stateCallingRule } from './state-calling-rules.ts';

export type RuleCode =
  | 'federal'
  | 'state_hours'
  | 'state_holidays'
  | 'public_holidays'
  | 'every_zone'
  | 'override'
  | 'frequency_cap';

export interface AppliedRule {
  code: RuleCode;
  /** In words, for the people who schedule ('Florida: 08:00–20:00 every day'). */
  message: string;
  /** The citation, or null for the workspace's own settings. */
  source: string | null;
}

/** One window in one zone; the calling time is where all of them are open. */
export interface Constraint {
  policy: CallingWindowPolicy;
  zone: string;
}

export interface CallingRulesInput {
  /** The workspace's or campaign's window. */
  policy: CallingWindowPolicy;
  /** The contact's zone. */
  zone: string;
  /** The contact's stated region (ISO 3166-2), if any. */
  region: string | null;
  /** E.164. */
  phone: string | null;
  everyZone: boolean;
  closedOnPublicHolidays: boolean;
  /** The instant looked from: the holidays of its year and the next two are closed. */
  at: Temporal.Instant;
}

export interface CallingRules {
  constraints: Constraint[];
  rules: AppliedRule[];
  /** The regions the contact may be in (stated first), without repeats. */
  regions: string[];
  /** The state rules that apply (a state named twice counts once). */
  stateRules: StateCallingRule[];
}

const MINUTES_PER_DAY = 1440;
const WEEK = 7 * MINUTES_PER_DAY;

function minutes(clock: string): number {
  const [h, m] = clock.split(':').map(Number);
  return h! * 60 + m!;
}

function clock(total: number): string {
  const h = Math.floor(total / 60);
  const m = total % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

type WeekSpan = readonly [start: number, end: number];

function weekSpans(weekly: Readonly<Record<Weekday, readonly TimeRange[]>>): WeekSpan[] {
  const out: WeekSpan[] = [];
  WEEKDAYS.forEach((day, i) => {
    for (const range of weekly[day] ?? []) {
      const start = minutes(range.start);
      const end = minutes(range.end);
      const base = i * MINUTES_PER_DAY;
      out.push([base + start, base + (end > start ? end : end + MINUTES_PER_DAY)]);
    }
  });
  return out;
}

/**
 * The weekly schedule open when both are (ranges crossing midnight and from Sunday into Monday
 * included). Each piece lies inside one range of `a`, so none is longer than a day.
 */
export function intersectWeekly(
  a: Readonly<Record<Weekday, readonly TimeRange[]>>,
  b: Readonly<Record<Weekday, readonly TimeRange[]>>,
): Record<Weekday, TimeRange[]> {
  const out = Object.fromEntries(WEEKDAYS.map((d) => [d, [] as TimeRange[]])) as Record<
    Weekday,
    TimeRange[]
  >;
  const bSpans = weekSpans(b);
  for (const [aStart, aEnd] of weekSpans(a)) {
    for (const [bStart, bEnd] of bSpans) {
      for (const shift of [-WEEK, 0, WEEK]) {
        const lo = Math.max(aStart, bStart + shift);
        const hi = Math.min(aEnd, bEnd + shift);
        if (lo >= hi) continue;
        const dayStart = Math.floor(lo / MINUTES_PER_DAY) * MINUTES_PER_DAY;
        const day = WEEKDAYS[(((dayStart / MINUTES_PER_DAY) % 7) + 7) % 7]!;
        const start = lo - dayStart;
        const end = hi - dayStart;
        out[day].push({
          start: clock(start),
          end: end === MINUTES_PER_DAY ? '24:00' : clock(end % MINUTES_PER_DAY),
        });
      }
    }
  }
  for (const day of WEEKDAYS) out[day].sort((x, y) => minutes(x.start) - minutes(y.start));
  return out;
}

/**
 * The weekly schedule clipped to 08:00–21:00 of the day each range starts on, as the calling
 * window applies the bound (a range crossing midnight keeps nothing of the next morning).
 * Clipping first keeps the state rules from reopening that next morning.
 */
export function withFederalBound(
  weekly: Readonly<Record<Weekday, readonly TimeRange[]>>,
): Record<Weekday, TimeRange[]> {
  const lo = minutes(FEDERAL_RULE.hours.start);
  const hi = minutes(FEDERAL_RULE.hours.end);
  const out = {} as Record<Weekday, TimeRange[]>;
  for (const day of WEEKDAYS) {
    out[day] = [];
    for (const range of weekly[day] ?? []) {
      const start = minutes(range.start);
      const rawEnd = minutes(range.end);
      const end = rawEnd > start ? rawEnd : rawEnd + MINUTES_PER_DAY;
      const s = Math.max(start, lo);
      const e = Math.min(end, hi);
      if (s < e) out[day].push({ start: clock(s), end: clock(e) });
    }
  }
  return out;
}

const holidayCache = new Map<string, string[]>();

/**
 * The public holidays ('YYYY-MM-DD', local dates) of a country and optional subdivision in the
 * given year, from the date-holidays library ([] for a place it does not know).
 */
export function publicHolidays(country: string, subdivision: string | null, year: number) {
  const key = `${country}|${subdivision ?? ''}|${year}`;
  let dates = holidayCache.get(key);
  if (!dates) {
    dates = [];
    try {
      const hd = subdivision ? new Holidays(country, subdivision) : new Holidays(country);
      dates = (hd.getHolidays(year) || [])
        .filter((h) => h.type === 'public')
        .map((h) => h.date.slice(0, 10));
    } catch {
      dates = [];
    }
    if (holidayCache.size > 5000) holidayCache.clear();
    holidayCache.set(key, dates);
  }
  return dates;
}

/** The country and subdivision of an ISO 3166-2 code ('US-FL' → ['US', 'FL']). */
function splitRegion(region: string): [string, string | null] {
  const [country, sub] = region.split('-');
  return [country!, sub ?? null];
}

function holidaysAround(region: string, at: Temporal.Instant, zone: string): string[] {
  const [country, sub] = splitRegion(region);
  const year = at.toZonedDateTimeISO(zone).year;
  return [year - 1, year, year + 1, year + 2].flatMap((y) => publicHolidays(country, sub, y));
}

/** The regions a contact may be in: its stated region, then its area code's. */
export function contactRegions(region: string | null, phone: string | null): string[] {
  const out: string[] = [];
  if (region) out.push(region);
  const fromPhone = areaCodeOf(phone)?.region;
  if (fromPhone && !out.includes(fromPhone)) out.push(fromPhone);
  return out;
}

/** The constraints and the rules, in words, of one contact under one window. */
export function callingRules(input: CallingRulesInput): CallingRules {
  const areaCode = areaCodeOf(input.phone);
  const regions = contactRegions(input.region, input.phone);
  const stateRules = regions
    .map((r) => stateCallingRule(r))
    .filter((r): r is StateCallingRule => r !== undefined);
  const rules: AppliedRule[] = [
    {
      code: 'federal',
      message: `Federal: ${FEDERAL_RULE.text}`,
      source: FEDERAL_RULE.citation,
    },
  ];
  let weekly = withFederalBound(input.policy.weekly);
  const closed = new Set(input.policy.closedDates);
  for (const rule of stateRules) {
    weekly = intersectWeekly(weekly, rule.hours);
    const why =
      rule.region === input.region
        ? 'the contact’s region'
        : `the phone’s area code ${areaCode?.areaCode ?? ''}`.trim();
    rules.push({
      code: 'state_hours',
      message: `${rule.state}: ${rule.hoursText} (${rule.citation}); applies by ${why}`,
      source: rule.citation,
    });
    if (rule.closedOnHolidays) {
      for (const d of holidaysAround(rule.region, input.at, input.zone)) closed.add(d);
      rules.push({
        code: 'state_holidays',
        message: `${rule.state}: no calls on the state’s legal holidays (${rule.citation})`,
        source: rule.citation,
      });
    }
  }
  if (input.closedOnPublicHolidays && regions.length > 0) {
    for (const region of regions) {
      for (const d of holidaysAround(region, input.at, input.zone)) closed.add(d);
    }
    rules.push({
      code: 'public_holidays',
      message: `Closed on public holidays in ${regions.join(' and ')}`,
      source: null,
    });
  }
  const policy: CallingWindowPolicy = { weekly, closedDates: [...closed].sort() };
  const constraints: Constraint[] = [{ policy, zone: input.zone }];
  if (input.everyZone && areaCode?.zone && !sameZone(areaCode.zone, input.zone, input.at)) {
    constraints.push({ policy, zone: areaCode.zone });
    rules.push({
      code: 'every_zone',
      message: `Also calling time in the area code’s zone ${areaCode.zone}`,
      source: null,
    });
  }
  return { constraints, rules, regions, stateRules };
}

/** Two zones that keep the same clock around the instant need no second check. */
function sameZone(a: string, b: string, at: Temporal.Instant): boolean {
  if (a === b) return true;
  // Same offsets now and a half year either side: the same wall clock for the horizon that matters.
  const probes = [at, at.add({ hours: 24 * 183 }), at.subtract({ hours: 24 * 183 })];
  return probes.every(
    (p) => p.toZonedDateTimeISO(a).offsetNanoseconds === p.toZonedDateTimeISO(b).offsetNanoseconds,
  );
}

/** The window arithmetic (core's, or the same remembered over a batch). */
export interface WindowCalendar {
  isInsideWindow: typeof isInsideWindow;
  nextWindowStart: typeof nextWindowStart;
}
const CALENDAR: WindowCalendar = { isInsideWindow, nextWindowStart };

/** Whether the instant is inside every constraint. */
export function isCallingTime(
  constraints: readonly Constraint[],
  at: Temporal.Instant,
  calendar: WindowCalendar = CALENDAR,
): boolean {
  return constraints.every((c) => calendar.isInsideWindow(c.policy, c.zone, at));
}

const HORIZON_NS = 400n * 86_400_000_000_000n;

/**
 * The first instant >= `at` inside every constraint, or null when there is none within 400
 * days. Each step moves to the next opening of a constraint that is closed; every common
 * instant at or after the current one is at or after that opening, so the first fixed point
 * is the earliest.
 */
export function nextCallingTime(
  constraints: readonly Constraint[],
  at: Temporal.Instant,
  calendar: WindowCalendar = CALENDAR,
): Temporal.Instant | null {
  let current = at;
  for (let round = 0; round < 2000; round++) {
    let moved = false;
    for (const c of constraints) {
      const next = calendar.nextWindowStart(c.policy, c.zone, current);
      if (!next) return null;
      if (Temporal.Instant.compare(next, current) > 0) {
        current = next;
        moved = true;
      }
    }
    if (!moved) return current;
    if (current.epochNanoseconds - at.epochNanoseconds > HORIZON_NS) return null;
  }
  return null;
}
