/** Campaigns (SPEC §1, §3, §6), read-only for now: creating and editing them is for admins later. */
import { z } from 'zod';
import { FOLLOW_UP_STATUSES } from '../core/follow-up.ts';
import { CAMPAIGN_STATUSES } from '../core/roles.ts';
import { Cursor, InstantOut, Limit, Summary } from './common.ts';
import { CallingWindowSchema, OutcomeRuleSchema } from './settings.contract.ts';

export const CampaignSchema = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(CAMPAIGN_STATUSES),
  agent: Summary.nullable(),
  timezone: z.string().nullable(),
  callingWindow: CallingWindowSchema.nullable().describe("null = the workspace's calling window"),
  effectiveCallingWindow: CallingWindowSchema.describe('The window its follow-ups obey'),
  outcomeRules: z.array(OutcomeRuleSchema),
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
