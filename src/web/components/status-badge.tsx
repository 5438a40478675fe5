import { HourglassIcon } from 'lucide-react';
import type { Waiting } from '../../contracts/follow-ups.contract.ts';
import { type FollowUpStatus, STATUS_LABELS } from '../../core/follow-up.ts';
import { formatDateTime } from '../lib/format.ts';
import { cn } from '../lib/utils.ts';
import { Badge } from './ui/badge.tsx';

/** One hue per status, readable on light and dark backgrounds (SPEC §7.2). */
const STATUS_CLASSES: Record<FollowUpStatus, string> = {
  scheduled: 'bg-blue-100 text-blue-800 dark:bg-blue-400/20 dark:text-blue-200',
  queued: 'bg-indigo-100 text-indigo-800 dark:bg-indigo-400/20 dark:text-indigo-200',
  in_progress: 'bg-amber-100 text-amber-900 dark:bg-amber-400/20 dark:text-amber-200',
  completed: 'bg-green-100 text-green-800 dark:bg-green-400/20 dark:text-green-200',
  failed: 'bg-red-100 text-red-800 dark:bg-red-400/20 dark:text-red-200',
  cancelled: 'bg-zinc-200 text-zinc-700 dark:bg-zinc-400/20 dark:text-zinc-300',
  expired: 'bg-orange-100 text-orange-800 dark:bg-orange-400/20 dark:text-orange-200',
  snoozed: 'bg-violet-100 text-violet-800 dark:bg-violet-400/20 dark:text-violet-200',
};

const DOT_CLASSES: Record<FollowUpStatus, string> = {
  scheduled: 'bg-blue-500',
  queued: 'bg-indigo-500',
  in_progress: 'bg-amber-500 animate-pulse',
  completed: 'bg-green-500',
  failed: 'bg-red-500',
  cancelled: 'bg-zinc-400',
  expired: 'bg-orange-500',
  snoozed: 'bg-violet-500',
};

export function StatusBadge({ status, className }: { status: FollowUpStatus; className?: string }) {
  return (
    <Badge
      variant="secondary"
      data-status={status}
      className={cn('border-transparent', STATUS_CLASSES[status], className)}
    >
      <span aria-hidden="true" className={cn('size-1.5 rounded-full', DOT_CLASSES[status])} />
      {STATUS_LABELS[status]}
    </Badge>
  );
}

export function OutOfWindowBadge() {
  return (
    <Badge
      variant="outline"
      title="The customer asked to be reached outside the calling window"
      className="font-normal text-muted-foreground"
    >
      out-of-window
    </Badge>
  );
}

/**
 * Why an open follow-up is not running yet (the server's `waiting`), e.g. "Outside calling
 * window until Tue 3 Mar, 09:00 EST"; the instant in the viewer's zone on hover.
 */
export function WaitingNote({
  waiting,
  className,
}: {
  waiting: Waiting | null | undefined;
  className?: string;
}) {
  if (!waiting) return null;
  return (
    <span
      data-waiting={waiting.code}
      title={waiting.until ? `Until ${formatDateTime(waiting.until)} (your time)` : undefined}
      className={cn(
        'inline-flex items-start gap-1 whitespace-normal text-muted-foreground text-xs',
        className,
      )}
    >
      <HourglassIcon aria-hidden="true" className="mt-px size-3 shrink-0" />
      {waiting.message}
    </span>
  );
}

/**
 * The status badge, followed by "out-of-window" when the override is on, and by why it is
 * not running yet when it waits.
 */
export function StatusCell({
  status,
  allowOutOfWindow,
  waiting,
  stacked = false,
}: {
  status: FollowUpStatus;
  allowOutOfWindow: boolean;
  waiting?: Waiting | null;
  /** In narrow tables the outline badge goes under the status badge. */
  stacked?: boolean;
}) {
  return (
    <span
      className={cn(
        'inline-flex gap-1.5',
        stacked ? 'flex-col items-start gap-1' : 'flex-wrap items-center',
      )}
    >
      <StatusBadge status={status} />
      {allowOutOfWindow ? <OutOfWindowBadge /> : null}
      {stacked ? <WaitingNote waiting={waiting} className="max-w-48" /> : null}
    </span>
  );
}
