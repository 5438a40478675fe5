import { infiniteQueryOptions, keepPreviousData, queryOptions } from '@tanstack/react-query';
import type {
  Campaign,
  CampaignDetail,
  CampaignFollowUp,
  CreateCampaignBody,
  UpdateCampaignBody,
} from '../../../contracts/campaigns.contract.ts';
import type { CampaignStatus } from '../../../core/roles.ts';
import { api, type Page } from '../../lib/api.ts';
import { liveRefetchInterval } from '../../lib/live.ts';
import { campaignKeys } from '../../lib/query-keys.ts';

export { campaignsQuery } from '../../lib/shared-queries.ts';
export type { Campaign, CampaignDetail, CampaignFollowUp };
export { campaignKeys };

export function campaignQuery(id: string) {
  return queryOptions({
    queryKey: campaignKeys.detail(id),
    queryFn: ({ signal }) => api<CampaignDetail>(`/campaigns/${id}`, { signal }),
    // Its counts per status move with the engine.
    refetchInterval: liveRefetchInterval,
  });
}

/**
 * A campaign's follow-ups with why each waits. Its key sits under the follow-up lists', so the
 * live stream refreshes it with them.
 */
export function campaignFollowUpsQuery(id: string, limit = 25) {
  return infiniteQueryOptions({
    queryKey: ['follow-ups', 'list', 'campaign', id, limit],
    queryFn: ({ pageParam, signal }) =>
      api<Page<CampaignFollowUp>>(`/campaigns/${id}/follow-ups`, {
        query: { limit, cursor: pageParam },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    refetchInterval: liveRefetchInterval,
  });
}

export type CampaignInput = { [K in keyof CreateCampaignBody]: CreateCampaignBody[K] };
export type CampaignChanges = { [K in keyof UpdateCampaignBody]: UpdateCampaignBody[K] };

export function createCampaign(body: CampaignInput) {
  return api<CampaignDetail>('/campaigns', { method: 'POST', body });
}

export function updateCampaign(id: string, body: CampaignChanges) {
  return api<CampaignDetail>(`/campaigns/${id}`, { method: 'PATCH', body });
}

export function setCampaignStatus(id: string, status: CampaignStatus) {
  return api<CampaignDetail>(`/campaigns/${id}/status`, { method: 'POST', body: { status } });
}
