/**
 * One test per row of the state table, against the wording of the statute or rule it cites
 * (quoted in each test): the hours on every weekday, Sunday, legal holidays and the limit on
 * calls, in the called person's local time under an always-open window. A row that the wording
 * contradicts fails here. Not legal advice: docs/compliance.md says how strong each source is.
 */
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { callingRules, isCallingTime, publicHolidays } from './calling-rules.ts';
import { type CallingWindowPolicy, WEEKDAYS, type Weekday } from './calling-window.ts';
import { STATE_CALLING_RULES, stateCallingRule } from './state-calling-rules.ts';

const OPEN_ALL_DAY: CallingWindowPolicy = {
  weekly: Object.fromEntries(WEEKDAYS.map((d) => [d, [{ start: '00:00', end: '24:00' }]])) as never,
  closedDates: [],
};

/** Whether a call may start at this local wall time for a contact stated in `region`. */
function allowed(region: string, zone: string, local: string): boolean {
  const at = Temporal.PlainDateTime.from(local).toZonedDateTime(zone).toInstant();
  const rules = callingRules({
    policy: OPEN_ALL_DAY,
    zone,
    region,
    phone: '+12025550100', // Washington, DC: no state rule of its own
    everyZone: false,
    closedOnPublicHolidays: false,
    at,
  });
  return isCallingTime(rules.constraints, at);
}

// A week without a federal or state holiday: Monday 9 March 2026 to Sunday 15 March.
const WEEK: Record<Weekday, string> = {
  monday: '2026-03-09',
  tuesday: '2026-03-10',
  wednesday: '2026-03-11',
  thursday: '2026-03-12',
  friday: '2026-03-13',
  saturday: '2026-03-14',
  sunday: '2026-03-15',
};

const minuteBefore = (hhmm: string) => {
  const t = Temporal.PlainTime.from(hhmm).subtract({ minutes: 1 });
  return t.toString().slice(0, 5);
};

/**
 * Calls may start from `start` and not at or after `end` on each of `days`, and (unless
 * `othersClosed` is false) not at all on the other days of the week (checked at the edges and
 * at noon).
 */
function expectHours(
  region: string,
  zone: string,
  days: readonly Weekday[],
  start: string,
  end: string,
  othersClosed = true,
) {
  for (const day of WEEKDAYS) {
    const date = WEEK[day];
    const at = (hhmm: string) => allowed(region, zone, `${date}T${hhmm}`);
    if (days.includes(day)) {
      expect(at(minuteBefore(start)), `${region} ${day} before ${start}`).toBe(false);
      expect(at(start), `${region} ${day} at ${start}`).toBe(true);
      expect(at(minuteBefore(end)), `${region} ${day} before ${end}`).toBe(true);
      expect(at(end), `${region} ${day} at ${end}`).toBe(false);
    } else if (othersClosed) {
      expect(at('12:00'), `${region} ${day} noon`).toBe(false);
    }
  }
}

const MON_SAT: Weekday[] = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const tested = new Set<string>();

