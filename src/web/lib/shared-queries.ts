/**
 * Reads more than one feature needs: the agents and campaigns that pickers and filters offer,
 * a contact by id and a contact search for pickers. The features that own these records build
 * their own screens on the same queries.
 */
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { Agent } from '../../contracts/agents.contract.ts';
import type { Campaign } from '../../contracts/campaigns.contract.ts';
import type { Contact, ContactDetail } from '../../contracts/contacts.contract.ts';
import { api, type Page } from './api.ts';
import { contactKeys } from './query-keys.ts';

export const agentsQuery = queryOptions({
  queryKey: ['agents'],
  queryFn: ({ signal }) => api<Page<Agent>>('/agents', { signal }),
  staleTime: 60_000,
});

/** Campaigns for lists and pickers (a workspace has a handful to a few hundred). */
export const campaignsQuery = queryOptions({
  queryKey: ['campaigns', 'list'],
  queryFn: ({ signal }) => api<Page<Campaign>>('/campaigns', { query: { limit: 200 }, signal }),
  staleTime: 60_000,
});

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
