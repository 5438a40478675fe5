/**
 * The follow-up vocabulary of SPEC §2: statuses, types, priorities, sources, their UI labels,
 * and the one transition table that the services and the engine both obey.
 */

export const FOLLOW_UP_STATUSES = [
  'scheduled',
  'queued',
  'in_progress',
  'completed',
  'failed',
  'cancelled',
  'expired',
  'snoozed',
] as const;
export type FollowUpStatus = (typeof FOLLOW_UP_STATUSES)[number];

export const FOLLOW_UP_TYPES = ['call', 'sms', 'webhook'] as const;
export type FollowUpType = (typeof FOLLOW_UP_TYPES)[number];

/** Highest first: the dispatch order. */
export const PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const SOURCES = ['manual', 'api', 'campaign', 'call_outcome', 'automation'] as const;
export type FollowUpSource = (typeof SOURCES)[number];

export const STATUS_LABELS: Record<FollowUpStatus, string> = {
  scheduled: 'Scheduled',
  queued: 'Queued',
  in_progress: 'In progress',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
  expired: 'Expired',
  snoozed: 'Snoozed',
};

export const TYPE_LABELS: Record<FollowUpType, string> = {
  call: 'Call',
  sms: 'SMS',
  webhook: 'Webhook',
};

export const PRIORITY_LABELS: Record<Priority, string> = {
  low: 'Low',
  normal: 'Normal',
  high: 'High',
  urgent: 'Urgent',
};

export const SOURCE_LABELS: Record<FollowUpSource, string> = {
  manual: 'Manual',
  api: 'API',
  campaign: 'Campaign',
  call_outcome: 'Call outcome',
  automation: 'Automation',
};

/** Numeric rank stored in the database so that `ORDER BY priority_rank` is the dispatch order. */
export const PRIORITY_RANK: Record<Priority, number> = { urgent: 0, high: 1, normal: 2, low: 3 };

export type StatusGroup = 'Not started yet' | 'In progress' | 'Done' | 'Needs attention';
export const STATUS_GROUPS: Record<FollowUpStatus, StatusGroup> = {
  scheduled: 'Not started yet',
  queued: 'Not started yet',
  snoozed: 'Not started yet',
  in_progress: 'In progress',
  completed: 'Done',
  cancelled: 'Done',
  failed: 'Needs attention',
  expired: 'Needs attention',
};

export const OPEN_STATUSES = [
  'scheduled',
  'queued',
  'in_progress',
  'snoozed',
] as const satisfies readonly FollowUpStatus[];
export const TERMINAL_STATUSES = [
  'completed',
  'failed',
  'cancelled',
  'expired',
] as const satisfies readonly FollowUpStatus[];

export function isOpen(status: FollowUpStatus): boolean {
  return (OPEN_STATUSES as readonly FollowUpStatus[]).includes(status);
}

/**
 * Every action that changes a follow-up's status, with the statuses it may start from and the
 * status it leads to. This is SPEC §2.2's table; nothing else decides what is allowed.
 */
export const TRANSITIONS = {
  queue: { from: ['scheduled'], to: 'queued' },
  defer: { from: ['scheduled', 'queued'], to: 'scheduled' },
  snooze: { from: ['scheduled', 'queued'], to: 'snoozed' },
  resume: { from: ['snoozed'], to: 'scheduled' },
  cancel: { from: ['scheduled', 'queued', 'snoozed'], to: 'cancelled' },
  expire: { from: ['scheduled', 'queued', 'snoozed'], to: 'expired' },
  blockDnc: { from: ['scheduled', 'queued', 'snoozed'], to: 'failed' },
  completeInbound: { from: ['scheduled', 'queued'], to: 'completed' },
  start: { from: ['queued'], to: 'in_progress' },
  succeed: { from: ['in_progress'], to: 'completed' },
  retryLater: { from: ['in_progress'], to: 'scheduled' },
  fail: { from: ['in_progress'], to: 'failed' },
  retry: { from: ['failed', 'expired'], to: 'scheduled' },
  edit: { from: ['scheduled', 'snoozed'], to: 'scheduled' },
} as const satisfies Record<string, { from: readonly FollowUpStatus[]; to: FollowUpStatus }>;

export type TransitionName = keyof typeof TRANSITIONS;

/** Whether any action may move a follow-up from `from` to `to`. */
export function canTransition(from: FollowUpStatus, to: FollowUpStatus): boolean {
  return Object.values(TRANSITIONS).some(
    (t) => t.to === to && (t.from as readonly FollowUpStatus[]).includes(from),
  );
}

/** Whether the named action is allowed from `status`. */
export function allows(action: TransitionName, status: FollowUpStatus): boolean {
  return (TRANSITIONS[action].from as readonly FollowUpStatus[]).includes(status);
}

/** The operator actions a follow-up page offers in a status. */
export const OPERATOR_ACTIONS = ['edit', 'snooze', 'resume', 'cancel', 'retry'] as const;
export type OperatorAction = (typeof OPERATOR_ACTIONS)[number];
export function allowedOperatorActions(status: FollowUpStatus): OperatorAction[] {
  return OPERATOR_ACTIONS.filter((a) => allows(a, status));
}

export const EVENT_KINDS = [
  'created',
  'updated',
  'rescheduled',
  'deferred',
  'queued',
  'attempt_started',
  'attempt_succeeded',
  'attempt_failed',
  'retry_scheduled',
  'completed',
  'failed',
  'blocked_dnc',
  'snoozed',
  'resumed',
  'cancelled',
  'expired',
  'retried',
] as const;
export type FollowUpEventKind = (typeof EVENT_KINDS)[number];

export const MAX_ATTEMPTS_RANGE = { min: 1, max: 10 } as const;
export const NOTES_MAX_LENGTH = 2000;
export const DEFAULT_MAX_ATTEMPTS = 3;
