import { z } from 'zod';
import {
  FOLLOW_UP_FILTERS,
  FOLLOW_UP_VIEWS,
  type FollowUpSort,
  FollowUpsView,
} from '../../../contracts/follow-ups.contract.ts';
import { FOLLOW_UP_STATUSES, type FollowUpStatus } from '../../../core/follow-up.ts';
import { searchValidator } from '../../lib/search.ts';

/**
 * Statuses as the URL keeps them: the known ones of a comma list, in their canonical order, as
 * one string ("scheduled,queued"); unknown ones are dropped rather than the whole filter.
 */
const StatusParam = z.string().transform((value, ctx) => {
  const statuses = parseStatuses(value);
  if (statuses.length) return statuses.join(',');
  ctx.addIssue({ code: 'custom', message: 'No known status.' });
  return z.NEVER;
});

export function parseStatuses(value: string | undefined): FollowUpStatus[] {
  if (!value) return [];
  const wanted = new Set(value.split(','));
  return FOLLOW_UP_STATUSES.filter((s) => wanted.has(s));
}

/**
 * The filters of /follow-ups, as they stand in the URL (SPEC §7.3): the tab, and the API list's
 * own filters (ListFollowUpsQuery's), each checked by the contract's schema.
 */
export const validateFollowUpsSearch = searchValidator({
  /** The tab: what is coming (the default), what needs attention, or everything. */
  view: FollowUpsView,
  contactId: FOLLOW_UP_FILTERS.contactId,
  status: StatusParam,
  type: FOLLOW_UP_FILTERS.type,
  agentId: FOLLOW_UP_FILTERS.agentId,
  campaignId: FOLLOW_UP_FILTERS.campaignId,
  priority: FOLLOW_UP_FILTERS.priority,
  source: FOLLOW_UP_FILTERS.source,
  scheduledFrom: FOLLOW_UP_FILTERS.scheduledFrom,
  scheduledTo: FOLLOW_UP_FILTERS.scheduledTo,
});
export type FollowUpsSearch = ReturnType<typeof validateFollowUpsSearch>;

/**
 * The view the list shows: the one in the URL; without one, everything when a contact's or a
 * status filter is chosen (a contact's "View all", the dashboard's links), else what is coming.
 */
export function effectiveView(search: FollowUpsSearch): FollowUpsView {
  return search.view ?? (search.contactId || search.status ? 'all' : 'open');
}

/** The API's filters for the list as the URL describes it (the view becomes statuses and order). */
export function listFilters(
  search: FollowUpsSearch,
): Omit<FollowUpsSearch, 'view'> & { sort?: FollowUpSort } {
  const { view: _view, ...filters } = search;
  const view = FOLLOW_UP_VIEWS[effectiveView(search)];
  const status = filters.status ?? view.statuses?.join(',');
  // The API's default order (soonest first) needs no parameter.
  return {
    ...filters,
    status,
    sort: view.sort === 'scheduledAt' ? undefined : view.sort,
  };
}
