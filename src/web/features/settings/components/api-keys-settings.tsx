/** "API keys" (admin): keys for scripts and integrations; the secret is shown once. */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { KeyRoundIcon, PlusIcon } from 'lucide-react';
import { useState } from 'react';
import { toast } from 'sonner';
import { ErrorState } from '../../../components/error-state.tsx';
import { Badge } from '../../../components/ui/badge.tsx';
import { Button } from '../../../components/ui/button.tsx';
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
import { formatDateTime } from '../../../lib/format.ts';
import { type ApiKey, apiKeysQuery, revokeApiKey, roleLabel, settingsKeys } from '../api.ts';
import { ConfirmDialog } from './confirm-dialog.tsx';
import { CreateApiKeyDialog } from './create-api-key-dialog.tsx';

export function ApiKeysSettings() {
  const query = useQuery(apiKeysQuery);
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const rows = query.data?.items ?? [];
  const revokeButton = (key: ApiKey) =>
    key.revokedAt ? null : (
      <Button variant="outline" size="sm" onClick={() => setRevoking(key)}>
        Revoke<span className="sr-only"> {key.name}</span>
      </Button>
    );
  const revokedBadge = (key: ApiKey) =>
    key.revokedAt ? <Badge variant="outline">Revoked {formatDateTime(key.revokedAt)}</Badge> : null;
  return (
    <Card>
      <CardHeader>
        <div>
          <CardTitle>API keys</CardTitle>
          <CardDescription>
            For scripts and integrations; see the API reference at /docs.
          </CardDescription>
        </div>
        <CardActions>
          <Button size="sm" onClick={() => setCreating(true)}>
            <PlusIcon aria-hidden="true" />
            Create API key
          </Button>
        </CardActions>
      </CardHeader>
      <CardContent>
        {query.isPending ? (
          <TableSkeleton rows={3} columns={7} />
        ) : query.isError ? (
          <ErrorState
            error={query.error}
            title="The API keys could not be loaded"
            onRetry={() => query.refetch()}
          />
        ) : rows.length === 0 ? (
          <EmptyState icon={KeyRoundIcon} title="No API keys">
            Create one with “Create API key” to call the API from a script or another system.
          </EmptyState>
        ) : (
          <>
            {/* Narrow screens: one block per key, its "Revoke" in reach. */}
            <ul className="grid divide-y sm:hidden" aria-label="API keys">
              {rows.map((key) => (
                <li key={key.id} className="grid gap-1.5 py-3 first:pt-0">
                  <div className="flex items-center justify-between gap-2">
                    <span className="font-medium">{key.name}</span>
                    {revokeButton(key)}
                  </div>
                  <p className="text-muted-foreground text-sm">
                    {roleLabel(key.role)} · <span className="font-mono">{key.prefix}…</span> · added{' '}
                    {formatDateTime(key.createdAt)}
                  </p>
                  <p className="text-muted-foreground text-sm">
                    Last used {key.lastUsedAt ? formatDateTime(key.lastUsedAt) : 'never'}
                  </p>
                  {revokedBadge(key)}
                </li>
              ))}
            </ul>
            <div className="hidden sm:block">
              <Table label="API keys">
                <TableHeader>
                  <TableRow>
                    <TableHead>Name</TableHead>
                    <TableHead>Role</TableHead>
                    <TableHead>Prefix</TableHead>
                    <TableHead>Created</TableHead>
                    <TableHead>Last used</TableHead>
                    <TableHead>Revoked</TableHead>
                    <TableHead>
                      <span className="sr-only">Actions</span>
                    </TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {rows.map((key) => (
                    <TableRow key={key.id} data-api-key={key.name}>
                      <TableCell className="font-medium">{key.name}</TableCell>
                      <TableCell>{roleLabel(key.role)}</TableCell>
                      <TableCell className="font-mono text-xs">{key.prefix}…</TableCell>
                      <TableCell className="whitespace-nowrap">
                        {formatDateTime(key.createdAt)}
                      </TableCell>
                      <TableCell className="whitespace-nowrap">
                        {key.lastUsedAt ? formatDateTime(key.lastUsedAt) : 'Never'}
                      </TableCell>
                      <TableCell className="whitespace-nowrap">
                        {revokedBadge(key) ?? '—'}
                      </TableCell>
                      <TableCell className="text-right">{revokeButton(key)}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </div>
          </>
        )}
      </CardContent>
      <CreateApiKeyDialog open={creating} onOpenChange={setCreating} />
      <ConfirmDialog
        open={revoking !== null}
        onOpenChange={(open) => !open && setRevoking(null)}
        title={`Revoke “${revoking?.name ?? ''}”?`}
        description="Requests with this key are refused from now on. This cannot be undone: create a new key if it is needed again."
        confirm="Revoke"
        pending="Revoking…"
        onConfirm={async () => {
          if (!revoking) return;
          await revokeApiKey(revoking.id);
          await queryClient.invalidateQueries({ queryKey: settingsKeys.apiKeys });
          toast.success(`“${revoking.name}” was revoked`);
        }}
      />
    </Card>
  );
}
