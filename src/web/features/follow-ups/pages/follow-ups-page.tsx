import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { BellOffIcon, CalendarClockIcon, XCircleIcon, XIcon } from 'lucide-react';
import { useEffect, useMemo, useState } from 'react';
import { toast } from 'sonner';
import { STATUS_LABELS, TYPE_LABELS } from '../../../../core/follow-up.ts';
import { ErrorState } from '../../../components/error-state.tsx';
import { ExportCsvLink } from '../../../components/export-csv-link.tsx';
import { FollowUpsTable } from '../../../components/follow-ups-table.tsx';
import { LoadMore } from '../../../components/load-more.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { Alert } from '../../../components/ui/alert.tsx';
import { Button } from '../../../components/ui/button.tsx';
import { Card, CardContent } from '../../../components/ui/card.tsx';
import { EmptyState } from '../../../components/ui/empty-state.tsx';
import { TableSkeleton } from '../../../components/ui/skeleton.tsx';
import { formatDateTime, formatNumber } from '../../../lib/format.ts';
import { useCanOperate } from '../../../lib/session.ts';
import { cn } from '../../../lib/utils.ts';
import {
  cancelFollowUp,
  type FollowUp,
  followUpKeys,
  followUpsInfiniteQuery,
  snoozeFollowUp,
} from '../api.ts';
import { type BulkOutcome, runBulk } from '../bulk.ts';
import { CancelDialog, SnoozeDialog } from '../components/action-dialogs.tsx';
import { FollowUpFilters, hasFilters } from '../components/follow-up-filters.tsx';
import { effectiveView, type FollowUpsSearch, listFilters } from '../search.ts';

const route = getRouteApi('/_app/follow-ups');

const EMPTY_TITLES = {
  open: 'Nothing coming up',
  attention: 'Nothing needs attention',
  all: 'No follow-ups yet',
} as const;

const PAST = { cancel: 'cancelled', snooze: 'snoozed' } as const;

