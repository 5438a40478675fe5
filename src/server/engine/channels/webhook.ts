/**
 * The webhook channel (SPEC §5): POSTs `follow_up.due` to the workspace's webhook endpoint (the
 * default active one, else the only active one), signed with Standard Webhooks: webhook-id is the
 * attempt's idempotency key, so a receiver recognises a repeated delivery. 2xx succeeds; 408, 429
 * and 5xx are retried (classifyResult reads httpStatus); other answers are final; no answer in
 * 10 s is a timeout. Targets on loopback or private addresses are refused unless
 * FOLLOWTHROUGH_ALLOW_PRIVATE_WEBHOOKS is set. Every request is recorded as a delivery
 * (webhook-send.ts); its attempt number there is 1, redeliveries count on from it.
 */
import { and, eq } from 'drizzle-orm';
import { systemClock } from '../../clock.ts';
import type { Database } from '../../db/client.ts';
import { contacts, followUps, webhookEndpoints } from '../../db/schema.ts';
import { finalOutcome, sendWebhook, type WebhookSendOptions } from '../../outbound/webhook-send.ts';
import type { AttemptJob, Channel, ChannelOutcome } from './channel.ts';

export { WEBHOOK_TIMEOUT_MS } from '../../outbound/webhook-send.ts';

export type WebhookChannelOptions = WebhookSendOptions;

type Endpoint = { id: string; url: string; secret: string; isDefault: boolean };

/** The default active endpoint, else the only active one; otherwise why there is none. */
export function chooseEndpoint(active: Endpoint[]): Endpoint | string {
  const chosen = active.find((e) => e.isDefault) ?? (active.length === 1 ? active[0] : undefined);
  if (chosen) return chosen;
  return active.length === 0
    ? 'The workspace has no active webhook endpoint: add one in Settings, then retry.'
    : 'The workspace has several active webhook endpoints and none is the default: ' +
        'mark one as default in Settings, then retry.';
}

/** What the receiver gets: the follow-up that is due and its contact. */
async function loadDelivery(db: Database, job: AttemptJob) {
  const [row] = await db
    .select({
      scheduledAt: followUps.scheduledAt,
      priority: followUps.priority,
      maxAttempts: followUps.maxAttempts,
      source: followUps.source,
      firstName: contacts.firstName,
      lastName: contacts.lastName,
      company: contacts.company,
      customFields: contacts.customFields,
    })
    .from(followUps)
    .innerJoin(
      contacts,
      and(eq(contacts.workspaceId, followUps.workspaceId), eq(contacts.id, followUps.contactId)),
    )
    .where(and(eq(followUps.workspaceId, job.workspaceId), eq(followUps.id, job.followUpId)));
  const active = await db
    .select({
      id: webhookEndpoints.id,
      url: webhookEndpoints.url,
      secret: webhookEndpoints.secret,
      isDefault: webhookEndpoints.isDefault,
    })
    .from(webhookEndpoints)
    .where(
      and(eq(webhookEndpoints.workspaceId, job.workspaceId), eq(webhookEndpoints.active, true)),
    );
  return { row, endpoint: chooseEndpoint(active) };
}

export function webhookPayload(
  job: AttemptJob,
  row: NonNullable<Awaited<ReturnType<typeof loadDelivery>>['row']>,
  at: Date,
) {
  return {
    type: 'follow_up.due',
    timestamp: at.toISOString(),
    followUp: {
      id: job.followUpId,
      workspaceId: job.workspaceId,
      type: job.type,
      scheduledAt: row.scheduledAt.toISOString(),
      priority: row.priority,
      notes: job.notes,
      source: row.source,
      campaignId: job.campaignId,
      attempt: job.number,
      maxAttempts: row.maxAttempts,
      idempotencyKey: job.idempotencyKey,
    },
    contact: {
      id: job.contact.id,
      name: job.contact.name,
      firstName: row.firstName,
      lastName: row.lastName,
      phone: job.contact.phone,
      email: job.contact.email,
      company: row.company,
      timezone: job.contact.timezone,
      customFields: row.customFields,
    },
  };
}

export function webhookChannel(options: WebhookChannelOptions): Channel {
  const clock = options.signingClock ?? systemClock;
  return {
    type: 'webhook',
    provider: 'webhook',
    async start(job): Promise<ChannelOutcome> {
      const { row, endpoint } = await loadDelivery(options.db, job);
      if (!row) return finalOutcome('The follow-up or its contact no longer exists.');
      if (typeof endpoint === 'string') return finalOutcome(endpoint);
      const { outcome } = await sendWebhook(
        {
          workspaceId: job.workspaceId,
          endpoint,
          eventType: 'follow_up.due',
          followUpId: job.followUpId,
          webhookId: job.idempotencyKey,
          attempt: 1,
          redeliveryOf: null,
          payload: webhookPayload(job, row, clock.now()),
        },
        options,
      );
      return outcome;
    },
  };
}
