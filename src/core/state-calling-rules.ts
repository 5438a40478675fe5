/**
 * State calling-hour rules, as data a workspace can review (Settings › Compliance,
 * docs/compliance.md). Each row: the state, the hours calls may be made on each weekday in the
 * called person's local time, whether legal holidays are closed, the limit on calls if any,
 * the citation, a link, the date it took effect (null when the research did not confirm one)
 * and how strong the source is.
 *
 * Researched against the statute or rule text where it could be read, else an official or
 * secondary summary (`source` says which). This is not legal advice: the rules are a reviewed
 * starting point, not a legal opinion, and the statutes have exemptions (established business
 * relationships, consent, debt collection, …) that the product does not model — it applies
 * every rule to every call and SMS, which is the strict reading.
 */
import type { TimeRange, Weekday } from './calling-window.ts';

export interface CallLimit {
  max: number;
  periodHours: number;
  /** The channels the limit counts. */
  channels: readonly ('call' | 'sms')[];
}

export interface StateCallingRule {
  /** ISO 3166-2 ('US-FL'). */
  region: string;
  state: string;
  /** When calls may be made, in the called person's local time ([] = not at all that day). */
  hours: Readonly<Record<Weekday, readonly TimeRange[]>>;
  /** The hours in words ('08:00–20:00 every day'). */
  hoursText: string;
  /** No calls on the state's legal holidays. */
  closedOnHolidays: boolean;
  callLimit: CallLimit | null;
  citation: string;
  link: string;
  /** 'YYYY-MM-DD', or null when the sources did not confirm it. */
  effectiveDate: string | null;
  /** Where the row was checked, and how strong that source is. */
  source: string;
}

const every = (start: string, end: string) => {
  const r = [{ start, end }];
  return {
    monday: r,
    tuesday: r,
    wednesday: r,
    thursday: r,
    friday: r,
    saturday: r,
    sunday: r,
  };
};

const noSunday = (start: string, end: string) => ({ ...every(start, end), sunday: [] });

export const FEDERAL_RULE = {
  hours: { start: '08:00', end: '21:00' },
  text: '08:00–21:00 at the called party’s location',
  citation: '47 CFR 64.1200(c)(1)',
  link: 'https://www.ecfr.gov/current/title-47/chapter-I/subchapter-B/part-64/subpart-L/section-64.1200',
} as const;

