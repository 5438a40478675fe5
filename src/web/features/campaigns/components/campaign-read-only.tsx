/** A campaign's calling window and outcome rules as text, for people who cannot change them. */
import { PRIORITY_LABELS, TYPE_LABELS } from '../../../../core/follow-up.ts';
import { CALL_OUTCOME_LABELS } from '../../../../core/results.ts';
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '../../../components/ui/table.tsx';
import type { CampaignDetail } from '../api.ts';
import { formatDelay, WEEKDAY_LABELS } from '../labels.ts';

/** The calling window its follow-ups obey, one line per weekday, then the closed dates. */
export function CallingWindowView({ campaign }: { campaign: CampaignDetail }) {
  const window = campaign.effectiveCallingWindow;
  return (
    <div className="grid gap-3">
      <table className="w-full text-sm" aria-label="Calling window per weekday">
        <tbody>
          {WEEKDAY_LABELS.map(([day, label]) => {
            const ranges = window.weekly[day];
            return (
              <tr key={day} className="border-b last:border-0">
                <th scope="row" className="py-1.5 pr-4 text-left font-normal text-muted-foreground">
                  {label}
                </th>
                <td className="py-1.5 tabular-nums">
                  {ranges.length === 0 ? (
                    <span className="text-muted-foreground">Closed</span>
                  ) : (
                    ranges.map((r) => `${r.start}–${r.end}`).join(', ')
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="text-muted-foreground text-xs">
        {window.closedDates.length
          ? `Closed on ${window.closedDates.join(', ')}. `
          : 'No closed dates. '}
        Times are each contact's local time; calls and SMS also stay within 08:00–21:00 there unless
        the customer asked otherwise.
      </p>
    </div>
  );
}

export function OutcomeRulesView({ campaign }: { campaign: CampaignDetail }) {
  if (campaign.outcomeRules.length === 0) {
    return (
      <p className="text-muted-foreground text-sm">
        No outcome rules: its calls create no follow-ups by themselves.
      </p>
    );
  }
  return (
    <Table label="Outcome rules">
      <TableHeader>
        <TableRow className="hover:bg-transparent">
          <TableHead>When a call ends with</TableHead>
          <TableHead>Schedule</TableHead>
          <TableHead>When</TableHead>
          <TableHead>Max attempts</TableHead>
          <TableHead>Priority</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {campaign.outcomeRules.map((rule) => (
          <TableRow key={`${rule.outcome}/${rule.type}`}>
            <TableCell className="font-medium">{CALL_OUTCOME_LABELS[rule.outcome]}</TableCell>
            <TableCell>{TYPE_LABELS[rule.type]}</TableCell>
            <TableCell className="min-w-40 whitespace-normal">
              {formatDelay(rule.delayMinutes)}
            </TableCell>
            <TableCell className="tabular-nums">{rule.maxAttempts}</TableCell>
            <TableCell>{PRIORITY_LABELS[rule.priority]}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
