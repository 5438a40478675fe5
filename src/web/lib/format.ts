/**
 * Dates, times, durations and numbers for people: in the viewer's locale and time zone
 * unless a zone is given (the contact's local time).
 */

const locale = (): string | undefined => undefined; // the browser's preferred locale

const cache = new Map<string, Intl.DateTimeFormat>();
function dateFormat(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = JSON.stringify(options);
  let format = cache.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale(), options);
    cache.set(key, format);
  }
  return format;
}

export function viewerTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

function toDate(value: string | Date): Date {
  return value instanceof Date ? value : new Date(value);
}

/** "Nov 28, 2026, 3:05 PM" in the viewer's zone. */
export function formatDateTime(value: string | Date | null | undefined): string {
  if (!value) return '—';
  const date = toDate(value);
  if (Number.isNaN(date.getTime())) return '—';
  return dateFormat({ dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/** "Nov 28, 3:05 PM" (the year only when it is not this year), for dense tables. */
export function formatDateTimeShort(value: string | Date | null | undefined): string {
  if (!value) return '—';
  const date = toDate(value);
  if (Number.isNaN(date.getTime())) return '—';
  const sameYear = date.getFullYear() === new Date().getFullYear();
  return dateFormat({
    year: sameYear ? undefined : 'numeric',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  }).format(date);
}

/** "+1 (713) 548-6896" for North American numbers; other E.164 numbers as they are. */
export function formatPhone(e164: string): string {
  const nanp = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164);
  return nanp ? `+1 (${nanp[1]}) ${nanp[2]}-${nanp[3]}` : e164;
}

/** "Nov 28, 2026, 3:05 PM EST" in the viewer's zone, with the zone's short name. */
export function formatDateTimeWithZone(value: string | Date | null | undefined): string {
  if (!value) return '—';
  const date = toDate(value);
  if (Number.isNaN(date.getTime())) return '—';
  return dateFormat({
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(date);
}

/** The same instant as a wall clock in `timeZone`: "Sat, Nov 28, 9:00 AM CST". */
export function formatInZone(
  value: string | Date | null | undefined,
  timeZone: string,
  options: { weekday?: boolean; year?: boolean } = {},
): string {
  if (!value) return '—';
  const date = toDate(value);
  if (Number.isNaN(date.getTime())) return '—';
  try {
    return dateFormat({
      timeZone,
      weekday: options.weekday === false ? undefined : 'short',
      year: options.year || date.getFullYear() !== new Date().getFullYear() ? 'numeric' : undefined,
      month: 'short',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      timeZoneName: 'short',
    }).format(date);
  } catch {
    return formatDateTime(date);
  }
}

/** The current time in `timeZone`: "3:05 PM". */
export function formatTimeInZone(value: Date, timeZone: string): string {
  try {
    return dateFormat({ timeZone, hour: 'numeric', minute: '2-digit' }).format(value);
  } catch {
    return dateFormat({ hour: 'numeric', minute: '2-digit' }).format(value);
  }
}

/** The short name of a zone at an instant: "CST", "GMT+1". */
export function zoneShortName(timeZone: string, at: Date = new Date()): string {
  try {
    const parts = dateFormat({ timeZone, timeZoneName: 'short' }).formatToParts(at);
    return parts.find((p) => p.type === 'timeZoneName')?.value ?? timeZone;
  } catch {
    return timeZone;
  }
}

export function formatNumber(value: number): string {
  return new Intl.NumberFormat(locale()).format(value);
}

function unit(value: number, unitName: 'hour' | 'minute' | 'second'): string {
  return new Intl.NumberFormat(locale(), {
    style: 'unit',
    unit: unitName,
    unitDisplay: 'short',
  }).format(value);
}

/** 147 → "2 min, 27 sec" (in the viewer's language). */
export function formatDuration(totalSeconds: number | null | undefined): string {
  if (totalSeconds === null || totalSeconds === undefined) return '—';
  const s = Math.max(0, Math.round(totalSeconds));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = s % 60;
  const parts: string[] = [];
  if (hours) parts.push(unit(hours, 'hour'));
  if (minutes) parts.push(unit(minutes, 'minute'));
  if (seconds || parts.length === 0) parts.push(unit(seconds, 'second'));
  return new Intl.ListFormat(locale(), { style: 'narrow', type: 'unit' }).format(parts);
}

const RELATIVE_STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 7],
  ['week', 4.345],
  ['month', 12],
  ['year', Number.POSITIVE_INFINITY],
];

/** "in 3 hours", "2 days ago". */
export function formatRelative(value: string | Date | null | undefined, now = new Date()): string {
  if (!value) return '';
  const date = toDate(value);
  let amount = (date.getTime() - now.getTime()) / 1000;
  for (const [unitName, size] of RELATIVE_STEPS) {
    if (Math.abs(amount) < size) {
      return new Intl.RelativeTimeFormat(locale(), { numeric: 'auto' }).format(
        Math.round(amount),
        unitName,
      );
    }
    amount /= size;
  }
  return '';
}

// <input type="datetime-local"> speaks the viewer's wall-clock time without a zone.

const pad = (n: number) => String(n).padStart(2, '0');

/** A Date as the value of a datetime-local input, in the viewer's zone: "2026-11-28T15:05". */
export function toLocalInputValue(date: Date): string {
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}`
  );
}

/** A datetime-local value (viewer's zone) as an ISO instant, or null when it is not one. */
export function fromLocalInputValue(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** About one hour from now, rounded up to the next 5 minutes (the dialog's default). */
export function defaultScheduledAt(now = new Date()): Date {
  const step = 5 * 60_000;
  return new Date(Math.ceil((now.getTime() + 60 * 60_000) / step) * step);
}
