import { useQuery } from '@tanstack/react-query';
import { BotIcon, PencilIcon, PlusIcon } from 'lucide-react';
import { Fragment, useState } from 'react';
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
import { formatNumber } from '../../../lib/format.ts';
import { useIsAdmin } from '../../../lib/session.ts';
import { type Agent, agentsQuery } from '../api.ts';
import { AgentFormDialog } from '../components/agent-form-dialog.tsx';
import { AgentStatus, DefaultBadge, LoadToggle } from '../components/agent-load.tsx';
import { CallsNow } from '../components/calls-now.tsx';

/** The dialog: a new agent (agent null) or the agent being edited. */
interface Editing {
  open: boolean;
  agent: Agent | null;
}

/**
 * The agents (SPEC §7, /agents): status, capacity and the calls each has right now (open a
 * row to see them). Admins add and edit agents.
 */
export function AgentsPage() {
  // Calls start and end all the time: look again every few seconds while the page is open
  // (the event stream also refreshes it when a follow-up changes).
  const query = useQuery({ ...agentsQuery, refetchInterval: 5_000 });
  const isAdmin = useIsAdmin();
  const [editing, setEditing] = useState<Editing>({ open: false, agent: null });
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) =>
    setExpanded((old) => {
      const next = new Set(old);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const items = query.data?.items ?? [];
  const busy = items.reduce((n, a) => n + a.callsInProgress, 0);
  const capacity = items
    .filter((a) => a.status === 'active')
    .reduce((n, a) => n + a.maxConcurrentCalls, 0);
  const editButton = (agent: Agent) => (
    <Button variant="outline" size="sm" onClick={() => setEditing({ open: true, agent })}>
      <PencilIcon aria-hidden="true" />
      Edit<span className="sr-only"> {agent.name}</span>
    </Button>
  );
  return (
    <>
      <PageHeader
        title="Agents"
        description={
          query.data
            ? `The AI voice agents that place the calls: ${formatNumber(busy)} calls in progress, room for ${formatNumber(capacity)} at once across the active agents.`
            : 'The AI voice agents that place the calls, and how busy each is.'
        }
        actions={
          isAdmin ? (
            <Button onClick={() => setEditing({ open: true, agent: null })}>
              <PlusIcon aria-hidden="true" />
              New agent
            </Button>
          ) : null
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
              {isAdmin
                ? 'Add the first agent with "New agent": calls need an agent to place them.'
                : 'An admin adds agents to the workspace.'}
            </EmptyState>
          ) : (
            <>
              {/* Narrow screens: one block per agent. */}
              <ul className="grid divide-y sm:hidden" aria-label="Agents">
                {items.map((agent) => {
                  const callsId = `calls-m-${agent.id}`;
                  return (
                    <li key={agent.id} className="grid gap-2 py-3 first:pt-0 last:pb-0">
                      <div className="flex flex-wrap items-center gap-2">
                        <span className="font-medium">{agent.name}</span>
                        <DefaultBadge agent={agent} />
                        <AgentStatus agent={agent} />
                      </div>
                      <div className="flex items-end justify-between gap-2 text-sm">
                        <div>
                          <div className="text-muted-foreground text-xs">Calls in progress</div>
                          <LoadToggle
                            agent={agent}
                            expanded={expanded.has(agent.id)}
                            controls={callsId}
                            onToggle={() => toggle(agent.id)}
                          />
                        </div>
                        {isAdmin ? editButton(agent) : null}
                      </div>
                      {expanded.has(agent.id) ? <CallsNow agentId={agent.id} id={callsId} /> : null}
                      {agent.description ? (
                        <p className="text-muted-foreground text-sm">{agent.description}</p>
                      ) : null}
                    </li>
                  );
                })}
              </ul>
              <div className="hidden sm:block">
                <Table label="Agents">
                  <TableHeader>
                    <TableRow className="hover:bg-transparent">
                      <TableHead>Name</TableHead>
                      <TableHead>Status</TableHead>
                      <TableHead>Calls in progress</TableHead>
                      <TableHead>Description</TableHead>
                      {isAdmin ? (
                        <TableHead>
                          <span className="sr-only">Actions</span>
                        </TableHead>
                      ) : null}
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {items.map((agent) => {
                      const callsId = `calls-${agent.id}`;
                      const open = expanded.has(agent.id);
                      return (
                        <Fragment key={agent.id}>
                          <TableRow data-agent-id={agent.id}>
                            <TableCell className="font-medium">
                              {agent.name}
                              <DefaultBadge agent={agent} className="ml-2" />
                            </TableCell>
                            <TableCell>
                              <AgentStatus agent={agent} />
                            </TableCell>
                            <TableCell>
                              <LoadToggle
                                agent={agent}
                                expanded={open}
                                controls={callsId}
                                onToggle={() => toggle(agent.id)}
                              />
                            </TableCell>
                            <TableCell className="min-w-64 whitespace-normal text-muted-foreground">
                              {agent.description ?? '—'}
                            </TableCell>
                            {isAdmin ? (
                              <TableCell className="text-right">{editButton(agent)}</TableCell>
                            ) : null}
                          </TableRow>
                          {open ? (
                            <TableRow className="bg-muted/40 hover:bg-muted/40">
                              <TableCell colSpan={isAdmin ? 5 : 4} className="whitespace-normal">
                                <CallsNow agentId={agent.id} id={callsId} />
                              </TableCell>
                            </TableRow>
                          ) : null}
                        </Fragment>
                      );
                    })}
                  </TableBody>
                </Table>
              </div>
            </>
          )}
        </CardContent>
      </Card>
      <AgentFormDialog
        agent={editing.agent}
        open={editing.open}
        onOpenChange={(open) => setEditing((old) => ({ ...old, open }))}
      />
    </>
  );
}
