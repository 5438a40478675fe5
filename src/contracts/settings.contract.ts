/**
 * Workspace settings (SPEC §1, §2.4, §3, §6): time zone, calling window, retry schedule,
 * default expiry, default agent and outcome rules. The shapes of a calling window and of an
 * outcome rule are shared with campaigns.
 */
import { z } from 'zod';
import { type CallingWindowPolicy, validatePolicy, WEEKDAYS } from '../core/calling-window.ts';
import { FOLLOW_UP_TYPES, PRIORITIES } from '../core/follow-up.ts';
import { CAP_CHANNELS, CAP_LIMITS } from '../core/frequency-caps.ts';
import { CALL_OUTCOMES } from '../core/results.ts';
import { validateRetrySchedule } from '../core/retry.ts';
import { isValidTimeZone } from '../core/time-zone.ts';
import { Id, InstantOut, Summary } from './common.ts';

export const TimeZoneName = z
  .string()
  .trim()
  .max(64, 'Not a known IANA time zone.')
  .refine(isValidTimeZone, 'Not a known IANA time zone, e.g. America/New_York or Europe/London.');

// Calling windows.

const TimeRangeSchema = z.object({
  start: z.string().describe("Local 'HH:MM'"),
  end: z.string().describe("Local 'HH:MM' (may be '24:00'; end <= start crosses midnight)"),
});

/** A calling window as the server sends it. */
export const CallingWindowSchema = z.object({
  weekly: z.object(
    Object.fromEntries(WEEKDAYS.map((day) => [day, z.array(TimeRangeSchema)])) as Record<
      (typeof WEEKDAYS)[number],
      z.ZodArray<typeof TimeRangeSchema>
    >,
  ),
  closedDates: z.array(z.string()).describe("Local dates 'YYYY-MM-DD' with no calling"),
});

