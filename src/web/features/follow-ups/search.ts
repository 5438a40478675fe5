import {
  FOLLOW_UP_VIEWS,
  type FollowUpSort,
  FollowUpsView,
} from '../../../contracts/follow-ups.contract.ts';
import {
  FOLLOW_UP_STATUSES,
  FOLLOW_UP_TYPES,
  type FollowUpSource,
  type FollowUpStatus,
  type FollowUpType,
  PRIORITIES,
  type Priority,
  SOURCES,
} from '../../../core/follow-up.ts';
import { id, instant, oneOf } from '../../lib/search.ts';

/** The filters of /follow-ups, as they stand in the URL (SPEC §7.3). */
export interface FollowUpsSearch {
  /** The tab: what is coming (the default), what needs attention, or everything. */
  view?: FollowUpsView;
  contactId?: string;
  /** Comma-separated statuses, e.g. "scheduled,queued". */
  status?: string;
  type?: FollowUpType;
  agentId?: string;
  campaignId?: string;
  priority?: Priority;
  source?: FollowUpSource;
  scheduledFrom?: string;
  scheduledTo?: string;
}

export function parseStatuses(value: string | undefined): FollowUpStatus[] {
  if (!value) return [];
  const wanted = new Set(value.split(','));
  return FOLLOW_UP_STATUSES.filter((s) => wanted.has(s));
}

export function validateFollowUpsSearch(search: Record<string, unknown>): FollowUpsSearch {
  const statuses = parseStatuses(typeof search.status === 'string' ? search.status : undefined);
  const view = FollowUpsView.safeParse(search.view);
  return {
    view: view.success ? view.data : undefined,
    contactId: id(search.contactId),
    status: statuses.length ? statuses.join(',') : undefined,
    type: oneOf(search.type, FOLLOW_UP_TYPES),
    agentId: id(search.agentId),
    campaignId: id(search.campaignId),
    priority: oneOf(search.priority, PRIORITIES),
    source: oneOf(search.source, SOURCES),
    scheduledFrom: instant(search.scheduledFrom),
    scheduledTo: instant(search.scheduledTo),
  };
}

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
