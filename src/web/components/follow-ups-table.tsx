import { Link } from '@tanstack/react-router';
import type { FollowUp, FollowUpListItem } from '../../contracts/follow-ups.contract.ts';
import { INHERIT_LABEL } from '../../core/agent-routing.ts';
import { PRIORITY_LABELS, SOURCE_LABELS, TYPE_LABELS } from '../../core/follow-up.ts';
import { formatDateTime, formatDateTimeShort, formatInZone } from '../lib/format.ts';
import { TIMEZONE_SOURCE_LABELS } from '../lib/labels.ts';
import { StatusCell } from './status-badge.tsx';
import { Button } from './ui/button.tsx';
import { Checkbox } from './ui/checkbox.tsx';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from './ui/table.tsx';
import { Tooltip } from './ui/tooltip.tsx';

/** Scheduled in the viewer's zone; the contact's local time on hover or focus. */
export function ScheduledTime({ followUp }: { followUp: FollowUp }) {
  const local = followUp.contactLocal;
  const inferred =
    local.timezoneSource === 'contact' ? '' : `, ${TIMEZONE_SOURCE_LABELS[local.timezoneSource]}`;
  return (
    <Tooltip
      content={
        <span>
          Contact's local time: {formatInZone(local.scheduledAt, local.timezone)}
          <br />
          <span className="opacity-80">
            {local.timezone}
            {inferred}
          </span>
        </span>
      }
    >
      <button
        type="button"
        className="cursor-help text-left underline decoration-muted-foreground/40 decoration-dotted underline-offset-4"
      >
        <time dateTime={followUp.scheduledAt} title={formatDateTime(followUp.scheduledAt)}>
          {formatDateTimeShort(followUp.scheduledAt)}
        </time>
      </button>
    </Tooltip>
  );
}

export function AgentName({ followUp }: { followUp: FollowUp }) {
  if (followUp.agent) return <>{followUp.agent.name}</>;
  return <span className="text-muted-foreground">{INHERIT_LABEL}</span>;
}

export function CampaignLink({ campaign }: { campaign: FollowUp['campaign'] }) {
  if (!campaign) return <span className="text-muted-foreground">—</span>;
  return (
    <Link
      to="/campaigns/$id"
      params={{ id: campaign.id }}
      className="text-primary underline-offset-4 hover:underline"
    >
      {campaign.name}
    </Link>
  );
}

interface Selection {
  selected: ReadonlySet<string>;
  onToggle: (id: string, checked: boolean) => void;
  onToggleAll: (checked: boolean) => void;
}

/**
 * Follow-ups as rows. On a contact's page (variant "contact") the columns are SPEC §7.2's;
 * the global list (variant "global") adds the contact, the priority and row selection.
 */
export function FollowUpsTable({
  rows,
  variant,
  selection,
  label,
}: {
  rows: FollowUpListItem[];
  variant: 'contact' | 'global';
  selection?: Selection;
  label: string;
}) {
  const global = variant === 'global';
  const allSelected =
    selection && rows.length > 0 && rows.every((row) => selection.selected.has(row.id));
  const someSelected = selection && rows.some((row) => selection.selected.has(row.id));
  return (
    <Table label={label}>
      <TableHeader>
        <TableRow className="hover:bg-transparent">
          {selection ? (
            <TableHead className="w-8">
              <Checkbox
                aria-label="Select all shown follow-ups"
                checked={allSelected ? true : someSelected ? 'indeterminate' : false}
                onCheckedChange={(checked) => selection.onToggleAll(checked === true)}
              />
            </TableHead>
          ) : null}
          <TableHead>Status</TableHead>
          {global ? <TableHead>Contact</TableHead> : null}
          <TableHead>Type</TableHead>
          <TableHead>Scheduled</TableHead>
          <TableHead>Agent</TableHead>
          <TableHead>Campaign</TableHead>
          {global ? <TableHead>Priority</TableHead> : null}
          <TableHead>Attempts</TableHead>
          <TableHead>Source</TableHead>
          <TableHead className="text-right">Actions</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((row) => {
          const checked = selection?.selected.has(row.id) ?? false;
          return (
            <TableRow
              key={row.id}
              data-follow-up-id={row.id}
              data-state={checked ? 'selected' : undefined}
            >
              {selection ? (
                <TableCell>
                  <Checkbox
                    aria-label={`Select the ${TYPE_LABELS[row.type]} follow-up for ${row.contact.name}, ${formatDateTime(row.scheduledAt)}`}
                    checked={checked}
                    onCheckedChange={(value) => selection.onToggle(row.id, value === true)}
                  />
                </TableCell>
              ) : null}
              <TableCell>
                <StatusCell
                  status={row.status}
                  allowOutOfWindow={row.allowOutOfWindow}
                  waiting={row.waiting}
                  stacked
                />
              </TableCell>
              {global ? (
                <TableCell className="max-w-44 truncate">
                  <Link
                    to="/contacts/$id"
                    params={{ id: row.contact.id }}
                    className="font-medium text-primary underline-offset-4 hover:underline"
                  >
                    {row.contact.name}
                  </Link>
                </TableCell>
              ) : null}
              <TableCell>{TYPE_LABELS[row.type]}</TableCell>
              <TableCell>
                <ScheduledTime followUp={row} />
              </TableCell>
              <TableCell className={global ? 'min-w-36 whitespace-normal' : undefined}>
                <AgentName followUp={row} />
              </TableCell>
              <TableCell className={global ? 'min-w-28 whitespace-normal' : undefined}>
                <CampaignLink campaign={row.campaign} />
              </TableCell>
              {global ? <TableCell>{PRIORITY_LABELS[row.priority]}</TableCell> : null}
              <TableCell className="tabular-nums">
                {row.attempts} / {row.maxAttempts}
              </TableCell>
              <TableCell>{SOURCE_LABELS[row.source]}</TableCell>
              <TableCell className="text-right">
                <Button asChild variant="ghost" size="sm">
                  <Link to="/follow-ups/$id" params={{ id: row.id }}>
                    View
                  </Link>
                </Button>
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