/** 'weekly.monday[0].start' → ['weekly', 'monday', 0, 'start'], as zod spells paths. */
function pathSegments(path: string): (string | number)[] {
  return path
    .split(/\.|\[(\d+)\]/)
    .filter((part) => part !== undefined && part !== '')
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/**
 * A calling window as a client sends it: the structure is checked here loosely, so that
 * core's validatePolicy can say what is wrong in words (missing days, bad times, overlaps).
 */
export const CallingWindowInput = z
  .strictObject({
    weekly: z.record(z.string(), z.array(z.strictObject({ start: z.string(), end: z.string() }))),
    closedDates: z.array(z.string()).max(1000, 'List at most 1000 closed dates.'),
  })
  .superRefine((policy, ctx) => {
    for (const problem of validatePolicy(policy as CallingWindowPolicy)) {
      ctx.addIssue({ code: 'custom', message: problem.message, path: pathSegments(problem.path) });
    }
  });

// Retry schedule.

export const RetryScheduleInput = z
  .array(z.number({ message: 'Give each delay as a number of minutes.' }))
  .superRefine((schedule, ctx) => {
    for (const message of validateRetrySchedule(schedule))
      ctx.addIssue({ code: 'custom', message });
  });

// Outcome rules.

export const OutcomeRuleSchema = z.object({
  outcome: z.enum(CALL_OUTCOMES),
  type: z.enum(FOLLOW_UP_TYPES),
  delayMinutes: z
    .number()
    .int()
    .nullable()
    .describe('Minutes after the call; null = at the time the customer asked for'),
  maxAttempts: z.number().int(),
  priority: z.enum(PRIORITIES),
});

const OutcomeRuleInput = z.strictObject({
  outcome: z.enum(CALL_OUTCOMES, { message: `Choose one of: ${CALL_OUTCOMES.join(', ')}.` }),
  type: z.enum(FOLLOW_UP_TYPES, { message: `Choose one of: ${FOLLOW_UP_TYPES.join(', ')}.` }),
  delayMinutes: z
    .number({ message: 'Give the delay in minutes, or null for the requested time.' })
    .int('Give a whole number of minutes.')
    .min(0, 'The delay cannot be negative.')
    .max(525_600, 'The delay can be at most 365 days (525600 minutes).')
    .nullable(),
  maxAttempts: z
    .number({ message: 'Give a whole number from 1 to 10.' })
    .int('Give a whole number from 1 to 10.')
    .min(1, 'Give a whole number from 1 to 10.')
    .max(10, 'Give a whole number from 1 to 10.'),
  priority: z.enum(PRIORITIES, { message: `Choose one of: ${PRIORITIES.join(', ')}.` }),
});

export const OutcomeRulesInput = z
  .array(OutcomeRuleInput)
  .max(50, 'Give at most 50 outcome rules.')
  .superRefine((rules, ctx) => {
    const seen = new Set<string>();
    rules.forEach((rule, i) => {
      if (rule.delayMinutes === null && rule.outcome !== 'callback_requested') {
        ctx.addIssue({
          code: 'custom',
          path: [i, 'delayMinutes'],
          message: 'Only a callback_requested rule can wait for the requested time; give minutes.',
        });
      }
      const key = `${rule.outcome}/${rule.type}`;
      if (seen.has(key)) {
        ctx.addIssue({
          code: 'custom',
          path: [i],
          message: `Another rule already schedules a ${rule.type} after ${rule.outcome}.`,
        });
      }
      seen.add(key);
    });
  });

// Frequency caps.

export const FrequencyCapSchema = z.object({
  channel: z.enum(CAP_CHANNELS),
  max: z.number().int().describe('At most this many attempts per contact'),
  periodHours: z.number().int().describe('In any rolling period of this many hours'),
});

const capMax = `Give a whole number of attempts from ${CAP_LIMITS.maxMin} to ${CAP_LIMITS.maxMax}.`;
const capPeriod = `Give the period as a whole number of hours from ${CAP_LIMITS.periodMin} to ${CAP_LIMITS.periodMax}.`;

export const FrequencyCapsInput = z
  .array(
    z.strictObject({
      channel: z.enum(CAP_CHANNELS, { message: 'Choose call or sms.' }),
      max: z
        .number({ message: capMax })
        .int(capMax)
        .min(CAP_LIMITS.maxMin, capMax)
        .max(CAP_LIMITS.maxMax, capMax),
      periodHours: z
        .number({ message: capPeriod })
        .int(capPeriod)
        .min(CAP_LIMITS.periodMin, capPeriod)
        .max(CAP_LIMITS.periodMax, capPeriod),
    }),
  )
  .max(20, 'Give at most 20 caps.')
  .describe(
    'Per contact: at most `max` attempts of the channel started in any rolling `periodHours` ' +
      '(not lifted by the customer override)',
  );

// Settings.

export const SettingsSchema = z.object({
  name: z.string(),
  timezone: z.string(),
  callingWindow: CallingWindowSchema,
  retryScheduleMinutes: z.array(z.number().int()),
  defaultExpiryHours: z.number().int(),
  defaultAgent: Summary.nullable(),
  outcomeRules: z.array(OutcomeRuleSchema),
  everyZone: z
    .boolean()
    .describe('Calls and SMS run only when it is calling time in the area code’s zone too'),
  closedOnPublicHolidays: z
    .boolean()
    .describe('No calls or SMS on the public holidays of the contact’s country and region'),
  frequencyCaps: z
    .array(FrequencyCapSchema)
    .describe('Per contact, over every attempt of the workspace; the override does not lift them'),
  updatedAt: InstantOut,
});
export type Settings = z.infer<typeof SettingsSchema>;

export const PatchSettingsBody = z.strictObject({
  name: z.string().trim().min(1, 'Give the workspace a name.').max(100).optional(),
  timezone: TimeZoneName.optional(),
  callingWindow: CallingWindowInput.optional(),
  retryScheduleMinutes: RetryScheduleInput.optional(),
  defaultExpiryHours: z
    .number({ message: 'Give a whole number of hours from 1 to 8760.' })
    .int('Give a whole number of hours from 1 to 8760.')
    .min(1, 'Give a whole number of hours from 1 to 8760.')
    .max(8760, 'Give a whole number of hours from 1 to 8760 (one year).')
    .optional(),
  defaultAgentId: Id.nullable().optional().describe('An active agent; null = no default'),
  outcomeRules: OutcomeRulesInput.optional(),
  everyZone: z
    .boolean({ message: 'Give true or false.' })
    .optional()
    .describe(
      'Recommended: calls and SMS run only when it is calling time both in the contact’s zone ' +
        'and in the zone of its phone’s area code',
    ),
  closedOnPublicHolidays: z
    .boolean({ message: 'Give true or false.' })
    .optional()
    .describe('No calls or SMS on public holidays (date-holidays, the contact’s region)'),
  frequencyCaps: FrequencyCapsInput.optional(),
});
export type PatchSettings = z.infer<typeof PatchSettingsBody>;

/**
 * The sections of the Settings screen, as its URL names them (`/settings?section=…`); without
 * one the screen opens on `general`.
 */
export const SETTINGS_SECTIONS = [
  'general',
  'calling-windows',
  'compliance',
  'users',
  'api-keys',
  'webhooks',
  'voice-platform',
] as const;
export const SettingsSection = z.enum(SETTINGS_SECTIONS);
export type SettingsSection = z.infer<typeof SettingsSection>;
