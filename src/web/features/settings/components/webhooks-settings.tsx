/**
 * "Webhook endpoints" (admin): where webhook follow-ups are POSTed. Add, edit, delete, rotate
 * the secret, send a test event, and open an endpoint's deliveries.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { PlusIcon, WebhookIcon } from 'lucide-react';
import { useState } from 'react';
import { toast } from 'sonner';
import { ErrorState } from '../../../components/error-state.tsx';
import { Badge } from '../../../components/ui/badge.tsx';
import { Button, buttonVariants } from '../../../components/ui/button.tsx';
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
import { errorMessage } from '../../../lib/api.ts';
import { formatDateTime } from '../../../lib/format.ts';
import {
  deleteEndpoint,
  endpointsQuery,
  type NewWebhookEndpoint,
  rotateEndpointSecret,
  sendTestEvent,
  settingsKeys,
  type WebhookDelivery,
  type WebhookEndpoint,
} from '../api.ts';
import { ConfirmDialog } from './confirm-dialog.tsx';
import { NewSecretDialog, WebhookEndpointDialog } from './webhook-endpoint-dialog.tsx';

/** "HTTP 200 in 41 ms", or why nothing answered. */
export function deliverySentence(d: WebhookDelivery): string {
  if (d.statusCode !== null) {
    return `HTTP ${d.statusCode}${d.durationMs !== null ? ` in ${d.durationMs} ms` : ''}`;
  }
  return d.error ?? 'No answer';
}

function useTestEvent() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (endpoint: WebhookEndpoint) => sendTestEvent(endpoint.id),
    onSuccess: async (delivery) => {
      const ok = delivery.statusCode !== null && delivery.statusCode < 300;
      (ok ? toast.success : toast.error)(ok ? 'Test event delivered' : 'Test event not delivered', {
        description: deliverySentence(delivery),
      });
      await queryClient.invalidateQueries({
        queryKey: settingsKeys.deliveries(delivery.endpointId),
      });
    },
    onError: (error) => toast.error('Test event not sent', { description: errorMessage(error) }),
  });
}

export function WebhooksSettings() {
  const query = useQuery(endpointsQuery);
  const queryClient = useQueryClient();
  const test = useTestEvent();
  const [editing, setEditing] = useState<{ endpoint: WebhookEndpoint | null } | null>(null);
  const [deleting, setDeleting] = useState<WebhookEndpoint | null>(null);
  const [rotating, setRotating] = useState<WebhookEndpoint | null>(null);
  const [rotated, setRotated] = useState<NewWebhookEndpoint | null>(null);
  const rows = query.data?.items ?? [];
  const refresh = () => queryClient.invalidateQueries({ queryKey: settingsKeys.endpoints });

  return (
    <Card>
      <CardHeader>
        <div>
          <CardTitle>Webhook endpoints</CardTitle>
          <CardDescription>
            Webhook follow-ups are POSTed to the default active endpoint, signed (Standard
            Webhooks).
          </CardDescription>
        </div>
        <CardActions>
          <Button size="sm" onClick={() => setEditing({ endpoint: null })}>
            <PlusIcon aria-hidden="true" />
            Add endpoint
          </Button>
        </CardActions>
      </CardHeader>
      <CardContent>
        {query.isPending ? (
          <TableSkeleton rows={2} columns={4} />
        ) : query.isError ? (
          <ErrorState
            error={query.error}
            title="The webhook endpoints could not be loaded"
            onRetry={() => query.refetch()}
          />
        ) : rows.length === 0 ? (
          <EmptyState icon={WebhookIcon} title="No webhook endpoints">
            Add the URL that should receive webhook follow-ups with “Add endpoint”.
          </EmptyState>
        ) : (
          <ul className="grid divide-y" aria-label="Webhook endpoints">
            {rows.map((endpoint) => (
              <li
                key={endpoint.id}
                className="grid gap-2 py-3 first:pt-0 last:pb-0"
                data-endpoint-url={endpoint.url}
              >
                <div className="flex flex-wrap items-center gap-2">
                  <span className="min-w-0 break-all font-medium font-mono text-sm">
                    {endpoint.url}
                  </span>
                  {endpoint.isDefault ? <Badge>Default</Badge> : null}
                  {endpoint.active ? (
                    <Badge variant="secondary">Active</Badge>
                  ) : (
                    <Badge variant="outline">Inactive</Badge>
                  )}
                </div>
                <p className="text-muted-foreground text-sm">
                  {endpoint.description ? `${endpoint.description} · ` : ''}added{' '}
                  {formatDateTime(endpoint.createdAt)}
                </p>
                <div className="flex flex-wrap gap-2">
                  <Link
                    to="/settings/webhooks/$id"
                    params={{ id: endpoint.id }}
                    className={buttonVariants({ variant: 'outline', size: 'sm' })}
                  >
                    Deliveries
                  </Link>
                  <Button
                    variant="outline"
                    size="sm"
                    disabled={test.isPending && test.variables?.id === endpoint.id}
                    onClick={() => test.mutate(endpoint)}
                  >
                    {test.isPending && test.variables?.id === endpoint.id
                      ? 'Sending…'
                      : 'Send test event'}
                  </Button>
                  <Button variant="outline" size="sm" onClick={() => setEditing({ endpoint })}>
                    Edit
                  </Button>
                  <Button variant="outline" size="sm" onClick={() => setRotating(endpoint)}>
                    Rotate secret
                  </Button>
                  <Button variant="ghost" size="sm" onClick={() => setDeleting(endpoint)}>
                    Delete
                  </Button>
                </div>
              </li>
            ))}
          </ul>
        )}
      </CardContent>
      <WebhookEndpointDialog
        open={editing !== null}
        endpoint={editing?.endpoint ?? null}
        onOpenChange={(open) => !open && setEditing(null)}
      />
      <ConfirmDialog
        open={rotating !== null}
        onOpenChange={(open) => !open && setRotating(null)}
        title="Rotate the signing secret?"
        description={`A new secret signs requests to ${rotating?.url ?? ''} from now on, and the old one stops at once: update the receiver right after.`}
        confirm="Rotate secret"
        pending="Rotating…"
        onConfirm={async () => {
          if (!rotating) return;
          setRotated(await rotateEndpointSecret(rotating.id));
          await refresh();
        }}
      />
      <NewSecretDialog endpoint={rotated} onOpenChange={(open) => !open && setRotated(null)} />
      <ConfirmDialog
        open={deleting !== null}
        onOpenChange={(open) => !open && setDeleting(null)}
        title="Delete this webhook endpoint?"
        description={`${deleting?.url ?? ''} receives nothing more, and its delivery history is deleted with it.`}
        confirm="Delete"
        pending="Deleting…"
        onConfirm={async () => {
          if (!deleting) return;
          await deleteEndpoint(deleting.id);
          await refresh();
          toast.success('Webhook endpoint deleted');
        }}
      />
    </Card>
  );
}
