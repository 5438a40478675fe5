import { Link } from '@tanstack/react-router';
import { TYPE_LABELS } from '../../../../core/follow-up.ts';
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '../../../components/ui/table.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { resultLabel } from '../../../lib/labels.ts';
import type { FollowUpDetail } from '../api.ts';

export function AttemptsTable({
  attempts,
  open,
}: {
  attempts: FollowUpDetail['attemptHistory'];
  /** Whether the follow-up can still run (then "no attempt yet" rather than "none"). */
  open: boolean;
}) {
  if (attempts.length === 0) {
    return (
      <p className="text-muted-foreground text-sm">
        {open
          ? 'No attempt yet. The engine starts the first one when it is due and inside the calling window.'
          : 'No attempt was made.'}
      </p>
    );
  }
  return (
    <Table label="Attempts">
      <TableHeader>
        <TableRow className="hover:bg-transparent">
          <TableHead>#</TableHead>
          <TableHead>Started</TableHead>
          <TableHead>Ended</TableHead>
          <TableHead>Channel</TableHead>
          <TableHead>Agent</TableHead>
          <TableHead>Result</TableHead>
          <TableHead>Error</TableHead>
          <TableHead>Call log</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {attempts.map((attempt) => (
          <TableRow key={attempt.number}>
            <TableCell className="tabular-nums">{attempt.number}</TableCell>
            <TableCell>{formatDateTime(attempt.startedAt)}</TableCell>
            <TableCell>{attempt.endedAt ? formatDateTime(attempt.endedAt) : 'Running…'}</TableCell>
            <TableCell>
              {TYPE_LABELS[attempt.channel]}{' '}
              <span className="text-muted-foreground">({attempt.provider})</span>
            </TableCell>
            <TableCell>{attempt.agent?.name ?? '—'}</TableCell>
            <TableCell>{attempt.endedAt ? resultLabel(attempt.result) : '—'}</TableCell>
            <TableCell className="max-w-64 truncate" title={attempt.error ?? undefined}>
              {attempt.error ?? '—'}
            </TableCell>
            <TableCell>
              {attempt.callLogId ? (
                <Link
                  to="/call-logs/$id"
                  params={{ id: attempt.callLogId }}
                  className="text-primary underline-offset-4 hover:underline"
                >
                  View call
                </Link>
              ) : (
                <span className="text-muted-foreground">—</span>
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
