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
  return {
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
