import { describe, expect, it } from 'vitest';
import { NANP_AREA_CODES_BY_ZONE, nanpAreaCodes, nanpAreaCodeTimeZone } from './nanp-area-codes.ts';
import {
  canonicalZone,
  countryOfZone,
  isValidTimeZone,
  normalizePhone,
  resolveTimeZone,
  timeZoneFromPhone,
  workspaceCountry,
} from './time-zone.ts';

describe('isValidTimeZone', () => {
  it('accepts IANA names', () => {
    for (const zone of ['America/New_York', 'Europe/London', 'Asia/Kathmandu', 'UTC']) {
      expect(isValidTimeZone(zone)).toBe(true);
    }
    expect(isValidTimeZone('Etc/GMT+5')).toBe(true);
  });

  it('rejects unknown names, empty strings and bare offsets', () => {
    for (const zone of ['Mars/Base', '', ' ', 'America/New_York ', '+05:00', '-0500', 'Z']) {
      expect(isValidTimeZone(zone)).toBe(false);
    }
    expect(isValidTimeZone(undefined as unknown as string)).toBe(false);
  });
});

describe('timeZoneFromPhone', () => {
  it.each([
    ['+12125550100', 'America/New_York'],
    ['+14155550100', 'America/Los_Angeles'],
    ['+13125550100', 'America/Chicago'],
    ['+13035550100', 'America/Denver'],
    ['+16025550100', 'America/Phoenix'],
    ['+14165550100', 'America/Toronto'],
    ['+16045550100', 'America/Vancouver'],
    ['+19075550100', 'America/Anchorage'],
    ['+18085550100', 'Pacific/Honolulu'],
    ['+18505550100', 'America/Chicago'], // Florida panhandle: mostly Central
    ['+18765550100', 'America/Jamaica'], // NANP country: by country
    ['+442079460958', 'Europe/London'],
    ['+33142685300', 'Europe/Paris'],
    ['+919876543210', 'Asia/Kolkata'],
    ['+81312345678', 'Asia/Tokyo'],
    ['+9779841234567', 'Asia/Kathmandu'],
    ['+4930901820', 'Europe/Berlin'], // Berlin and Büsingen (Zurich) keep the same time
  ])('%s → %s', (phone, zone) => {
    expect(timeZoneFromPhone(phone)).toBe(zone);
  });

  it.each([
    ['+61291234567', 'Australia: several zones'],
    ['+5511987654321', 'Brazil: several zones'],
    ['+18005550100', 'US toll-free'],
    ['+18885550100', 'US toll-free'],
    ['+15005550100', 'NANP personal communications'],
    ['not a phone', 'garbage'],
    ['', 'empty'],
  ])('%s → null (%s)', (phone) => {
    expect(timeZoneFromPhone(phone)).toBeNull();
  });
});

describe('resolveTimeZone', () => {
  const workspaceTimezone = 'Europe/Berlin';

  it("uses the contact's own zone first", () => {
    expect(
      resolveTimeZone({
        contactTimezone: 'Asia/Tokyo',
        phone: '+442079460958',
        workspaceTimezone,
      }),
    ).toEqual({ timezone: 'Asia/Tokyo', source: 'contact' });
  });

  it("spells the contact's zone the canonical way", () => {
    expect(
      resolveTimeZone({ contactTimezone: 'america/new_york', phone: null, workspaceTimezone }),
    ).toEqual({ timezone: 'America/New_York', source: 'contact' });
  });

  it.each([
    ['+44 20 7946 0958', 'Europe/London'],
    ['+12125550100', 'America/New_York'],
    ['+14155550123', 'America/Los_Angeles'],
    ['+13125550123', 'America/Chicago'],
    ['+13035550123', 'America/Denver'],
    ['+16025550123', 'America/Phoenix'],
    ['+14165550123', 'America/Toronto'],
    ['+919876543210', 'Asia/Kolkata'],
    ['+9779841234567', 'Asia/Kathmandu'],
  ])('infers %s → %s from the phone', (phone, timezone) => {
    expect(resolveTimeZone({ contactTimezone: null, phone, workspaceTimezone })).toEqual({
      timezone,
      source: 'phone',
    });
  });

  it('falls back to the workspace for multi-zone countries and missing phones', () => {
    expect(
      resolveTimeZone({ contactTimezone: null, phone: '+61291234567', workspaceTimezone }),
    ).toEqual({ timezone: workspaceTimezone, source: 'workspace' });
    expect(resolveTimeZone({ contactTimezone: undefined, phone: null, workspaceTimezone })).toEqual(
      { timezone: workspaceTimezone, source: 'workspace' },
    );
    expect(resolveTimeZone({ contactTimezone: '', phone: '', workspaceTimezone })).toEqual({
      timezone: workspaceTimezone,
      source: 'workspace',
    });
  });

  it('skips an invalid contact zone', () => {
    expect(
      resolveTimeZone({ contactTimezone: 'Mars/Base', phone: '+442079460958', workspaceTimezone }),
    ).toEqual({ timezone: 'Europe/London', source: 'phone' });
    expect(resolveTimeZone({ contactTimezone: '+02:00', phone: null, workspaceTimezone })).toEqual({
      timezone: workspaceTimezone,
      source: 'workspace',
    });
  });
});

