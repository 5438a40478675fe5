import { useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { DescriptionList } from '../../../components/description-list.tsx';
import { ErrorState } from '../../../components/error-state.tsx';
import { NotFoundPage } from '../../../components/not-found.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { PageSkeleton } from '../../../components/page-skeleton.tsx';
import { Card, CardContent } from '../../../components/ui/card.tsx';
import { isApiError } from '../../../lib/api.ts';
import { formatDateTime, formatDuration } from '../../../lib/format.ts';
import { callLogQuery } from '../api.ts';
import { OutcomeBadge } from '../components/outcome-badge.tsx';

const route = getRouteApi('/_app/call-logs/$id');

export function CallLogPage() {
  const { id } = route.useParams();
  const query = useQuery(callLogQuery(id));
  if (query.isPending) return <PageSkeleton />;
  if (query.isError) {
    if (isApiError(query.error, 404) || isApiError(query.error, 400)) {
      return <NotFoundPage what="call" backTo={{ to: '/call-logs', label: 'All calls' }} />;
    }
    return <ErrorState error={query.error} onRetry={() => query.refetch()} />;
  }
  const call = query.data;
  const link = 'text-primary underline-offset-4 hover:underline';
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-3 text-muted-foreground text-sm">
        <Link to="/call-logs" className="hover:text-foreground hover:underline">
          Call logs
        </Link>
        <span aria-hidden="true"> / </span>
        <span aria-current="page">{formatDateTime(call.startedAt)}</span>
      </nav>
      <PageHeader
        title={`Call with ${call.contact.name}`}
        description={formatDateTime(call.startedAt)}
        actions={<OutcomeBadge outcome={call.outcome} />}
      />
      <Card>
        <CardContent className="pt-4">
          <DescriptionList
            columns={2}
            items={[
              {
                label: 'Contact',
                value: (
                  <Link to="/contacts/$id" params={{ id: call.contact.id }} className={link}>
                    {call.contact.name}
                  </Link>
                ),
              },
              { label: 'Direction', value: call.direction === 'inbound' ? 'Inbound' : 'Outbound' },
              { label: 'Started', value: formatDateTime(call.startedAt) },
              { label: 'Ended', value: formatDateTime(call.endedAt) },
              { label: 'Duration', value: formatDuration(call.durationSeconds) },
              { label: 'Agent', value: call.agent?.name ?? '—' },
              {
                label: 'Campaign',
                value: call.campaign ? (
                  <Link to="/campaigns/$id" params={{ id: call.campaign.id }} className={link}>
                    {call.campaign.name}
                  </Link>
                ) : (
                  '—'
                ),
              },
              {
                label: 'Follow-up',
                value: call.followUpId ? (
                  <Link to="/follow-ups/$id" params={{ id: call.followUpId }} className={link}>
                    View follow-up
                  </Link>
                ) : (
                  '—'
                ),
              },
              {
                label: 'Callback requested for',
                value: formatDateTime(call.requestedCallbackAt),
              },
              { label: 'Summary', value: call.summary ?? '—' },
            ]}
          />
        </CardContent>
      </Card>
    </>
  );
}
