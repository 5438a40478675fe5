import { infiniteQueryOptions, keepPreviousData } from '@tanstack/react-query';
import type { Contact, ContactDetail } from '../../../contracts/contacts.contract.ts';
import { api, type Page } from '../../lib/api.ts';
import { contactKeys } from '../../lib/query-keys.ts';

export { contactQuery } from '../../lib/shared-queries.ts';
export type { Contact, ContactDetail };
export { contactKeys };

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
