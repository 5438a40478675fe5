import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { CalendarClockIcon } from 'lucide-react';
import { FOLLOW_UP_STATUSES, PRIORITY_LABELS, TYPE_LABELS } from '../../../../core/follow-up.ts';
import { CALL_OUTCOME_LABELS } from '../../../../core/results.ts';
import { DescriptionList } from '../../../components/description-list.tsx';
import { ErrorState } from '../../../components/error-state.tsx';
import { LoadMore } from '../../../components/load-more.tsx';
import { NotFoundPage } from '../../../components/not-found.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { PageSkeleton } from '../../../components/page-skeleton.tsx';
import { Badge } from '../../../components/ui/badge.tsx';
import {
  Card,
  CardActions,
  CardContent,
  CardDescription,
  CardHeader,
  CardTitle,
} from '../../../components/ui/card.tsx';
import { EmptyState } from '../../../components/ui/empty-state.tsx';
import { TableSkeleton } from '../../../components/ui/skeleton.tsx';
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '../../../components/ui/table.tsx';
import { isApiError } from '../../../lib/api.ts';
import { formatDateTime, formatNumber } from '../../../lib/format.ts';
import { followUpsInfiniteQuery } from '../../follow-ups/api.ts';
import { FollowUpsTable } from '../../follow-ups/components/follow-ups-table.tsx';
import { StatusBadge } from '../../follow-ups/components/status-badge.tsx';
import { type CampaignDetail, campaignQuery } from '../api.ts';
import { CAMPAIGN_STATUS_LABELS, formatDelay, WEEKDAY_LABELS } from '../labels.ts';

const route = getRouteApi('/_app/campaigns/$id');
const viewAll = 'text-primary text-sm underline-offset-4 hover:underline';

