import { Link } from '@tanstack/react-router';
import {
  AlertTriangleIcon,
  CircleCheckIcon,
  CircleDashedIcon,
  LoaderIcon,
  type LucideIcon,
} from 'lucide-react';
import { Fragment } from 'react';
import {
  FOLLOW_UP_STATUSES,
  type FollowUpStatus,
  STATUS_GROUPS,
  STATUS_LABELS,
  type StatusGroup,
} from '../../../../core/follow-up.ts';
import { formatNumber } from '../../../lib/format.ts';
import { cn } from '../../../lib/utils.ts';

const GROUPS: { group: StatusGroup; icon: LucideIcon; accent: string }[] = [
  {
    group: 'Not started yet',
    icon: CircleDashedIcon,
    accent: 'text-blue-700 dark:text-blue-300',
  },
  { group: 'In progress', icon: LoaderIcon, accent: 'text-amber-700 dark:text-amber-300' },
  { group: 'Done', icon: CircleCheckIcon, accent: 'text-green-700 dark:text-green-300' },
  { group: 'Needs attention', icon: AlertTriangleIcon, accent: 'text-red-700 dark:text-red-300' },
];

const statusesOf = (group: StatusGroup) =>
  FOLLOW_UP_STATUSES.filter((status) => STATUS_GROUPS[status] === group);

/** The four status groups operators think in (SPEC §2.2), each linking to its follow-ups. */
export function StatusGroups({ counts }: { counts: Record<FollowUpStatus, number> }) {
  return (
    <section
      aria-label="Follow-ups per status group"
      className="grid grid-cols-2 gap-3 lg:grid-cols-4"
    >
      {GROUPS.map(({ group, icon: Icon, accent }) => {
        const statuses = statusesOf(group);
        const total = statuses.reduce((n, status) => n + counts[status], 0);
        const attention = group === 'Needs attention' && total > 0;
        return (
          <Link
            key={group}
            to="/follow-ups"
            search={{ status: statuses.join(',') }}
            data-testid="status-group"
            className={cn(
              'group grid min-w-0 gap-1 rounded-xl border bg-card px-3 py-3 shadow-xs sm:px-4',
              'hover:border-ring/50 hover:bg-accent/40',
              attention && 'border-red-300 dark:border-red-900',
            )}
          >
            <span className="flex items-center gap-1.5 font-medium text-muted-foreground text-xs sm:text-sm">
              <Icon aria-hidden="true" className={cn('size-4 shrink-0', accent)} />
              <span data-testid="status-group-name">{group}</span>
            </span>
            <span
              className="font-semibold text-2xl tabular-nums tracking-tight sm:text-3xl"
              data-testid="status-group-count"
            >
              {formatNumber(total)}
            </span>
            <span className="text-muted-foreground text-xs leading-relaxed">
              {statuses.map((status, i) => (
                <Fragment key={status}>
                  {i > 0 ? ' · ' : ''}
                  <span className="whitespace-nowrap">
                    {STATUS_LABELS[status]} {formatNumber(counts[status])}
                  </span>
                </Fragment>
              ))}
            </span>
          </Link>
        );
      })}
    </section>
  );
}