export const STATE_CALLING_RULES: readonly StateCallingRule[] = [
  {
    region: 'US-AL',
    state: 'Alabama',
    hours: noSunday('08:00', '20:00'),
    hoursText: 'Monday–Saturday 08:00–20:00; no calls on Sundays or holidays',
    closedOnHolidays: true,
    callLimit: null,
    citation: 'Ala. Admin. Code r. 770-X-5-.17(1)(b)',
    link: 'https://casetext.com/regulation/alabama-administrative-code/title-770-alabama-public-service-commission/chapter-770-x-5-telephone-rules/section-770-x-5-17-live-and-automated-solicitations-and-announcements',
    effectiveDate: null,
    source:
      'Rule text (Public Service Commission telephone rules): "No solicitation calls are ' +
      'allowed on Sundays or holidays. On the days that calls are allowed, none will be placed ' +
      'prior to 8 a.m. or after 8 p.m." The rule is written for automated solicitation calls. ' +
      'Effective date not confirmed.',
  },
  {
    region: 'US-FL',
    state: 'Florida',
    hours: every('08:00', '20:00'),
    hoursText: '08:00–20:00 every day',
    closedOnHolidays: false,
    callLimit: { max: 3, periodHours: 24, channels: ['call'] },
    citation: 'Fla. Stat. 501.616(6)(a)–(b)',
    link: 'http://www.leg.state.fl.us/statutes/index.cfm?App_mode=Display_Statute&URL=0500-0599/0501/Sections/0501.616.html',
    effectiveDate: '2021-07-01',
    source:
      'Statute text and the 2021 amending bill (CS/SB 1120): no commercial telephone ' +
      'solicitation call before 8 a.m. or after 8 p.m. local time at the called person’s ' +
      'location; no more than three calls to a person in 24 hours on the same subject matter. ' +
      'Effective date from the enrolled bill and a secondary summary (Nolo).',
  },
  {
    region: 'US-LA',
    state: 'Louisiana',
    hours: noSunday('08:00', '20:00'),
    hoursText: 'Monday–Saturday 08:00–20:00; no calls on Sundays or legal holidays',
    closedOnHolidays: true,
    callLimit: null,
    citation: 'La. R.S. 45:844.11 et seq.; LPSC General Order R-29617',
    link: 'https://lpsc.louisiana.gov/DNC_Emergency',
    effectiveDate: null,
    source:
      'WEAK: the hours, Sunday and holiday rule come from secondary compliance summaries that ' +
      'list Louisiana among the states closed on holidays; the statute and the Commission’s ' +
      'general order were not read; a compliance provider’s notice confirms that a legal holiday ' +
      'the governor declared (3 July 2023) banned sales calls. The Commission also forbids ' +
      'solicitation during a declared ' +
      'state of emergency, which the product does not track. Effective date not confirmed.',
  },
  {
    region: 'US-MD',
    state: 'Maryland',
    hours: every('08:00', '20:00'),
    hoursText: '08:00–20:00 every day',
    closedOnHolidays: false,
    callLimit: { max: 3, periodHours: 24, channels: ['call', 'sms'] },
    citation: 'Md. Code, Com. Law § 14-4503 (Stop the Spam Calls Act of 2023)',
    link: 'https://mgaleg.maryland.gov/mgawebsite/Laws/StatuteText?article=gcl&section=14-4503',
    effectiveDate: '2024-01-01',
    source:
      'Secondary summaries of the Act (SB 90, 2023): calls only 8 a.m.–8 p.m. in the called ' +
      'party’s time zone; at most three calls or text messages in 24 hours on the same subject. ' +
      'Effective 1 January 2024 (DataGuidance; one summary says 2023, the Act says 2024). The ' +
      'section number was not read in the statute text: a research copy of § 14-4502 holds the ' +
      'Act’s prohibitions (consent for automated calls), so the hours and the limit may sit there.',
  },
  {
    region: 'US-MS',
    state: 'Mississippi',
    hours: noSunday('08:00', '20:00'),
    hoursText: 'Monday–Saturday 08:00–20:00; no calls on Sundays',
    closedOnHolidays: false,
    callLimit: null,
    citation: 'Miss. Code Ann. § 77-3-723(1)',
    link: 'https://www.psc.state.ms.us/nocall/nocall.html',
    effectiveDate: '2003-07-01',
    source:
      'Statute text: calls "only between the hours of 8:00 a.m. and 8:00 p.m. Central Standard ' +
      'Time. No telephone solicitations may be made on a Sunday." Applied in the contact’s ' +
      'local time (Mississippi is on Central time). The former holiday ban was a Commission ' +
      'rule repealed in 2023. Effective date of the Act from the Commission’s page.',
  },
  {
    region: 'US-OK',
    state: 'Oklahoma',
    hours: every('08:00', '20:00'),
    hoursText: '08:00–20:00 every day',
    closedOnHolidays: false,
    callLimit: { max: 3, periodHours: 24, channels: ['call'] },
    citation: 'Okla. Stat. tit. 15, § 775C.4 (Telephone Solicitation Act of 2022)',
    link: 'https://www.nolo.com/legal-encyclopedia/oklahoma-restrictions-on-telemarketers.html',
    effectiveDate: '2022-11-01',
    source:
      'Secondary summaries of the Act (HB 3168, 2022): calls only 8:00 a.m.–8:00 p.m.; at most ' +
      'three calls in 24 hours on the same subject. Effective 1 November 2022. The section ' +
      'text itself was not read; the link is a secondary summary.',
  },
  {
    region: 'US-TX',
    state: 'Texas',
    hours: {
      ...every('09:00', '21:00'),
      sunday: [{ start: '12:00', end: '21:00' }],
    },
    hoursText: 'Monday–Saturday 09:00–21:00; Sunday 12:00–21:00',
    closedOnHolidays: false,
    callLimit: null,
    citation: 'Tex. Bus. & Com. Code § 301.051',
    link: 'https://statutes.capitol.texas.gov/Docs/BC/htm/BC.301.htm#301.051',
    effectiveDate: '2009-04-01',
    source:
      'Statute summary: no telephone solicitation before 9 a.m. or after 9 p.m. on a weekday ' +
      'or Saturday, or before noon or after 9 p.m. on a Sunday. The section text was not ' +
      'read in full; the date is that of the recodification (Acts 2007, 80th Leg., ch. 885), ' +
      'confirmed for its sibling sections.',
  },
  {
    region: 'US-WA',
    state: 'Washington',
    hours: every('08:00', '20:00'),
    hoursText: '08:00–20:00 every day',
    closedOnHolidays: false,
    callLimit: null,
    citation: 'RCW 19.158.040(2)',
    link: 'https://app.leg.wa.gov/RCW/default.aspx?cite=19.158.040',
    effectiveDate: null,
    source:
      'Statute text: "A commercial telephone solicitor shall not place calls to any person ' +
      'which will be received before 8:00 a.m. or after 8:00 p.m. at the call recipient’s ' +
      'local time." Effective date not confirmed.',
  },
];

const byRegion = new Map(STATE_CALLING_RULES.map((r) => [r.region, r]));

/** The rule of a state ('US-FL'), or undefined when the table has none. */
export function stateCallingRule(region: string): StateCallingRule | undefined {
  return byRegion.get(region);
}
