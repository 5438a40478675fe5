import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { PhoneIcon, XIcon } from 'lucide-react';
import { CALL_OUTCOME_LABELS, CALL_OUTCOMES, type CallOutcome } from '../../../../core/results.ts';
import { ErrorState } from '../../../components/error-state.tsx';
import { ExportCsvLink } from '../../../components/export-csv-link.tsx';
import { LoadMore } from '../../../components/load-more.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { Badge } from '../../../components/ui/badge.tsx';
import { Card, CardContent } from '../../../components/ui/card.tsx';
import { EmptyState } from '../../../components/ui/empty-state.tsx';
import { Label } from '../../../components/ui/label.tsx';
import { Select } from '../../../components/ui/select.tsx';
import { TableSkeleton } from '../../../components/ui/skeleton.tsx';
import { contactQuery } from '../../../lib/shared-queries.ts';
import { callLogsInfiniteQuery } from '../api.ts';
import { CallLogsTable } from '../components/call-logs-table.tsx';

const route = getRouteApi('/_app/call-logs');
const ANY = '__any__';

export function CallLogsPage() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const query = useInfiniteQuery(callLogsInfiniteQuery(search));
  const contact = useQuery({
    ...contactQuery(search.contactId ?? ''),
    enabled: !!search.contactId,
  });
  const rows = query.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <>
      <PageHeader
        title="Call logs"
        description="Every call with its outcome, duration and summary."
        actions={<ExportCsvLink path="/call-logs/export.csv" filters={{ ...search }} />}
      />
      <Card>
        <CardContent className="grid gap-4 pt-4">
          <div className="flex flex-wrap items-end gap-3">
            <div className="grid w-56 gap-1.5">
              <Label htmlFor="call-outcome">Outcome</Label>
              <Select
                id="call-outcome"
                value={search.outcome ?? ANY}
                onValueChange={(value) =>
                  navigate({
                    search: (prev) => ({
                      ...prev,
                      outcome: value === ANY ? undefined : (value as CallOutcome),
                    }),
                  })
                }
                options={[
                  { value: ANY, label: 'Any outcome' },
                  ...CALL_OUTCOMES.map((o) => ({ value: o, label: CALL_OUTCOME_LABELS[o] })),
                ]}
              />
            </div>
            {search.contactId ? (
              <Badge variant="outline" className="h-9 gap-2 px-3 text-sm">
                Contact:{' '}
                <Link
                  to="/contacts/$id"
                  params={{ id: search.contactId }}
                  className="text-primary hover:underline"
                >
                  {contact.data?.name ?? '…'}
                </Link>
                <Link
                  to="/call-logs"
                  search={(prev) => ({ ...prev, contactId: undefined })}
                  aria-label="Show the calls of every contact"
                  className="inline-flex size-6 items-center justify-center rounded hover:bg-accent"
                >
                  <XIcon aria-hidden="true" className="size-3.5" />
                </Link>
              </Badge>
            ) : null}
          </div>
          {query.isPending ? (
            <TableSkeleton rows={8} columns={7} />
          ) : query.isError && !query.data ? (
            <ErrorState error={query.error} onRetry={() => query.refetch()} />
          ) : rows.length === 0 ? (
            <EmptyState icon={PhoneIcon} title="No calls match">
              Calls appear here as the agents place them. Clear the filters to see every call.
            </EmptyState>
          ) : (
            <div className="min-w-0">
              <CallLogsTable rows={rows} label="Calls" showContact />
              <LoadMore
                shown={rows.length}
                noun={['call', 'calls']}
                hasMore={!!query.hasNextPage}
                loading={query.isFetchingNextPage}
                onLoadMore={() => query.fetchNextPage()}
              />
            </div>
          )}
        </CardContent>
      </Card>
    </>
  );
}
