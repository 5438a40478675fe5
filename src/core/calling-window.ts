/**
 * Calling windows (SPEC §3): a weekly schedule of local-time ranges plus closed dates,
 * evaluated in the contact's time zone, optionally intersected with the TCPA bound
 * (08:00–21:00 local). Pure: no I/O, no clock; usable on the server and in the browser.
 *
 * Local wall times become instants like this:
 * - a start or end inside a skipped (spring-forward) hour becomes the first valid instant
 *   after the gap, i.e. the transition itself. (Temporal's 'compatible' disambiguation would
 *   instead shift the time forward by the gap's length: 02:30 → 03:30 EDT, not 03:00.)
 * - a start inside a repeated (fall-back) hour takes the earlier occurrence, an end the later
 *   one, so a range is one contiguous interval that never runs twice and skips nothing.
 * Days are always added as calendar days, never as 24 hours.
 */
import { Temporal } from 'temporal-polyfill';

export const WEEKDAYS = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Local 'HH:MM' (24h). end may be '24:00'; end <= start crosses midnight into the next day. */
export interface TimeRange {
  start: string;
  end: string;
}

/** closedDates are local 'YYYY-MM-DD'; a closed date closes the ranges that start on it. */
export interface CallingWindowPolicy {
  weekly: Record<Weekday, TimeRange[]>;
  closedDates: string[];
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** Monday–Friday 09:00–18:00; Saturday and Sunday closed; no closed dates. */
export const DEFAULT_CALLING_WINDOW: CallingWindowPolicy = deepFreeze({
  weekly: {
    monday: [{ start: '09:00', end: '18:00' }],
    tuesday: [{ start: '09:00', end: '18:00' }],
    wednesday: [{ start: '09:00', end: '18:00' }],
    thursday: [{ start: '09:00', end: '18:00' }],
    friday: [{ start: '09:00', end: '18:00' }],
    saturday: [],
    sunday: [],
  },
  closedDates: [],
});

/** The TCPA bound in the contact's local time. */
export const LEGAL_BOUND = { start: '08:00', end: '21:00' } as const;

export interface WindowOptions {
  /** Default true: intersect every range with 08:00–21:00 local time, every day. */
  legalBound?: boolean;
}

/** nextWindowStart gives up (null) when no window opens within this many local days. */
const HORIZON_DAYS = 400;
const MINUTES_PER_DAY = 1440;
const CLOCK_RE = /^(\d{2}):(\d{2})$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** Minutes after midnight of an 'HH:MM' time (00:00–23:59, or 24:00 when allowed), or null. */
function parseClock(value: unknown, allow24: boolean): number | null {
  if (typeof value !== 'string') return null;
  const match = CLOCK_RE.exec(value);
  if (!match) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (allow24 && hours === 24 && minutes === 0) return MINUTES_PER_DAY;
  if (hours > 23 || minutes > 59) return null;
  return hours * 60 + minutes;
}

const BOUND_START = parseClock(LEGAL_BOUND.start, false)!;
const BOUND_END = parseClock(LEGAL_BOUND.end, true)!;

/** A range in minutes after midnight of the date it starts on: 0 <= start < end <= start+1440. */
interface Span {
  start: number;
  end: number;
}

interface CompiledPolicy {
  /** Index 0 = Monday … 6 = Sunday (Temporal's dayOfWeek - 1); spans sorted by start. */
  days: Span[][];
  closed: Set<string>;
  empty: boolean;
}

function compile(policy: CallingWindowPolicy, opts: WindowOptions | undefined): CompiledPolicy {
  const bound = opts?.legalBound !== false;
  const days = WEEKDAYS.map((day) => {
    const ranges = policy.weekly[day] ?? [];
    const spans: Span[] = [];
    ranges.forEach((range, i) => {
      const start = parseClock(range?.start, false);
      const end = parseClock(range?.end, true);
      if (start === null || end === null) {
        throw new RangeError(
          `Invalid calling window range weekly.${day}[${i}]: ` +
            `${JSON.stringify(range?.start)}–${JSON.stringify(range?.end)}`,
        );
      }
      let span: Span = { start, end: end > start ? end : end + MINUTES_PER_DAY };
      if (bound) {
        span = { start: Math.max(span.start, BOUND_START), end: Math.min(span.end, BOUND_END) };
      }
      if (span.start < span.end) spans.push(span);
    });
    return spans.sort((a, b) => a.start - b.start || a.end - b.end);
  });
  return {
    days,
    closed: new Set(policy.closedDates ?? []),
    empty: days.every((spans) => spans.length === 0),
  };
}

/**
 * The instant (epoch ns) of a local wall time `minutes` after midnight of `date` (may exceed
 * one day). 'earlier' for starts and 'later' for ends inside a repeated hour; a time inside a
 * skipped hour maps to the end of the gap (the transition instant) either way.
 */
function wallTimeToEpochNs(
  zone: string,
  date: Temporal.PlainDate,
  minutes: number,
  disambiguation: 'earlier' | 'later',
): bigint {
  const extraDays = Math.floor(minutes / MINUTES_PER_DAY);
  const rest = minutes - extraDays * MINUTES_PER_DAY;
  const day = extraDays === 0 ? date : date.add({ days: extraDays });
  const wall = day.toPlainDateTime({ hour: Math.floor(rest / 60), minute: rest % 60 });
  const zdt = wall.toZonedDateTime(zone, { disambiguation });
  if (Temporal.PlainDateTime.compare(zdt.toPlainDateTime(), wall) === 0) {
    return zdt.epochNanoseconds;
  }
  // In a gap: 'earlier' lands before the transition, so the next transition ends the gap.
  const before =
    disambiguation === 'earlier' ? zdt : wall.toZonedDateTime(zone, { disambiguation: 'earlier' });
  const transition = before.getTimeZoneTransition('next');
  return transition ? transition.epochNanoseconds : zdt.epochNanoseconds;
}

type Interval = readonly [start: bigint, end: bigint];

/** The non-empty intervals [start, end) of the ranges that start on local `date`, by start. */
function intervalsOfDate(
  compiled: CompiledPolicy,
  zone: string,
  date: Temporal.PlainDate,
): Interval[] {
  const spans = compiled.days[date.dayOfWeek - 1] ?? [];
  if (spans.length === 0 || compiled.closed.has(date.toString())) return [];
  const out: Interval[] = [];
  for (const span of spans) {
    const start = wallTimeToEpochNs(zone, date, span.start, 'earlier');
    const end = wallTimeToEpochNs(zone, date, span.end, 'later');
    if (start < end) out.push([start, end]);
  }
  return out;
}

/**
 * Intervals of the local dates from two days before the instant's local date (ranges last at
 * most 24 hours, plus a margin for repeated hours around midnight) onward, in start order.
 * Starts are monotone in local wall time, so this order is global.
 */
function* intervalsFrom(
  compiled: CompiledPolicy,
  zone: string,
  instant: Temporal.Instant,
  days: number,
): Generator<Interval> {
  let date = instant.toZonedDateTimeISO(zone).toPlainDate().subtract({ days: 2 });
  for (let i = 0; i < days + 2; i++) {
    yield* intervalsOfDate(compiled, zone, date);
    date = date.add({ days: 1 });
  }
}

/** Whether `instant` is inside the policy's window in `zone`. */
export function isInsideWindow(
  policy: CallingWindowPolicy,
  zone: string,
  instant: Temporal.Instant,
  opts?: WindowOptions,
): boolean {
  const compiled = compile(policy, opts);
  if (compiled.empty) return false;
  const t = instant.epochNanoseconds;
  // Ranges starting after the next local date cannot contain the instant.
  for (const [start, end] of intervalsFrom(compiled, zone, instant, 2)) {
    if (start > t) return false;
    if (t < end) return true;
  }
  return false;
}

/**
 * The first instant >= `instant` inside the window (`instant` itself when already inside), or
 * null when no window opens within 400 local days.
 */
export function nextWindowStart(
  policy: CallingWindowPolicy,
  zone: string,
  instant: Temporal.Instant,
  opts?: WindowOptions,
): Temporal.Instant | null {
  const compiled = compile(policy, opts);
  if (compiled.empty) return null;
  const t = instant.epochNanoseconds;
  for (const [start, end] of intervalsFrom(compiled, zone, instant, HORIZON_DAYS + 1)) {
    if (end > t) return start <= t ? instant : Temporal.Instant.fromEpochNanoseconds(start);
  }
  return null;
}

/**
 * The end (exclusive) of the window containing `instant`, or null when not inside one.
 * Adjacent or overlapping ranges (also across midnight) form one window. A window that is
 * still open 400 local days later ends, for this purpose, at the end of its last range seen.
 */
export function currentWindowEnd(
  policy: CallingWindowPolicy,
  zone: string,
  instant: Temporal.Instant,
  opts?: WindowOptions,
): Temporal.Instant | null {
  const compiled = compile(policy, opts);
  if (compiled.empty) return null;
  const t = instant.epochNanoseconds;
  let windowEnd: bigint | null = null;
  for (const [start, end] of intervalsFrom(compiled, zone, instant, HORIZON_DAYS + 1)) {
    if (windowEnd === null) {
      if (start > t) return null;
      if (t < end) windowEnd = end;
    } else if (start <= windowEnd) {
      if (end > windowEnd) windowEnd = end;
    } else {
      break;
    }
  }
  return windowEnd === null ? null : Temporal.Instant.fromEpochNanoseconds(windowEnd);
}

const WEEK_MINUTES = 7 * MINUTES_PER_DAY;

function capitalize(day: string): string {
  return day.charAt(0).toUpperCase() + day.slice(1);
}

const quote = (value: unknown) => JSON.stringify(value) ?? String(value);

function isValidDate(value: string): boolean {
  if (!DATE_RE.test(value)) return false;
  try {
    Temporal.PlainDate.from(value, { overflow: 'reject' });
    return true;
  } catch {
    return false;
  }
}

/** Human-readable problems of a policy ([] when valid): bad times and dates, overlaps, etc. */
export function validatePolicy(policy: CallingWindowPolicy): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  if (!policy || typeof policy !== 'object') {
    return [{ path: '', message: 'The calling window policy must be an object.' }];
  }
  const weekly: unknown = policy.weekly;
  if (!weekly || typeof weekly !== 'object' || Array.isArray(weekly)) {
    problems.push({ path: 'weekly', message: 'The weekly schedule is missing.' });
  } else {
    const schedule = weekly as Record<string, unknown>;
    for (const key of Object.keys(schedule)) {
      if (!(WEEKDAYS as readonly string[]).includes(key)) {
        problems.push({ path: `weekly.${key}`, message: `"${key}" is not a day of the week.` });
      }
    }
    // Valid ranges as minutes of the week (Monday 00:00 = 0), to find overlaps.
    const placed: { path: string; label: string; start: number; end: number }[] = [];
    WEEKDAYS.forEach((day, dayIndex) => {
      const ranges = schedule[day];
      const Day = capitalize(day);
      if (ranges === undefined) {
        problems.push({
          path: `weekly.${day}`,
          message: `${Day} is missing (use an empty list to close the day).`,
        });
        return;
      }
      if (!Array.isArray(ranges)) {
        problems.push({ path: `weekly.${day}`, message: `${Day} must be a list of time ranges.` });
        return;
      }
      ranges.forEach((range: unknown, i) => {
        const path = `weekly.${day}[${i}]`;
        if (!range || typeof range !== 'object') {
          problems.push({ path, message: `${Day} range ${i + 1} must have a start and an end.` });
          return;
        }
        const { start: startText, end: endText } = range as Record<string, unknown>;
        const start = parseClock(startText, false);
        const end = parseClock(endText, true);
        if (start === null) {
          problems.push({
            path: `${path}.start`,
            message: `${Day} start time ${quote(startText)} must be HH:MM from 00:00 to 23:59.`,
          });
        }
        if (end === null) {
          problems.push({
            path: `${path}.end`,
            message: `${Day} end time ${quote(endText)} must be HH:MM from 00:00 to 24:00.`,
          });
        }
        if (start === null || end === null) return;
        if (start === end) {
          problems.push({
            path,
            message:
              `${Day} range ${startText}–${endText} starts and ends at the same time ` +
              '(use 00:00–24:00 for a whole day).',
          });
          return;
        }
        const base = dayIndex * MINUTES_PER_DAY;
        placed.push({
          path,
          label: `${Day} ${startText}–${endText}`,
          start: base + start,
          end: base + (end > start ? end : end + MINUTES_PER_DAY),
        });
      });
    });
    // Pairwise overlap, also across midnight and from Sunday into Monday.
    for (let i = 0; i < placed.length; i++) {
      for (let j = i + 1; j < placed.length; j++) {
        const a = placed[i]!;
        const b = placed[j]!;
        const overlaps = [-WEEK_MINUTES, 0, WEEK_MINUTES].some(
          (shift) => a.start < b.end + shift && b.start + shift < a.end,
        );
        if (overlaps) {
          problems.push({ path: b.path, message: `${b.label} overlaps ${a.label}.` });
        }
      }
    }
  }

  const closedDates: unknown = policy.closedDates;
  if (!Array.isArray(closedDates)) {
    problems.push({ path: 'closedDates', message: 'Closed dates must be a list of dates.' });
  } else {
    const seen = new Set<string>();
    closedDates.forEach((value: unknown, i) => {
      const path = `closedDates[${i}]`;
      if (typeof value !== 'string' || !isValidDate(value)) {
        problems.push({
          path,
          message: `Closed date ${quote(value)} is not a valid date (YYYY-MM-DD).`,
        });
      } else if (seen.has(value)) {
        problems.push({ path, message: `Closed date ${value} is listed twice.` });
      } else {
        seen.add(value);
      }
    });
  }
  return problems;
}
