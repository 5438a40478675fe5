/**
 * A campaign's follow-ups with a "Waiting" column: why each open one has not run yet (its
 * calling window, a retry, its agent's capacity, the campaign's status…) and until when.
 * Live: the list refreshes when the engine moves them.
 */
import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { CalendarClockIcon } from 'lucide-react';
import { SOURCE_LABELS, TYPE_LABELS } from '../../../../core/follow-up.ts';
import { ErrorState } from '../../../components/error-state.tsx';
import { AgentName, ScheduledTime } from '../../../components/follow-ups-table.tsx';
import { LoadMore } from '../../../components/load-more.tsx';
import { StatusCell, WaitingNote } from '../../../components/status-badge.tsx';
import { Button } from '../../../components/ui/button.tsx';
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
import { type CampaignFollowUp, campaignFollowUpsQuery } from '../api.ts';

function WaitingCell({ waiting }: { waiting: CampaignFollowUp['waiting'] }) {
  if (!waiting) return <span className="text-muted-foreground">—</span>;
  return <WaitingNote waiting={waiting} className="text-foreground text-sm" />;
}

function CampaignFollowUpsTable({ rows }: { rows: CampaignFollowUp[] }) {
  return (
    <Table label="Follow-ups of this campaign">
      <TableHeader>
        <TableRow className="hover:bg-transparent">
          <TableHead>Status</TableHead>
          <TableHead>Contact</TableHead>
          <TableHead>Type</TableHead>
          <TableHead>Scheduled</TableHead>
          <TableHead>Agent</TableHead>
          <TableHead>Attempts</TableHead>
          <TableHead>Waiting</TableHead>
          <TableHead>Source</TableHead>
          <TableHead className="text-right">Actions</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((row) => (
          <TableRow key={row.id} data-follow-up-id={row.id}>
            <TableCell>
              <StatusCell status={row.status} allowOutOfWindow={row.allowOutOfWindow} stacked />
            </TableCell>
            <TableCell className="max-w-44 truncate">
              <Link
                to="/contacts/$id"
                params={{ id: row.contact.id }}
                className="font-medium text-primary underline-offset-4 hover:underline"
              >
                {row.contact.name}
              </Link>
            </TableCell>
            <TableCell>{TYPE_LABELS[row.type]}</TableCell>
            <TableCell>
              <ScheduledTime followUp={row} />
            </TableCell>
            <TableCell className="min-w-32 whitespace-normal">
              <AgentName followUp={row} />
              {!row.agent && row.resolvedAgent ? (
                <span className="block text-xs">{row.resolvedAgent.name}</span>
              ) : null}
            </TableCell>
            <TableCell className="tabular-nums">
              {row.attempts} / {row.maxAttempts}
            </TableCell>
            <TableCell className="min-w-48 whitespace-normal" data-testid="waiting">
              <WaitingCell waiting={row.waiting} />
            </TableCell>
            <TableCell>{SOURCE_LABELS[row.source]}</TableCell>
            <TableCell className="text-right">
              <Button asChild variant="ghost" size="sm">
                <Link to="/follow-ups/$id" params={{ id: row.id }}>
                  View
                </Link>
              </Button>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

export function CampaignFollowUps({ campaignId }: { campaignId: string }) {
  const query = useInfiniteQuery(campaignFollowUpsQuery(campaignId));
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
        Its calls' outcomes create them, following its outcome rules; operators can also schedule
        them from a contact's page.
      </EmptyState>
    );
  }
  return (
    <>
      <CampaignFollowUpsTable rows={rows} />
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
