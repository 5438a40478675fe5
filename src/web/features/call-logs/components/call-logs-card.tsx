import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { ErrorState } from '../../../components/error-state.tsx';
import { Card, CardContent, CardHeader, CardTitle } from '../../../components/ui/card.tsx';
import { TableSkeleton } from '../../../components/ui/skeleton.tsx';
import { CALL_LOGS_ON_CONTACT_PAGE, contactCallLogsQuery } from '../api.ts';
import { CallLogsTable } from './call-logs-table.tsx';

/** The "Call logs" card of a contact's page: the latest calls (SPEC §7.1). */
export function CallLogsCard({ contactId }: { contactId: string }) {
  const query = useQuery(contactCallLogsQuery(contactId, CALL_LOGS_ON_CONTACT_PAGE));
  return (
    <Card aria-labelledby="call-logs-title" data-testid="call-logs-card">
      <CardHeader>
        <CardTitle id="call-logs-title">Call logs</CardTitle>
        <Link
          to="/call-logs"
          search={{ contactId }}
          className="text-primary text-sm underline-offset-4 hover:underline"
        >
          View all
        </Link>
      </CardHeader>
      <CardContent>
        {query.isPending ? (
          <TableSkeleton rows={2} columns={6} />
        ) : query.isError ? (
          <ErrorState
            error={query.error}
            title="The calls could not be loaded"
            onRetry={() => query.refetch()}
          />
        ) : query.data.items.length === 0 ? (
          <p className="rounded-lg border border-dashed px-4 py-6 text-center text-muted-foreground text-sm">
            No calls with this contact yet.
          </p>
        ) : (
          <CallLogsTable rows={query.data.items} label="Latest calls with this contact" />
        )}
      </CardContent>
    </Card>
  );
}
