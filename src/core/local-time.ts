/**
 * An instant as ISO 8601 local time with the zone's offset ('2026-03-07T10:00:00-05:00'),
 * exactly as Temporal's ZonedDateTime prints it without the zone name, but fast enough for a
 * list of hundreds of rows: the zone's offset is looked up once per quarter hour and zone, and
 * the text is built from the shifted instant. A quarter hour in which the offset changes (or
 * an offset that is not whole minutes, or a year outside 1000–9999) takes Temporal's own path.
 */
import { Temporal } from 'temporal-polyfill';

const QUARTER_HOUR_MS = 15 * 60_000;
const MAX_CACHED = 100_000;
const offsets = new Map<string, number | null>();

function offsetAt(zone: string, epochMs: number): number {
  return Temporal.Instant.fromEpochMilliseconds(epochMs).toZonedDateTimeISO(zone).offsetNanoseconds;
}

/**
 * The zone's UTC offset in ms for the quarter hour holding `epochMs`, or null when the offset
 * changes inside that quarter hour or is not whole minutes (then Temporal answers).
 */
function quarterHourOffset(zone: string, epochMs: number): number | null {
  const bucket = Math.floor(epochMs / QUARTER_HOUR_MS);
  const key = `${zone} ${bucket}`;
  const cached = offsets.get(key);
  if (cached !== undefined) return cached;
  const start = bucket * QUARTER_HOUR_MS;
  const first = offsetAt(zone, start);
  const last = offsetAt(zone, start + QUARTER_HOUR_MS - 1);
  const offset = first === last && first % 60_000_000_000 === 0 ? first / 1_000_000 : null;
  if (offsets.size >= MAX_CACHED) offsets.clear();
  offsets.set(key, offset);
  return offset;
}

const two = (n: number) => (n < 10 ? `0${n}` : String(n));

function offsetText(offsetMs: number): string {
  const minutes = Math.abs(offsetMs) / 60_000;
  return `${offsetMs < 0 ? '-' : '+'}${two(Math.floor(minutes / 60))}:${two(minutes % 60)}`;
}

/** `epochMs` in `zone` as ISO 8601 with the offset and no zone name. */
export function localIsoString(epochMs: number, zone: string): string {
  const offset = Number.isInteger(epochMs) ? quarterHourOffset(zone, epochMs) : null;
  const shifted = offset === null ? Number.NaN : epochMs + offset;
  const year = new Date(shifted).getUTCFullYear();
  if (offset === null || !(year >= 1000 && year <= 9999)) {
    return Temporal.Instant.fromEpochMilliseconds(epochMs)
      .toZonedDateTimeISO(zone)
      .toString({ timeZoneName: 'never' });
  }
  // 'YYYY-MM-DDTHH:MM:SS.mmmZ' of the local wall time; Temporal drops a zero fraction and the
  // fraction's trailing zeros.
  const text = new Date(shifted).toISOString();
  const ms = shifted - Math.floor(shifted / 1000) * 1000;
  const fraction = ms === 0 ? '' : `.${String(ms).padStart(3, '0').replace(/0+$/, '')}`;
  return `${text.slice(0, 19)}${fraction}${offsetText(offset)}`;
}
