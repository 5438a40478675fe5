/**
 * Webhook deliveries: every signed request sent to an endpoint (follow-ups that were due, test
 * events, redeliveries), newest first.
 */
import { z } from 'zod';
import { Cursor, InstantOut, Limit } from './common.ts';

export const WEBHOOK_EVENT_TYPES = ['follow_up.due', 'test'] as const;

export const WebhookDeliverySchema = z.object({
  id: z.string(),
  endpointId: z.string(),
  followUpId: z.string().nullable(),
  eventType: z.enum(WEBHOOK_EVENT_TYPES),
  webhookId: z.string().describe('The webhook-id header; a redelivery keeps it'),
  attempt: z.number().int().describe('1, then 2, 3… for redeliveries of the same webhook-id'),
  redeliveryOf: z.string().nullable(),
  url: z.string(),
  payload: z.unknown(),
  statusCode: z.number().int().nullable().describe('What the receiver answered; null: no answer'),
  durationMs: z.number().int().nullable(),
  error: z.string().nullable(),
  createdAt: InstantOut,
});
export type WebhookDelivery = z.infer<typeof WebhookDeliverySchema>;

export const DeliveriesQuery = z.strictObject({
  limit: Limit,
  cursor: Cursor.optional(),
});
