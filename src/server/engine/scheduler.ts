/**
 * The scheduler (SPEC §2.2, §3): snoozes that ended resume; follow-ups past their expiry
 * expire; due `scheduled` follow-ups are placed in time (`place`, `applyPlacements`): queued
 * when their calling window is open (or they have the override, or are webhooks), deferred to
 * the next window opening otherwise, failed when the contact is on Do Not Call, expired when no
 * window opens before the expiry. Promotion itself (and starting at once what can) is the
 * dispatcher's promoteBatch. Each step claims a batch with FOR UPDATE SKIP LOCKED, so any
 * number of workers can run it.
 */
import { sql } from 'drizzle-orm';
import type { Temporal } from 'temporal-polyfill';
import { resolveAgent } from '../../core/agent-routing.ts';
import type { CallingRules } from '../../core/calling-rules.ts';
import {
  type CallingWindowPolicy,
  isInsideWindow,
  nextWindowStart,
} from '../../core/calling-window.ts';
import type { FollowUpSource, FollowUpStatus, FollowUpType } from '../../core/follow-up.ts';
import {
  computeRunAt,
  contactRules,
  contactZone,
  fromInstant,
  toInstant,
  type WindowCalendar,
} from '../../core/scheduling.ts';
import type { Tx } from '../db/client.ts';
import { rowsOf } from '../db/sql.ts';
import { type RowTransition, transitionRows } from '../services/follow-ups/transitions.ts';
import type { EngineContext } from './context.ts';

export const DNC_ERROR = 'The contact is on the Do Not Call list.';

/** Follow-ups whose snooze ended go back to scheduled (and so run at once if due). */
export async function resumeSnoozed(ctx: EngineContext): Promise<number> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const rows = rowsOf<{ id: string; workspace_id: string }>(
      await tx.execute(sql`
        select id, workspace_id from follow_ups
        where status = 'snoozed' and snoozed_until <= ${now.toISOString()}::timestamptz
        order by snoozed_until limit ${ctx.batchSize}
        for update skip locked`),
    );
    const moved = await transitionRows(tx, {
      action: 'resume',
      at: now,
      rows: rows.map((r) => ({ id: r.id, workspaceId: r.workspace_id })),
      event: { kind: 'resumed', data: { reason: 'snooze_ended' } },
    });
    return moved.length;
  });
}

/** Open follow-ups whose expiry has passed expire. */
export async function expireOverdue(ctx: EngineContext): Promise<number> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const rows = rowsOf<{ id: string; workspace_id: string }>(
      await tx.execute(sql`
        select id, workspace_id from follow_ups
        where status in ('scheduled', 'queued', 'snoozed')
          and expires_at <= ${now.toISOString()}::timestamptz
        order by expires_at limit ${ctx.batchSize}
        for update skip locked`),
    );
    const moved = await transitionRows(tx, {
      action: 'expire',
      at: now,
      rows: rows.map((r) => ({
        id: r.id,
        workspaceId: r.workspace_id,
        lastError: 'It expired before it could run.',
      })),
      columns: ['lastError'],
      event: { kind: 'expired', data: { reason: 'expiry_passed' } },
    });
    return moved.length;
  });
}

/** What the scheduler and the dispatcher need to know about a follow-up to place it in time. */
export interface PlacementRow {
  id: string;
  workspace_id: string;
  status: FollowUpStatus;
  type: FollowUpType;
  allow_out_of_window: boolean;
  expires_at: Date | string;
  contact_timezone: string | null;
  contact_phone: string;
  contact_region: string | null;
  workspace_timezone: string;
  workspace_window: CallingWindowPolicy;
  campaign_window: CallingWindowPolicy | null;
  every_zone: boolean;
  closed_on_public_holidays: boolean;
  dnc: boolean;
  // For "Inherit from source" (SPEC §4).
  agent_id: string | null;
  campaign_id: string | null;
  source: FollowUpSource;
  campaign_agent_id: string | null;
  source_call_agent_id: string | null;
  default_agent_id: string | null;
}

/** The agent a follow-up uses now (SPEC §4). */
export function agentFor(row: PlacementRow): string | null {
  return resolveAgent({
    agentId: row.agent_id,
    campaignId: row.campaign_id,
    source: row.source,
    campaignAgentId: row.campaign_agent_id,
    sourceCallAgentId: row.source_call_agent_id,
    workspaceDefaultAgentId: row.default_agent_id,
  }).agentId;
}

