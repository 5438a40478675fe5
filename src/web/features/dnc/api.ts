import { infiniteQueryOptions, keepPreviousData, type QueryClient } from '@tanstack/react-query';
import type { AddedDncEntry, DncEntry } from '../../../contracts/dnc.contract.ts';
import { api, type Page } from '../../lib/api.ts';
import { formatNumber } from '../../lib/format.ts';
import { contactKeys, dashboardKeys, followUpKeys } from '../../lib/query-keys.ts';

export type { AddedDncEntry, DncEntry };

export const dncKeys = {
  all: ['dnc'] as const,
  list: (q: string | undefined) => ['dnc', 'list', q ?? ''] as const,
};

/** The Do Not Call list, newest first; `q` matches phone digits or the contact's name. */
export function dncInfiniteQuery(q: string | undefined, limit = 50) {
  return infiniteQueryOptions({
    queryKey: [...dncKeys.list(q), limit],
    queryFn: ({ pageParam, signal }) =>
      api<Page<DncEntry>>('/dnc', { query: { q, limit, cursor: pageParam }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

export function addDnc(body: { phone: string; reason?: string | null }) {
  return api<AddedDncEntry>('/dnc', { method: 'POST', body });
}

export function removeDnc(id: string) {
  return api<void>(`/dnc/${id}`, { method: 'DELETE' });
}

/** "2 open call or SMS follow-ups were failed." */
export function failedSentence(failed: number): string {
  if (failed === 0) return 'No open call or SMS follow-ups had to be failed.';
  const s = failed === 1 ? ' was' : 's were';
  return `${formatNumber(failed)} open call or SMS follow-up${s} failed.`;
}

/** A listing changes contacts (their flag), follow-ups (failed) and the dashboard. */
export function refreshAfterDncChange(queryClient: QueryClient) {
  return Promise.all(
    [dncKeys.all, contactKeys.all, followUpKeys.all, dashboardKeys.all].map((queryKey) =>
      queryClient.invalidateQueries({ queryKey }),
    ),
  );
}