describe('normalizePhone', () => {
  it('returns E.164', () => {
    expect(normalizePhone('(212) 555-0100', 'US')).toBe('+12125550100');
    expect(normalizePhone('212.555.0100', 'us')).toBe('+12125550100');
    expect(normalizePhone('+44 20 7946 0958')).toBe('+442079460958');
    expect(normalizePhone('020 7946 0958', 'GB')).toBe('+442079460958');
    expect(normalizePhone('  +1 (212) 555-0100  ')).toBe('+12125550100');
  });

  it('returns null for anything that is not a valid number', () => {
    expect(normalizePhone('garbage', 'US')).toBeNull();
    expect(normalizePhone('')).toBeNull();
    expect(normalizePhone('12', 'US')).toBeNull();
    expect(normalizePhone('+1 212 555')).toBeNull();
    expect(normalizePhone('2125550100')).toBeNull(); // no country to read it in
    expect(normalizePhone('2125550100', 'XX')).toBeNull();
    expect(normalizePhone('call me at 212-555-0100', 'US')).toBeNull();
  });
});

describe('the NANP area code table', () => {
  it('lists each area code once, as three digits, under a valid zone', () => {
    let count = 0;
    for (const [zone, codes] of Object.entries(NANP_AREA_CODES_BY_ZONE)) {
      expect(isValidTimeZone(zone), zone).toBe(true);
      for (const code of codes.split(' ')) {
        expect(code).toMatch(/^[2-9]\d\d$/);
        count++;
      }
    }
    expect(nanpAreaCodes().size).toBe(count);
  });

  it('leaves out non-geographic codes', () => {
    for (const code of ['500', '533', '600', '700', '800', '833', '844', '855', '866', '877']) {
      expect(nanpAreaCodeTimeZone(code)).toBeNull();
    }
    expect(nanpAreaCodeTimeZone('888')).toBeNull();
    expect(nanpAreaCodeTimeZone('900')).toBeNull();
  });

  it('maps split and overlay codes to the zone of most of their people', () => {
    expect(nanpAreaCodeTimeZone('212')).toBe('America/New_York');
    expect(nanpAreaCodeTimeZone('332')).toBe('America/New_York');
    expect(nanpAreaCodeTimeZone('915')).toBe('America/Denver'); // El Paso
    expect(nanpAreaCodeTimeZone('219')).toBe('America/Chicago'); // Gary, Indiana
    expect(nanpAreaCodeTimeZone('317')).toBe('America/Indiana/Indianapolis');
    expect(nanpAreaCodeTimeZone('313')).toBe('America/Detroit');
    expect(nanpAreaCodeTimeZone('208')).toBe('America/Boise');
    expect(nanpAreaCodeTimeZone('306')).toBe('America/Regina');
    expect(nanpAreaCodeTimeZone('709')).toBe('America/St_Johns');
    expect(nanpAreaCodeTimeZone('902')).toBe('America/Halifax');
    expect(nanpAreaCodeTimeZone('514')).toBe('America/Toronto');
  });
});

describe('canonicalZone', () => {
  it('spells a valid zone name as Temporal does and keeps anything else as given', () => {
    expect(canonicalZone('europe/london')).toBe('Europe/London');
    expect(canonicalZone('AMERICA/NEW_YORK')).toBe('America/New_York');
    expect(canonicalZone('Asia/Kathmandu')).toBe('Asia/Kathmandu');
    expect(canonicalZone('Mars/Base')).toBe('Mars/Base');
  });
});

describe('workspaceCountry', () => {
  it("is the country of the workspace's time zone, else the US", () => {
    expect(workspaceCountry('Europe/London')).toBe('GB');
    expect(workspaceCountry('America/Toronto')).toBe('CA');
    expect(workspaceCountry('UTC')).toBe('US');
    expect(countryOfZone('UTC')).toBeUndefined();
    expect(countryOfZone('Europe/Paris')).toBe('FR');
  });
});
