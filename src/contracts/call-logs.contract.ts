/** Call logs (SPEC §1, §5.1): every call with a contact, its outcome, duration and summary. */
import { z } from 'zod';
import { CALL_DIRECTIONS, CALL_OUTCOMES } from '../core/results.ts';
import { Cursor, Id, Instant, InstantOut, Limit, Summary } from './common.ts';

export const CallLogSchema = z.object({
  id: z.string(),
  contact: Summary,
  agent: Summary.nullable(),
  campaign: Summary.nullable(),
  followUpId: z.string().nullable(),
  direction: z.enum(CALL_DIRECTIONS),
  outcome: z.enum(CALL_OUTCOMES),
  startedAt: InstantOut,
  endedAt: InstantOut.nullable(),
  durationSeconds: z.number().int(),
  summary: z.string().nullable(),
  requestedCallbackAt: InstantOut.nullable(),
  provider: z.string().nullable().describe('The voice platform of the call (retell, vapi, twilio)'),
  sentiment: z.string().nullable().describe("The platform's reading of the contact's sentiment"),
  recordingUrl: z.string().nullable().describe("The platform's recording of the call"),
  transcriptUrl: z.string().nullable().describe("A link to the platform's transcript or call log"),
});
export type CallLog = z.infer<typeof CallLogSchema>;

export const CallLogListQuery = z.strictObject({
  contactId: Id.optional(),
  agentId: Id.optional(),
  campaignId: Id.optional(),
  outcome: z
    .enum(CALL_OUTCOMES, { message: `Choose one of: ${CALL_OUTCOMES.join(', ')}.` })
    .optional(),
  direction: z
    .enum(CALL_DIRECTIONS, { message: `Choose one of: ${CALL_DIRECTIONS.join(', ')}.` })
    .optional(),
  from: Instant.optional().describe('Calls that started at or after this instant'),
  to: Instant.optional().describe('Calls that started before this instant'),
  limit: Limit,
  cursor: Cursor.optional(),
});
export type CallLogListInput = z.infer<typeof CallLogListQuery>;
