import { useInfiniteQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { BanIcon, FileUpIcon, UserPlusIcon, UsersIcon } from 'lucide-react';
import { lazy, Suspense, useState } from 'react';
import { ErrorState } from '../../../components/error-state.tsx';
import { LoadMore } from '../../../components/load-more.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { SearchInput } from '../../../components/search-input.tsx';
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
import { formatPhone } from '../../../lib/format.ts';
import { useCanOperate } from '../../../lib/session.ts';
import { contactsInfiniteQuery } from '../api.ts';

const route = getRouteApi('/_app/contacts');

const loadDialog = () => import('../components/new-contact-dialog.tsx');
const NewContactDialog = lazy(() => loadDialog().then((m) => ({ default: m.NewContactDialog })));

export function ContactsPage() {
  const { q } = route.useSearch();
  const navigate = route.useNavigate();
  const query = useInfiniteQuery(contactsInfiniteQuery(q));
  const rows = query.data?.pages.flatMap((p) => p.items) ?? [];
  const canOperate = useCanOperate();
  const [open, setOpen] = useState(false);
  // Mounted from the first opening on, so that closing it returns focus to the button.
  const [mounted, setMounted] = useState(false);
  const openDialog = () => {
    setMounted(true);
    setOpen(true);
  };

  return (
    <>
      <PageHeader
        title="Contacts"
        description="The people your agents call. Open one to see their calls and follow-ups."
        actions={
          canOperate ? (
            <>
              <Button asChild size="sm" variant="outline">
                <Link to="/contacts/import">
                  <FileUpIcon aria-hidden="true" />
                  Import CSV
                </Link>
              </Button>
              <Button
                size="sm"
                onClick={openDialog}
                onPointerEnter={loadDialog}
                onFocus={loadDialog}
              >
                <UserPlusIcon aria-hidden="true" />
                New contact
              </Button>
            </>
          ) : null
        }
      />
      <Card>
        <CardContent className="pt-4">
          <SearchInput
            value={q ?? ''}
            onChange={(value) => navigate({ search: { q: value || undefined }, replace: true })}
            label="Search contacts"
            placeholder="Search by name, email or phone"
            className="mb-4 max-w-md"
          />
          {query.isPending ? (
            <TableSkeleton rows={8} columns={5} />
          ) : query.isError && !query.data ? (
            <ErrorState
              error={query.error}
              title="The contacts could not be loaded"
              onRetry={() => query.refetch()}
            />
          ) : rows.length === 0 ? (
            <EmptyState
              icon={UsersIcon}
              title={q ? `No contact matches “${q}”` : 'No contacts yet'}
            >
              {q
                ? 'Check the spelling, or search by part of the phone number.'
                : canOperate
                  ? 'Add one with "New contact", bring a list in with "Import CSV", or send them through the API.'
                  : 'Contacts arrive through the API, or an operator adds them here.'}
            </EmptyState>
          ) : (
            <>
              <Table label="Contacts">
                <TableHeader>
                  <TableRow className="hover:bg-transparent">
                    <TableHead>Name</TableHead>
                    <TableHead>Phone</TableHead>
                    <TableHead>Company</TableHead>
                    <TableHead>Email</TableHead>
                    <TableHead>Time zone</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {rows.map((contact) => (
                    <TableRow key={contact.id}>
                      <TableCell className="max-w-56 truncate">
                        <Link
                          to="/contacts/$id"
                          params={{ id: contact.id }}
                          className="font-medium text-primary underline-offset-4 hover:underline"
                        >
                          {contact.name}
                        </Link>
                        {contact.doNotCall ? (
                          <Badge variant="destructive" className="ml-2">
                            <BanIcon aria-hidden="true" />
                            Do Not Call
                          </Badge>
                        ) : null}
                      </TableCell>
                      <TableCell className="tabular-nums">{formatPhone(contact.phone)}</TableCell>
                      <TableCell className="max-w-48 truncate">{contact.company ?? '—'}</TableCell>
                      <TableCell className="max-w-56 truncate">{contact.email ?? '—'}</TableCell>
                      <TableCell className="text-muted-foreground">
                        {contact.timezoneResolved.timezone}
                        {contact.timezoneResolved.source !== 'contact' ? ' (inferred)' : ''}
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
              <LoadMore
                shown={rows.length}
                noun={['contact', 'contacts']}
                hasMore={!!query.hasNextPage}
                loading={query.isFetchingNextPage}
                onLoadMore={() => query.fetchNextPage()}
              />
            </>
          )}
        </CardContent>
      </Card>
      {mounted ? (
        <Suspense fallback={null}>
          <NewContactDialog open={open} onOpenChange={setOpen} />
        </Suspense>
      ) : null}
    </>
  );
}
