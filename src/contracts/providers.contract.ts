/**
 * Provider callbacks (SPEC §5.2, §8): POST /api/providers/voice/callback, signed with Standard
 * Webhooks. An outbound call's report names the attempt by its idempotency key; an inbound call
 * names the workspace and the caller's phone.
 */
import { z } from 'zod';
import { CALL_OUTCOMES } from '../core/results.ts';
import { Id, Instant } from './common.ts';

const Outcome = z.enum(CALL_OUTCOMES, {
  message: `Give one of: ${CALL_OUTCOMES.join(', ')}.`,
});
const Summary = z
  .string()
  .max(10_000, 'The summary can be at most 10,000 characters.')
  .nullable()
  .optional();

const endsAfterStart = (body: { startedAt: string; endedAt: string }, ctx: z.RefinementCtx) => {
  if (Date.parse(body.endedAt) < Date.parse(body.startedAt)) {
    ctx.addIssue({
      code: 'custom',
      path: ['endedAt'],
      message: 'endedAt must not be before startedAt.',
    });
  }
};

export const OutboundCallReportBody = z
  .object({
    direction: z.literal('outbound').optional(),
    idempotencyKey: z
      .string()
      .min(1, 'Give the idempotencyKey the call was requested with.')
      .max(200)
      .describe('`<followUpId>:<attemptNumber>`, as sent with the call request'),
    outcome: Outcome,
    startedAt: Instant,
    endedAt: Instant,
    summary: Summary,
    requestedCallbackAt: Instant.nullable()
      .optional()
      .describe('When the customer asked to be called back (callback_requested)'),
    providerRef: z.string().max(200).nullable().optional().describe('The platform’s call id'),
  })
  .superRefine(endsAfterStart);

export const InboundCallReportBody = z
  .object({
    direction: z.literal('inbound'),
    workspaceId: Id.describe('The workspace whose number was called'),
    phone: z.string().min(1, 'Give the caller’s phone number.').max(64).describe('E.164'),
    outcome: Outcome,
    startedAt: Instant,
    endedAt: Instant,
    summary: Summary,
  })
  .superRefine(endsAfterStart);

export const VoiceCallbackBody = z.discriminatedUnion('direction', [
  OutboundCallReportBody,
  InboundCallReportBody,
]);
export type VoiceCallbackBody = z.infer<typeof VoiceCallbackBody>;

export const VoiceCallbackResponse = z.object({
  status: z
    .enum(['recorded', 'duplicate'])
    .describe('duplicate: this call was reported before; nothing changed'),
  callLogId: z.string().nullable(),
  createdFollowUps: z.number().int().describe('Follow-ups created by outcome rules'),
  completedFollowUps: z.number().int().describe('Due call follow-ups completed by an inbound call'),
  blockedFollowUps: z.number().int().describe('Open call/SMS follow-ups failed by Do Not Call'),
});
export type VoiceCallbackResponse = z.infer<typeof VoiceCallbackResponse>;

/** The answer to a voice platform's webhook (Retell, Vapi, Twilio). */
export const VoiceWebhookResponse = z.object({
  status: z
    .enum(['recorded', 'updated', 'noted', 'duplicate', 'unknown', 'ignored'])
    .describe(
      'recorded: the call was written; updated: the analysis was added; noted: the call started; ' +
        'duplicate: seen before, nothing changed; unknown: no call of Followthrough; ignored: not a call event',
    ),
  callLogId: z.string().nullable(),
});
export type VoiceWebhookResponse = z.infer<typeof VoiceWebhookResponse>;
