import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { MegaphoneIcon, PlusIcon } from 'lucide-react';
import { useState } from 'react';
import { ErrorState } from '../../../components/error-state.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
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
import { formatDateTime } from '../../../lib/format.ts';
import { useIsAdmin } from '../../../lib/session.ts';
import { campaignsQuery } from '../api.ts';
import { CampaignStatusBadge } from '../components/campaign-status-badge.tsx';
import { NewCampaignDialog } from '../components/new-campaign-dialog.tsx';

export function CampaignsPage() {
  const query = useQuery(campaignsQuery);
  const isAdmin = useIsAdmin();
  const [creating, setCreating] = useState(false);
  return (
    <>
      <PageHeader
        title="Campaigns"
        description="Campaigns, their agents and their follow-ups."
        actions={
          isAdmin ? (
            <Button onClick={() => setCreating(true)}>
              <PlusIcon aria-hidden="true" />
              New campaign
            </Button>
          ) : null
        }
      />
      <NewCampaignDialog open={creating} onOpenChange={setCreating} />
      <Card>
        <CardContent className="pt-4">
          {query.isPending ? (
            <TableSkeleton rows={4} columns={4} />
          ) : query.isError ? (
            <ErrorState error={query.error} onRetry={() => query.refetch()} />
          ) : query.data.items.length === 0 ? (
            <EmptyState icon={MegaphoneIcon} title="No campaigns yet">
              {isAdmin
                ? 'Create one with "New campaign": give it a name and an agent, then set its windows and rules.'
                : 'An admin creates campaigns; their follow-ups then show here.'}
            </EmptyState>
          ) : (
            <Table label="Campaigns">
              <TableHeader>
                <TableRow className="hover:bg-transparent">
                  <TableHead>Name</TableHead>
                  <TableHead>Status</TableHead>
                  <TableHead>Agent</TableHead>
                  <TableHead>Time zone</TableHead>
                  <TableHead>Created</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {query.data.items.map((campaign) => (
                  <TableRow key={campaign.id}>
                    <TableCell>
                      <Link
                        to="/campaigns/$id"
                        params={{ id: campaign.id }}
                        className="font-medium text-primary underline-offset-4 hover:underline"
                      >
                        {campaign.name}
                      </Link>
                    </TableCell>
                    <TableCell>
                      <CampaignStatusBadge status={campaign.status} />
                    </TableCell>
                    <TableCell>{campaign.agent?.name ?? '—'}</TableCell>
                    <TableCell>{campaign.timezone ?? 'Each contact’s own'}</TableCell>
                    <TableCell>{formatDateTime(campaign.createdAt)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </CardContent>
      </Card>
    </>
  );
}
