import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { CalendarCheckIcon, PartyPopperIcon } from 'lucide-react';
import { lazy, Suspense } from 'react';
import { ErrorState } from '../../../components/error-state.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import {
  Card,
  CardActions,
  CardContent,
  CardDescription,
  CardHeader,
  CardTitle,
} from '../../../components/ui/card.tsx';
import { EmptyState } from '../../../components/ui/empty-state.tsx';
import { Skeleton } from '../../../components/ui/skeleton.tsx';
import { formatNumber } from '../../../lib/format.ts';
import { dashboardQuery } from '../api.ts';
import { NeedsAttentionList, NextUpList } from '../components/follow-up-list.tsx';
import { StatusGroups } from '../components/status-groups.tsx';

const OutcomesChart = lazy(() =>
  import('../components/outcomes-chart.tsx').then((m) => ({ default: m.OutcomesChart })),
);

const viewAll = 'text-primary text-sm underline-offset-4 hover:underline';

function ChartSkeleton() {
  return (
    <div role="status" aria-label="Loading the chart" className="grid gap-3">
      <Skeleton className="h-4 w-2/3" />
      <Skeleton className="h-60 w-full sm:h-72" />
    </div>
  );
}

function DashboardSkeleton() {
  return (
    <div role="status" aria-label="Loading" className="grid gap-5">
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        {[0, 1, 2, 3].map((i) => (
          <Skeleton key={i} className="h-28 rounded-xl" />
        ))}
      </div>
      <div className="grid gap-5 lg:grid-cols-2">
        <Skeleton className="h-64 rounded-xl" />
        <Skeleton className="h-64 rounded-xl" />
      </div>
    </div>
  );
}

/** The dashboard (SPEC §7): where things stand, what needs attention, what comes next. */
export function DashboardPage() {
  const query = useQuery(dashboardQuery);
  const header = (
    <PageHeader
      title="Dashboard"
      description="Follow-ups per status group, what needs attention, the next 24 hours and how calls went."
    />
  );
  if (query.isPending) {
    return (
      <>
        {header}
        <DashboardSkeleton />
      </>
    );
  }
  if (query.isError) {
    return (
      <>
        {header}
        <ErrorState
          error={query.error}
          title="The dashboard could not be loaded"
          onRetry={() => query.refetch()}
        />
      </>
    );
  }
  const d = query.data;
  const attentionTotal = d.countsByStatus.failed + d.countsByStatus.expired;
  const days = d.outcomesByDay.length;

  return (
    <>
      {header}
      <div className="grid gap-5">
        <StatusGroups counts={d.countsByStatus} />

        <div className="grid items-start gap-5 lg:grid-cols-2">
          <Card aria-labelledby="needs-attention-title" data-testid="needs-attention">
            <CardHeader className="flex-nowrap items-start">
              <div className="grid min-w-0 flex-1 gap-1">
                <CardTitle id="needs-attention-title">Needs attention</CardTitle>
                <CardDescription>
                  {attentionTotal > d.needsAttention.length
                    ? `The latest ${d.needsAttention.length} of ${formatNumber(attentionTotal)} failed and expired follow-ups.`
                    : 'Failed and expired follow-ups, latest first.'}
                </CardDescription>
              </div>
              <CardActions>
                <Link to="/follow-ups" search={{ status: 'failed,expired' }} className={viewAll}>
                  View all
                </Link>
              </CardActions>
            </CardHeader>
            <CardContent>
              {d.needsAttention.length === 0 ? (
                <EmptyState icon={PartyPopperIcon} title="Nothing needs attention">
                  Follow-ups that fail or expire show up here, so someone can retry them.
                </EmptyState>
              ) : (
                <NeedsAttentionList items={d.needsAttention} />
              )}
            </CardContent>
          </Card>

          <Card aria-labelledby="next-24h-title" data-testid="next-24h">
            <CardHeader className="flex-nowrap items-start">
              <div className="grid min-w-0 flex-1 gap-1">
                <CardTitle id="next-24h-title">Next 24 hours</CardTitle>
                <CardDescription>
                  Scheduled, queued and snoozed follow-ups that run by this time tomorrow.
                </CardDescription>
              </div>
              <CardActions>
                <Link
                  to="/follow-ups"
                  search={{ status: 'scheduled,queued,snoozed' }}
                  className={viewAll}
                >
                  View all open
                </Link>
              </CardActions>
            </CardHeader>
            <CardContent>
              {d.next24h.length === 0 ? (
                <EmptyState
                  icon={CalendarCheckIcon}
                  title="Nothing is due in the next 24 hours"
                  action={
                    <Link to="/contacts" className={viewAll}>
                      Open a contact to schedule a follow-up
                    </Link>
                  }
                />
              ) : (
                <NextUpList items={d.next24h} />
              )}
            </CardContent>
          </Card>
        </div>

        <Card aria-labelledby="outcomes-title">
          <CardHeader className="flex-nowrap items-start">
            <div className="grid min-w-0 flex-1 gap-1">
              <CardTitle id="outcomes-title">Call outcomes per day</CardTitle>
              <CardDescription>
                The last {days} days, by day in the workspace time zone ({d.timezone}).
              </CardDescription>
            </div>
            <CardActions>
              <Link to="/call-logs" className={viewAll}>
                Call logs
              </Link>
            </CardActions>
          </CardHeader>
          <CardContent>
            <Suspense fallback={<ChartSkeleton />}>
              <OutcomesChart days={d.outcomesByDay} />
            </Suspense>
          </CardContent>
        </Card>
      </div>
    </>
  );
}
