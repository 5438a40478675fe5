import { useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { FOLLOW_UP_STATUSES } from '../../../../core/follow-up.ts';
import { DescriptionList } from '../../../components/description-list.tsx';
import { ErrorState } from '../../../components/error-state.tsx';
import { NotFoundPage } from '../../../components/not-found.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { PageSkeleton } from '../../../components/page-skeleton.tsx';
import { StatusBadge } from '../../../components/status-badge.tsx';
import {
  Card,
  CardActions,
  CardContent,
  CardDescription,
  CardHeader,
  CardTitle,
} from '../../../components/ui/card.tsx';
import { isApiError } from '../../../lib/api.ts';
import { formatDateTime, formatNumber } from '../../../lib/format.ts';
import { useIsAdmin } from '../../../lib/session.ts';
import { type CampaignDetail, campaignQuery } from '../api.ts';
import { CampaignComplianceForm } from '../components/campaign-compliance-form.tsx';
import { CampaignFollowUps } from '../components/campaign-follow-ups.tsx';
import { CallingWindowView, OutcomeRulesView } from '../components/campaign-read-only.tsx';
import { CampaignSettingsForm } from '../components/campaign-settings-form.tsx';
import { CampaignStatusActions } from '../components/campaign-status-actions.tsx';
import { CampaignStatusBadge } from '../components/campaign-status-badge.tsx';
import { CAMPAIGN_STATUS_LABELS } from '../labels.ts';

const route = getRouteApi('/_app/campaigns/$id');
const viewAll = 'text-primary text-sm underline-offset-4 hover:underline';

function FollowUpCounts({ campaign }: { campaign: CampaignDetail }) {
  return (
    <Card aria-labelledby="campaign-counts">
      <CardHeader>
        <CardTitle id="campaign-counts">Follow-ups per status</CardTitle>
      </CardHeader>
      <CardContent>
        <ul className="grid gap-2 sm:grid-cols-2 lg:grid-cols-4">
          {FOLLOW_UP_STATUSES.map((status) => (
            <li key={status} className="flex items-center justify-between gap-2 text-sm">
              <Link to="/follow-ups" search={{ campaignId: campaign.id, status }}>
                <StatusBadge status={status} />
              </Link>
              <span className="tabular-nums">{formatNumber(campaign.followUpCounts[status])}</span>
            </li>
          ))}
        </ul>
      </CardContent>
    </Card>
  );
}

/** What people who cannot change the campaign see of its settings. */
function ReadOnlySettings({ campaign }: { campaign: CampaignDetail }) {
  return (
    <>
      <div className="grid items-start gap-5 lg:grid-cols-2">
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
            <CallingWindowView campaign={campaign} />
          </CardContent>
        </Card>
      </div>
      <Card aria-labelledby="campaign-rules">
        <CardHeader>
          <div className="grid gap-1">
            <CardTitle id="campaign-rules">Outcome rules</CardTitle>
            <CardDescription>What a call's outcome schedules next.</CardDescription>
          </div>
        </CardHeader>
        <CardContent>
          <OutcomeRulesView campaign={campaign} />
        </CardContent>
      </Card>
    </>
  );
}

/** One campaign (SPEC §7): its status, its settings (editable by admins) and its follow-ups. */
export function CampaignPage() {
  const { id } = route.useParams();
  const query = useQuery(campaignQuery(id));
  const isAdmin = useIsAdmin();
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
            <span data-testid="campaign-status">
              <CampaignStatusBadge status={campaign.status} />
            </span>
          </span>
        }
        description={`${formatNumber(campaign.followUpCounts.total)} ${campaign.followUpCounts.total === 1 ? 'follow-up' : 'follow-ups'} · created ${formatDateTime(campaign.createdAt)}`}
        actions={isAdmin ? <CampaignStatusActions campaign={campaign} /> : null}
      />
      <div className="grid gap-5">
        {isAdmin ? (
          <CampaignSettingsForm key={campaign.id} campaign={campaign} />
        ) : (
          <ReadOnlySettings campaign={campaign} />
        )}
        <CampaignComplianceForm
          key={`${campaign.id}-${campaign.updatedAt}`}
          campaign={campaign}
          canEdit={isAdmin}
        />
        <FollowUpCounts campaign={campaign} />
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
