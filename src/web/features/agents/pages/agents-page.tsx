import { useQuery } from '@tanstack/react-query';
import { BotIcon } from 'lucide-react';
import { ErrorState } from '../../../components/error-state.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { Badge } from '../../../components/ui/badge.tsx';
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
import { formatNumber } from '../../../lib/format.ts';
import { cn } from '../../../lib/utils.ts';
import { type Agent, agentsQuery } from '../api.ts';

/** Calls in progress against capacity: a number and a small bar (full = at capacity). */
function Load({ agent }: { agent: Agent }) {
  const { callsInProgress: busy, maxConcurrentCalls: max } = agent;
  const share = max > 0 ? Math.min(1, busy / max) : 0;
  return (
    <div className="flex items-center gap-2">
      <span className="min-w-4 font-medium tabular-nums">{formatNumber(busy)}</span>
      {/* The number says it; the bar shows it against the capacity at a glance. */}
      <div aria-hidden="true" className="h-1.5 w-20 overflow-hidden rounded-full bg-muted">
        <div
          className={cn(
            'h-full rounded-full',
            share >= 1 ? 'bg-amber-500' : busy > 0 ? 'bg-green-500' : 'bg-transparent',
          )}
          style={{ width: `${share * 100}%` }}
        />
      </div>
      {busy >= max ? (
        <span className="whitespace-nowrap text-amber-800 text-xs dark:text-amber-300">
          At capacity
        </span>
      ) : null}
    </div>
  );
}

function AgentStatus({ agent }: { agent: Agent }) {
  return (
    <Badge
      variant="secondary"
      className={cn(
        'border-transparent',
        agent.status === 'active'
          ? 'bg-green-100 text-green-800 dark:bg-green-400/20 dark:text-green-200'
          : 'bg-zinc-200 text-zinc-700 dark:bg-zinc-400/20 dark:text-zinc-300',
      )}
    >
      {agent.status === 'active' ? 'Active' : 'Inactive'}
    </Badge>
  );
}

/** The agents (SPEC §7, /agents): status, capacity and the calls each has right now. */
export function AgentsPage() {
  // Calls start and end all the time: look again every few seconds while the page is open.
  const query = useQuery({ ...agentsQuery, refetchInterval: 5_000 });
  const items = query.data?.items ?? [];
  const busy = items.reduce((n, a) => n + a.callsInProgress, 0);
  const capacity = items
    .filter((a) => a.status === 'active')
    .reduce((n, a) => n + a.maxConcurrentCalls, 0);
  return (
    <>
      <PageHeader
        title="Agents"
        description={
          query.data
            ? `The AI voice agents that place the calls: ${formatNumber(busy)} calls in progress, room for ${formatNumber(capacity)} at once across the active agents.`
            : 'The AI voice agents that place the calls, and how busy each is.'
        }
      />
      <Card>
        <CardContent className="pt-4">
          {query.isPending ? (
            <TableSkeleton rows={4} columns={5} />
          ) : query.isError ? (
            <ErrorState error={query.error} onRetry={() => query.refetch()} />
          ) : items.length === 0 ? (
            <EmptyState icon={BotIcon} title="No agents yet">
              An admin adds agents to the workspace.
            </EmptyState>
          ) : (
            <>
              {/* Narrow screens: one block per agent. */}
              <ul className="grid divide-y sm:hidden" aria-label="Agents">
                {items.map((agent) => (
                  <li key={agent.id} className="grid gap-2 py-3 first:pt-0 last:pb-0">
                    <div className="flex flex-wrap items-center gap-2">
                      <span className="font-medium">{agent.name}</span>
                      {agent.isDefault ? (
                        <Badge variant="outline" className="font-normal">
                          Default
                        </Badge>
                      ) : null}
                      <AgentStatus agent={agent} />
                    </div>
                    <dl className="grid grid-cols-[minmax(0,1fr)_auto] gap-x-4 gap-y-2 text-sm">
                      <div>
                        <dt className="text-muted-foreground text-xs">Calls in progress</dt>
                        <dd>
                          <Load agent={agent} />
                        </dd>
                      </div>
                      <div>
                        <dt className="text-muted-foreground text-xs">Capacity</dt>
                        <dd className="tabular-nums">
                          {formatNumber(agent.maxConcurrentCalls)} at once
                        </dd>
                      </div>
                    </dl>
                    {agent.description ? (
                      <p className="text-muted-foreground text-sm">{agent.description}</p>
                    ) : null}
                  </li>
                ))}
              </ul>
              <div className="hidden sm:block">
                <Table label="Agents">
                  <TableHeader>
                    <TableRow className="hover:bg-transparent">
                      <TableHead>Name</TableHead>
                      <TableHead>Status</TableHead>
                      <TableHead>Capacity</TableHead>
                      <TableHead>Calls in progress</TableHead>
                      <TableHead>Description</TableHead>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {items.map((agent) => (
                      <TableRow key={agent.id} data-agent-id={agent.id}>
                        <TableCell className="font-medium">
                          {agent.name}
                          {agent.isDefault ? (
                            <Badge variant="outline" className="ml-2 font-normal">
                              Default
                            </Badge>
                          ) : null}
                        </TableCell>
                        <TableCell>
                          <AgentStatus agent={agent} />
                        </TableCell>
                        <TableCell className="tabular-nums">
                          {formatNumber(agent.maxConcurrentCalls)} at once
                        </TableCell>
                        <TableCell>
                          <Load agent={agent} />
                        </TableCell>
                        <TableCell className="min-w-64 whitespace-normal text-muted-foreground">
                          {agent.description ?? '—'}
                        </TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              </div>
            </>
          )}
        </CardContent>
      </Card>
    </>
  );
}
