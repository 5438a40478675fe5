import { infiniteQueryOptions, keepPreviousData, queryOptions } from '@tanstack/react-query';
import type {
  CreateFollowUpBody,
  FollowUp,
  FollowUpDetail,
  FollowUpListItem,
  PreviewResponse,
} from '../../../contracts/follow-ups.contract.ts';
import type { FollowUpType } from '../../../core/follow-up.ts';
import { api, type Page } from '../../lib/api.ts';
import { liveRefetchInterval } from '../../lib/live.ts';
import { followUpKeys } from '../../lib/query-keys.ts';
import { type FollowUpsSearch, listFilters } from './search.ts';

export type { FollowUp, FollowUpDetail, FollowUpListItem, PreviewResponse };

export { followUpKeys };

/** How many follow-ups the contact page's "Follow-ups" card shows at first. */
export const FOLLOW_UPS_ON_CONTACT_PAGE = 10;

export function followUpsInfiniteQuery(filters: FollowUpsSearch, limit = 50) {
  return infiniteQueryOptions({
    queryKey: [...followUpKeys.list(filters), limit],
    queryFn: ({ pageParam, signal }) =>
      api<Page<FollowUpListItem>>('/follow-ups', {
        query: { ...listFilters(filters), limit, cursor: pageParam },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    refetchInterval: liveRefetchInterval,
  });
}

export function followUpQuery(id: string) {
  return queryOptions({
    queryKey: followUpKeys.detail(id),
    queryFn: ({ signal }) => api<FollowUpDetail>(`/follow-ups/${id}`, { signal }),
    refetchInterval: liveRefetchInterval,
  });
}

export interface PreviewInput {
  contactId: string;
  type: FollowUpType;
  scheduledAt: string;
  allowOutOfWindow: boolean;
  campaignId?: string | null;
}

export function previewQuery(input: PreviewInput | null) {
  return queryOptions({
    queryKey: ['preview', input],
    queryFn: ({ signal }) =>
      api<PreviewResponse>('/follow-ups/preview', {
        method: 'POST',
        body: input,
        signal,
      }),
    enabled: input !== null,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
    retry: false,
  });
}

export type CreateFollowUpInput = {
  [K in keyof CreateFollowUpBody]: CreateFollowUpBody[K];
};

export function createFollowUp(body: CreateFollowUpInput, idempotencyKey: string) {
  return api<FollowUp>('/follow-ups', {
    method: 'POST',
    body,
    headers: { 'idempotency-key': idempotencyKey },
  });
}

export type UpdateFollowUpInput = Partial<
  Pick<
    CreateFollowUpBody,
    'scheduledAt' | 'agentId' | 'priority' | 'maxAttempts' | 'notes' | 'allowOutOfWindow'
  >
>;

export function updateFollowUp(id: string, body: UpdateFollowUpInput) {
  return api<FollowUp>(`/follow-ups/${id}`, { method: 'PATCH', body });
}

export function cancelFollowUp(id: string, reason?: string) {
  return api<FollowUp>(`/follow-ups/${id}/cancel`, {
    method: 'POST',
    body: reason ? { reason } : {},
  });
}

export function snoozeFollowUp(id: string, until: string) {
  return api<FollowUp>(`/follow-ups/${id}/snooze`, { method: 'POST', body: { until } });
}

export function resumeFollowUp(id: string) {
  return api<FollowUp>(`/follow-ups/${id}/resume`, { method: 'POST', body: {} });
}

export function retryFollowUp(id: string) {
  return api<FollowUp>(`/follow-ups/${id}/retry`, { method: 'POST', body: {} });
}

/** A random key for Idempotency-Key (crypto.randomUUID needs a secure context). */
export function newIdempotencyKey(): string {
  if (typeof crypto !== 'undefined' && 'randomUUID' in crypto && window.isSecureContext) {
    return crypto.randomUUID();
  }
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
