/**
 * Call outcomes per day, stacked (SPEC §7, the dashboard). Loaded on its own (recharts is
 * large) after the counts show. The drawing is hidden from assistive technology; a table with
 * the same numbers is there for them instead, and the caption sums it up.
 */
import {
  Bar,
  BarChart,
  CartesianGrid,
  ResponsiveContainer,
  Tooltip,
  type TooltipContentProps,
  XAxis,
  YAxis,
} from 'recharts';
import type { NameType, ValueType } from 'recharts/types/component/DefaultTooltipContent';
import { CALL_OUTCOME_LABELS, CALL_OUTCOMES, type CallOutcome } from '../../../../core/results.ts';
import { formatNumber } from '../../../lib/format.ts';
import type { Dashboard } from '../api.ts';

/** One colour per outcome: successes green and blue, retries greys, refusals warm. */
export const OUTCOME_COLORS: Record<CallOutcome, string> = {
  answered: '#16a34a',
  callback_requested: '#2563eb',
  not_interested: '#d97706',
  no_answer: '#94a3b8',
  busy: '#64748b',
  voicemail: '#a78bfa',
  failed: '#dc2626',
  do_not_call: '#be185d',
};

type Day = Dashboard['outcomesByDay'][number];

const dayFormat = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  timeZone: 'UTC',
});
const longDayFormat = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  month: 'short',
  day: 'numeric',
  timeZone: 'UTC',
});
/** 'YYYY-MM-DD' (a local date of the workspace) as "Mar 2"; noon UTC keeps the date as is. */
export const formatDay = (day: string, long = false) =>
  (long ? longDayFormat : dayFormat).format(new Date(`${day}T12:00:00Z`));

const totalOf = (counts: Record<CallOutcome, number>) =>
  CALL_OUTCOMES.reduce((n, outcome) => n + counts[outcome], 0);

function ChartTooltip({ active, payload, label }: TooltipContentProps<ValueType, NameType>) {
  if (!active || !payload?.length) return null;
  const day = payload[0]?.payload as Day & { label: string };
  const rows = CALL_OUTCOMES.filter((o) => day.counts[o] > 0).reverse();
  return (
    <div className="rounded-md border bg-popover px-3 py-2 text-popover-foreground text-xs shadow-md">
      <p className="mb-1 font-medium">
        {formatDay(String(label), true)} · {formatNumber(totalOf(day.counts))} calls
      </p>
      {rows.length === 0 ? <p className="text-muted-foreground">No calls</p> : null}
      {rows.map((outcome) => (
        <p key={outcome} className="flex items-center gap-1.5">
          <span
            aria-hidden="true"
            className="size-2 rounded-sm"
            style={{ background: OUTCOME_COLORS[outcome] }}
          />
          <span className="flex-1">{CALL_OUTCOME_LABELS[outcome]}</span>
          <span className="tabular-nums">{formatNumber(day.counts[outcome])}</span>
        </p>
      ))}
    </div>
  );
}

export function OutcomesChart({ days }: { days: Day[] }) {
  const totals = Object.fromEntries(
    CALL_OUTCOMES.map((o) => [o, days.reduce((n, d) => n + d.counts[o], 0)]),
  ) as Record<CallOutcome, number>;
  const calls = totalOf(totals);
  const busiest = days.reduce<Day | null>(
    (best, d) => (!best || totalOf(d.counts) > totalOf(best.counts) ? d : best),
    null,
  );
  const first = days[0]?.day;
  const last = days.at(-1)?.day;
  const summary =
    calls === 0
      ? `No calls from ${first ? formatDay(first) : ''} to ${last ? formatDay(last) : ''}.`
      : `${formatNumber(calls)} calls from ${formatDay(first ?? '')} to ${formatDay(last ?? '')}: ` +
        CALL_OUTCOMES.filter((o) => totals[o] > 0)
          .map((o) => `${CALL_OUTCOME_LABELS[o].toLowerCase()} ${formatNumber(totals[o])}`)
          .join(', ') +
        (busiest
          ? `. Busiest day ${formatDay(busiest.day)} (${formatNumber(totalOf(busiest.counts))}).`
          : '.');
  const data = days.map((d) => ({ ...d, ...d.counts }));

  return (
    <figure className="grid gap-3" data-testid="outcomes-chart">
      <figcaption className="text-muted-foreground text-sm" data-testid="outcomes-summary">
        {summary}
      </figcaption>
      <div className="h-60 w-full sm:h-72" aria-hidden="true">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart
            data={data}
            margin={{ top: 4, right: 4, bottom: 0, left: -16 }}
            // The table below is the accessible version: the drawing takes no focus.
            accessibilityLayer={false}
          >
            <CartesianGrid vertical={false} stroke="var(--border)" />
            <XAxis
              dataKey="day"
              tickFormatter={(day: string) => formatDay(day)}
              tick={{ fill: 'var(--muted-foreground)', fontSize: 11 }}
              tickLine={false}
              axisLine={{ stroke: 'var(--border)' }}
              minTickGap={12}
            />
            <YAxis
              allowDecimals={false}
              tick={{ fill: 'var(--muted-foreground)', fontSize: 11 }}
              tickLine={false}
              axisLine={false}
              width={48}
            />
            <Tooltip
              content={ChartTooltip}
              cursor={{ fill: 'var(--accent)', opacity: 0.6 }}
              isAnimationActive={false}
            />
            {CALL_OUTCOMES.map((outcome, i) => (
              <Bar
                key={outcome}
                dataKey={outcome}
                name={CALL_OUTCOME_LABELS[outcome]}
                stackId="calls"
                fill={OUTCOME_COLORS[outcome]}
                isAnimationActive={false}
                radius={i === CALL_OUTCOMES.length - 1 ? [3, 3, 0, 0] : 0}
                maxBarSize={40}
              />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
      <ul
        className="flex flex-wrap gap-x-4 gap-y-1.5 text-xs"
        aria-label="Outcomes in the last 14 days"
      >
        {CALL_OUTCOMES.map((outcome) => (
          <li key={outcome} className="flex items-center gap-1.5">
            <span
              aria-hidden="true"
              className="size-2.5 rounded-sm"
              style={{ background: OUTCOME_COLORS[outcome] }}
            />
            {CALL_OUTCOME_LABELS[outcome]}
            <span className="text-muted-foreground tabular-nums">
              {formatNumber(totals[outcome])}
            </span>
          </li>
        ))}
      </ul>
      {/* Tables ignore overflow: the wrapper keeps this one from widening the page. */}
      <div className="sr-only">
        <table>
          <caption>Calls per outcome per day</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              {CALL_OUTCOMES.map((outcome) => (
                <th key={outcome} scope="col">
                  {CALL_OUTCOME_LABELS[outcome]}
                </th>
              ))}
              <th scope="col">Total</th>
            </tr>
          </thead>
          <tbody>
            {days.map((d) => (
              <tr key={d.day}>
                <th scope="row">{formatDay(d.day, true)}</th>
                {CALL_OUTCOMES.map((outcome) => (
                  <td key={outcome}>{d.counts[outcome]}</td>
                ))}
                <td>{totalOf(d.counts)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
