/**
 * The contact's time zone (SPEC §3): contact.timezone; else inferred from the phone number
 * (a country with a single zone, or a US/Canadian area code); else the workspace's zone.
 * Pure: no I/O, usable on the server and in the browser.
 */
import { getCountry, getTimezone } from 'countries-and-timezones';
import {
  type CountryCode,
  isSupportedCountry,
  parsePhoneNumberFromString,
} from 'libphonenumber-js';
import { Temporal } from 'temporal-polyfill';
import { nanpAreaCodeTimeZone } from './nanp-area-codes.ts';

export type TimeZoneSource = 'contact' | 'phone' | 'workspace';

// A tz database name ('America/New_York', 'UTC', 'Etc/GMT+5'); rejects offsets like '+05:00'.
const ZONE_NAME_RE = /^[A-Za-z][A-Za-z0-9_+\-/]*$/;

/** The zone's identifier as Temporal spells it ('america/new_york' → 'America/New_York'). */
function canonicalTimeZone(zone: unknown): string | null {
  if (typeof zone !== 'string') return null;
  const cached = canonicalZones.get(zone);
  if (cached !== undefined) return cached;
  let canonical: string | null = null;
  if (zone.length <= 64 && ZONE_NAME_RE.test(zone)) {
    try {
      canonical = new Temporal.ZonedDateTime(0n, zone).timeZoneId;
    } catch {
      canonical = null;
    }
  }
  if (canonicalZones.size >= 10_000) canonicalZones.clear();
  canonicalZones.set(zone, canonical);
  return canonical;
}

// Every row of a list names its contact's zone; asking Temporal each time costs microseconds.
const canonicalZones = new Map<string, string | null>();

/** The Temporal spelling of a valid zone name ('europe/london' → 'Europe/London'); else as given. */
export function canonicalZone(zone: string): string {
  return canonicalTimeZone(zone) ?? zone;
}

/** The country of a time zone (its first country), or undefined (UTC, Etc/…). */
export function countryOfZone(zone: string): string | undefined {
  return getTimezone(zone)?.countries[0];
}

/**
 * The country whose national numbers need no +prefix in a workspace: its time zone's
 * country, else the US.
 */
export function workspaceCountry(zone: string): string {
  return countryOfZone(zone) ?? 'US';
}

/** An IANA time zone name that Temporal accepts ('America/New_York'); false for '' or offsets. */
export function isValidTimeZone(zone: string): boolean {
  return canonicalTimeZone(zone) !== null;
}

// Offsets of a zone over a fixed span of years, to tell whether two zones behave the same.
const SIGNATURE_FROM = Temporal.Instant.from('2024-01-01T00:00:00Z');
const SIGNATURE_UNTIL = Temporal.Instant.from('2031-01-01T00:00:00Z');

function zoneSignature(zone: string): string {
  let zdt = SIGNATURE_FROM.toZonedDateTimeISO(zone);
  const parts = [zdt.offset];
  for (let i = 0; i < 40; i++) {
    const next = zdt.getTimeZoneTransition('next');
    if (!next || Temporal.Instant.compare(next.toInstant(), SIGNATURE_UNTIL) >= 0) break;
    parts.push(`${next.epochNanoseconds}${next.offset}`);
    zdt = next;
  }
  return parts.join(' ');
}

const countryZoneCache = new Map<string, string | null>();

// The usual name for countries whose (equivalent) zones the data lists under another name.
const PREFERRED_COUNTRY_ZONE: Readonly<Record<string, string>> = {
  CY: 'Asia/Nicosia',
  MY: 'Asia/Kuala_Lumpur',
  UZ: 'Asia/Tashkent',
};

/**
 * The zone of a country that has a single time zone. A country whose zones all keep the same
 * offsets (e.g. Germany: Europe/Berlin and Europe/Zurich for Büsingen) counts as one zone,
 * named by the zone that belongs first to that country.
 */
function countryTimeZone(country: string): string | null {
  const cached = countryZoneCache.get(country);
  if (cached !== undefined) return cached;
  const zones = (getCountry(country)?.timezones ?? []).filter((z) => isValidTimeZone(z));
  let zone: string | null = null;
  if (zones.length === 1) {
    zone = zones[0] ?? null;
  } else if (zones.length > 1) {
    const first = zoneSignature(zones[0]!);
    if (zones.every((z) => zoneSignature(z) === first)) {
      const preferred = PREFERRED_COUNTRY_ZONE[country];
      zone =
        preferred && isValidTimeZone(preferred) && zoneSignature(preferred) === first
          ? preferred
          : (zones.find((z) => getTimezone(z)?.countries[0] === country) ?? zones[0]!);
    }
  }
  countryZoneCache.set(country, zone);
  return zone;
}

/**
 * The time zone implied by an E.164 phone number: +1 numbers by their US/Canadian area code,
 * other valid numbers by their country when it has a single zone; otherwise null.
 */
export function timeZoneFromPhone(phoneE164: string): string | null {
  if (typeof phoneE164 !== 'string') return null;
  const cached = phoneZoneCache.get(phoneE164);
  if (cached !== undefined) return cached;
  const zone = phoneZone(phoneE164);
  if (phoneZoneCache.size >= 100_000) phoneZoneCache.clear();
  phoneZoneCache.set(phoneE164, zone);
  return zone;
}

// Parsing a number costs tens of microseconds; lists show the same contacts again and again.
const phoneZoneCache = new Map<string, string | null>();

function phoneZone(phoneE164: string): string | null {
  const phone = parsePhoneNumberFromString(phoneE164.trim(), { extract: false });
  if (!phone) return null;
  if (phone.countryCallingCode === '1' && phone.nationalNumber.length === 10) {
    const zone = nanpAreaCodeTimeZone(phone.nationalNumber.slice(0, 3));
    if (zone) return zone;
  }
  // Other NANP countries (Jamaica, Bahamas, …) and the rest of the world: by country.
  if (!phone.isValid() || !phone.country) return null;
  return countryTimeZone(phone.country);
}

/** SPEC §3: contact.timezone, else inferred from the phone, else the workspace's zone. */
export function resolveTimeZone(input: {
  contactTimezone: string | null | undefined;
  phone: string | null | undefined;
  workspaceTimezone: string;
}): { timezone: string; source: TimeZoneSource } {
  const contact = canonicalTimeZone(input.contactTimezone);
  if (contact) return { timezone: contact, source: 'contact' };
  const fromPhone = input.phone ? timeZoneFromPhone(input.phone) : null;
  if (fromPhone) return { timezone: fromPhone, source: 'phone' };
  // The workspace zone is validated when it is saved; keep it as given if Temporal disagrees.
  return {
    timezone: canonicalTimeZone(input.workspaceTimezone) ?? input.workspaceTimezone,
    source: 'workspace',
  };
}

/**
 * The E.164 form of a phone number ('(212) 555-0100', 'US' → '+12125550100'), or null when the
 * text is not a valid number. The text must be a phone number, not a sentence containing one.
 */
export function normalizePhone(raw: string, defaultCountry?: string): string | null {
  if (typeof raw !== 'string') return null;
  const text = raw.trim();
  if (text === '' || text.length > 64) return null;
  const country = defaultCountry?.trim().toUpperCase();
  const options: { extract: false; defaultCountry?: CountryCode } = { extract: false };
  if (country && isSupportedCountry(country)) options.defaultCountry = country;
  try {
    const phone = parsePhoneNumberFromString(text, options);
    return phone?.isValid() ? phone.number : null;
  } catch {
    return null;
  }
}
