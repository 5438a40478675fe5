import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import type * as React from 'react';
import { INHERIT_LABEL } from '../../../../core/agent-routing.ts';
import {
  FOLLOW_UP_STATUSES,
  type FollowUpSource,
  type FollowUpStatus,
  type FollowUpType,
  PRIORITY_LABELS,
  type Priority,
  SOURCE_LABELS,
  STATUS_LABELS,
  TYPE_LABELS,
} from '../../../../core/follow-up.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { EVENT_LABELS, resultLabel } from '../../../lib/labels.ts';
import { agentsQuery } from '../../../lib/shared-queries.ts';
import type { FollowUpDetail } from '../api.ts';
import { asAppliedRule, CallingRulesList } from './calling-rules.tsx';

type Event = FollowUpDetail['events'][number];

const FIELD_LABELS: Record<string, string> = {
  scheduledAt: 'Scheduled',
  nextAttemptAt: 'Next attempt',
  until: 'Until',
  snoozedUntil: 'Snoozed until',
  expiresAt: 'Expires',
  runsAt: 'Runs',
  at: 'At',
  type: 'Type',
  source: 'Source',
  priority: 'Priority',
  agentId: 'Agent',
  maxAttempts: 'Max attempts',
  allowOutOfWindow: 'Allow out-of-window',
  notes: 'Notes',
  campaignId: 'Campaign',
};

const TIME_FIELDS = new Set([
  'scheduledAt',
  'nextAttemptAt',
  'until',
  'snoozedUntil',
  'expiresAt',
  'runsAt',
  'at',
]);

const REASONS: Record<string, string> = {
  contacted_inbound: 'the customer called in first',
  outside_window: 'outside the calling window',
  do_not_call: 'the contact is on the Do Not Call list',
  max_attempts: 'no attempts left',
  expired: 'the expiry passed',
};

const HANDLED = new Set([
  'from',
  'to',
  'attempt',
  'result',
  'reason',
  'error',
  'callLogId',
  'changes',
]);

function isStatus(value: unknown): value is FollowUpStatus {
  return typeof value === 'string' && (FOLLOW_UP_STATUSES as readonly string[]).includes(value);
}

function humanKey(key: string): string {
  if (FIELD_LABELS[key]) return FIELD_LABELS[key];
  const spaced = key
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replaceAll('_', ' ')
    .toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

function humanValue(key: string, value: unknown, agents: Map<string, string>): string {
  if (value === null || value === undefined || value === '') {
    return key === 'agentId' ? INHERIT_LABEL : '—';
  }
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value !== 'string') return typeof value === 'number' ? String(value) : '…';
  if (TIME_FIELDS.has(key)) return formatDateTime(value);
  if (key === 'type') return TYPE_LABELS[value as FollowUpType] ?? value;
  if (key === 'source') return SOURCE_LABELS[value as FollowUpSource] ?? value;
  if (key === 'priority') return PRIORITY_LABELS[value as Priority] ?? value;
  if (key === 'agentId') return agents.get(value) ?? 'another agent';
  if (isStatus(value)) return STATUS_LABELS[value];
  return value.length > 80 ? `${value.slice(0, 80)}…` : value;
}

function EventDetails({ event, agents }: { event: Event; agents: Map<string, string> }) {
  const d = event.data;
  const lines: React.ReactNode[] = [];
  if (isStatus(d.from) && isStatus(d.to) && d.from !== d.to) {
    lines.push(`${STATUS_LABELS[d.from]} → ${STATUS_LABELS[d.to]}`);
  }
  if (typeof d.attempt === 'number') lines.push(`Attempt ${d.attempt}`);
  if (typeof d.result === 'string') lines.push(`Result: ${resultLabel(d.result)}`);
  if (typeof d.reason === 'string' && d.reason) {
    lines.push(`Reason: ${REASONS[d.reason] ?? d.reason.replaceAll('_', ' ')}`);
  }
  if (typeof d.error === 'string' && d.error) lines.push(`Error: ${d.error}`);
  if (d.changes && typeof d.changes === 'object') {
    for (const [key, change] of Object.entries(d.changes as Record<string, unknown>)) {
      const { from, to } = (change ?? {}) as { from?: unknown; to?: unknown };
      lines.push(
        `${humanKey(key)}: ${humanValue(key, from, agents)} → ${humanValue(key, to, agents)}`,
      );
    }
  }
  for (const [key, value] of Object.entries(d)) {
    if (HANDLED.has(key) || value === null || value === undefined || typeof value === 'object') {
      continue;
    }
    lines.push(`${humanKey(key)}: ${humanValue(key, value, agents)}`);
  }
  return (
    <>
      {lines.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: lines are fixed for an event
        <p key={i}>{line}</p>
      ))}
      {Array.isArray(d.liftedRules) && d.liftedRules.length > 0 ? (
        <div data-testid="lifted-rules">
          <p>The customer override lifted:</p>
          <CallingRulesList
            label="Rules the override lifted"
            className="list-disc pl-4"
            rules={d.liftedRules.map(asAppliedRule).filter((r) => r !== null)}
          />
        </div>
      ) : null}
      {typeof d.callLogId === 'string' ? (
        <Link
          to="/call-logs/$id"
          params={{ id: d.callLogId }}
          className="text-primary underline-offset-4 hover:underline"
        >
          View call
        </Link>
      ) : null}
    </>
  );
}

/** The follow-up's events, oldest first, in plain words (SPEC §2.5, §7.4). */
export function Timeline({ events }: { events: Event[] }) {
  const agentsList = useQuery(agentsQuery);
  const agents = new Map((agentsList.data?.items ?? []).map((a) => [a.id, a.name]));
  if (events.length === 0) {
    return <p className="text-muted-foreground text-sm">Nothing has happened yet.</p>;
  }
  return (
    <ol className="relative grid gap-4 border-l pl-5" aria-label="Timeline">
      {events.map((event) => (
        <li key={event.id} className="relative">
          <span
            aria-hidden="true"
            className="-left-[26px] absolute top-1.5 size-2.5 rounded-full border-2 border-card bg-primary"
          />
          <p className="font-medium text-sm">{EVENT_LABELS[event.kind] ?? event.kind}</p>
          <p className="text-muted-foreground text-xs">
            <time dateTime={event.at}>{formatDateTime(event.at)}</time> · {event.actor.name}
          </p>
          <div className="mt-1 grid gap-0.5 text-muted-foreground text-xs">
            <EventDetails event={event} agents={agents} />
          </div>
        </li>
      ))}
    </ol>
  );
}
