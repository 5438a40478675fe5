import { queryOptions } from '@tanstack/react-query';
import type { Campaign, CampaignDetail } from '../../../contracts/campaigns.contract.ts';
import { api, type Page } from '../../lib/api.ts';

export type { Campaign, CampaignDetail };

/** Campaigns for lists and pickers (a workspace has a handful to a few hundred). */
export const campaignsQuery = queryOptions({
  queryKey: ['campaigns', 'list'],
  queryFn: ({ signal }) => api<Page<Campaign>>('/campaigns', { query: { limit: 200 }, signal }),
  staleTime: 60_000,
});

export function campaignQuery(id: string) {
  return queryOptions({
    queryKey: ['campaigns', 'detail', id],
    queryFn: ({ signal }) => api<CampaignDetail>(`/campaigns/${id}`, { signal }),
  });
}
