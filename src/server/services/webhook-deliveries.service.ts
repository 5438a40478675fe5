/**
 * Webhook deliveries (admin): the history of an endpoint, "Send test event", "Redeliver", and
 * "Rotate secret". Every request goes through sendWebhook, like the engine's webhook channel:
 * the same signature, private-address refusal and timeout, and one recorded delivery each.
 */
import { and, desc, eq, max } from 'drizzle-orm';
import type { WebhookDelivery } from '../../contracts/webhook-deliveries.contract.ts';
import { instantKey } from '../db/keyset.ts';
import { webhookDeliveries, webhookEndpoints } from '../db/schema.ts';
import { notFound } from '../errors.ts';
import { newId } from '../ids.ts';
import {
  sendWebhook,
  type WebhookDeliveryRow,
  type WebhookSendOptions,
} from '../outbound/webhook-send.ts';
import type { Actor, ServiceContext } from './context.ts';
import { afterDescDesc, page } from './cursor.ts';
import { endpointView, newWebhookSecret } from './webhook-endpoints.service.ts';

/** How this process sends webhooks (FOLLOWTHROUGH_ALLOW_PRIVATE_WEBHOOKS, timeout). */
export type WebhookSending = Omit<WebhookSendOptions, 'db'>;

function deliveryView(row: WebhookDeliveryRow): WebhookDelivery {
  return {
    id: row.id,
    endpointId: row.endpointId,
    followUpId: row.followUpId,
    eventType: row.eventType as WebhookDelivery['eventType'],
    webhookId: row.webhookId,
    attempt: row.attempt,
    redeliveryOf: row.redeliveryOf,
    url: row.url,
    payload: row.payload,
    statusCode: row.statusCode,
    durationMs: row.durationMs,
    error: row.error,
    createdAt: row.createdAt.toISOString(),
  };
}

async function loadEndpoint(ctx: ServiceContext, actor: Actor, id: string) {
  const [row] = await ctx.db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.workspaceId, actor.workspaceId), eq(webhookEndpoints.id, id)));
  if (!row) throw notFound('webhook endpoint');
  return row;
}

/** An endpoint's deliveries, newest first, cursor-paginated. */
export async function listDeliveries(
  ctx: ServiceContext,
  actor: Actor,
  endpointId: string,
  query: { limit: number; cursor?: string | undefined },
) {
  await loadEndpoint(ctx, actor, endpointId);
  const rows = await ctx.db
    .select({ row: webhookDeliveries, key: instantKey(webhookDeliveries.createdAt) })
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.workspaceId, actor.workspaceId),
        eq(webhookDeliveries.endpointId, endpointId),
        query.cursor
          ? afterDescDesc(webhookDeliveries.createdAt, webhookDeliveries.id, query.cursor)
          : undefined,
      ),
    )
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(query.limit + 1);
  const result = page(rows, query.limit, (r) => [r.key, r.row.id]);
  return { items: result.items.map((r) => deliveryView(r.row)), nextCursor: result.nextCursor };
}

function recorded(delivery: WebhookDeliveryRow | null): WebhookDelivery {
  // The endpoint was deleted while the request was in flight: nothing is left to show.
  if (!delivery) throw notFound('webhook endpoint');
  return deliveryView(delivery);
}

/** Sends a signed `test` event to the endpoint now (active or not) and answers the delivery. */
export async function sendTestEvent(
  ctx: ServiceContext,
  sending: WebhookSending,
  actor: Actor,
  endpointId: string,
) {
  const endpoint = await loadEndpoint(ctx, actor, endpointId);
  const webhookId = `test_${newId()}`;
  const { delivery } = await sendWebhook(
    {
      workspaceId: actor.workspaceId,
      endpoint,
      eventType: 'test',
      followUpId: null,
      webhookId,
      attempt: 1,
      redeliveryOf: null,
      payload: {
        type: 'test',
        timestamp: ctx.clock.now().toISOString(),
        endpoint: { id: endpoint.id, url: endpoint.url },
        message: 'A test event from Followthrough: the endpoint and its secret work.',
      },
    },
    { ...sending, db: ctx.db },
  );
  return recorded(delivery);
}

/**
 * Sends a delivery again: the same payload and webhook-id (so the receiver can tell it is the
 * same message), the endpoint's current URL and secret, and the next attempt number.
 */
export async function redeliver(
  ctx: ServiceContext,
  sending: WebhookSending,
  actor: Actor,
  deliveryId: string,
) {
  const [original] = await ctx.db
    .select()
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.workspaceId, actor.workspaceId),
        eq(webhookDeliveries.id, deliveryId),
      ),
    );
  if (!original) throw notFound('webhook delivery');
  const endpoint = await loadEndpoint(ctx, actor, original.endpointId);
  const [last] = await ctx.db
    .select({ attempt: max(webhookDeliveries.attempt) })
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.workspaceId, actor.workspaceId),
        eq(webhookDeliveries.endpointId, original.endpointId),
        eq(webhookDeliveries.webhookId, original.webhookId),
      ),
    );
  const { delivery } = await sendWebhook(
    {
      workspaceId: actor.workspaceId,
      endpoint,
      eventType: original.eventType as WebhookDelivery['eventType'],
      followUpId: original.followUpId,
      webhookId: original.webhookId,
      attempt: (last?.attempt ?? original.attempt) + 1,
      redeliveryOf: original.id,
      payload: original.payload,
    },
    { ...sending, db: ctx.db },
  );
  return recorded(delivery);
}

/** A new signing secret, shown once; the old one stops signing at once. */
export async function rotateSecret(ctx: ServiceContext, actor: Actor, endpointId: string) {
  const secret = newWebhookSecret();
  const [row] = await ctx.db
    .update(webhookEndpoints)
    .set({ secret, updatedAt: ctx.clock.now() })
    .where(
      and(eq(webhookEndpoints.workspaceId, actor.workspaceId), eq(webhookEndpoints.id, endpointId)),
    )
    .returning();
  if (!row) throw notFound('webhook endpoint');
  return { ...endpointView(row), secret };
}
