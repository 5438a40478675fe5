import { queryOptions } from '@tanstack/react-query';
import type { Dashboard } from '../../../contracts/dashboard.contract.ts';
import type { FollowUp } from '../../../contracts/follow-ups.contract.ts';
import { api } from '../../lib/api.ts';
import { liveRefetchInterval } from '../../lib/live.ts';
import { dashboardKeys } from '../../lib/query-keys.ts';

export type { Dashboard };

export const dashboardQuery = queryOptions({
  queryKey: dashboardKeys.all,
  queryFn: ({ signal }) => api<Dashboard>('/dashboard', { signal }),
  refetchInterval: liveRefetchInterval,
});

/**
 * When a follow-up that has not started runs next: its next attempt (a deferral or a retry),
 * else its scheduled time; a snoozed one not before it wakes. The server sorts "Next 24 hours"
 * by the same rule.
 */
export function dueAt(f: FollowUp): string {
  const runAt = f.nextAttemptAt ?? f.scheduledAt;
  if (f.status === 'snoozed' && f.snoozedUntil && f.snoozedUntil > runAt) return f.snoozedUntil;
  return runAt;
}
