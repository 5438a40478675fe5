import { useInfiniteQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { BanIcon, FileUpIcon, PlusIcon, XIcon } from 'lucide-react';
import { useState } from 'react';
import { ErrorState } from '../../../components/error-state.tsx';
import { LoadMore } from '../../../components/load-more.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { SearchInput } from '../../../components/search-input.tsx';
import { Alert } from '../../../components/ui/alert.tsx';
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
import { formatDateTime, formatPhone } from '../../../lib/format.ts';
import { useCanOperate } from '../../../lib/session.ts';
import { type AddedDncEntry, type DncEntry, dncInfiniteQuery, failedSentence } from '../api.ts';
import { AddDncDialog, RemoveDncDialog } from '../components/dnc-dialogs.tsx';
import { DncImportDialog } from '../components/dnc-import-dialog.tsx';

const route = getRouteApi('/_app/dnc');
const link = 'font-medium text-primary underline-offset-4 hover:underline';

/** What the last "Add" did: the number is listed, and which follow-ups it failed. */
function AddedResult({ entry, onDismiss }: { entry: AddedDncEntry; onDismiss: () => void }) {
  return (
    <Alert variant="info" className="relative mb-4 pr-10" data-testid="dnc-added">
      <div className="grid gap-0.5">
        <p className="font-medium">
          {formatPhone(entry.phone)}
          {entry.contact ? ` (${entry.contact.name})` : ''} is on the Do Not Call list.
        </p>
        <p>
          {failedSentence(entry.failedFollowUps)}{' '}
          {entry.contact && entry.failedFollowUps > 0 ? (
            <Link
              to="/follow-ups"
              search={{ contactId: entry.contact.id, status: 'failed' }}
              className="font-medium underline underline-offset-4"
            >
              See them
            </Link>
          ) : null}
        </p>
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

/** The workspace's Do Not Call list (SPEC §7, /dnc): search, add, remove. */
export function DncPage() {
  const { q } = route.useSearch();
  const navigate = route.useNavigate();
  const canOperate = useCanOperate();
  const query = useInfiniteQuery(dncInfiniteQuery(q));
  const rows = query.data?.pages.flatMap((p) => p.items) ?? [];
  const [adding, setAdding] = useState(false);
  const [importing, setImporting] = useState(false);
  const [added, setAdded] = useState<AddedDncEntry | null>(null);
  const [removing, setRemoving] = useState<DncEntry | null>(null);

  return (
    <>
      <PageHeader
        title="Do Not Call"
        description="Phone numbers that are never called or texted. Listing a number fails its contact's open call and SMS follow-ups."
        actions={
          canOperate ? (
            <>
              <Button size="sm" variant="outline" onClick={() => setImporting(true)}>
                <FileUpIcon aria-hidden="true" />
                Import CSV
              </Button>
              <Button size="sm" onClick={() => setAdding(true)}>
                <PlusIcon aria-hidden="true" />
                Add
              </Button>
            </>
          ) : null
        }
      />
      {added ? <AddedResult entry={added} onDismiss={() => setAdded(null)} /> : null}
      <Card>
        <CardContent className="pt-4">
          <SearchInput
            value={q ?? ''}
            onChange={(value) => navigate({ search: { q: value || undefined }, replace: true })}
            label="Search the Do Not Call list"
            placeholder="Search by phone or name"
            className="mb-4 max-w-md"
          />
          {query.isPending ? (
            <TableSkeleton rows={6} columns={5} />
          ) : query.isError && !query.data ? (
            <ErrorState
              error={query.error}
              title="The Do Not Call list could not be loaded"
              onRetry={() => query.refetch()}
            />
          ) : rows.length === 0 ? (
            <EmptyState
              icon={BanIcon}
              title={q ? `No listed number matches “${q}”` : 'No numbers on the list'}
              action={
                canOperate && !q ? (
                  <Button size="sm" variant="outline" onClick={() => setAdding(true)}>
                    <PlusIcon aria-hidden="true" />
                    Add a number
                  </Button>
                ) : null
              }
            >
              {q
                ? 'Search by digits of the number (any format) or part of the contact’s name.'
                : 'Numbers land here when someone adds them, or when a call ends with “Do not call”.'}
            </EmptyState>
          ) : (
            <>
              {/* Narrow screens: one block per number, its "Remove" in reach. */}
              <ul className="grid divide-y sm:hidden" aria-label="Do Not Call list">
                {rows.map((entry) => (
                  <li key={entry.id} className="grid gap-1 py-3 first:pt-0" data-dnc-id={entry.id}>
                    <div className="flex items-center justify-between gap-2">
                      <span className="font-medium tabular-nums">{formatPhone(entry.phone)}</span>
                      {canOperate ? (
                        <Button variant="outline" size="sm" onClick={() => setRemoving(entry)}>
                          Remove
                          <span className="sr-only"> {formatPhone(entry.phone)}</span>
                        </Button>
                      ) : null}
                    </div>
                    <p className="text-sm">
                      {entry.contact ? (
                        <Link to="/contacts/$id" params={{ id: entry.contact.id }} className={link}>
                          {entry.contact.name}
                        </Link>
                      ) : (
                        <span className="text-muted-foreground">No contact</span>
                      )}
                      <span className="text-muted-foreground">
                        {' '}
                        · added {formatDateTime(entry.createdAt)}
                      </span>
                    </p>
                    {entry.reason ? (
                      <p className="text-muted-foreground text-sm">{entry.reason}</p>
                    ) : null}
                  </li>
                ))}
              </ul>
              <div className="hidden sm:block">
                <Table label="Do Not Call list">
                  <TableHeader>
                    <TableRow className="hover:bg-transparent">
                      <TableHead>Phone</TableHead>
                      <TableHead>Contact</TableHead>
                      <TableHead>Reason</TableHead>
                      <TableHead>Added</TableHead>
                      {canOperate ? <TableHead className="text-right">Actions</TableHead> : null}
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {rows.map((entry) => (
                      <TableRow key={entry.id} data-dnc-id={entry.id}>
                        <TableCell className="font-medium tabular-nums">
                          {formatPhone(entry.phone)}
                        </TableCell>
                        <TableCell className="max-w-48 truncate">
                          {entry.contact ? (
                            <Link
                              to="/contacts/$id"
                              params={{ id: entry.contact.id }}
                              className={link}
                            >
                              {entry.contact.name}
                            </Link>
                          ) : (
                            <span className="text-muted-foreground">No contact</span>
                          )}
                        </TableCell>
                        <TableCell className="min-w-48 max-w-96 whitespace-normal">
                          {entry.reason ?? <span className="text-muted-foreground">—</span>}
                        </TableCell>
                        <TableCell className="text-muted-foreground">
                          {formatDateTime(entry.createdAt)}
                        </TableCell>
                        {canOperate ? (
                          <TableCell className="text-right">
                            <Button variant="ghost" size="sm" onClick={() => setRemoving(entry)}>
                              Remove
                              <span className="sr-only"> {formatPhone(entry.phone)}</span>
                            </Button>
                          </TableCell>
                        ) : null}
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              </div>
              <LoadMore
                shown={rows.length}
                noun={['number', 'numbers']}
                hasMore={!!query.hasNextPage}
                loading={query.isFetchingNextPage}
                onLoadMore={() => query.fetchNextPage()}
              />
            </>
          )}
        </CardContent>
      </Card>
      <AddDncDialog open={adding} onOpenChange={setAdding} onAdded={(entry) => setAdded(entry)} />
      <DncImportDialog open={importing} onOpenChange={setImporting} />
      <RemoveDncDialog entry={removing} onOpenChange={(open) => !open && setRemoving(null)} />
    </>
  );
}
