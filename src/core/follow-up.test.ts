import { describe, expect, it } from 'vitest';
import {
  allowedOperatorActions,
  canTransition,
  FOLLOW_UP_STATUSES,
  type FollowUpStatus,
  STATUS_LABELS,
} from './follow-up.ts';

// SPEC §2.2, written out pair by pair so that the table in follow-up.ts is checked against the
// spec and not against itself.
const ALLOWED: [FollowUpStatus, FollowUpStatus][] = [
  ['scheduled', 'queued'],
  ['scheduled', 'scheduled'],
  ['scheduled', 'snoozed'],
  ['queued', 'snoozed'],
  ['snoozed', 'scheduled'],
  ['scheduled', 'cancelled'],
  ['queued', 'cancelled'],
  ['snoozed', 'cancelled'],
  ['scheduled', 'expired'],
  ['queued', 'expired'],
  ['snoozed', 'expired'],
  ['scheduled', 'failed'],
  ['queued', 'failed'],
  ['snoozed', 'failed'],
  ['scheduled', 'completed'],
  ['queued', 'completed'],
  ['queued', 'scheduled'],
  ['queued', 'in_progress'],
  ['in_progress', 'completed'],
  ['in_progress', 'scheduled'],
  ['in_progress', 'failed'],
  ['failed', 'scheduled'],
  ['expired', 'scheduled'],
];

describe('canTransition', () => {
  for (const [from, to] of ALLOWED) {
    it(`allows ${from} → ${to}`, () => {
      expect(canTransition(from, to)).toBe(true);
    });
  }

  const allowed = new Set(ALLOWED.map(([f, t]) => `${f}>${t}`));
  const forbidden = FOLLOW_UP_STATUSES.flatMap((from) =>
    FOLLOW_UP_STATUSES.map((to) => [from, to] as const),
  ).filter(([f, t]) => !allowed.has(`${f}>${t}`));

  it('forbids every other pair', () => {
    // 64 pairs in all, 23 allowed.
    expect(forbidden).toHaveLength(64 - ALLOWED.length);
    for (const [from, to] of forbidden) {
      expect(canTransition(from, to), `${from} → ${to}`).toBe(false);
    }
  });

  it('never leaves completed or cancelled', () => {
    for (const to of FOLLOW_UP_STATUSES) {
      expect(canTransition('completed', to)).toBe(false);
      expect(canTransition('cancelled', to)).toBe(false);
    }
  });
});

describe('operator actions', () => {
  it('offers only what the status allows', () => {
    expect(allowedOperatorActions('scheduled')).toEqual(['edit', 'snooze', 'cancel']);
    expect(allowedOperatorActions('queued')).toEqual(['snooze', 'cancel']);
    expect(allowedOperatorActions('snoozed')).toEqual(['edit', 'resume', 'cancel']);
    expect(allowedOperatorActions('in_progress')).toEqual([]);
    expect(allowedOperatorActions('failed')).toEqual(['retry']);
    expect(allowedOperatorActions('expired')).toEqual(['retry']);
    expect(allowedOperatorActions('completed')).toEqual([]);
  });

  it('labels every status as the UI shows it', () => {
    expect(FOLLOW_UP_STATUSES.map((s) => STATUS_LABELS[s])).toEqual([
      'Scheduled',
      'Queued',
      'In progress',
      'Completed',
      'Failed',
      'Cancelled',
      'Expired',
      'Snoozed',
    ]);
  });
});
