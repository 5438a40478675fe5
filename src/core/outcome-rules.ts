/** Outcome rules (SPEC §6): a call outcome schedules a follow-up. */
import type { FollowUpType, Priority } from './follow-up.ts';
import type { CallOutcome } from './results.ts';

export interface OutcomeRule {
  outcome: CallOutcome;
  type: FollowUpType;
  /** Minutes after the call ended; null = at the time the customer asked for. */
  delayMinutes: number | null;
  maxAttempts: number;
  priority: Priority;
}

/** The workspace rules a new workspace starts with. */
export const DEFAULT_OUTCOME_RULES: OutcomeRule[] = [
  {
    outcome: 'callback_requested',
    type: 'call',
    delayMinutes: null,
    maxAttempts: 3,
    priority: 'high',
  },
  { outcome: 'no_answer', type: 'sms', delayMinutes: 30, maxAttempts: 1, priority: 'normal' },
  { outcome: 'voicemail', type: 'call', delayMinutes: 24 * 60, maxAttempts: 2, priority: 'normal' },
];
