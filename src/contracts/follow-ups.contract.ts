/**
 * Follow-ups over HTTP (SPEC §2, §8): the follow-up JSON, its detail, list filters, create and
 * edit bodies, the actions' bodies and the scheduling preview.
 */
import { z } from 'zod';
import {
  EVENT_KINDS,
  FOLLOW_UP_STATUSES,
  FOLLOW_UP_TYPES,
  type FollowUpStatus,
  MAX_ATTEMPTS_RANGE,
  NOTES_MAX_LENGTH,
  OPEN_STATUSES,
  OPERATOR_ACTIONS,
  PRIORITIES,
  SOURCES,
} from '../core/follow-up.ts';
import { ATTEMPT_RESULTS } from '../core/results.ts';
import { WAITING_CODES } from '../core/waiting.ts';
import { Cursor, Id, Instant, InstantOut, Limit, Summary } from './common.ts';

const list = (values: readonly string[]) => values.join(', ');

export const FollowUpType = z.enum(FOLLOW_UP_TYPES, {
  message: `Choose one of: ${list(FOLLOW_UP_TYPES)}.`,
});
export const FollowUpPriority = z.enum(PRIORITIES, {
  message: `Choose one of: ${list(PRIORITIES)}.`,
});
export const FollowUpSource = z.enum(SOURCES, { message: `Choose one of: ${list(SOURCES)}.` });
export const FollowUpStatusSchema = z.enum(FOLLOW_UP_STATUSES);
export const TimeZoneSourceSchema = z.enum(['contact', 'phone', 'workspace']);

const MaxAttempts = z
  .number({ message: 'Give a whole number from 1 to 10.' })
  .int('Give a whole number from 1 to 10.')
  .min(MAX_ATTEMPTS_RANGE.min, 'Max attempts must be at least 1.')
  .max(MAX_ATTEMPTS_RANGE.max, 'Max attempts can be at most 10.');

const Notes = z
  .string()
  .trim()
  .max(NOTES_MAX_LENGTH, `Notes can be at most ${NOTES_MAX_LENGTH} characters.`)
  .nullable()
  .transform((v) => (v === '' ? null : v));

const AgentRef = Id.nullable().describe('An active agent; null = "Inherit from source"');

export const ContactLocalSchema = z
  .object({
    timezone: z.string().describe('IANA time zone used for the contact'),
    timezoneSource: TimeZoneSourceSchema.describe('Where the zone comes from (inferred or not)'),
    scheduledAt: z.string().describe('scheduledAt in the contact’s local time, with offset'),
    nextAttemptAt: z.string().nullable().describe('nextAttemptAt in the contact’s local time'),
    region: z.string().nullable().describe('The contact’s stated region (ISO 3166-2, e.g. US-FL)'),
    phoneRegion: z
      .string()
      .nullable()
      .describe('The region of the phone’s North American area code; state rules apply for both'),
  })
  .describe('Where the contact may be, and its local view of the follow-up’s times');

export const FollowUpSchema = z.object({
  id: z.string(),
  contactId: z.string(),
  type: FollowUpType,
  scheduledAt: InstantOut,
  agentId: z.string().nullable().describe('null = "Inherit from source"'),
  priority: FollowUpPriority,
  maxAttempts: z.number().int(),
  attempts: z.number().int().describe('Attempts started so far'),
  allowOutOfWindow: z.boolean(),
  notes: z.string().nullable(),
  campaignId: z.string().nullable(),
  source: FollowUpSource,
  status: FollowUpStatusSchema,
  nextAttemptAt: InstantOut.nullable().describe(
    'When the engine next looks at it; null = scheduledAt',
  ),
  snoozedUntil: InstantOut.nullable(),
  expiresAt: InstantOut,
  lastError: z.string().nullable(),
  completedAt: InstantOut.nullable(),
  createdAt: InstantOut,
  updatedAt: InstantOut,
  contact: Summary,
  agent: Summary.nullable(),
  campaign: Summary.nullable(),
  resolvedAgent: Summary.nullable().describe('The agent used at dispatch, once known'),
  createdBy: z
    .object({ type: z.enum(['user', 'api_key']), id: z.string(), name: z.string() })
    .nullable(),
  contactLocal: ContactLocalSchema,
});
export type FollowUp = z.infer<typeof FollowUpSchema>;

export const WaitingSchema = z
  .object({
    code: z.enum(WAITING_CODES),
    message: z.string().describe('e.g. "Outside calling window until Mon 9 Mar, 09:00 EDT"'),
    until: InstantOut.nullable().describe('When the reason ends by itself; null = it does not'),
  })
  .describe('Why an open follow-up is not running yet; null = nothing to explain');
export type Waiting = z.infer<typeof WaitingSchema>;