/** The columns of PlacementRow, for a query over follow_ups f joined as below. */
export const PLACEMENT_COLUMNS = sql`
  f.id, f.workspace_id, f.status, f.type, f.allow_out_of_window, f.expires_at,
  c.timezone as contact_timezone, c.phone as contact_phone, c.region as contact_region,
  w.timezone as workspace_timezone, w.calling_window as workspace_window,
  camp.calling_window as campaign_window, w.every_zone,
  coalesce(camp.closed_on_public_holidays, w.closed_on_public_holidays)
    as closed_on_public_holidays,
  f.agent_id, f.campaign_id, f.source, camp.agent_id as campaign_agent_id,
  cl.agent_id as source_call_agent_id, w.default_agent_id,
  exists (select 1 from dnc_entries d where d.workspace_id = f.workspace_id and d.phone = c.phone)
    as dnc`;

export const PLACEMENT_JOINS = sql`
  join contacts c on c.workspace_id = f.workspace_id and c.id = f.contact_id
  join workspaces w on w.id = f.workspace_id
  left join campaigns camp on camp.workspace_id = f.workspace_id and camp.id = f.campaign_id
  left join call_logs cl on cl.workspace_id = f.workspace_id and cl.id = f.source_call_log_id`;

/**
 * Only a running campaign's follow-ups start (core/campaign-status.ts): draft, scheduled, paused
 * and completed campaigns hold theirs back, scheduled, until the campaign runs. For a query over
 * follow_ups f with PLACEMENT_JOINS (camp).
 */
export const CAMPAIGN_RUNS = sql`(f.campaign_id is null or camp.status = 'running')`;

/** The same condition for queries over follow_ups f without the joins. */
export const CAMPAIGN_RUNS_ALONE = sql`(f.campaign_id is null or exists (
  select 1 from campaigns camp
  where camp.workspace_id = f.workspace_id and camp.id = f.campaign_id and camp.status = 'running'))`;

export type Placement =
  | { kind: 'run' }
  | { kind: 'blockDnc' }
  | { kind: 'defer'; until: Date; timezone: string }
  | { kind: 'expire'; reason: 'expiry_passed' | 'no_window' | 'expires_first' };

/**
 * Remembers, over one batch, the contact zones and the calling-window arithmetic: a batch places
 * hundreds of follow-ups at one instant with a few zones and policies, and each computation costs
 * about a tenth of a millisecond.
 */
export interface PlacementMemo {
  zone(row: PlacementRow): string;
  rules(row: PlacementRow, zone: string, at: Date): CallingRules;
  calendar: WindowCalendar;
}

/** The calling rules of a row's contact (window, state rules, holidays, zones) from `at`. */
export function rulesOf(row: PlacementRow, zone: string, at: Date): CallingRules {
  return contactRules({
    policy: row.campaign_window ?? row.workspace_window,
    zone,
    contact: { region: row.contact_region, phone: row.contact_phone },
    settings: {
      everyZone: row.every_zone,
      closedOnPublicHolidays: row.closed_on_public_holidays,
    },
    at,
  });
}

