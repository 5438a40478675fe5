import { Link } from '@tanstack/react-router';
import type * as React from 'react';
import { useState } from 'react';
import type { FollowUp } from '../../../../contracts/follow-ups.contract.ts';
import { INHERIT_LABEL } from '../../../../core/agent-routing.ts';
import { TYPE_LABELS } from '../../../../core/follow-up.ts';
import { OutOfWindowBadge, StatusBadge } from '../../../components/status-badge.tsx';
import { Button } from '../../../components/ui/button.tsx';
import { formatDateTime, formatRelative } from '../../../lib/format.ts';
import { useNow } from '../../../lib/use-now.ts';
import { dueAt } from '../api.ts';

const link = 'font-medium text-primary underline-offset-4 hover:underline';

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const dayTimeFormat = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  hour: 'numeric',
  minute: '2-digit',
});

/** "3:05 PM" today, "Sat 3:05 PM" on another day (in the viewer's zone). */
function shortTime(at: Date, now: Date): string {
  return at.toDateString() === now.toDateString()
    ? timeFormat.format(at)
    : dayTimeFormat.format(at);
}

/** One follow-up as an agenda line: when on the left, what and for whom on the right. */
function Row({
  followUp: f,
  when,
  detail,
}: {
  followUp: FollowUp;
  when: React.ReactNode;
  detail: React.ReactNode;
}) {
  return (
    <li
      className="grid grid-cols-[5.75rem_minmax(0,1fr)] gap-x-3 py-2.5 first:pt-0 last:pb-0"
      data-follow-up-id={f.id}
    >
      <div className="grid content-start text-muted-foreground text-xs tabular-nums">{when}</div>
      <div className="grid min-w-0 gap-1">
        <div className="flex flex-wrap items-center gap-x-1.5 gap-y-1 text-sm">
          <StatusBadge status={f.status} />
          {f.allowOutOfWindow ? <OutOfWindowBadge /> : null}
          <span className="min-w-0">
            <Link to="/follow-ups/$id" params={{ id: f.id }} className={link}>
              {TYPE_LABELS[f.type]}
              <span className="sr-only"> follow-up</span>
            </Link>{' '}
            <span className="text-muted-foreground">for</span>{' '}
            <Link to="/contacts/$id" params={{ id: f.contact.id }} className={link}>
              {f.contact.name}
            </Link>
          </span>
        </div>
        <p className="line-clamp-2 text-muted-foreground text-xs">{detail}</p>
      </div>
    </li>
  );
}

/** Failed and expired follow-ups, latest first: when and why each stopped. */
export function NeedsAttentionList({ items }: { items: FollowUp[] }) {
  const now = useNow(60_000);
  return (
    <ul className="divide-y" aria-label="Failed and expired follow-ups">
      {items.map((f) => {
        const at = f.completedAt ?? f.updatedAt;
        return (
          <Row
            key={f.id}
            followUp={f}
            when={
              <time dateTime={at} title={formatDateTime(at)}>
                {formatRelative(at, now)}
              </time>
            }
            detail={
              <>
                {f.lastError ??
                  (f.status === 'expired'
                    ? 'Its expiry passed before it could succeed.'
                    : 'It stopped without a reason on record.')}
                {f.campaign ? ` · ${f.campaign.name}` : ''}
              </>
            }
          />
        );
      })}
    </ul>
  );
}

const FIRST = 8;

/** What runs in the next 24 hours, soonest first; what is due already says so. */
export function NextUpList({ items }: { items: FollowUp[] }) {
  const now = useNow(30_000);
  const [all, setAll] = useState(false);
  const shown = all ? items : items.slice(0, FIRST);
  return (
    <>
      <ul className="divide-y" aria-label="Follow-ups due in the next 24 hours">
        {shown.map((f) => {
          const at = dueAt(f);
          const date = new Date(at);
          const due = date.getTime() <= now.getTime();
          return (
            <Row
              key={f.id}
              followUp={f}
              when={
                <>
                  <time dateTime={at} title={formatDateTime(at)} className="text-foreground">
                    {shortTime(date, now)}
                  </time>
                  <span>{due ? 'due now' : formatRelative(date, now)}</span>
                </>
              }
              detail={
                <>
                  {f.agent?.name ?? INHERIT_LABEL}
                  {f.campaign ? ` · ${f.campaign.name}` : ''}
                  {f.attempts > 0 ? ` · attempt ${f.attempts + 1} of ${f.maxAttempts}` : ''}
                </>
              }
            />
          );
        })}
      </ul>
      {items.length > FIRST ? (
        <div className="mt-3 flex justify-center">
          <Button variant="ghost" size="sm" onClick={() => setAll((v) => !v)}>
            {all ? 'Show fewer' : `Show all ${items.length}`}
          </Button>
        </div>
      ) : null}
    </>
  );
}
