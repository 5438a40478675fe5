import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { AREA_CODES_BY_REGION, areaCodeOf, areaCodeRegions } from './area-codes.ts';
import { callingRules, intersectWeekly, isCallingTime, nextCallingTime } from './calling-rules.ts';
import { type CallingWindowPolicy, WEEKDAYS } from './calling-window.ts';
import { nanpAreaCodes } from './nanp-area-codes.ts';

const OPEN_ALL_DAY: CallingWindowPolicy = {
  weekly: Object.fromEntries(WEEKDAYS.map((d) => [d, [{ start: '00:00', end: '24:00' }]])) as never,
  closedDates: [],
};

describe('area codes', () => {
  it('names a region for every area code that has a zone, and a zone for every region code', () => {
    const zones = nanpAreaCodes();
    const regions = areaCodeRegions();
    expect([...zones.keys()].filter((c) => !regions.has(c))).toEqual([]);
    expect([...regions.keys()].filter((c) => !zones.has(c))).toEqual([]);
  });

  it('lists each code once', () => {
    const all = Object.values(AREA_CODES_BY_REGION).flatMap((c) => c.split(' '));
    expect(all.length).toBe(new Set(all).size);
  });

  it('reads the area code of a +1 number', () => {
    expect(areaCodeOf('+13055550100')).toEqual({
      areaCode: '305',
      region: 'US-FL',
      zone: 'America/New_York',
    });
    expect(areaCodeOf('+18505550100')).toMatchObject({ region: 'US-FL', zone: 'America/Chicago' });
    expect(areaCodeOf('+18005550100')).toMatchObject({ region: null, zone: null });
    expect(areaCodeOf('+442079460018')).toBeNull();
  });
});

describe('intersectWeekly', () => {
  it('keeps what both allow, across midnight and from Sunday into Monday', () => {
    const a = Object.fromEntries(WEEKDAYS.map((d) => [d, []])) as never as Record<
      (typeof WEEKDAYS)[number],
      { start: string; end: string }[]
    >;
    a.sunday = [{ start: '22:00', end: '10:00' }];
    a.monday = [{ start: '12:00', end: '18:00' }];
    const b = { ...a, sunday: [], monday: [{ start: '09:00', end: '13:00' }] };
    const out = intersectWeekly(a, b);
    expect(out.monday).toEqual([
      { start: '09:00', end: '10:00' },
      { start: '12:00', end: '13:00' },
    ]);
    expect(out.sunday).toEqual([]);
  });
});

describe('callingRules', () => {
  it('applies the rules of the stated region and of the area code: the strictest wins', () => {
    // Stated Texas, phone in Florida (305): 09:00–20:00 on weekdays, 12:00–20:00 Sunday.
    const at = Temporal.Instant.from('2026-03-15T14:00:00Z'); // Sunday 10:00 EDT
    const rules = callingRules({
      policy: OPEN_ALL_DAY,
      zone: 'America/New_York',
      region: 'US-TX',
      phone: '+13055550100',
      everyZone: false,
      closedOnPublicHolidays: false,
      at,
    });
    expect(rules.regions).toEqual(['US-TX', 'US-FL']);
    expect(rules.rules.map((r) => r.message)).toEqual([
      'Federal: 08:00–21:00 at the called party’s location',
      expect.stringContaining('Texas: Monday–Saturday 09:00–21:00; Sunday 12:00–21:00'),
      expect.stringMatching(/^Florida: 08:00–20:00 every day .*area code 305$/),
    ]);
    expect(nextCallingTime(rules.constraints, at)?.toString()).toBe('2026-03-15T16:00:00Z');
  });

  it('with everyZone, waits until it is calling time in the area code’s zone too', () => {
    // Contact in New York, phone from Los Angeles (213): 08:00 in LA is 11:00 in New York.
    const at = Temporal.Instant.from('2026-03-09T13:00:00Z'); // Mon 09:00 EDT, 06:00 PDT
    const input = {
      policy: OPEN_ALL_DAY,
      zone: 'America/New_York',
      region: null,
      phone: '+12135550100',
      everyZone: true,
      closedOnPublicHolidays: false,
      at,
    };
    const rules = callingRules(input);
    expect(rules.rules.at(-1)?.message).toBe(
      'Also calling time in the area code’s zone America/Los_Angeles',
    );
    expect(nextCallingTime(rules.constraints, at)?.toString()).toBe('2026-03-09T15:00:00Z');
    const one = callingRules({ ...input, everyZone: false });
    expect(nextCallingTime(one.constraints, at)?.toString()).toBe(at.toString());
  });

  it('closes on public holidays of the contact’s region when asked', () => {
    const at = Temporal.Instant.from('2026-12-25T15:00:00Z');
    const rules = callingRules({
      policy: OPEN_ALL_DAY,
      zone: 'America/Toronto',
      region: 'CA-ON',
      phone: null,
      everyZone: false,
      closedOnPublicHolidays: true,
      at,
    });
    expect(isCallingTime(rules.constraints, at)).toBe(false);
    // 26 December is Boxing Day in Ontario: open again on the 27th at 08:00 (the federal bound).
    expect(nextCallingTime(rules.constraints, at)?.toString()).toBe('2026-12-27T13:00:00Z');
  });
});
