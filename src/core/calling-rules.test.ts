import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { AREA_CODES_BY_REGION, areaCodeOf, areaCodeRegions } from './area-codes.ts';
import {
  callingRules,
  intersectWeekly,
  isCallingTime,
  nextCallingTime,
  publicHolidays,
} from './calling-rules.ts';
import { type CallingWindowPolicy, WEEKDAYS } from './calling-window.ts';
import { nanpAreaCodes } from './nanp-area-codes.ts';
import { STATE_CALLING_RULES, stateCallingRule } from './state-calling-rules.ts';

const OPEN_ALL_DAY: CallingWindowPolicy = {
  weekly: Object.fromEntries(WEEKDAYS.map((d) => [d, [{ start: '00:00', end: '24:00' }]])) as never,
  closedDates: [],
};

/** A contact stated in `region`, in `zone`, under an always-open window. */
function rulesFor(region: string, zone: string, at: string, phone = '+12025550100') {
  return callingRules({
    policy: OPEN_ALL_DAY,
    zone,
    region,
    phone,
    everyZone: false,
    closedOnPublicHolidays: false,
    at: Temporal.Instant.from(at),
  });
}

/** Whether a call may start at this local wall time in the state (its zone). */
function allowedLocal(region: string, zone: string, local: string): boolean {
  const at = Temporal.PlainDateTime.from(local).toZonedDateTime(zone).toInstant();
  return isCallingTime(rulesFor(region, zone, at.toString()).constraints, at);
}

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

// One test per state row, against the statute's wording (in the contact's local time).
describe('state rules', () => {
  // 2026-03-09 is a Monday; 2026-03-14 a Saturday, 2026-03-15 a Sunday.
  it('Florida: 08:00–20:00 every day, 3 calls in 24 h (Fla. Stat. 501.616(6))', () => {
    const z = 'America/New_York';
    expect(allowedLocal('US-FL', z, '2026-03-09T07:59')).toBe(false);
    expect(allowedLocal('US-FL', z, '2026-03-09T08:00')).toBe(true);
    expect(allowedLocal('US-FL', z, '2026-03-09T19:59')).toBe(true);
    expect(allowedLocal('US-FL', z, '2026-03-09T20:00')).toBe(false);
    expect(allowedLocal('US-FL', z, '2026-03-15T10:00')).toBe(true);
    expect(stateCallingRule('US-FL')?.callLimit).toMatchObject({ max: 3, periodHours: 24 });
  });

  it('Oklahoma: 08:00–20:00 every day, 3 calls in 24 h', () => {
    const z = 'America/Chicago';
    expect(allowedLocal('US-OK', z, '2026-03-09T07:59')).toBe(false);
    expect(allowedLocal('US-OK', z, '2026-03-09T08:00')).toBe(true);
    expect(allowedLocal('US-OK', z, '2026-03-09T20:00')).toBe(false);
    expect(allowedLocal('US-OK', z, '2026-03-15T19:30')).toBe(true);
    expect(stateCallingRule('US-OK')?.callLimit).toMatchObject({ max: 3, periodHours: 24 });
  });

  it('Maryland: 08:00–20:00 every day, 3 calls or texts in 24 h', () => {
    const z = 'America/New_York';
    expect(allowedLocal('US-MD', z, '2026-03-09T08:00')).toBe(true);
    expect(allowedLocal('US-MD', z, '2026-03-09T20:00')).toBe(false);
    expect(allowedLocal('US-MD', z, '2026-03-15T12:00')).toBe(true);
    expect(stateCallingRule('US-MD')?.callLimit?.channels).toEqual(['call', 'sms']);
  });

  it('Texas: 09:00–21:00 weekdays and Saturday, 12:00–21:00 Sunday (§ 301.051)', () => {
    const z = 'America/Chicago';
    expect(allowedLocal('US-TX', z, '2026-03-09T08:59')).toBe(false);
    expect(allowedLocal('US-TX', z, '2026-03-09T09:00')).toBe(true);
    expect(allowedLocal('US-TX', z, '2026-03-14T20:59')).toBe(true);
    expect(allowedLocal('US-TX', z, '2026-03-14T21:00')).toBe(false);
    expect(allowedLocal('US-TX', z, '2026-03-15T11:59')).toBe(false);
    expect(allowedLocal('US-TX', z, '2026-03-15T12:00')).toBe(true);
  });

  it('Washington: 08:00–20:00 at the recipient’s local time (RCW 19.158.040(2))', () => {
    const z = 'America/Los_Angeles';
    expect(allowedLocal('US-WA', z, '2026-03-09T07:59')).toBe(false);
    expect(allowedLocal('US-WA', z, '2026-03-09T08:00')).toBe(true);
    expect(allowedLocal('US-WA', z, '2026-03-15T19:59')).toBe(true);
    expect(allowedLocal('US-WA', z, '2026-03-15T20:00')).toBe(false);
  });

  it('Louisiana: Monday–Saturday 08:00–20:00, no Sundays or legal holidays', () => {
    const z = 'America/Chicago';
    expect(allowedLocal('US-LA', z, '2026-03-14T08:00')).toBe(true);
    expect(allowedLocal('US-LA', z, '2026-03-14T20:00')).toBe(false);
    expect(allowedLocal('US-LA', z, '2026-03-15T12:00')).toBe(false);
    // Independence Day 2026 is a Saturday; Labor Day is Monday 7 September.
    expect(allowedLocal('US-LA', z, '2026-07-04T12:00')).toBe(false);
    expect(allowedLocal('US-LA', z, '2026-09-07T12:00')).toBe(false);
    expect(allowedLocal('US-LA', z, '2026-09-08T12:00')).toBe(true);
  });

  it('Mississippi: Monday–Saturday 08:00–20:00, no Sundays, holidays open (§ 77-3-723)', () => {
    const z = 'America/Chicago';
    expect(allowedLocal('US-MS', z, '2026-03-09T07:59')).toBe(false);
    expect(allowedLocal('US-MS', z, '2026-03-14T19:59')).toBe(true);
    expect(allowedLocal('US-MS', z, '2026-03-14T20:00')).toBe(false);
    expect(allowedLocal('US-MS', z, '2026-03-15T12:00')).toBe(false);
    expect(allowedLocal('US-MS', z, '2026-09-07T12:00')).toBe(true);
  });

  it('Alabama: Monday–Saturday 08:00–20:00, no Sundays or holidays (r. 770-X-5-.17)', () => {
    const z = 'America/Chicago';
    expect(allowedLocal('US-AL', z, '2026-03-09T08:00')).toBe(true);
    expect(allowedLocal('US-AL', z, '2026-03-09T20:00')).toBe(false);
    expect(allowedLocal('US-AL', z, '2026-03-15T12:00')).toBe(false);
    expect(publicHolidays('US', 'AL', 2026)).toContain('2026-04-27'); // Confederate Memorial Day
    expect(allowedLocal('US-AL', z, '2026-04-27T12:00')).toBe(false);
    expect(allowedLocal('US-AL', z, '2026-04-28T12:00')).toBe(true);
  });

  it('every row has a citation, a link, a source and a real or null date', () => {
    for (const rule of STATE_CALLING_RULES) {
      expect(rule.citation).not.toBe('');
      expect(rule.link).toMatch(/^https?:\/\//);
      expect(rule.source.length).toBeGreaterThan(40);
      if (rule.effectiveDate) expect(Temporal.PlainDate.from(rule.effectiveDate)).toBeTruthy();
    }
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
