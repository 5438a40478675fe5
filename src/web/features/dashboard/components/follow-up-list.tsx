import { Link } from '@tanstack/react-router';
import type * as React from 'react';
import { INHERIT_LABEL } from '../../../../core/agent-routing.ts';
import { TYPE_LABELS } from '../../../../core/follow-up.ts';
import { formatDateTime, formatDateTimeShort, formatRelative } from '../../../lib/format.ts';
import { useNow } from '../../../lib/use-now.ts';
import type { FollowUp } from '../../follow-ups/api.ts';
import { OutOfWindowBadge, StatusBadge } from '../../follow-ups/components/status-badge.tsx';
import { dueAt } from '../api.ts';

const link = 'font-medium text-primary underline-offset-4 hover:underline';

function Row({
  followUp: f,
  when,
  children,
}: {
  followUp: FollowUp;
  when: React.ReactNode;
  children?: React.ReactNode;
}) {
  return (
    <li className="grid gap-1 py-2.5 first:pt-0 last:pb-0" data-follow-up-id={f.id}>
      <div className="flex flex-wrap items-center gap-x-2 gap-y-1 text-sm">
        <StatusBadge status={f.status} />
        {f.allowOutOfWindow ? <OutOfWindowBadge /> : null}
        <Link to="/follow-ups/$id" params={{ id: f.id }} className={link}>
          {TYPE_LABELS[f.type]}
          <span className="sr-only"> follow-up</span>
        </Link>
        <span className="text-muted-foreground">for</span>
        <Link to="/contacts/$id" params={{ id: f.contact.id }} className={link}>
          {f.contact.name}
        </Link>
        <span className="ml-auto text-muted-foreground text-xs tabular-nums">{when}</span>
      </div>
      {children}
    </li>
  );
}

/** Failed and expired follow-ups, latest first: why each stopped. */
export function NeedsAttentionList({ items }: { items: FollowUp[] }) {
  const now = useNow(60_000);
  return (
    <ul className="divide-y" aria-label="Failed and expired follow-ups">
      {items.map((f) => (
        <Row
          key={f.id}
          followUp={f}
          when={
            <time
              dateTime={f.completedAt ?? f.updatedAt}
              title={formatDateTime(f.completedAt ?? f.updatedAt)}
            >
              {formatRelative(f.completedAt ?? f.updatedAt, now)}
            </time>
          }
        >
          <p className="line-clamp-2 text-muted-foreground text-xs">
            {f.lastError ??
              (f.status === 'expired'
                ? 'Its expiry passed before it could succeed.'
                : 'It stopped without a reason on record.')}
            {f.campaign ? ` · ${f.campaign.name}` : ''}
          </p>
        </Row>
      ))}
    </ul>
  );
}

/** What runs in the next 24 hours, soonest first; what is due already says so. */
export function NextUpList({ items }: { items: FollowUp[] }) {
  const now = useNow(30_000);
  return (
    <ul className="divide-y" aria-label="Follow-ups due in the next 24 hours">
      {items.map((f) => {
        const at = dueAt(f);
        const due = Date.parse(at) <= now.getTime();
        return (
          <Row
            key={f.id}
            followUp={f}
            when={
              <time dateTime={at} title={formatDateTime(at)}>
                {formatDateTimeShort(at)}
                <span className="ml-1.5 text-foreground">
                  {due ? 'due now' : formatRelative(at, now)}
                </span>
              </time>
            }
          >
            <p className="truncate text-muted-foreground text-xs">
              {f.agent?.name ?? INHERIT_LABEL}
              {f.campaign ? ` · ${f.campaign.name}` : ''}
              {f.attempts > 0 ? ` · attempt ${f.attempts + 1} of ${f.maxAttempts}` : ''}
            </p>
          </Row>
        );
      })}
    </ul>
  );
}
