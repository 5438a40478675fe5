import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { epochMsOfIso, localIsoString, utcIsoString } from './local-time.ts';

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
  'Pacific/Chatham',
  'Africa/Monrovia',
  'UTC',
];

const temporal = (ms: number, zone: string) =>
  Temporal.Instant.fromEpochMilliseconds(ms)
    .toZonedDateTimeISO(zone)
    .toString({ timeZoneName: 'never' });

describe('localIsoString', () => {
  it('prints exactly what Temporal prints, for any instant from 1900 to 2200 in every zone', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2200, 0, 1) }),
        fc.constantFrom(...ZONES),
        (ms, zone) => {
          expect(localIsoString(ms, zone)).toBe(temporal(ms, zone));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('is exact on both sides of every offset change in 2020–2030', () => {
    for (const zone of ZONES) {
      let zdt = Temporal.Instant.from('2020-01-01T00:00:00Z').toZonedDateTimeISO(zone);
      for (let i = 0; i < 30; i++) {
        const next = zdt.getTimeZoneTransition('next');
        if (!next || next.year > 2030) break;
        const at = next.epochMilliseconds;
        for (const ms of [at - 60_001, at - 1, at, at + 1, at + 899_999]) {
          expect(localIsoString(ms, zone)).toBe(temporal(ms, zone));
        }
        zdt = next;
      }
    }
  });

  it('keeps milliseconds the way Temporal does (no trailing zeros)', () => {
    const at = Date.UTC(2026, 10, 28, 15, 4, 5, 120);
    expect(localIsoString(at, 'America/New_York')).toBe('2026-11-28T10:04:05.12-05:00');
    expect(localIsoString(at - 120, 'Asia/Kathmandu')).toBe('2026-11-28T20:49:05+05:45');
  });
});

describe('utcIsoString and epochMsOfIso', () => {
  it('print and read exactly as Date does, for any instant of years 1000–9999', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1000, 0, 1), max: Date.UTC(9999, 11, 31) }), (ms) => {
        const iso = new Date(ms).toISOString();
        expect(utcIsoString(ms)).toBe(iso);
        expect(epochMsOfIso(iso)).toBe(ms);
      }),
      { numRuns: 10000 },
    );
  });

  it('agree with Date outside the fast range and on text that is not a date', () => {
    for (const ms of [Date.UTC(999, 11, 31, 23, 59, 59, 999), Date.UTC(10000, 0, 1), -1, 0]) {
      expect(utcIsoString(ms)).toBe(new Date(ms).toISOString());
    }
    for (const text of ['2026-02-30T00:00:00.000Z', '2026-13-01T00:00:00.000Z', 'soon', '']) {
      expect(epochMsOfIso(text)).toBe(Date.parse(text));
    }
    expect(epochMsOfIso('2024-02-29T12:00:00.000Z')).toBe(Date.UTC(2024, 1, 29, 12));
  });
});
