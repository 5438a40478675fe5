import { infiniteQueryOptions, keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { CallLog } from '../../../contracts/call-logs.contract.ts';
import type { Contact, ContactDetail } from '../../../contracts/contacts.contract.ts';
import { api, type Page } from '../../lib/api.ts';

export type { Contact, ContactDetail };

export const contactKeys = {
  all: ['contacts'] as const,
  list: (q: string | undefined) => ['contacts', 'list', q ?? ''] as const,
  detail: (id: string) => ['contacts', 'detail', id] as const,
  callLogs: (id: string) => ['contacts', 'detail', id, 'call-logs'] as const,
};

export function contactsInfiniteQuery(q: string | undefined, limit = 25) {
  return infiniteQueryOptions({
    queryKey: [...contactKeys.list(q), limit],
    queryFn: ({ pageParam, signal }) =>
      api<Page<Contact>>('/contacts', { query: { q, limit, cursor: pageParam }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

/** A quick search for pickers (first page only). */
export function contactSearchQuery(q: string) {
  return queryOptions({
    queryKey: ['contacts', 'search', q],
    queryFn: ({ signal }) =>
      api<Page<Contact>>('/contacts', { query: { q: q || undefined, limit: 10 }, signal }),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

export function contactQuery(id: string) {
  return queryOptions({
    queryKey: contactKeys.detail(id),
    queryFn: ({ signal }) => api<ContactDetail>(`/contacts/${id}`, { signal }),
  });
}

/** How many calls the contact page's "Call logs" card shows. */
export const CALL_LOGS_ON_CONTACT_PAGE = 5;

export function contactCallLogsQuery(id: string, limit = CALL_LOGS_ON_CONTACT_PAGE) {
  return queryOptions({
    queryKey: [...contactKeys.callLogs(id), limit],
    queryFn: ({ signal }) =>
      api<Page<CallLog>>(`/contacts/${id}/call-logs`, { query: { limit }, signal }),
  });
}
