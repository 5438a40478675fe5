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
import { agentsQuery } from '../api.ts';

export function AgentsPage() {
  const query = useQuery(agentsQuery);
  return (
    <>
      <PageHeader
        title="Agents"
        description="The AI voice agents that place the calls, and how busy each is."
      />
      <Card>
        <CardContent className="pt-4">
          {query.isPending ? (
            <TableSkeleton rows={4} columns={4} />
          ) : query.isError ? (
            <ErrorState error={query.error} onRetry={() => query.refetch()} />
          ) : query.data.items.length === 0 ? (
            <EmptyState icon={BotIcon} title="No agents yet">
              An admin adds agents to the workspace.
            </EmptyState>
          ) : (
            <Table label="Agents">
              <TableHeader>
                <TableRow className="hover:bg-transparent">
                  <TableHead>Name</TableHead>
                  <TableHead>Status</TableHead>
                  <TableHead>Calls in progress</TableHead>
                  <TableHead>Description</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {query.data.items.map((agent) => (
                  <TableRow key={agent.id}>
                    <TableCell className="font-medium">
                      {agent.name}
                      {agent.isDefault ? (
                        <Badge variant="outline" className="ml-2">
                          Default
                        </Badge>
                      ) : null}
                    </TableCell>
                    <TableCell>{agent.status === 'active' ? 'Active' : 'Inactive'}</TableCell>
                    <TableCell className="tabular-nums">
                      {agent.callsInProgress} / {agent.maxConcurrentCalls}
                    </TableCell>
                    <TableCell className="min-w-64 whitespace-normal text-muted-foreground">
                      {agent.description ?? '—'}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </CardContent>
      </Card>
    </>
  );
}
