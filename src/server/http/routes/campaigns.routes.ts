import {
  CampaignDetailSchema,
  CampaignListQuery,
  CampaignSchema,
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
}
