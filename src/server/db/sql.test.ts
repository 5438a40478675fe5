import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { isoOfTimestampText, microIsoOfTimestampText } from './sql.ts';

/** How PostgreSQL prints a timestamptz in a UTC session, with `digits` of the microseconds. */
function pgText(ms: number, micros: number, digits: number): string {
  const iso = new Date(ms).toISOString();
  const fraction = String(micros).padStart(6, '0').slice(0, digits).replace(/0+$/, '');
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction ? `.${fraction}` : ''}+00`;
}

describe('isoOfTimestampText', () => {
  it('prints exactly what Date (milliseconds) and Temporal (microseconds) print, for any instant of years 1000–9999', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1000, 0, 1) / 1000, max: Date.UTC(9999, 11, 31) / 1000 }),
        fc.integer({ min: 0, max: 999_999 }),
        fc.integer({ min: 0, max: 6 }),
        (seconds, micros, digits) => {
          const text = pgText(seconds * 1000, micros, digits);
          expect(isoOfTimestampText(text)).toBe(new Date(text).toISOString());
          expect(microIsoOfTimestampText(text)).toBe(
            Temporal.Instant.from(text).toString({ fractionalSecondDigits: 6 }),
          );
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('keeps text already in its own form, and hands any other form to Date', () => {
    expect(isoOfTimestampText('2026-03-02T14:00:00.500Z')).toBe('2026-03-02T14:00:00.500Z');
    expect(isoOfTimestampText('2026-03-02 09:00:00.5-05')).toBe('2026-03-02T14:00:00.500Z');
    expect(isoOfTimestampText('2026-03-02 19:30:00+05:30')).toBe('2026-03-02T14:00:00.000Z');
    expect(microIsoOfTimestampText('2026-03-02 09:00:00.000012-05')).toBe(
      '2026-03-02T14:00:00.000012Z',
    );
  });
});
