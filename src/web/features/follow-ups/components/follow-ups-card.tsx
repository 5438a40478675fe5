import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { CalendarPlusIcon } from 'lucide-react';
import { lazy, Suspense, useState } from 'react';
import { ErrorState } from '../../../components/error-state.tsx';
import { FollowUpsTable } from '../../../components/follow-ups-table.tsx';
import { Button } from '../../../components/ui/button.tsx';
import {
  Card,
  CardActions,
  CardContent,
  CardHeader,
  CardTitle,
} from '../../../components/ui/card.tsx';
import { TableSkeleton } from '../../../components/ui/skeleton.tsx';
import { useCanOperate } from '../../../lib/session.ts';
import { FOLLOW_UPS_ON_CONTACT_PAGE, followUpsInfiniteQuery } from '../api.ts';
import type { DialogContact } from './follow-up-form-dialog.tsx';

const loadDialog = () => import('./follow-up-form-dialog.tsx');
const ScheduleFollowUpDialog = lazy(() =>
  loadDialog().then((m) => ({ default: m.ScheduleFollowUpDialog })),
);

/** The "Follow-ups" card of a contact's page (SPEC §7.2). */
export function FollowUpsCard({ contact }: { contact: DialogContact }) {
  const [open, setOpen] = useState(false);
  // Mounted from the first opening on, so that closing it can return focus to the button.
  const [mounted, setMounted] = useState(false);
  const canOperate = useCanOperate();
  const query = useInfiniteQuery(
    followUpsInfiniteQuery({ contactId: contact.id }, FOLLOW_UPS_ON_CONTACT_PAGE),
  );
  const rows = query.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Card aria-labelledby="follow-ups-title" data-testid="follow-ups-card">
      <CardHeader>
        <CardTitle id="follow-ups-title">Follow-ups</CardTitle>
        <Link
          to="/follow-ups"
          search={{ contactId: contact.id }}
          className="text-primary text-sm underline-offset-4 hover:underline"
        >
          View all
        </Link>
        <CardActions>
          {canOperate ? (
            <Button
              variant="outline"
              size="sm"
              onClick={() => {
                setMounted(true);
                setOpen(true);
              }}
              onPointerEnter={loadDialog}
              onFocus={loadDialog}
            >
              <CalendarPlusIcon aria-hidden="true" />
              Schedule follow-up
            </Button>
          ) : null}
        </CardActions>
      </CardHeader>
      <CardContent>
        {query.isPending ? (
          <TableSkeleton rows={3} columns={8} />
        ) : query.isError && !query.data ? (
          <ErrorState
            error={query.error}
            title="The follow-ups could not be loaded"
            onRetry={() => query.refetch()}
          />
        ) : rows.length === 0 ? (
          <p className="rounded-lg border border-dashed px-4 py-6 text-center text-muted-foreground text-sm">
            No follow-ups scheduled for this contact.
          </p>
        ) : (
          <>
            <FollowUpsTable rows={rows} variant="contact" label="Follow-ups of this contact" />
            {query.hasNextPage ? (
              <div className="mt-3 flex justify-center">
                <Button
                  variant="ghost"
                  size="sm"
                  onClick={() => query.fetchNextPage()}
                  disabled={query.isFetchingNextPage}
                >
                  {query.isFetchingNextPage ? 'Loading…' : 'Show more'}
                </Button>
              </div>
            ) : null}
          </>
        )}
      </CardContent>
      {mounted ? (
        <Suspense fallback={null}>
          <ScheduleFollowUpDialog open={open} onOpenChange={setOpen} contact={contact} />
        </Suspense>
      ) : null}
    </Card>
  );
}
