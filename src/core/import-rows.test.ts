import { describe, expect, it } from 'vitest';
import { DuplicateTracker, lineProblem, planColumns, validateRow } from './import-rows.ts';

const headers = ['Phone', 'First', 'Email', 'Zone', 'Plan'];
const plan = planColumns(
  headers,
  { Phone: 'phone', First: 'firstName', Email: 'email', Zone: 'timezone', Plan: 'custom:plan' },
  'contacts',
  'US',
);

describe('validateRow', () => {
  it('normalises the phone to E.164 (national numbers in the workspace country) and the zone', () => {
    expect(validateRow(['(212) 555-0101', ' Ada ', '', 'europe/london', 'gold'], plan)).toEqual({
      ok: true,
      record: {
        phone: '+12125550101',
        firstName: 'Ada',
        lastName: null,
        email: null,
        company: null,
        timezone: 'Europe/London',
        region: null,
        customFields: { plan: 'gold' },
      },
    });
    const withRegion = planColumns(
      ['Phone', 'State'],
      { Phone: 'phone', State: 'region' },
      'contacts',
      'US',
    );
    expect(validateRow(['+13055550100', 'fl'], withRegion)).toMatchObject({
      ok: true,
      record: { region: 'US-FL' },
    });
    expect(validateRow(['+13055550100', 'Florida'], withRegion)).toMatchObject({ ok: false });
    const uk = planColumns(headers, { Phone: 'phone' }, 'contacts', 'GB');
    expect(validateRow(['020 7946 0018'], uk)).toMatchObject({
      ok: true,
      record: { phone: '+442079460018' },
    });
  });

  it('refuses NUL and other control characters in a cell, naming the field and the character', () => {
    expect(validateRow(['2125550101', 'A\u0000da', '', '', ''], plan)).toEqual({
      ok: false,
      reason: 'the first name has a control character (U+0000) that text cannot hold: remove it',
      phone: false,
    });
    expect(validateRow(['212555\u00000101', '', '', '', ''], plan)).toMatchObject({
      ok: false,
      phone: true,
    });
    expect(validateRow(['2125550101', '', '', '', 'go\u001bld'], plan)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('custom field "plan" has a control character (U+001B)'),
    });
    expect(validateRow(['2125550101', '', '', '', 'gold\u007f'], plan).ok).toBe(false);
    // Tabs and line breaks inside a quoted cell are text.
    expect(
      validateRow(['2125550101', 'Ada\tLovelace', '', '', 'line one\nline two'], plan).ok,
    ).toBe(true);
  });

  it('says why a row cannot be imported', () => {
    expect(validateRow(['555-12', '', '', '', ''], plan)).toEqual({
      ok: false,
      reason: 'phone "555-12" is not a valid phone number',
      phone: true,
    });
    expect(validateRow(['', 'Ada', '', '', ''], plan)).toEqual({
      ok: false,
      reason: 'no phone number',
      phone: true,
    });
    expect(validateRow(['+12125550101', '', 'ada@', '', ''], plan)).toMatchObject({
      ok: false,
      reason: 'email "ada@" is not a valid email address',
      phone: false,
    });
    expect(validateRow(['+12125550101', '', '', '+05:00', ''], plan)).toMatchObject({
      reason: 'time zone "+05:00" is not an IANA time zone (e.g. America/New_York)',
    });
    expect(validateRow(['+12125550101', 'x'.repeat(101), '', '', ''], plan)).toMatchObject({
      reason: 'the first name is longer than 100 characters',
    });
  });

  it('reads a Do Not Call row: phone and optional reason', () => {
    const dnc = planColumns(['N', 'Why'], { N: 'phone', Why: 'reason' }, 'dnc', 'US');
    expect(validateRow(['212 555 0101', ''], dnc)).toEqual({
      ok: true,
      record: { phone: '+12125550101', reason: null },
    });
  });

  it('treats a short row as blank cells', () => {
    expect(validateRow(['+12125550101'], plan)).toMatchObject({ ok: true });
  });
});

describe('duplicates and wording', () => {
  it('the first line of a phone wins; later ones point at it', () => {
    const seen = new DuplicateTracker();
    expect(seen.seen('+12125550101', 2)).toBeNull();
    expect(seen.seen('+12125550102', 3)).toBeNull();
    expect(seen.seen('+12125550101', 9)).toBe(2);
  });
  it('names the line', () => {
    expect(lineProblem(17, 'phone "555-12" is not a valid phone number')).toEqual({
      line: 17,
      reason: 'Line 17: phone "555-12" is not a valid phone number.',
    });
  });
});
