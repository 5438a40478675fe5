import type { FollowUpEventKind } from '../../core/follow-up.ts';
import { type AttemptResult, CALL_OUTCOME_LABELS } from '../../core/results.ts';
import type { TimeZoneSource } from '../../core/time-zone.ts';

/** Timeline events in plain words (SPEC §2.5). */
export const EVENT_LABELS: Record<FollowUpEventKind, string> = {
  created: 'Created',
  updated: 'Edited',
  rescheduled: 'Rescheduled',
  deferred: 'Deferred to the next calling window',
  queued: 'Queued: due and waiting for a free agent',
  attempt_started: 'Attempt started',
  attempt_succeeded: 'Attempt succeeded',
  attempt_failed: 'Attempt failed',
  retry_scheduled: 'Retry scheduled',
  completed: 'Completed',
  failed: 'Failed',
  blocked_dnc: 'Blocked: the contact is on the Do Not Call list',
  snoozed: 'Snoozed',
  resumed: 'Resumed',
  cancelled: 'Cancelled',
  expired: 'Expired before it could succeed',
  retried: 'Retried by an operator',
};

export const RESULT_LABELS: Record<AttemptResult, string> = {
  ...CALL_OUTCOME_LABELS,
  invalid_number: 'Invalid number',
  not_configured: 'Not configured',
  delivered: 'Delivered',
  accepted: 'Accepted',
  opted_out: 'Opted out',
  success: 'Success',
  http_error: 'HTTP error',
  network_error: 'Network error',
  provider_error: 'Provider error',
  timeout: 'Timed out',
};

export function resultLabel(result: string | null | undefined): string {
  if (!result) return '—';
  return RESULT_LABELS[result as AttemptResult] ?? result.replaceAll('_', ' ');
}

export const TIMEZONE_SOURCE_LABELS: Record<TimeZoneSource, string> = {
  contact: 'set on the contact',
  phone: 'inferred from the phone number',
  workspace: 'inferred: the workspace time zone',
};

export const NOT_RUNNING_LABELS: Record<'do_not_call' | 'expires_first' | 'no_window', string> = {
  do_not_call: 'It will not run: the contact is on the Do Not Call list.',
  expires_first: 'It will not run: it would expire before the calling window opens.',
  no_window: 'It will not run: the calling window never opens. Check the calling window.',
};
