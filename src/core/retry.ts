/** The workspace retry schedule (SPEC §2.4): minutes to wait after the n-th failed attempt. */

/** Default: 15 minutes, 1 hour, 4 hours; the last value repeats. */
export const DEFAULT_RETRY_SCHEDULE_MINUTES: readonly number[] = [15, 60, 240];

/** Leases (SPEC §2.4): how long an attempt may stay silent before it is ended as `timeout`. */
export const LEASE_SECONDS = { call: 15 * 60, sms: 60, webhook: 60 } as const;

/**
 * Minutes to wait before the next attempt, after `attemptsSoFar` attempts have failed
 * (1 after the first failure). The last entry repeats.
 */
export function backoffMinutes(schedule: readonly number[], attemptsSoFar: number): number {
  if (schedule.length === 0) throw new Error('The retry schedule is empty.');
  const index = Math.min(Math.max(attemptsSoFar, 1), schedule.length) - 1;
  return schedule[index]!;
}

/** Problems with a schedule as a person would enter it, or [] when it is usable. */
export function validateRetrySchedule(schedule: readonly number[]): string[] {
  const problems: string[] = [];
  if (schedule.length === 0) problems.push('Give at least one delay.');
  if (schedule.length > 10) problems.push('Give at most 10 delays.');
  schedule.forEach((m, i) => {
    if (!Number.isInteger(m) || m < 1 || m > 7 * 24 * 60) {
      problems.push(`Delay ${i + 1} must be a whole number of minutes from 1 to 10080 (7 days).`);
    }
  });
  return problems;
}
