/**
 * Instants as text, fast enough for a list of hundreds of rows (Date#toISOString and
 * Date.parse cost a quarter to half a microsecond each; lists print several per row):
 *
 * - `localIsoString`: ISO 8601 local time with the zone's offset ('2026-03-07T10:00:00-05:00'),
 *   exactly as Temporal's ZonedDateTime prints it without the zone name. The zone's offset is
 *   looked up once per quarter hour and zone. A quarter hour in which the offset changes (or an
 *   offset that is not whole minutes, or a year outside 1000–9999) takes Temporal's own path.
 * - `utcIsoString` / `epochMsOfIso`: the 'YYYY-MM-DDTHH:MM:SS.mmmZ' form both ways, exactly
 *   as Date prints and reads it, by calendar arithmetic.
 */
import { Temporal } from 'temporal-polyfill';

const QUARTER_HOUR_MS = 15 * 60_000;
const MAX_CACHED = 100_000;
const offsets = new Map<string, Map<number, number | null>>();
let cachedOffsets = 0;

function offsetAt(zone: string, epochMs: number): number {
  return Temporal.Instant.fromEpochMilliseconds(epochMs).toZonedDateTimeISO(zone).offsetNanoseconds;
}

/**
 * The zone's UTC offset in ms for the quarter hour holding `epochMs`, or null when the offset
 * changes inside that quarter hour or is not whole minutes (then Temporal answers).
 */
function quarterHourOffset(zone: string, epochMs: number): number | null {
  const bucket = Math.floor(epochMs / QUARTER_HOUR_MS);
  let ofZone = offsets.get(zone);
  const cached = ofZone?.get(bucket);
  if (cached !== undefined) return cached;
  const start = bucket * QUARTER_HOUR_MS;
  const first = offsetAt(zone, start);
  const last = offsetAt(zone, start + QUARTER_HOUR_MS - 1);
  const offset = first === last && first % 60_000_000_000 === 0 ? first / 1_000_000 : null;
  if (cachedOffsets >= MAX_CACHED) {
    offsets.clear();
    cachedOffsets = 0;
    ofZone = undefined;
  }
  if (!ofZone) {
    ofZone = new Map();
    offsets.set(zone, ofZone);
  }
  ofZone.set(bucket, offset);
  cachedOffsets++;
  return offset;
}

const DAY_MS = 86_400_000;
const MIN_MS = Date.UTC(1000, 0, 1);
const MAX_MS = Date.UTC(10000, 0, 1) - 1;

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** 'YYYY-MM-DDTHH:MM:SS' of an instant in UTC, for years 1000–9999 (civil_from_days). */
function wallText(epochMs: number): string {
  const days = Math.floor(epochMs / DAY_MS);
  let msOfDay = epochMs - days * DAY_MS;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const hours = Math.floor(msOfDay / 3_600_000);
  msOfDay -= hours * 3_600_000;
  const minutes = Math.floor(msOfDay / 60_000);
  const seconds = Math.floor((msOfDay - minutes * 60_000) / 1000);
  return `${year}-${two(month)}-${two(day)}T${two(hours)}:${two(minutes)}:${two(seconds)}`;
}

const three = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : String(n));

/** Exactly `new Date(epochMs).toISOString()` ('2026-03-07T15:00:00.000Z'). */
export function utcIsoString(epochMs: number): string {
  if (!Number.isInteger(epochMs) || epochMs < MIN_MS || epochMs > MAX_MS) {
    return new Date(epochMs).toISOString();
  }
  return `${wallText(epochMs)}.${three(epochMs - Math.floor(epochMs / 1000) * 1000)}Z`;
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const digits = (text: string, from: number, length: number) => {
  let n = 0;
  for (let i = from; i < from + length; i++) n = n * 10 + text.charCodeAt(i) - 48;
  return n;
};

/** Exactly `Date.parse(iso)` for the 'YYYY-MM-DDTHH:MM:SS.mmmZ' form (NaN for other text). */
export function epochMsOfIso(iso: string): number {
  if (!ISO_UTC.test(iso)) return Number.NaN;
  const month = digits(iso, 5, 2);
  const day = digits(iso, 8, 2);
  const hours = digits(iso, 11, 2);
  const minutes = digits(iso, 14, 2);
  const seconds = digits(iso, 17, 2);
  if (month < 1 || month > 12 || day < 1 || hours > 23 || minutes > 59 || seconds > 59) {
    return Date.parse(iso);
  }
  const ms =
    daysFromCivil(digits(iso, 0, 4), month, day) * DAY_MS +
    hours * 3_600_000 +
    minutes * 60_000 +
    seconds * 1000 +
    digits(iso, 20, 3);
  // A day past the month's end (Feb 30) is not a date: Date.parse says so.
  return day > 28 && utcIsoString(ms) !== iso ? Date.parse(iso) : ms;
}

const two = (n: number) => (n < 10 ? `0${n}` : String(n));

const offsetTexts = new Map<number, string>();

function offsetText(offsetMs: number): string {
  let text = offsetTexts.get(offsetMs);
  if (text === undefined) {
    const minutes = Math.abs(offsetMs) / 60_000;
    text = `${offsetMs < 0 ? '-' : '+'}${two(Math.floor(minutes / 60))}:${two(minutes % 60)}`;
    offsetTexts.set(offsetMs, text);
  }
  return text;
}

/** `epochMs` in `zone` as ISO 8601 with the offset and no zone name. */
export function localIsoString(epochMs: number, zone: string): string {
  const offset = Number.isInteger(epochMs) ? quarterHourOffset(zone, epochMs) : null;
  const shifted = offset === null ? Number.NaN : epochMs + offset;
  if (offset === null || !(shifted >= MIN_MS && shifted <= MAX_MS)) {
    return Temporal.Instant.fromEpochMilliseconds(epochMs)
      .toZonedDateTimeISO(zone)
      .toString({ timeZoneName: 'never' });
  }
  // The local wall time; Temporal drops a zero fraction and the fraction's trailing zeros.
  const ms = shifted - Math.floor(shifted / 1000) * 1000;
  const fraction = ms === 0 ? '' : `.${three(ms).replace(/0+$/, '')}`;
  return `${wallText(shifted)}${fraction}${offsetText(offset)}`;
}