/** A row of the follow-ups list (and of a campaign's): the follow-up and why it waits. */
export const FollowUpListItemSchema = FollowUpSchema.extend({ waiting: WaitingSchema.nullable() });
export type FollowUpListItem = z.infer<typeof FollowUpListItemSchema>;

export const FollowUpEventSchema = z.object({
  id: z.string(),
  at: InstantOut,
  kind: z.enum(EVENT_KINDS),
  actor: z.object({
    type: z.enum(['user', 'api_key', 'system']),
    id: z.string().nullable(),
    name: z.string().describe('The user’s or API key’s name, or "System"'),
  }),
  data: z.record(z.string(), z.unknown()),
});

export const FollowUpAttemptSchema = z.object({
  number: z.number().int(),
  channel: FollowUpType,
  provider: z.string(),
  agent: Summary.nullable(),
  idempotencyKey: z.string(),
  startedAt: InstantOut,
  endedAt: InstantOut.nullable(),
  result: z.enum(ATTEMPT_RESULTS).nullable(),
  error: z.string().nullable(),
  providerRef: z.string().nullable(),
  callLogId: z.string().nullable(),
});

export const FollowUpDetailSchema = FollowUpSchema.extend({
  waiting: WaitingSchema.nullable(),
  contact: Summary.extend({
    doNotCall: z.boolean().describe("The contact's phone is on the Do Not Call list"),
  }),
  events: z.array(FollowUpEventSchema).describe('The timeline, oldest first'),
  attemptHistory: z
    .array(FollowUpAttemptSchema)
    .describe('Every attempt, first first (`attempts` is their count)'),
  allowedActions: z
    .array(z.enum(OPERATOR_ACTIONS))
    .describe('Operator actions the current status allows'),
});
export type FollowUpDetail = z.infer<typeof FollowUpDetailSchema>;

