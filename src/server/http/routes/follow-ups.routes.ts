import { errors, IdParams, listOf } from '../../../contracts/common.ts';
import {
  CancelBody,
  CreateFollowUpBody,
  EmptyBody,
  FollowUpDetailSchema,
  FollowUpListItemSchema,
  FollowUpSchema,
  IdempotencyHeaders,
  ListFollowUpsQuery,
  PreviewBody,
  PreviewResponse,
  SnoozeBody,
  UpdateFollowUpBody,
} from '../../../contracts/follow-ups.contract.ts';
import {
  cancelFollowUp,
  createFollowUp,
  getFollowUpDetail,
  listFollowUpsWaiting,
  previewFollowUp,
  resumeFollowUp,
  retryFollowUp,
  snoozeFollowUp,
  updateFollowUp,
} from '../../services/follow-ups.service.ts';
import type { App, RouteDeps } from '../app.ts';
import { actorOf } from '../plugins/auth.ts';

const tags = ['Follow-ups'];

export function followUpsRoutes(app: App, { ctx }: RouteDeps): void {
  app.get(
    '/follow-ups',
    {
      schema: {
        tags,
        summary:
          'Follow-ups of the workspace, by scheduledAt; with contactId, open ones first ' +
          '(soonest first), then finished ones (latest first)',
        querystring: ListFollowUpsQuery,
        response: { 200: listOf(FollowUpListItemSchema), ...errors() },
      },
    },
    async (request) => listFollowUpsWaiting(ctx, actorOf(request), request.query),
  );

  app.post(
    '/follow-ups',
    {
      config: { access: 'operator' },
      schema: {
        tags,
        summary:
          'Schedule a follow-up (source: manual when signed in, api with an API key). ' +
          'An unknown contactId, agentId or campaignId is a 422 at that field.',
        headers: IdempotencyHeaders,
        body: CreateFollowUpBody,
        response: { 201: FollowUpSchema, ...errors(403, 422) },
      },
    },
    async (request, reply) => {
      const result = await createFollowUp(
        ctx,
        actorOf(request),
        request.body,
        request.headers['idempotency-key'],
      );
      if (result.replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(201).send(result.body);
    },
  );

  app.post(
    '/follow-ups/preview',
    {
      schema: {
        tags,
        summary:
          'For a contact, type and time: the contact’s local time, whether it is inside the ' +
          'calling window, and when it would run',
        body: PreviewBody,
        response: { 200: PreviewResponse, ...errors(422) },
      },
    },
    async (request) => previewFollowUp(ctx, actorOf(request), request.body),
  );

  app.get(
    '/follow-ups/:id',
    {
      schema: {
        tags,
        summary: 'One follow-up with its timeline, attempts and the actions its status allows',
        params: IdParams,
        response: { 200: FollowUpDetailSchema, ...errors(404) },
      },
    },
    async (request) => getFollowUpDetail(ctx, actorOf(request), request.params.id),
  );

  app.patch(
    '/follow-ups/:id',
    {
      config: { access: 'operator' },
      schema: {
        tags,
        summary: 'Reschedule or edit a scheduled or snoozed follow-up (it becomes scheduled)',
        params: IdParams,
        body: UpdateFollowUpBody,
        response: { 200: FollowUpSchema, ...errors(403, 404, 409, 422) },
      },
    },
    async (request) => updateFollowUp(ctx, actorOf(request), request.params.id, request.body),
  );

  app.post(
    '/follow-ups/:id/cancel',
    {
      config: { access: 'operator' },
      schema: {
        tags,
        summary: 'Cancel a scheduled, queued or snoozed follow-up',
        params: IdParams,
        body: CancelBody,
        response: { 200: FollowUpSchema, ...errors(403, 404, 409) },
      },
    },
    async (request) =>
      cancelFollowUp(ctx, actorOf(request), request.params.id, request.body?.reason),
  );

  app.post(
    '/follow-ups/:id/snooze',
    {
      config: { access: 'operator' },
      schema: {
        tags,
        summary: 'Pause a scheduled or queued follow-up until a time',
        params: IdParams,
        body: SnoozeBody,
        response: { 200: FollowUpSchema, ...errors(403, 404, 409) },
      },
    },
    async (request) => snoozeFollowUp(ctx, actorOf(request), request.params.id, request.body.until),
  );

  app.post(
    '/follow-ups/:id/resume',
    {
      config: { access: 'operator' },
      schema: {
        tags,
        summary: 'Resume a snoozed follow-up now',
        params: IdParams,
        body: EmptyBody,
        response: { 200: FollowUpSchema, ...errors(403, 404, 409) },
      },
    },
    async (request) => resumeFollowUp(ctx, actorOf(request), request.params.id),
  );

  app.post(
    '/follow-ups/:id/retry',
    {
      config: { access: 'operator' },
      schema: {
        tags,
        summary:
          'Schedule a failed or expired follow-up again, now (one more attempt when used up)',
        params: IdParams,
        body: EmptyBody,
        response: { 200: FollowUpSchema, ...errors(403, 404, 409, 422) },
      },
    },
    async (request) => retryFollowUp(ctx, actorOf(request), request.params.id),
  );
}
