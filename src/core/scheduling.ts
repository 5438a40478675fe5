/**
 * When would a follow-up run (SPEC §3)? One computation for the schedule dialog's live hint
 * (the preview) and for the engine's placement of due follow-ups. Pure: no I/O.
 */
import { Temporal } from 'temporal-polyfill';
import {
  type AppliedRule,
  type CallingRules,
  type Constraint,
  callingRules,
  isCallingTime,
  nextCallingTime,
  type WindowCalendar,
} from './calling-rules.ts';
import type { CallingWindowPolicy } from './calling-window.ts';
import type { FollowUpType } from './follow-up.ts';
import { localIsoString } from './local-time.ts';
import { resolveTimeZone } from './time-zone.ts';

export type { WindowCalendar } from './calling-rules.ts';

export type NotRunningReason = 'do_not_call' | 'expires_first' | 'no_window';

export interface RunAtInput {
  /**
   * Where it may run: the calling window (the campaign's when it has one, else the
   * workspace's) with the state rules, holidays and zones of the contact (contactRules).
   */
  constraints: readonly Constraint[];
  type: FollowUpType;
  /** The instant it may run from: scheduledAt (the engine passes the time it looks from). */
  scheduledAt: Temporal.Instant;
  allowOutOfWindow: boolean;
  /** It cannot start at or after this instant. */
  expiresAt: Temporal.Instant;
  doNotCall: boolean;
}

export interface RunAt {
  /** Whether scheduledAt is calling time (window, 08:00–21:00, state rules, every zone). */
  insideWindow: boolean;
  /** The first instant it may start (capacity aside), or null when it cannot run. */
  runsAt: Temporal.Instant | null;
  notRunningBecause: NotRunningReason | null;
}

/**
 * SPEC §3: calls and SMS wait for the calling time unless the customer asked otherwise
 * (allowOutOfWindow, which lifts the hour rules, state rules included); webhooks run at their
 * time. Do Not Call stops calls and SMS whatever the override says. A start at or after the
 * expiry means it will not run.
 */
export function computeRunAt(input: RunAtInput, calendar?: WindowCalendar): RunAt {
  const { constraints, type, scheduledAt, expiresAt } = input;
  const insideWindow = isCallingTime(constraints, scheduledAt, calendar);
  const windowed = type !== 'webhook';
  if (windowed && input.doNotCall) {
    return { insideWindow, runsAt: null, notRunningBecause: 'do_not_call' };
  }
  const runsAt =
    !windowed || input.allowOutOfWindow || insideWindow
      ? scheduledAt
      : nextCallingTime(constraints, scheduledAt, calendar);
  if (!runsAt) return { insideWindow, runsAt: null, notRunningBecause: 'no_window' };
  if (Temporal.Instant.compare(runsAt, expiresAt) >= 0) {
    return { insideWindow, runsAt: null, notRunningBecause: 'expires_first' };
  }
  return { insideWindow, runsAt, notRunningBecause: null };
}

/** The calling rules of a contact under a window, looked at from `at`. */
export function contactRules(input: {
  policy: CallingWindowPolicy;
  zone: string;
  contact: { region: string | null; phone: string | null };
  settings: { everyZone: boolean; closedOnPublicHolidays: boolean };
  at: Date | Temporal.Instant;
}): CallingRules {
  return callingRules({
    policy: input.policy,
    zone: input.zone,
    region: input.contact.region,
    phone: input.contact.phone,
    everyZone: input.settings.everyZone,
    closedOnPublicHolidays: input.settings.closedOnPublicHolidays,
    at: input.at instanceof Date ? toInstant(input.at) : input.at,
  });
}

/** The rules to show with a result: the override says what it lifted. */
export function rulesWithOverride(
  rules: readonly AppliedRule[],
  type: FollowUpType,
  allowOutOfWindow: boolean,
): AppliedRule[] {
  if (type === 'webhook') return [];
  if (!allowOutOfWindow) return [...rules];
  const lifted = rules.filter((r) => r.code !== 'frequency_cap');
  return [
    {
      code: 'override',
      message:
        'The customer asked for this time: the calling window and the hour rules are lifted ' +
        `(${lifted.map((r) => r.message.split(':')[0]).join(', ')})`,
      source: null,
    },
    ...rules.filter((r) => r.code === 'frequency_cap'),
  ];
}

/**
 * What the customer override lifts, to record on the event that plans the follow-up: every hour
 * rule (federal, state hours and holidays, public holidays, every zone) — never a frequency cap.
 * [] when the override is off or for a webhook (no window applies to it).
 */
export function liftedByOverride(
  rules: readonly AppliedRule[],
  type: FollowUpType,
  allowOutOfWindow: boolean,
): AppliedRule[] {
  if (type === 'webhook' || !allowOutOfWindow) return [];
  return rules.filter((r) => r.code !== 'frequency_cap' && r.code !== 'override');
}

export const toInstant = (date: Date) => Temporal.Instant.fromEpochMilliseconds(date.getTime());
export const fromInstant = (instant: Temporal.Instant) => new Date(instant.epochMilliseconds);

/** An instant as ISO 8601 in `zone`, with that zone's offset ('2026-03-07T10:00:00-05:00'). */
export function localIso(at: Date | Temporal.Instant, zone: string): string {
  return localIsoString(at instanceof Date ? at.getTime() : at.epochMilliseconds, zone);
}

/** The contact's time zone (contact, else phone, else workspace). */
export function contactZone(
  contact: { timezone: string | null; phone: string | null },
  workspaceTimezone: string,
) {
  return resolveTimeZone({
    contactTimezone: contact.timezone,
    phone: contact.phone,
    workspaceTimezone,
  });
}
