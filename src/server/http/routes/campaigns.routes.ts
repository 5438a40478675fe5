import {
  CampaignDetailSchema,
  CampaignFollowUpSchema,
  CampaignFollowUpsQuery,
  CampaignListQuery,
  CampaignSchema,
  CampaignStatusBody,
  CreateCampaignBody,
  UpdateCampaignBody,
} from '../../../contracts/campaigns.contract.ts';
import { errors, IdParams, listOf } from '../../../contracts/common.ts';
import * as campaigns from '../../services/campaigns.service.ts';
import type { App, RouteDeps } from '../app.ts';
import { actorOf } from '../plugins/auth.ts';

export function campaignsRoutes(app: App, { ctx }: RouteDeps): void {
  app.get(
    '/campaigns',
    {
      schema: {
        tags: ['Campaigns'],
        summary: 'Campaigns, newest first, optionally of one status',
        querystring: CampaignListQuery,
        response: { 200: listOf(CampaignSchema), ...errors() },
      },
    },
    async (request) => campaigns.listCampaigns(ctx, actorOf(request), request.query),
  );

  app.get(
    '/campaigns/:id',
    {
      schema: {
        tags: ['Campaigns'],
        summary: 'One campaign, its effective calling window and its follow-ups per status',
        params: IdParams,
        response: { 200: CampaignDetailSchema, ...errors(404) },
      },
    },
    async (request) => campaigns.getCampaign(ctx, actorOf(request), request.params.id),
  );

  app.post(
    '/campaigns',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['Campaigns'],
        summary: 'Create a campaign, as a draft (admin)',
        body: CreateCampaignBody,
        response: { 201: CampaignDetailSchema, ...errors(403, 422) },
      },
    },
    async (request, reply) => {
      const campaign = await campaigns.createCampaign(ctx, actorOf(request), request.body);
      return reply.code(201).send(campaign);
    },
  );

  app.patch(
    '/campaigns/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['Campaigns'],
        summary:
          'Change its name, agent, time zone, calling window or outcome rules, all or nothing ' +
          '(admin). The status changes through POST /campaigns/{id}/status.',
        params: IdParams,
        body: UpdateCampaignBody,
        response: { 200: CampaignDetailSchema, ...errors(403, 404, 422) },
      },
    },
    async (request) =>
      campaigns.updateCampaign(ctx, actorOf(request), request.params.id, request.body),
  );

  app.post(
    '/campaigns/:id/status',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['Campaigns'],
        summary:
          'Move the campaign to another status (admin): draft → scheduled | running, ' +
          'scheduled → running, running ⇄ paused, running | paused → completed; anything ' +
          'else is 409. Only a running campaign’s follow-ups are started.',
        params: IdParams,
        body: CampaignStatusBody,
        response: { 200: CampaignDetailSchema, ...errors(403, 404, 409) },
      },
    },
    async (request) =>
      campaigns.setCampaignStatus(ctx, actorOf(request), request.params.id, request.body.status),
  );

  app.get(
    '/campaigns/:id/follow-ups',
    {
      schema: {
        tags: ['Campaigns'],
        summary:
          'Its follow-ups (the filters and cursor of GET /follow-ups), each open one with why ' +
          'it waits',
        params: IdParams,
        querystring: CampaignFollowUpsQuery,
        response: { 200: listOf(CampaignFollowUpSchema), ...errors(404) },
      },
    },
    async (request) =>
      campaigns.listCampaignFollowUps(ctx, actorOf(request), request.params.id, request.query),
  );
}
