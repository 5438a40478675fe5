import { useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { FOLLOW_UP_STATUSES } from '../../../../core/follow-up.ts';
import { DescriptionList } from '../../../components/description-list.tsx';
import { ErrorState } from '../../../components/error-state.tsx';
import { NotFoundPage } from '../../../components/not-found.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { PageSkeleton } from '../../../components/page-skeleton.tsx';
import { Button } from '../../../components/ui/button.tsx';
import { Card, CardContent, CardHeader, CardTitle } from '../../../components/ui/card.tsx';
import { isApiError } from '../../../lib/api.ts';
import { formatDateTime, formatNumber } from '../../../lib/format.ts';
import { StatusBadge } from '../../follow-ups/components/status-badge.tsx';
import { campaignQuery } from '../api.ts';
import { CAMPAIGN_STATUS_LABELS } from '../labels.ts';

const route = getRouteApi('/_app/campaigns/$id');

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
        title={campaign.name}
        description={`${CAMPAIGN_STATUS_LABELS[campaign.status]} · ${formatNumber(campaign.followUpCounts.total)} follow-ups`}
        actions={
          <Button asChild variant="outline" size="sm">
            <Link to="/follow-ups" search={{ campaignId: campaign.id }}>
              View its follow-ups
            </Link>
          </Button>
        }
      />
      <div className="grid gap-5 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>Follow-ups per status</CardTitle>
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
        <Card>
          <CardHeader>
            <CardTitle>Settings</CardTitle>
          </CardHeader>
          <CardContent>
            <DescriptionList
              items={[
                { label: 'Agent', value: campaign.agent?.name ?? '—' },
                { label: 'Time zone', value: campaign.timezone ?? 'Each contact’s own' },
                {
                  label: 'Calling window',
                  value: campaign.callingWindow ? 'Its own' : 'The workspace’s',
                },
                { label: 'Outcome rules', value: formatNumber(campaign.outcomeRules.length) },
                { label: 'Created', value: formatDateTime(campaign.createdAt) },
              ]}
            />
          </CardContent>
        </Card>
      </div>
    </>
  );
}