const StatusList = z
  .string()
  .describe(`Comma-separated statuses: ${list(FOLLOW_UP_STATUSES)}`)
  .transform((value, ctx) => {
    const parts = [
      ...new Set(
        value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    ];
    const unknown = parts.filter((p) => !(FOLLOW_UP_STATUSES as readonly string[]).includes(p));
    if (parts.length === 0 || unknown.length > 0) {
      const which = unknown.map((u) => `"${u}"`).join(', ');
      const prefix = unknown.length > 0 ? `Unknown status ${which}. ` : '';
      ctx.addIssue({
        code: 'custom',
        message: `${prefix}Use one or more of: ${list(FOLLOW_UP_STATUSES)}.`,
      });
      return z.NEVER;
    }
    return parts as FollowUpStatus[];
  });

/** The filters of the follow-ups list (and of its CSV export). */
export const FOLLOW_UP_FILTERS = {
  contactId: Id.optional().describe(
    'One contact’s follow-ups: open ones first (soonest first), then finished (latest first)',
  ),
  status: StatusList.optional(),
  type: FollowUpType.optional(),
  agentId: Id.optional(),
  campaignId: Id.optional(),
  priority: FollowUpPriority.optional(),
  source: FollowUpSource.optional(),
  scheduledFrom: Instant.optional().describe('scheduledAt at or after this instant'),
  scheduledTo: Instant.optional().describe('scheduledAt before this instant'),
};

export const FOLLOW_UP_SORTS = ['scheduledAt', '-scheduledAt'] as const;
export type FollowUpSort = (typeof FOLLOW_UP_SORTS)[number];

export const FollowUpSortParam = z
  .enum(FOLLOW_UP_SORTS, { message: `Choose one of: ${list(FOLLOW_UP_SORTS)}.` })
  .default('scheduledAt')
  .describe(
    'scheduledAt = soonest first, -scheduledAt = latest first. With contactId the order is ' +
      'the contact card’s (open ones soonest first, then finished ones latest first)',
  );

/** The list's filters and paging, before the check that they fit together (for lists that drop some). */
export const ListFollowUpsFilters = z.strictObject({
  ...FOLLOW_UP_FILTERS,
  sort: FollowUpSortParam,
  limit: Limit,
  cursor: Cursor.optional(),
});

/**
 * The global list's views (the screen's tabs, in its URL): what is coming (open, soonest
 * first), what needs attention (failed or expired, latest first), everything (latest first).
 */
export const FOLLOW_UP_VIEWS = {
  open: { statuses: OPEN_STATUSES, sort: 'scheduledAt' },
  attention: { statuses: ['failed', 'expired'], sort: '-scheduledAt' },
  all: { statuses: null, sort: '-scheduledAt' },
} as const satisfies Record<
  string,
  { statuses: readonly FollowUpStatus[] | null; sort: FollowUpSort }
>;
export const FollowUpsView = z.enum(Object.keys(FOLLOW_UP_VIEWS) as [keyof typeof FOLLOW_UP_VIEWS]);
export type FollowUpsView = z.infer<typeof FollowUpsView>;

/** "Scheduled to" is not before "Scheduled from". */
export function scheduledRangeOrdered<
  T extends z.ZodType<{ scheduledFrom?: string | undefined; scheduledTo?: string | undefined }>,
>(schema: T) {
  return schema.refine(
    (q) =>
      !q.scheduledFrom ||
      !q.scheduledTo ||
      Date.parse(q.scheduledFrom) <= Date.parse(q.scheduledTo),
    { path: ['scheduledTo'], message: '"Scheduled to" must not be before "Scheduled from".' },
  );
}

export const ListFollowUpsQuery = scheduledRangeOrdered(ListFollowUpsFilters);
export type ListFollowUpsQuery = z.infer<typeof ListFollowUpsQuery>;

export const CreateFollowUpBody = z.strictObject({
  contactId: Id.describe('A contact of the workspace (unknown → 422)'),
  type: FollowUpType.default('call'),
  scheduledAt: Instant.describe('Not more than 5 minutes in the past, nor 365 days ahead'),
  agentId: AgentRef.default(null),
  priority: FollowUpPriority.default('normal'),
  maxAttempts: MaxAttempts.default(3),
  allowOutOfWindow: z
    .boolean()
    .default(false)
    .describe('The customer asked to be reached outside the calling window'),
  notes: Notes.default(null),
  campaignId: Id.nullable().default(null),
});
export type CreateFollowUpBody = z.infer<typeof CreateFollowUpBody>;

export const IdempotencyHeaders = z.looseObject({
  'idempotency-key': z
    .string()
    .min(1, 'The Idempotency-Key must not be empty.')
    .max(255, 'The Idempotency-Key can be at most 255 characters.')
    .optional()
    .describe(
      'Repeat a create safely for 24 hours: the same key and body answer the first response',
    ),
});

export const UpdateFollowUpBody = z
  .strictObject({
    scheduledAt: Instant.optional(),
    agentId: AgentRef.optional(),
    priority: FollowUpPriority.optional(),
    maxAttempts: MaxAttempts.optional(),
    notes: Notes.optional(),
    allowOutOfWindow: z.boolean().optional(),
  })
  .refine((body) => Object.values(body).some((v) => v !== undefined), {
    message:
      'Change at least one field: ' +
      'scheduledAt, agentId, priority, maxAttempts, notes or allowOutOfWindow.',
  });
export type UpdateFollowUpBody = z.infer<typeof UpdateFollowUpBody>;

export const SnoozeBody = z.strictObject({
  until: Instant.describe('In the future, at most 365 days ahead'),
});

export const CancelBody = z
  .strictObject({
    reason: z.string().trim().max(500, 'The reason can be at most 500 characters.').optional(),
  })
  .nullish()
  .describe('Optional: no body is fine');

export const EmptyBody = z.strictObject({}).nullish().describe('No body, or {}');

export const AppliedRuleSchema = z.object({
  code: z.enum([
    'federal',
    'state_hours',
    'state_holidays',
    'public_holidays',
    'every_zone',
    'override',
    'frequency_cap',
  ]),
  message: z.string(),
  source: z.string().nullable().describe('The citation; null for the workspace’s own settings'),
});
export type AppliedRuleOut = z.infer<typeof AppliedRuleSchema>;

export const PreviewBody = z.strictObject({
  contactId: Id,
  type: FollowUpType.default('call'),
  scheduledAt: Instant,
  allowOutOfWindow: z.boolean().default(false),
  campaignId: Id.nullable().optional(),
});
export type PreviewBody = z.infer<typeof PreviewBody>;

export const PreviewResponse = z.object({
  timezone: z.string(),
  timezoneSource: TimeZoneSourceSchema,
  localTime: z.string().describe('scheduledAt in the contact’s time zone, ISO 8601 with offset'),
  insideWindow: z.boolean().describe('Whether scheduledAt is inside the calling window'),
  runsAt: InstantOut.nullable().describe(
    'When the engine would first start it (capacity aside); null when it cannot run',
  ),
  runsAtLocal: z.string().nullable().describe('runsAt in the contact’s time zone'),
  notRunningBecause: z
    .enum(['do_not_call', 'expires_first', 'no_window'])
    .nullable()
    .describe('Why runsAt is null'),
  expiresAt: InstantOut.describe('scheduledAt + the workspace’s default expiry'),
  doNotCall: z.boolean(),
  rules: z
    .array(AppliedRuleSchema)
    .describe('Each rule that shapes the answer, in words, with its source (not legal advice)'),
});
export type PreviewResponse = z.infer<typeof PreviewResponse>;
