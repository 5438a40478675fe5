import { errors, IdParams, listOf } from '../../../contracts/common.ts';
import {
  DeliveriesQuery,
  WebhookDeliverySchema,
} from '../../../contracts/webhook-deliveries.contract.ts';
import { CreatedWebhookEndpoint } from '../../../contracts/webhook-endpoints.contract.ts';
import * as deliveries from '../../services/webhook-deliveries.service.ts';
import type { App, RouteDeps } from '../app.ts';
import { actorOf } from '../plugins/auth.ts';

export function webhookDeliveriesRoutes(app: App, { ctx, webhooks }: RouteDeps): void {
  app.get(
    '/webhook-endpoints/:id/deliveries',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['Webhook endpoints'],
        summary: 'Requests sent to an endpoint, newest first (admin)',
        params: IdParams,
        querystring: DeliveriesQuery,
        response: { 200: listOf(WebhookDeliverySchema), ...errors(403, 404) },
      },
    },
    async (request) =>
      deliveries.listDeliveries(ctx, actorOf(request), request.params.id, request.query),
  );

  app.post(
    '/webhook-endpoints/:id/test',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['Webhook endpoints'],
        summary: 'Send a signed test event to the endpoint now; answers the delivery (admin)',
        params: IdParams,
        response: { 201: WebhookDeliverySchema, ...errors(403, 404) },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await deliveries.sendTestEvent(ctx, webhooks, actorOf(request), request.params.id)),
  );

  app.post(
    '/webhook-endpoints/:id/rotate-secret',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['Webhook endpoints'],
        summary:
          'Replace the signing secret; the new one is in this response only and the old one ' +
          'stops signing at once (admin)',
        params: IdParams,
        response: { 200: CreatedWebhookEndpoint, ...errors(403, 404) },
      },
    },
    async (request) => deliveries.rotateSecret(ctx, actorOf(request), request.params.id),
  );

  app.post(
    '/webhook-deliveries/:id/redeliver',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['Webhook endpoints'],
        summary:
          'Send a delivery again: same payload and webhook-id, next attempt number, signed with ' +
          'the current secret (admin)',
        params: IdParams,
        response: { 201: WebhookDeliverySchema, ...errors(403, 404) },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await deliveries.redeliver(ctx, webhooks, actorOf(request), request.params.id)),
  );
}