export function placementMemo(): PlacementMemo {
  const zones = new Map<string, string>();
  const ruleSets = new Map<string, CallingRules>();
  const inside = new Map<string, boolean>();
  const next = new Map<string, Temporal.Instant | null>();
  const key = (policy: CallingWindowPolicy, zone: string, at: Temporal.Instant) =>
    `${zone}|${at.epochMilliseconds}|${JSON.stringify(policy)}`;
  return {
    zone(row) {
      // The phone decides only when the contact has no zone of its own.
      const k = `${row.contact_timezone ?? `#${row.contact_phone}`}|${row.workspace_timezone}`;
      let zone = zones.get(k);
      if (zone === undefined) {
        zone = contactZone(
          { timezone: row.contact_timezone, phone: row.contact_phone },
          row.workspace_timezone,
        ).timezone;
        zones.set(k, zone);
      }
      return zone;
    },
    rules(row, zone, at) {
      // What the rules depend on: the window, the zone, the regions, the area code, the settings.
      const k = [
        zone,
        row.contact_region ?? '',
        row.contact_phone.slice(0, 5),
        row.every_zone,
        row.closed_on_public_holidays,
        at.getUTCFullYear(),
        row.campaign_window ? JSON.stringify(row.campaign_window) : `w:${row.workspace_id}`,
      ].join('|');
      let rules = ruleSets.get(k);
      if (!rules) {
        rules = rulesOf(row, zone, at);
        ruleSets.set(k, rules);
      }
      return rules;
    },
    calendar: {
      isInsideWindow(policy, zone, at, opts) {
        if (opts) return isInsideWindow(policy, zone, at, opts);
        const k = key(policy, zone, at);
        let v = inside.get(k);
        if (v === undefined) {
          v = isInsideWindow(policy, zone, at);
          inside.set(k, v);
        }
        return v;
      },
      nextWindowStart(policy, zone, at, opts) {
        if (opts) return nextWindowStart(policy, zone, at, opts);
        const k = key(policy, zone, at);
        let v = next.get(k);
        if (v === undefined) {
          v = nextWindowStart(policy, zone, at);
          next.set(k, v);
        }
        return v;
      },
    },
  };
}

/** Whether a follow-up may run now, and if not what becomes of it (SPEC §3, §2.2). */
export function place(row: PlacementRow, now: Date, memo?: PlacementMemo): Placement {
  const expiresAt = new Date(row.expires_at);
  if (expiresAt <= now) return { kind: 'expire', reason: 'expiry_passed' };
  const zone = memo
    ? memo.zone(row)
    : contactZone(
        { timezone: row.contact_timezone, phone: row.contact_phone },
        row.workspace_timezone,
      ).timezone;
  const rules = memo ? memo.rules(row, zone, now) : rulesOf(row, zone, now);
  const runAt = computeRunAt(
    {
      constraints: rules.constraints,
      type: row.type,
      scheduledAt: toInstant(now),
      allowOutOfWindow: row.allow_out_of_window,
      expiresAt: toInstant(expiresAt),
      doNotCall: row.dnc,
    },
    memo?.calendar,
  );
  if (runAt.notRunningBecause === 'do_not_call') return { kind: 'blockDnc' };
  if (!runAt.runsAt) return { kind: 'expire', reason: runAt.notRunningBecause ?? 'no_window' };
  const until = fromInstant(runAt.runsAt);
  if (until.getTime() <= now.getTime()) return { kind: 'run' };
  return { kind: 'defer', until, timezone: zone };
}

/**
 * Applies placements that keep a follow-up from running: Do Not Call, expiry, deferral.
 * Returns the rows that may run.
 */
export async function applyPlacements(
  tx: Tx,
  rows: PlacementRow[],
  now: Date,
): Promise<PlacementRow[]> {
  const runnable: PlacementRow[] = [];
  const blocked: RowTransition[] = [];
  const expired: RowTransition[] = [];
  const deferred: RowTransition[] = [];
  const memo = placementMemo();
  for (const row of rows) {
    const p = place(row, now, memo);
    const base = { id: row.id, workspaceId: row.workspace_id };
    if (p.kind === 'run') runnable.push(row);
    else if (p.kind === 'blockDnc') blocked.push({ ...base, lastError: DNC_ERROR });
    else if (p.kind === 'expire') {
      expired.push({
        ...base,
        lastError:
          p.reason === 'expiry_passed'
            ? 'It expired before it could run.'
            : 'No calling window opens before it expires.',
        data: { reason: p.reason },
      });
    } else {
      deferred.push({
        ...base,
        nextAttemptAt: p.until,
        data: {
          reason: 'outside_calling_window',
          until: p.until.toISOString(),
          timezone: p.timezone,
        },
      });
    }
  }
  await transitionRows(tx, {
    action: 'blockDnc',
    at: now,
    rows: blocked,
    columns: ['lastError'],
    event: { kind: 'blocked_dnc' },
  });
  await transitionRows(tx, {
    action: 'expire',
    at: now,
    rows: expired,
    columns: ['lastError'],
    event: { kind: 'expired' },
  });
  await transitionRows(tx, {
    action: 'defer',
    at: now,
    rows: deferred,
    columns: ['nextAttemptAt'],
    event: { kind: 'deferred' },
  });
  return runnable;
}