function BulkResult({ outcome, onDismiss }: { outcome: BulkOutcome; onDismiss: () => void }) {
  const verb = PAST[outcome.action];
  return (
    <Alert
      variant={outcome.refused.length ? 'warning' : 'info'}
      data-testid="bulk-result"
      className="relative pr-10"
    >
      <div className="grid gap-1">
        <p className="font-medium">
          {formatNumber(outcome.changed.length)} follow-up
          {outcome.changed.length === 1 ? '' : 's'} {verb}.
          {outcome.refused.length
            ? ` ${formatNumber(outcome.refused.length)} could not be ${verb}:`
            : ''}
        </p>
        {outcome.refused.length ? (
          <ul className="grid list-disc gap-0.5 pl-5">
            {outcome.refused.map(({ row, reason }) => (
              <li key={row.id}>
                <Link
                  to="/follow-ups/$id"
                  params={{ id: row.id }}
                  className="font-medium underline underline-offset-4"
                >
                  {TYPE_LABELS[row.type]} for {row.contact.name}
                </Link>{' '}
                ({STATUS_LABELS[row.status]}, {formatDateTime(row.scheduledAt)}): {reason}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
      <button
        type="button"
        onClick={onDismiss}
        aria-label="Dismiss"
        className="absolute top-2 right-2 rounded p-1 hover:bg-black/5 dark:hover:bg-white/10"
      >
        <XIcon aria-hidden="true" className="size-4" />
      </button>
    </Alert>
  );
}

const VIEWS = [
  {
    view: 'open',
    label: 'Coming up',
    hint: 'Scheduled, queued, in progress and snoozed, soonest first',
  },
  { view: 'attention', label: 'Needs attention', hint: 'Failed and expired, latest first' },
  { view: 'all', label: 'All', hint: 'Every follow-up, latest first' },
] as const;

/** The views as links (each one a URL): the chosen statuses give way to the view's. */
function ViewTabs({ search }: { search: FollowUpsSearch }) {
  const current = search.status && !search.view ? null : effectiveView(search);
  return (
    <nav aria-label="Views" className="mb-3 inline-flex rounded-lg bg-muted p-1 text-sm">
      {VIEWS.map(({ view, label, hint }) => (
        <Link
          key={view}
          to="/follow-ups"
          search={{ ...search, status: undefined, view }}
          title={hint}
          aria-current={current === view ? 'page' : undefined}
          className={cn(
            'rounded-md px-3 py-1.5 font-medium text-muted-foreground transition-colors hover:text-foreground',
            current === view && 'bg-background text-foreground shadow-sm',
          )}
        >
          {label}
        </Link>
      ))}
    </nav>
  );
}

/** Every follow-up of the workspace, filtered by the URL (SPEC §7.3). */
export function FollowUpsPage() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const queryClient = useQueryClient();
  const canOperate = useCanOperate();
  const query = useInfiniteQuery(followUpsInfiniteQuery(search));
  const rows = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? [], [query.data]);

  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [dialog, setDialog] = useState<'cancel' | 'snooze' | null>(null);
  const [outcome, setOutcome] = useState<BulkOutcome | null>(null);
  const filterKey = JSON.stringify(search);
  // A new filter shows other rows: start a new selection.
  // biome-ignore lint/correctness/useExhaustiveDependencies: filterKey is the trigger
  useEffect(() => setSelected(new Set()), [filterKey]);

  const selectedRows = rows.filter((r) => selected.has(r.id));

  function setFilters(patch: Partial<FollowUpsSearch>) {
    navigate({ search: (prev) => ({ ...prev, ...patch }) });
  }

  async function bulk(action: 'cancel' | 'snooze', run: (row: FollowUp) => Promise<FollowUp>) {
    const result = await runBulk(action, selectedRows, run);
    setDialog(null);
    setOutcome(result);
    setSelected(new Set());
    const verb = PAST[action];
    if (result.changed.length) {
      (result.refused.length ? toast.warning : toast.success)(
        `${formatNumber(result.changed.length)} follow-up${result.changed.length === 1 ? '' : 's'} ${verb}`,
        result.refused.length
          ? { description: `${formatNumber(result.refused.length)} could not be ${verb}.` }
          : undefined,
      );
    } else {
      toast.error(`No follow-up could be ${verb}`);
    }
    await queryClient.invalidateQueries({ queryKey: followUpKeys.all });
  }

  return (
    <>
      <PageHeader
        title="Follow-ups"
        description="Every scheduled call, SMS and webhook of the workspace. Filters stay in the address, so you can share a view."
        actions={<ExportCsvLink path="/follow-ups/export.csv" filters={listFilters(search)} />}
      />
      <ViewTabs search={search} />
      <Card className="mb-4">
        <CardContent className="pt-4">
          <FollowUpFilters
            search={search}
            onChange={setFilters}
            onClear={() => navigate({ search: { view: search.view } })}
          />
        </CardContent>
      </Card>

      {outcome ? <BulkResult outcome={outcome} onDismiss={() => setOutcome(null)} /> : null}

      <Card className="mt-4">
        <CardContent className="pt-3">
          {canOperate && selected.size > 0 ? (
            <div
              role="toolbar"
              aria-label="Selected follow-ups"
              className="mb-3 flex flex-wrap items-center gap-2 rounded-lg bg-accent px-3 py-2 text-sm"
            >
              <span className="font-medium" aria-live="polite">
                {formatNumber(selected.size)} selected
              </span>
              <Button size="sm" variant="outline" onClick={() => setDialog('snooze')}>
                <BellOffIcon aria-hidden="true" />
                Snooze
              </Button>
              <Button size="sm" variant="outline" onClick={() => setDialog('cancel')}>
                <XCircleIcon aria-hidden="true" />
                Cancel
              </Button>
              <Button size="sm" variant="ghost" onClick={() => setSelected(new Set())}>
                Clear selection
              </Button>
            </div>
          ) : null}

          {query.isPending ? (
            <TableSkeleton rows={10} columns={9} />
          ) : query.isError && !query.data ? (
            <ErrorState
              error={query.error}
              title="The follow-ups could not be loaded"
              onRetry={() => query.refetch()}
            />
          ) : rows.length === 0 ? (
            <EmptyState
              icon={CalendarClockIcon}
              title={
                hasFilters(search)
                  ? 'No follow-up matches these filters'
                  : EMPTY_TITLES[effectiveView(search)]
              }
              action={
                hasFilters(search) ? (
                  <Button
                    variant="outline"
                    size="sm"
                    onClick={() => navigate({ search: { view: search.view } })}
                  >
                    Clear filters
                  </Button>
                ) : (
                  <Button asChild size="sm">
                    <Link to="/contacts">Find a contact</Link>
                  </Button>
                )
              }
            >
              {hasFilters(search)
                ? 'Loosen or clear the filters to see more.'
                : effectiveView(search) === 'attention'
                  ? 'Failed and expired follow-ups show here.'
                  : 'Open a contact and choose "Schedule follow-up", or let campaigns and call outcomes create them.'}
            </EmptyState>
          ) : (
            <>
              <FollowUpsTable
                rows={rows}
                variant="global"
                label="Follow-ups"
                selection={
                  canOperate
                    ? {
                        selected,
                        onToggle: (id, checked) =>
                          setSelected((prev) => {
                            const next = new Set(prev);
                            if (checked) next.add(id);
                            else next.delete(id);
                            return next;
                          }),
                        onToggleAll: (checked) =>
                          setSelected(checked ? new Set(rows.map((r) => r.id)) : new Set()),
                      }
                    : undefined
                }
              />
              <LoadMore
                shown={rows.length}
                noun={['follow-up', 'follow-ups']}
                hasMore={!!query.hasNextPage}
                loading={query.isFetchingNextPage}
                onLoadMore={() => query.fetchNextPage()}
              />
            </>
          )}
        </CardContent>
      </Card>

      <CancelDialog
        open={dialog === 'cancel'}
        onOpenChange={(open) => setDialog(open ? 'cancel' : null)}
        count={selectedRows.length}
        onConfirm={(reason) => bulk('cancel', (row) => cancelFollowUp(row.id, reason))}
      />
      <SnoozeDialog
        open={dialog === 'snooze'}
        onOpenChange={(open) => setDialog(open ? 'snooze' : null)}
        count={selectedRows.length}
        onConfirm={(until) => bulk('snooze', (row) => snoozeFollowUp(row.id, until))}
      />
    </>
  );
}
