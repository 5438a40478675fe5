import { Link } from '@tanstack/react-router';
import { ArrowDownLeftIcon, ArrowUpRightIcon } from 'lucide-react';
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '../../../components/ui/table.tsx';
import { formatDateTime, formatDuration } from '../../../lib/format.ts';
import type { CallLog } from '../api.ts';
import { OutcomeBadge } from './outcome-badge.tsx';

export function CallLogsTable({
  rows,
  label,
  showContact = false,
}: {
  rows: CallLog[];
  label: string;
  showContact?: boolean;
}) {
  return (
    <Table label={label}>
      <TableHeader>
        <TableRow className="hover:bg-transparent">
          <TableHead>Started</TableHead>
          {showContact ? <TableHead>Contact</TableHead> : null}
          <TableHead>Direction</TableHead>
          <TableHead>Outcome</TableHead>
          <TableHead>Duration</TableHead>
          <TableHead>Agent</TableHead>
          <TableHead>Campaign</TableHead>
          <TableHead>Summary</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((call) => (
          <TableRow key={call.id}>
            <TableCell>
              <Link
                to="/call-logs/$id"
                params={{ id: call.id }}
                className="text-primary underline-offset-4 hover:underline"
              >
                <time dateTime={call.startedAt}>{formatDateTime(call.startedAt)}</time>
              </Link>
            </TableCell>
            {showContact ? (
              <TableCell className="max-w-48 truncate">
                <Link
                  to="/contacts/$id"
                  params={{ id: call.contact.id }}
                  className="font-medium text-primary underline-offset-4 hover:underline"
                >
                  {call.contact.name}
                </Link>
              </TableCell>
            ) : null}
            <TableCell>
              <span className="inline-flex items-center gap-1">
                {call.direction === 'inbound' ? (
                  <ArrowDownLeftIcon aria-hidden="true" className="size-3.5" />
                ) : (
                  <ArrowUpRightIcon aria-hidden="true" className="size-3.5" />
                )}
                {call.direction === 'inbound' ? 'Inbound' : 'Outbound'}
              </span>
            </TableCell>
            <TableCell>
              <OutcomeBadge outcome={call.outcome} />
            </TableCell>
            <TableCell className="tabular-nums">{formatDuration(call.durationSeconds)}</TableCell>
            <TableCell className="max-w-40 truncate">{call.agent?.name ?? '—'}</TableCell>
            <TableCell className="max-w-40 truncate">
              {call.campaign ? (
                <Link
                  to="/campaigns/$id"
                  params={{ id: call.campaign.id }}
                  className="text-primary underline-offset-4 hover:underline"
                >
                  {call.campaign.name}
                </Link>
              ) : (
                <span className="text-muted-foreground">—</span>
              )}
            </TableCell>
            <TableCell className="text-muted-foreground" title={call.summary ?? undefined}>
              <span className="block min-w-48 max-w-80 truncate">{call.summary ?? '—'}</span>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
