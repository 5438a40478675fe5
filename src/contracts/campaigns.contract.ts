/**
 * Campaigns (SPEC §1, §3, §6): anyone reads them; admins create them, change their settings
 * (with the same checks as the workspace settings) and move them between statuses.
 */
import { z } from 'zod';
import { FOLLOW_UP_STATUSES } from '../core/follow-up.ts';
import { CAMPAIGN_STATUSES } from '../core/roles.ts';
import { Cursor, Id, InstantOut, Limit, Summary } from './common.ts';
import {
  FollowUpListItemSchema,
  ListFollowUpsFilters,
  scheduledRangeOrdered,
} from './follow-ups.contract.ts';
import {
  CallingWindowInput,
  CallingWindowSchema,
  FrequencyCapSchema,
  FrequencyCapsInput,
  OutcomeRuleSchema,
  OutcomeRulesInput,
  TimeZoneName,
} from './settings.contract.ts';

export const CampaignSchema = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(CAMPAIGN_STATUSES),
  agent: Summary.nullable(),
  timezone: z.string().nullable(),
  callingWindow: CallingWindowSchema.nullable().describe("null = the workspace's calling window"),
  effectiveCallingWindow: CallingWindowSchema.describe('The window its follow-ups obey'),
  outcomeRules: z.array(OutcomeRuleSchema),
  closedOnPublicHolidays: z
    .boolean()
    .nullable()
    .describe("No calls or SMS on public holidays; null = the workspace's setting"),
  frequencyCaps: z
    .array(FrequencyCapSchema)
    .describe("Per contact, over this campaign's attempts (the workspace's caps apply too)"),
  createdAt: InstantOut,
  updatedAt: InstantOut,
});
export type Campaign = z.infer<typeof CampaignSchema>;

export const FollowUpCountsSchema = z
  .object(
    Object.fromEntries(FOLLOW_UP_STATUSES.map((status) => [status, z.number().int()])) as Record<
      (typeof FOLLOW_UP_STATUSES)[number],
      z.ZodNumber
    >,
  )
  .extend({ total: z.number().int() })
  .describe("The campaign's follow-ups per status");

export const CampaignDetailSchema = CampaignSchema.extend({ followUpCounts: FollowUpCountsSchema });
export type CampaignDetail = z.infer<typeof CampaignDetailSchema>;

export const CampaignListQuery = z.strictObject({
  status: z
    .enum(CAMPAIGN_STATUSES, { message: `Choose one of: ${CAMPAIGN_STATUSES.join(', ')}.` })
    .optional(),
  limit: Limit,
  cursor: Cursor.optional(),
});

// Changes (admin).

const CampaignName = z
  .string({ message: 'Give the campaign a name.' })
  .trim()
  .min(1, 'Give the campaign a name.')
  .max(100, 'A campaign name can be at most 100 characters.')
  .refine((name) => !/\p{Cc}/u.test(name), 'A campaign name cannot contain control characters.');

const campaignFields = {
  agentId: Id.nullable()
    .optional()
    .describe('An active agent of the workspace; null = none ("Inherit from source")'),
  timezone: TimeZoneName.nullable().optional().describe('IANA time zone; null = none'),
  callingWindow: CallingWindowInput.nullable()
    .optional()
    .describe("Its own calling window (closed dates inside); null = the workspace's"),
  outcomeRules: OutcomeRulesInput.optional(),
  closedOnPublicHolidays: z
    .boolean({ message: 'Give true, false or null.' })
    .nullable()
    .optional()
    .describe("No calls or SMS on public holidays; null = the workspace's setting"),
  frequencyCaps: FrequencyCapsInput.optional().describe(
    "Per contact, over this campaign's attempts; the workspace's caps apply too",
  ),
};

export const CreateCampaignBody = z.strictObject({ name: CampaignName, ...campaignFields });
export type CreateCampaignBody = z.infer<typeof CreateCampaignBody>;

export const UpdateCampaignBody = z
  .strictObject({ name: CampaignName.optional(), ...campaignFields })
  .refine((body) => Object.values(body).some((v) => v !== undefined), {
    message: 'Give at least one field to change.',
  });
export type UpdateCampaignBody = z.infer<typeof UpdateCampaignBody>;

export const CampaignStatusBody = z.strictObject({
  status: z.enum(CAMPAIGN_STATUSES, {
    message: `Choose one of: ${CAMPAIGN_STATUSES.join(', ')}.`,
  }),
});

// Its follow-ups, with why the open ones wait (the same rows as the follow-ups list).

export { WaitingSchema } from './follow-ups.contract.ts';
export const CampaignFollowUpSchema = FollowUpListItemSchema;
export type CampaignFollowUp = z.infer<typeof CampaignFollowUpSchema>;

export const CampaignFollowUpsQuery = scheduledRangeOrdered(
  ListFollowUpsFilters.omit({ campaignId: true }),
);