/** The calling window its follow-ups obey, one line per weekday, then the closed dates. */
function CallingWindow({ campaign }: { campaign: CampaignDetail }) {
  const window = campaign.effectiveCallingWindow;
  return (
    <div className="grid gap-3">
      <table className="w-full text-sm" aria-label="Calling window per weekday">
        <tbody>
          {WEEKDAY_LABELS.map(([day, label]) => {
            const ranges = window.weekly[day];
            return (
              <tr key={day} className="border-b last:border-0">
                <th scope="row" className="py-1.5 pr-4 text-left font-normal text-muted-foreground">
                  {label}
                </th>
                <td className="py-1.5 tabular-nums">
                  {ranges.length === 0 ? (
                    <span className="text-muted-foreground">Closed</span>
                  ) : (
                    ranges.map((r) => `${r.start}–${r.end}`).join(', ')
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="text-muted-foreground text-xs">
        {window.closedDates.length
          ? `Closed on ${window.closedDates.join(', ')}. `
          : 'No closed dates. '}
        Times are each contact's local time; calls and SMS also stay within 08:00–21:00 there unless
        the customer asked otherwise.
      </p>
    </div>
  );
}

function OutcomeRules({ campaign }: { campaign: CampaignDetail }) {
  if (campaign.outcomeRules.length === 0) {
    return (
      <p className="text-muted-foreground text-sm">
        No outcome rules: its calls create no follow-ups by themselves.
      </p>
    );
  }
  return (
    <Table label="Outcome rules">
      <TableHeader>
        <TableRow className="hover:bg-transparent">
          <TableHead>When a call ends with</TableHead>
          <TableHead>Schedule</TableHead>
          <TableHead>When</TableHead>
          <TableHead>Max attempts</TableHead>
          <TableHead>Priority</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {campaign.outcomeRules.map((rule) => (
          <TableRow key={`${rule.outcome}/${rule.type}`}>
            <TableCell className="font-medium">{CALL_OUTCOME_LABELS[rule.outcome]}</TableCell>
            <TableCell>{TYPE_LABELS[rule.type]}</TableCell>
            <TableCell className="min-w-40 whitespace-normal">
              {formatDelay(rule.delayMinutes)}
            </TableCell>
            <TableCell className="tabular-nums">{rule.maxAttempts}</TableCell>
            <TableCell>{PRIORITY_LABELS[rule.priority]}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** The campaign's follow-ups: the global list's table, filtered to this campaign. */
function CampaignFollowUps({ campaignId }: { campaignId: string }) {
  const query = useInfiniteQuery(followUpsInfiniteQuery({ campaignId }, 25));
  const rows = query.data?.pages.flatMap((p) => p.items) ?? [];
  if (query.isPending) return <TableSkeleton rows={5} columns={9} />;
  if (query.isError && !query.data) {
    return (
      <ErrorState
        error={query.error}
        title="Its follow-ups could not be loaded"
        onRetry={() => query.refetch()}
      />
    );
  }
  if (rows.length === 0) {
    return (
      <EmptyState icon={CalendarClockIcon} title="No follow-ups yet">
        Its calls' outcomes create them, following the rules above.
      </EmptyState>
    );
  }
  return (
    <>
      <FollowUpsTable rows={rows} variant="global" label="Follow-ups of this campaign" />
      <LoadMore
        shown={rows.length}
        noun={['follow-up', 'follow-ups']}
        hasMore={!!query.hasNextPage}
        loading={query.isFetchingNextPage}
        onLoadMore={() => query.fetchNextPage()}
      />
    </>
  );
}

/** One campaign (SPEC §7): its settings and its follow-ups. */
export function CampaignPage() {
  const { id } = route.useParams();
  const query = useQuery(campaignQuery(id));
  if (query.isPending) return <PageSkeleton />;
  if (query.isError) {
    if (isApiError(query.error, 404) || isApiError(query.error, 400)) {
      return <NotFoundPage what="campaign" backTo={{ to: '/campaigns', label: 'All campaigns' }} />;
    }
    return <ErrorState error={query.error} onRetry={() => query.refetch()} />;
  }
  const campaign = query.data;
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-3 text-muted-foreground text-sm">
        <Link to="/campaigns" className="hover:text-foreground hover:underline">
          Campaigns
        </Link>
        <span aria-hidden="true"> / </span>
        <span aria-current="page">{campaign.name}</span>
      </nav>
      <PageHeader
        title={
          <span className="inline-flex flex-wrap items-center gap-2">
            {campaign.name}
            <Badge variant="outline" className="font-normal">
              {CAMPAIGN_STATUS_LABELS[campaign.status]}
            </Badge>
          </span>
        }
        description={`${formatNumber(campaign.followUpCounts.total)} follow-ups · created ${formatDateTime(campaign.createdAt)}`}
      />
      <div className="grid gap-5">
        <div className="grid items-start gap-5 lg:grid-cols-3">
          <Card aria-labelledby="campaign-settings">
            <CardHeader>
              <CardTitle id="campaign-settings">Settings</CardTitle>
            </CardHeader>
            <CardContent>
              <DescriptionList
                items={[
                  { label: 'Status', value: CAMPAIGN_STATUS_LABELS[campaign.status] },
                  {
                    label: 'Agent',
                    value: campaign.agent?.name ?? (
                      <span className="text-muted-foreground">None (Inherit from source)</span>
                    ),
                  },
                  { label: 'Time zone', value: campaign.timezone ?? 'Each contact’s own' },
                  {
                    label: 'Calling window',
                    value: campaign.callingWindow ? 'Its own' : 'The workspace’s',
                  },
                  { label: 'Updated', value: formatDateTime(campaign.updatedAt) },
                ]}
              />
            </CardContent>
          </Card>
          <Card aria-labelledby="campaign-window">
            <CardHeader>
              <div className="grid gap-1">
                <CardTitle id="campaign-window">Calling window</CardTitle>
                <CardDescription>
                  {campaign.callingWindow
                    ? 'Set for this campaign.'
                    : 'Inherited from the workspace settings.'}
                </CardDescription>
              </div>
            </CardHeader>
            <CardContent>
              <CallingWindow campaign={campaign} />
            </CardContent>
          </Card>
          <Card aria-labelledby="campaign-counts">
            <CardHeader>
              <CardTitle id="campaign-counts">Follow-ups per status</CardTitle>
            </CardHeader>
            <CardContent>
              <ul className="grid gap-2">
                {FOLLOW_UP_STATUSES.map((status) => (
                  <li key={status} className="flex items-center justify-between gap-2 text-sm">
                    <Link to="/follow-ups" search={{ campaignId: campaign.id, status }}>
                      <StatusBadge status={status} />
                    </Link>
                    <span className="tabular-nums">
                      {formatNumber(campaign.followUpCounts[status])}
                    </span>
                  </li>
                ))}
              </ul>
            </CardContent>
          </Card>
        </div>

        <Card aria-labelledby="campaign-rules">
          <CardHeader>
            <div className="grid gap-1">
              <CardTitle id="campaign-rules">Outcome rules</CardTitle>
              <CardDescription>
                What a call's outcome schedules next. A rule never adds a second open follow-up of
                the same type for the same contact.
              </CardDescription>
            </div>
          </CardHeader>
          <CardContent>
            <OutcomeRules campaign={campaign} />
          </CardContent>
        </Card>

        <Card aria-labelledby="campaign-follow-ups" data-testid="campaign-follow-ups">
          <CardHeader>
            <CardTitle id="campaign-follow-ups">Follow-ups</CardTitle>
            <CardActions>
              <Link to="/follow-ups" search={{ campaignId: campaign.id }} className={viewAll}>
                View all
              </Link>
            </CardActions>
          </CardHeader>
          <CardContent>
            <CampaignFollowUps campaignId={campaign.id} />
          </CardContent>
        </Card>
      </div>
    </>
  );
}
