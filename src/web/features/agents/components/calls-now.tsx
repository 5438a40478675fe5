/** The calls one agent is on right now: who, which follow-up, and for how long. */
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { ErrorState } from '../../../components/error-state.tsx';
import { Skeleton } from '../../../components/ui/skeleton.tsx';
import { formatDuration } from '../../../lib/format.ts';
import { useNow } from '../../../lib/use-now.ts';
import { agentQuery } from '../api.ts';

export function CallsNow({ agentId, id }: { agentId: string; id: string }) {
  const query = useQuery({ ...agentQuery(agentId), refetchInterval: 5_000 });
  const now = useNow(1_000);
  const calls = query.data?.callsNow ?? [];
  return (
    <div id={id} className="grid gap-2 text-sm">
      {query.isPending ? (
        <Skeleton className="h-5 w-64" />
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => query.refetch()} />
      ) : calls.length === 0 ? (
        <p className="text-muted-foreground">
          No calls in progress right now. Calls appear here while {query.data.name} is on them.
        </p>
      ) : (
        <ul className="grid gap-1.5" aria-label={`Calls of ${query.data.name} in progress`}>
          {calls.map((call) => {
            const seconds = Math.max(0, (now.getTime() - Date.parse(call.startedAt)) / 1000);
            return (
              <li key={call.followUpId} className="flex flex-wrap items-center gap-x-3 gap-y-0.5">
                <Link
                  to="/contacts/$id"
                  params={{ id: call.contact.id }}
                  className="inline-flex min-h-6 items-center font-medium text-primary underline-offset-4 hover:underline"
                >
                  {call.contact.name}
                </Link>
                <span className="text-muted-foreground tabular-nums">
                  for {formatDuration(seconds)}
                </span>
                <span className="text-muted-foreground">Attempt {call.attempt}</span>
                <Link
                  to="/follow-ups/$id"
                  params={{ id: call.followUpId }}
                  className="inline-flex min-h-6 items-center text-primary underline-offset-4 hover:underline"
                >
                  View follow-up
                </Link>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
