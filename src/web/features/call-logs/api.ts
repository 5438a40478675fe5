import { infiniteQueryOptions, keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { CallLog } from '../../../contracts/call-logs.contract.ts';
import { api, type Page } from '../../lib/api.ts';
import { contactKeys } from '../../lib/query-keys.ts';
import type { CallLogsSearch } from './search.ts';

export type { CallLog };

export function callLogsInfiniteQuery(filters: CallLogsSearch, limit = 50) {
  return infiniteQueryOptions({
    queryKey: ['call-logs', 'list', filters, limit],
    queryFn: ({ pageParam, signal }) =>
      api<Page<CallLog>>('/call-logs', { query: { ...filters, limit, cursor: pageParam }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

export function callLogQuery(id: string) {
  return queryOptions({
    queryKey: ['call-logs', 'detail', id],
    queryFn: ({ signal }) => api<CallLog>(`/call-logs/${id}`, { signal }),
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
