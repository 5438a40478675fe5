/**
 * The dashboard (SPEC §7, route /): follow-ups per status, what needs attention, what is due in
 * the next 24 hours, and the calls' outcomes per day.
 */
import { z } from 'zod';
import { FOLLOW_UP_STATUSES, type FollowUpStatus } from '../core/follow-up.ts';
import { CALL_OUTCOMES, type CallOutcome } from '../core/results.ts';
import { InstantOut } from './common.ts';
import { FollowUpSchema } from './follow-ups.contract.ts';

const countsOf = <K extends string>(keys: readonly K[]) =>
  z.object(Object.fromEntries(keys.map((k) => [k, z.number().int()])) as Record<K, z.ZodNumber>);

/** How many days the outcome chart covers (today and the days before it). */
export const OUTCOME_DAYS = 14;
export const NEEDS_ATTENTION_LIMIT = 10;
export const NEXT_24H_LIMIT = 20;

export const DashboardSchema = z.object({
  timezone: z.string().describe('The workspace time zone: the days of outcomesByDay are its days'),
  generatedAt: InstantOut,
  countsByStatus: countsOf<FollowUpStatus>(FOLLOW_UP_STATUSES).describe(
    'Follow-ups of the workspace per status (every status, zeros included)',
  ),
  needsAttention: z
    .array(FollowUpSchema)
    .describe(`Failed and expired follow-ups, latest first (at most ${NEEDS_ATTENTION_LIMIT})`),
  next24h: z
    .array(FollowUpSchema)
    .describe(
      'Open follow-ups not running yet (scheduled, queued, snoozed) whose next run is before ' +
        `now + 24 h, soonest first, those already due first (at most ${NEXT_24H_LIMIT})`,
    ),
  outcomesByDay: z
    .array(
      z.object({
        day: z.string().describe("A local date 'YYYY-MM-DD' in the workspace time zone"),
        counts: countsOf<CallOutcome>(CALL_OUTCOMES),
      }),
    )
    .describe(`Calls per outcome per day: the last ${OUTCOME_DAYS} days, oldest first, today last`),
});
export type Dashboard = z.infer<typeof DashboardSchema>;