describe('state rules, against the wording of their statutes', () => {
  it('Florida — Fla. Stat. 501.616(6)(a): no call "before 8 a.m. or after 8 p.m. local time at the called person’s location"; (6)(b): not "more than three … calls … to a person over a 24-hour period on the same subject matter"', () => {
    tested.add('US-FL');
    // Every day of the week alike: the statute names no day and no holiday.
    expectHours('US-FL', 'America/New_York', WEEKDAYS, '08:00', '20:00');
    expect(allowed('US-FL', 'America/New_York', '2026-09-07T12:00')).toBe(true); // Labor Day
    expect(stateCallingRule('US-FL')).toMatchObject({
      closedOnHolidays: false,
      callLimit: { max: 3, periodHours: 24, channels: ['call'] },
      effectiveDate: '2021-07-01',
    });
  });

  it('Oklahoma — Telephone Solicitation Act of 2022 (summaries of 15 O.S. § 775C.4): calls only "8:00 a.m. … 8:00 p.m." local time, "no more than three calls per 24-hour period on the same subject matter or issue"', () => {
    tested.add('US-OK');
    expectHours('US-OK', 'America/Chicago', WEEKDAYS, '08:00', '20:00');
    expect(allowed('US-OK', 'America/Chicago', '2026-09-07T12:00')).toBe(true);
    expect(stateCallingRule('US-OK')).toMatchObject({
      closedOnHolidays: false,
      callLimit: { max: 3, periodHours: 24, channels: ['call'] },
      effectiveDate: '2022-11-01',
    });
  });

  it('Maryland — Stop the Spam Calls Act of 2023 (summaries): calls only "between 8:00am and 8:00pm in the called party’s time zone", "three calls or text messages per 24 hours about the same subject"', () => {
    tested.add('US-MD');
    expectHours('US-MD', 'America/New_York', WEEKDAYS, '08:00', '20:00');
    expect(allowed('US-MD', 'America/New_York', '2026-09-07T12:00')).toBe(true);
    // Text messages count with the calls.
    expect(stateCallingRule('US-MD')).toMatchObject({
      closedOnHolidays: false,
      callLimit: { max: 3, periodHours: 24, channels: ['call', 'sms'] },
      effectiveDate: '2024-01-01',
    });
  });

  it('Texas — Tex. Bus. & Com. Code § 301.051 (summaries): no telephone solicitation "9am-9pm weekdays/Saturday, noon-9pm Sunday" outside those hours', () => {
    tested.add('US-TX');
    expectHours('US-TX', 'America/Chicago', MON_SAT, '09:00', '21:00', false);
    expect(allowed('US-TX', 'America/Chicago', `${WEEK.sunday}T11:59`)).toBe(false);
    expect(allowed('US-TX', 'America/Chicago', `${WEEK.sunday}T12:00`)).toBe(true);
    expect(allowed('US-TX', 'America/Chicago', `${WEEK.sunday}T20:59`)).toBe(true);
    expect(allowed('US-TX', 'America/Chicago', `${WEEK.sunday}T21:00`)).toBe(false);
    expect(stateCallingRule('US-TX')).toMatchObject({ closedOnHolidays: false, callLimit: null });
  });

  it('Washington — RCW 19.158.040(2): no calls "which will be received before 8:00 a.m. or after 8:00 p.m. at the call recipient’s local time"', () => {
    tested.add('US-WA');
    expectHours('US-WA', 'America/Los_Angeles', WEEKDAYS, '08:00', '20:00');
    expect(allowed('US-WA', 'America/Los_Angeles', '2026-09-07T12:00')).toBe(true);
    expect(stateCallingRule('US-WA')).toMatchObject({ closedOnHolidays: false, callLimit: null });
  });

  it('Mississippi — Miss. Code Ann. § 77-3-723(1): calls "may only be made between the hours of 8:00 a.m. and 8:00 p.m."; "No telephone solicitations may be made on a Sunday"; the holiday ban was a Commission rule, repealed', () => {
    tested.add('US-MS');
    expectHours('US-MS', 'America/Chicago', MON_SAT, '08:00', '20:00');
    // Holidays are not closed: Labor Day (Monday 7 September 2026) is an ordinary Monday.
    expect(allowed('US-MS', 'America/Chicago', '2026-09-07T12:00')).toBe(true);
    expect(stateCallingRule('US-MS')).toMatchObject({ closedOnHolidays: false, callLimit: null });
  });

  it('Louisiana — LPSC General Order R-29617 (secondary summaries; weak): Monday–Saturday 08:00–20:00, no calls on Sundays or the state’s legal holidays', () => {
    tested.add('US-LA');
    expectHours('US-LA', 'America/Chicago', MON_SAT, '08:00', '20:00');
    // Independence Day 2026 is a Saturday (a calling day otherwise); Labor Day a Monday.
    expect(allowed('US-LA', 'America/Chicago', '2026-07-04T12:00')).toBe(false);
    expect(allowed('US-LA', 'America/Chicago', '2026-09-07T12:00')).toBe(false);
    expect(allowed('US-LA', 'America/Chicago', '2026-09-08T12:00')).toBe(true);
    expect(stateCallingRule('US-LA')).toMatchObject({ closedOnHolidays: true, callLimit: null });
  });

  it('Alabama — Ala. Admin. Code r. 770-X-5-.17(1)(b): "No solicitation calls are allowed on Sundays or holidays. On the days that calls are allowed, none will be placed prior to 8 a.m. or after 8 p.m."', () => {
    tested.add('US-AL');
    expectHours('US-AL', 'America/Chicago', MON_SAT, '08:00', '20:00');
    // A state holiday (Confederate Memorial Day, Monday 27 April 2026) and a federal one.
    expect(publicHolidays('US', 'AL', 2026)).toContain('2026-04-27');
    expect(allowed('US-AL', 'America/Chicago', '2026-04-27T12:00')).toBe(false);
    expect(allowed('US-AL', 'America/Chicago', '2026-07-04T12:00')).toBe(false);
    expect(allowed('US-AL', 'America/Chicago', '2026-04-28T12:00')).toBe(true);
    expect(stateCallingRule('US-AL')).toMatchObject({ closedOnHolidays: true, callLimit: null });
  });

  it('has a test above for every row of the table', () => {
    expect([...tested].sort()).toEqual(STATE_CALLING_RULES.map((r) => r.region).sort());
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
