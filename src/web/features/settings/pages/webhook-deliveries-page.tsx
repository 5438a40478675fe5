/**
 * /settings/webhooks/:id: the requests sent to one webhook endpoint, newest first, each with
 * "Redeliver" (same payload and webhook-id, signed with the current secret).
 */
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { ArrowLeftIcon, InboxIcon } from 'lucide-react';
import { toast } from 'sonner';
import { ErrorState } from '../../../components/error-state.tsx';
import { LoadMore } from '../../../components/load-more.tsx';
import { NotFoundPage } from '../../../components/not-found.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { Alert } from '../../../components/ui/alert.tsx';
import { Badge } from '../../../components/ui/badge.tsx';
import { Button } from '../../../components/ui/button.tsx';
import { Card, CardContent } from '../../../components/ui/card.tsx';
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
import { errorMessage, isApiError } from '../../../lib/api.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { useIsAdmin } from '../../../lib/session.ts';
import {
  deliveriesInfiniteQuery,
  endpointsQuery,
  redeliver,
  settingsKeys,
  type WebhookDelivery,
} from '../api.ts';
import { deliverySentence } from '../components/webhooks-settings.tsx';
import { ONLY_ADMINS } from './settings-page.tsx';

const route = getRouteApi('/_app/settings/webhooks/$id');
const link = 'font-medium text-primary underline-offset-4 hover:underline';

function StatusCell({ delivery }: { delivery: WebhookDelivery }) {
  if (delivery.statusCode === null) return <Badge variant="outline">No answer</Badge>;
  const ok = delivery.statusCode >= 200 && delivery.statusCode < 300;
  return (
    <Badge
      variant={ok ? 'secondary' : 'destructive'}
      className={ok ? 'bg-green-100 text-green-900 dark:bg-green-950 dark:text-green-100' : ''}
    >
      {delivery.statusCode}
    </Badge>
  );
}

