/**
 * The dashboard (SPEC §7, route /): five small queries for the whole screen. Counts are grouped
 * in SQL; the follow-up rows are the follow-up JSON of follow-up-views.ts; the days of the
 * outcome chart are calendar days in the workspace's time zone (exact across DST changes).
 */
import { and, asc, count, desc, eq, gte, inArray, lt, type SQL, sql } from 'drizzle-orm';
import { Temporal } from 'temporal-polyfill';
import {
  type Dashboard,
  NEEDS_ATTENTION_LIMIT,
  NEXT_24H_LIMIT,
  OUTCOME_DAYS,
} from '../../contracts/dashboard.contract.ts';
import { FOLLOW_UP_STATUSES, type FollowUpStatus } from '../../core/follow-up.ts';
import { CALL_OUTCOMES, type CallOutcome } from '../../core/results.ts';
import { findWorkspaceZone } from '../db/repositories/workspaces.ts';
import { callLogs, followUps } from '../db/schema.ts';
import { notFound } from '../errors.ts';
import type { Actor, ServiceContext } from './context.ts';
import { selectFollowUpViews } from './follow-ups/follow-up-views.ts';

const zeros = <K extends string>(keys: readonly K[]) =>
  Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

/** When a follow-up that is not running yet next runs: a snoozed one not before it wakes. */
const dueAt: SQL = sql`case when ${followUps.status} = 'snoozed'
  then greatest(${followUps.runAt}, ${followUps.snoozedUntil}) else ${followUps.runAt} end`;

/** The local dates of the last `days` days in `zone` (today last) and the instants around them. */
export function lastDays(now: Date, zone: string, days: number) {
  const today = Temporal.Instant.fromEpochMilliseconds(now.getTime())
    .toZonedDateTimeISO(zone)
    .toPlainDate();
  const first = today.subtract({ days: days - 1 });
  const startOf = (day: Temporal.PlainDate) =>
    new Date(day.toZonedDateTime({ timeZone: zone }).epochMilliseconds);
  return {
    days: Array.from({ length: days }, (_, i) => first.add({ days: i }).toString()),
    from: startOf(first),
    to: startOf(today.add({ days: 1 })),
  };
}

export async function getDashboard(ctx: ServiceContext, actor: Actor): Promise<Dashboard> {
  const { workspaceId } = actor;
  const now = ctx.clock.now();
  const zone = await findWorkspaceZone(ctx.db, workspaceId);
  if (zone === undefined) throw notFound('workspace');
  const window = lastDays(now, zone, OUTCOME_DAYS);
  const localDay = sql<string>`to_char(${callLogs.startedAt} at time zone ${zone}, 'YYYY-MM-DD')`;

  const [statusCounts, needsAttention, next24h, outcomeCounts] = await Promise.all([
    ctx.db
      .select({ status: followUps.status, n: count() })
      .from(followUps)
      .where(eq(followUps.workspaceId, workspaceId))
      .groupBy(followUps.status),
    selectFollowUpViews(ctx.db, workspaceId, {
      where: inArray(followUps.status, ['failed', 'expired']),
      orderBy: [
        desc(sql`coalesce(${followUps.completedAt}, ${followUps.updatedAt})`),
        desc(followUps.id),
      ],
      limit: NEEDS_ATTENTION_LIMIT,
    }),
    selectFollowUpViews(ctx.db, workspaceId, {
      where: and(
        inArray(followUps.status, ['scheduled', 'queued', 'snoozed']),
        lt(dueAt, new Date(now.getTime() + 24 * 3_600_000)),
      ),
      orderBy: [asc(dueAt), asc(followUps.id)],
      limit: NEXT_24H_LIMIT,
    }),
    ctx.db
      .select({ day: localDay, outcome: callLogs.outcome, n: count() })
      .from(callLogs)
      .where(
        and(
          eq(callLogs.workspaceId, workspaceId),
          gte(callLogs.startedAt, window.from),
          lt(callLogs.startedAt, window.to),
        ),
      )
      // By position: the zone is a parameter, and $1 in the select is not $5 in a GROUP BY.
      .groupBy(sql`1`, sql`2`),
  ]);

  const countsByStatus = zeros<FollowUpStatus>(FOLLOW_UP_STATUSES);
  for (const { status, n } of statusCounts) countsByStatus[status as FollowUpStatus] = Number(n);

  const byDay = new Map(window.days.map((day) => [day, zeros<CallOutcome>(CALL_OUTCOMES)]));
  for (const { day, outcome, n } of outcomeCounts) {
    const counts = byDay.get(day);
    if (counts) counts[outcome as CallOutcome] = Number(n);
  }

  return {
    timezone: zone,
    generatedAt: now.toISOString(),
    countsByStatus,
    needsAttention,
    next24h,
    outcomesByDay: [...byDay].map(([day, counts]) => ({ day, counts })),
  };
}
