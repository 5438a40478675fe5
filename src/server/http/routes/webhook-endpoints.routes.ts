import { z } from 'zod';
import { errors, IdParams, listOf } from '../../../contracts/common.ts';
import {
  CreatedWebhookEndpoint,
  CreateWebhookEndpointBody,
  PatchWebhookEndpointBody,
  WebhookEndpointSchema,
} from '../../../contracts/webhook-endpoints.contract.ts';
import * as endpoints from '../../services/webhook-endpoints.service.ts';
import type { App, RouteDeps } from '../app.ts';
import { actorOf } from '../plugins/auth.ts';

export function webhookEndpointsRoutes(app: App, { ctx, webhooks }: RouteDeps): void {
  app.get(
    '/webhook-endpoints',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['Webhook endpoints'],
        summary: 'Webhook endpoints of the workspace, without their secrets (admin)',
        response: { 200: listOf(WebhookEndpointSchema), ...errors(403) },
      },
    },
    async (request) => endpoints.listWebhookEndpoints(ctx, actorOf(request)),
  );

  app.post(
    '/webhook-endpoints',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['Webhook endpoints'],
        summary: 'Add an endpoint; its signing secret is in this response only (admin)',
        body: CreateWebhookEndpointBody,
        response: { 201: CreatedWebhookEndpoint, ...errors(403, 409) },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await endpoints.createWebhookEndpoint(ctx, actorOf(request), request.body, webhooks)),
  );

  app.patch(
    '/webhook-endpoints/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['Webhook endpoints'],
        summary: 'Change an endpoint; isDefault true un-defaults the others (admin)',
        params: IdParams,
        body: PatchWebhookEndpointBody,
        response: { 200: WebhookEndpointSchema, ...errors(403, 404, 409) },
      },
    },
    async (request) =>
      endpoints.updateWebhookEndpoint(
        ctx,
        actorOf(request),
        request.params.id,
        request.body,
        webhooks,
      ),
  );

  app.delete(
    '/webhook-endpoints/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['Webhook endpoints'],
        summary: 'Remove an endpoint (admin)',
        params: IdParams,
        response: { 204: z.null(), ...errors(403, 404) },
      },
    },
    async (request, reply) => {
      await endpoints.deleteWebhookEndpoint(ctx, actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
}