function Deliveries({ endpointId }: { endpointId: string }) {
  const queryClient = useQueryClient();
  const query = useInfiniteQuery(deliveriesInfiniteQuery(endpointId));
  const rows = query.data?.pages.flatMap((p) => p.items) ?? [];
  const again = useMutation({
    mutationFn: (delivery: WebhookDelivery) => redeliver(delivery.id),
    onSuccess: async (delivery) => {
      const ok = delivery.statusCode !== null && delivery.statusCode < 300;
      (ok ? toast.success : toast.error)(ok ? 'Redelivered' : 'Redelivery failed', {
        description: deliverySentence(delivery),
      });
      await queryClient.invalidateQueries({ queryKey: settingsKeys.deliveries(endpointId) });
    },
    onError: (error) => toast.error('Not redelivered', { description: errorMessage(error) }),
  });

  if (query.isPending) return <TableSkeleton rows={5} columns={8} />;
  if (query.isError && !query.data) {
    return (
      <ErrorState
        error={query.error}
        title="The deliveries could not be loaded"
        onRetry={() => query.refetch()}
      />
    );
  }
  if (rows.length === 0) {
    return (
      <EmptyState icon={InboxIcon} title="Nothing was sent to this endpoint yet">
        Webhook follow-ups delivered here appear in this list; “Send test event” in Settings sends
        one now.
      </EmptyState>
    );
  }
  const redeliverButton = (d: WebhookDelivery) => (
    <Button
      variant="outline"
      size="sm"
      disabled={again.isPending && again.variables?.id === d.id}
      onClick={() => again.mutate(d)}
    >
      {again.isPending && again.variables?.id === d.id ? 'Sending…' : 'Redeliver'}
    </Button>
  );
  const followUpLink = (d: WebhookDelivery) =>
    d.followUpId ? (
      <Link to="/follow-ups/$id" params={{ id: d.followUpId }} className={link}>
        View follow-up
      </Link>
    ) : (
      '—'
    );
  return (
    <>
      {/* Narrow screens: one block per delivery, its "Redeliver" in reach. */}
      <ul className="grid divide-y sm:hidden" aria-label="Deliveries">
        {rows.map((d) => (
          <li key={d.id} className="grid gap-1.5 py-3 first:pt-0">
            <div className="flex items-center justify-between gap-2">
              <span className="font-medium text-sm">{formatDateTime(d.createdAt)}</span>
              <StatusCell delivery={d} />
            </div>
            <p className="text-muted-foreground text-sm">
              <span className="font-mono">{d.eventType}</span> · attempt {d.attempt}
              {d.durationMs === null ? '' : ` · ${d.durationMs} ms`}
            </p>
            {d.error ? <p className="text-muted-foreground text-sm">{d.error}</p> : null}
            <div className="flex items-center justify-between gap-2 text-sm">
              <span>{d.followUpId ? followUpLink(d) : null}</span>
              {redeliverButton(d)}
            </div>
          </li>
        ))}
      </ul>
      <div className="hidden sm:block">
        <Table label="Deliveries">
          <TableHeader>
            <TableRow>
              <TableHead>Time</TableHead>
              <TableHead>Event</TableHead>
              <TableHead>Follow-up</TableHead>
              <TableHead>Attempt</TableHead>
              <TableHead>Status</TableHead>
              <TableHead>Duration</TableHead>
              <TableHead>Error</TableHead>
              <TableHead>
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map((d) => (
              <TableRow key={d.id} data-delivery-id={d.id}>
                <TableCell className="whitespace-nowrap">{formatDateTime(d.createdAt)}</TableCell>
                <TableCell className="font-mono text-xs">{d.eventType}</TableCell>
                <TableCell className="whitespace-nowrap">{followUpLink(d)}</TableCell>
                <TableCell className="tabular-nums">{d.attempt}</TableCell>
                <TableCell>
                  <StatusCell delivery={d} />
                </TableCell>
                <TableCell className="whitespace-nowrap tabular-nums">
                  {d.durationMs === null ? '—' : `${d.durationMs} ms`}
                </TableCell>
                <TableCell className="min-w-48 max-w-md text-muted-foreground">
                  {d.error ?? '—'}
                </TableCell>
                <TableCell className="text-right">{redeliverButton(d)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
      <LoadMore
        shown={rows.length}
        noun={['delivery', 'deliveries']}
        hasMore={query.hasNextPage}
        loading={query.isFetchingNextPage}
        onLoadMore={() => query.fetchNextPage()}
      />
    </>
  );
}

export function WebhookDeliveriesPage() {
  const { id } = route.useParams();
  const isAdmin = useIsAdmin();
  const endpoints = useQuery({ ...endpointsQuery, enabled: isAdmin });
  const endpoint = endpoints.data?.items.find((e) => e.id === id);
  const back = (
    <Link to="/settings" search={{ section: 'webhooks' }} className={`${link} text-sm`}>
      <ArrowLeftIcon aria-hidden="true" className="mr-1 inline size-4" />
      Webhook endpoints
    </Link>
  );
  if (!isAdmin) {
    return (
      <>
        <PageHeader title="Deliveries" />
        <Alert variant="info">
          <p>{ONLY_ADMINS} Webhook deliveries are shown to admins only.</p>
        </Alert>
      </>
    );
  }
  if (endpoints.isSuccess && !endpoint) return <NotFoundPage />;
  if (endpoints.isError && !isApiError(endpoints.error, 404)) {
    return <ErrorState error={endpoints.error} onRetry={() => endpoints.refetch()} />;
  }
  return (
    <>
      <div className="mb-2">{back}</div>
      <PageHeader
        title="Deliveries"
        description={
          endpoint ? (
            <>
              <span className="break-all font-mono">{endpoint.url}</span>
              {endpoint.description ? ` · ${endpoint.description}` : ''}
            </>
          ) : null
        }
      />
      <Card>
        <CardContent className="pt-4">
          <Deliveries endpointId={id} />
        </CardContent>
      </Card>
    </>
  );
}
