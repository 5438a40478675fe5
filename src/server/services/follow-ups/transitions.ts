/**
 * THE way a follow-up changes status (ARCHITECTURE §4 rule 3). Inside the caller's
 * transaction: lock the row, check the action against core's TRANSITIONS table, update it with
 * a status guard in SQL, and write its timeline event. Operator actions (services) and the
 * engine both come through here, so no second copy of the rules exists.
 *
 * - applyTransition: one follow-up; throws 404 (not in the workspace) or 409 (not allowed in
 *   its status, naming that status).
 * - tryTransition: the same, but answers null instead of throwing (the engine lost a race).
 * - tryTransitionMany: a batch with one set of changes and one event kind: three statements
 *   whatever the batch size (lock, update, insert events).
 */
import { and, asc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import {
  type FollowUpEventKind,
  type FollowUpStatus,
  STATUS_LABELS,
  TERMINAL_STATUSES,
  TRANSITIONS,
  type TransitionName,
} from '../../../core/follow-up.ts';
import type { Tx } from '../../db/client.ts';
import { publishChanges, publishFollowUpChangesSql, wakeEngines } from '../../db/notify.ts';
import { followUpEvents, followUps } from '../../db/schema.ts';
import { pgArray, rowsOf } from '../../db/sql.ts';
import { conflict, notFound, type ProblemError } from '../../errors.ts';
import { newId } from '../../ids.ts';
import { type Actor, eventActor } from '../context.ts';

export type FollowUpRow = typeof followUps.$inferSelect;

/** Columns a transition may change besides status, updated_at and completed_at. */
export type FollowUpValues = Partial<
  Omit<
    typeof followUps.$inferInsert,
    | 'id'
    | 'workspaceId'
    | 'contactId'
    | 'source'
    | 'status'
    | 'priorityRank'
    | 'runAt'
    | 'createdAt'
    | 'updatedAt'
    | 'createdByUserId'
    | 'createdByApiKeyId'
  >
>;

/** The same, where a value may also be SQL (e.g. sql`${followUps.attempts} + 1` at start). */
export type FollowUpChanges = { [K in keyof FollowUpValues]: FollowUpValues[K] | SQL };

export interface TransitionEvent {
  kind: FollowUpEventKind;
  /** Added to the event's data beside `from` and `to` (the statuses). */
  data?: Record<string, unknown>;
}

export interface TransitionInput {
  workspaceId: string;
  followUpId: string;
  action: TransitionName;
  /** When it happens: updated_at, the event's time, completed_at of terminal statuses. */
  at: Date;
  /** null = the system (engine). */
  actor: Actor | null;
  set?: FollowUpChanges;
  event: TransitionEvent;
}

export interface TransitionResult {
  /** The row after the change. */
  row: FollowUpRow;
  from: FollowUpStatus;
}

/** How each action reads in "… it cannot be <verb>." */
const VERBS: Record<TransitionName, string> = {
  queue: 'queued',
  defer: 'deferred',
  snooze: 'snoozed',
  resume: 'resumed',
  cancel: 'cancelled',
  expire: 'expired',
  blockDnc: 'blocked for Do Not Call',
  completeInbound: 'completed by an inbound call',
  start: 'started',
  succeed: 'completed',
  retryLater: 'scheduled for a retry',
  fail: 'failed',
  retry: 'retried',
  edit: 'edited',
};

function joinOr(words: string[]): string {
  return words.length <= 1
    ? (words[0] ?? '')
    : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

/** The 409 for an action its status does not allow; the detail names the current status. */
export function transitionRefused(action: TransitionName, status: FollowUpStatus): ProblemError {
  const verb = VERBS[action];
  const allowed = TRANSITIONS[action].from.map((s) => STATUS_LABELS[s].toLowerCase());
  return conflict(
    `This follow-up is ${STATUS_LABELS[status].toLowerCase()}: it cannot be ${verb}. ` +
      `Only ${joinOr(allowed)} follow-ups can be ${verb}.`,
  );
}

/** Throws the 409 of transitionRefused unless `action` is allowed from `status`. */
export function assertAllowed(action: TransitionName, status: FollowUpStatus): void {
  if (!(TRANSITIONS[action].from as readonly string[]).includes(status)) {
    throw transitionRefused(action, status);
  }
}

/** Locks one follow-up of the workspace (FOR UPDATE) and returns it; 404 when missing. */
export async function lockFollowUp(
  tx: Tx,
  workspaceId: string,
  followUpId: string,
): Promise<FollowUpRow> {
  const [row] = await tx
    .select()
    .from(followUps)
    .where(and(eq(followUps.workspaceId, workspaceId), eq(followUps.id, followUpId)))
    .for('update');
  if (!row) throw notFound('follow-up');
  return row;
}

/** One follow-up; throws 404 or 409 (nothing changes then). */
export async function applyTransition(tx: Tx, input: TransitionInput): Promise<TransitionResult> {
  const { locked, results } = await transition(tx, { ...input, followUpIds: [input.followUpId] });
  const current = locked[0];
  if (!current) throw notFound('follow-up');
  const result = results[0];
  if (!result) throw transitionRefused(input.action, current.status);
  return result;
}

/** One follow-up; null when it is missing or its status does not allow the action. */
export async function tryTransition(
  tx: Tx,
  input: TransitionInput,
): Promise<TransitionResult | null> {
  const { results } = await transition(tx, { ...input, followUpIds: [input.followUpId] });
  return results[0] ?? null;
}

export type BatchTransitionInput = Omit<TransitionInput, 'followUpId'> & {
  followUpIds: readonly string[];
};

/**
 * Many follow-ups with the same action, changes and event: the ones whose status allows the
 * action move, the others (and unknown ids) are left as they are. Returns the moved ones.
 */
export async function tryTransitionMany(
  tx: Tx,
  input: BatchTransitionInput,
): Promise<TransitionResult[]> {
  return (await transition(tx, input)).results;
}

async function transition(
  tx: Tx,
  input: BatchTransitionInput,
): Promise<{ locked: { id: string; status: FollowUpStatus }[]; results: TransitionResult[] }> {
  const { workspaceId, action, at } = input;
  if (input.followUpIds.length === 0) return { locked: [], results: [] };
  const rule = TRANSITIONS[action];
  const from = rule.from as readonly FollowUpStatus[];
  // Locked in id order, so that two batches over the same rows cannot deadlock.
  const locked = (await tx
    .select({ id: followUps.id, status: followUps.status })
    .from(followUps)
    .where(
      and(eq(followUps.workspaceId, workspaceId), inArray(followUps.id, [...input.followUpIds])),
    )
    .orderBy(asc(followUps.id))
    .for('update')) as { id: string; status: FollowUpStatus }[];
  const movable = locked.filter((r) => from.includes(r.status));
  if (movable.length === 0) return { locked, results: [] };

  const to: FollowUpStatus = rule.to;
  const terminal = (TERMINAL_STATUSES as readonly FollowUpStatus[]).includes(to);
  const set = input.set ?? {};
  if (to === 'snoozed' && !set.snoozedUntil) {
    throw new Error(`transition ${action}: snoozing needs set.snoozedUntil`);
  }
  const rows = await tx
    .update(followUps)
    .set({
      ...set,
      status: to,
      updatedAt: at,
      // The database requires completed_at exactly on terminal statuses.
      completedAt: terminal ? (set.completedAt ?? at) : null,
      snoozedUntil: to === 'snoozed' ? set.snoozedUntil : null,
    })
    .where(
      and(
        eq(followUps.workspaceId, workspaceId),
        inArray(
          followUps.id,
          movable.map((r) => r.id),
        ),
        inArray(followUps.status, [...from]),
      ),
    )
    .returning();

  const before = new Map(movable.map((r) => [r.id, r.status]));
  const results = rows.map((row) => ({ row, from: before.get(row.id)! }));
  if (results.length > 0) {
    const actor = eventActor(input.actor);
    await tx.insert(followUpEvents).values(
      results.map(({ row, from: previous }) => ({
        id: newId(),
        workspaceId,
        followUpId: row.id,
        at,
        kind: input.event.kind,
        ...actor,
        data: { from: previous, to, ...input.event.data },
      })),
    );
    await publishChanges(
      tx,
      results.map(({ row }) => ({
        workspaceId,
        kind: 'follow_up' as const,
        id: row.id,
        status: row.status,
        contactId: row.contactId,
      })),
    );
    // Resumed, retried or rescheduled: it may be due now.
    if (to === 'scheduled') await wakeEngines(tx);
  }
  return { locked, results };
}

// The engine's batches: many follow-ups of many workspaces, each with its own values.

/** Columns the engine sets per row in a batch transition. */
export interface RowValues {
  nextAttemptAt?: Date | null;
  lastError?: string | null;
  resolvedAgentId?: string | null;
  expiresAt?: Date;
}
const ROW_COLUMNS = {
  nextAttemptAt: { column: 'next_attempt_at', type: 'timestamptz' },
  lastError: { column: 'last_error', type: 'text' },
  resolvedAgentId: { column: 'resolved_agent_id', type: 'uuid' },
  expiresAt: { column: 'expires_at', type: 'timestamptz' },
} as const;

export interface RowTransition extends RowValues {
  id: string;
  workspaceId: string;
  /** Added to this row's event data. */
  data?: Record<string, unknown>;
  /** Added to the data of this row's `via` event. */
  viaData?: Record<string, unknown>;
}

export interface MovedRow {
  id: string;
  workspaceId: string;
  contactId: string;
  type: string;
  from: FollowUpStatus;
  attempts: number;
  maxAttempts: number;
}

/**
 * Moves many follow-ups with one action in one statement (update, timeline events and change
 * notifications together), each row with its own values for the columns named in `columns`.
 * Rows whose status no longer allows the action (another process got there first) are left
 * alone and not returned. The caller should hold the rows' locks (SELECT … FOR UPDATE SKIP
 * LOCKED) in the same transaction.
 */
export async function transitionRows(
  tx: Tx,
  input: {
    action: TransitionName;
    at: Date;
    rows: readonly RowTransition[];
    columns?: readonly (keyof RowValues)[];
    event: TransitionEvent;
    incrementAttempts?: boolean;
    /**
     * Two transitions in one update: `via` first, then `action` (the engine queues a due
     * follow-up and starts it at once). Each writes its event; the row is written once.
     */
    via?: { action: TransitionName; event: TransitionEvent };
  },
): Promise<MovedRow[]> {
  const { action, at, rows, via } = input;
  if (rows.length === 0) return [];
  const rule = TRANSITIONS[action];
  const to: FollowUpStatus = rule.to;
  const mid = via ? TRANSITIONS[via.action].to : null;
  if (mid && !(rule.from as readonly FollowUpStatus[]).includes(mid)) {
    throw new Error(`transition ${via!.action} then ${action}: ${action} cannot follow ${mid}`);
  }
  const from = via ? TRANSITIONS[via.action].from : rule.from;
  if (to === 'snoozed') throw new Error('transitionRows cannot snooze');
  const terminal = (TERMINAL_STATUSES as readonly FollowUpStatus[]).includes(to);
  const columns = input.columns ?? [];
  // Event ids made here, in order: ids grow, so the timeline (by time, then id) shows the
  // `via` event first.
  const viaIds = via ? rows.map(() => newId()) : [];
  const eventIds = rows.map(() => newId());
  const json = (d: Record<string, unknown> | undefined) => (d ? JSON.stringify(d) : null);
  const arrays = [
    sql`${pgArray(rows.map((r) => r.id))}::uuid[]`,
    sql`${pgArray(eventIds)}::uuid[]`,
    sql`${pgArray(rows.map((r) => json(r.data)))}::jsonb[]`,
  ];
  const names = ['id', 'event_id', 'data'];
  if (via) {
    arrays.push(
      sql`${pgArray(viaIds)}::uuid[]`,
      sql`${pgArray(rows.map((r) => json(r.viaData)))}::jsonb[]`,
    );
    names.push('via_event_id', 'via_data');
  }
  const sets: SQL[] = [];
  for (const key of columns) {
    const { column, type } = ROW_COLUMNS[key];
    arrays.push(sql`${pgArray(rows.map((r) => r[key] ?? null))}::${sql.raw(type)}[]`);
    names.push(column);
    sets.push(sql`${sql.raw(column)} = v.${sql.raw(column)}`);
  }
  if (input.incrementAttempts) sets.push(sql`attempts = f.attempts + 1`);
  const fromList = sql.raw(`'{${from.join(',')}}'`);
  const atText = at.toISOString();
  // {from, to, ...event.data, ...row.data}: jsonb's || lets the right side win, as spreading does.
  const eventData = (
    fromStatus: SQL,
    toStatus: string,
    data: Record<string, unknown> | undefined,
    rowData: SQL,
  ) =>
    sql`jsonb_build_object('from', ${fromStatus}, 'to', ${toStatus}::text)
      || ${JSON.stringify(data ?? {})}::jsonb || coalesce(${rowData}, '{}'::jsonb)`;
  const event = (id: SQL, kind: string, data: SQL) =>
    sql`select ${id}, m.workspace_id, m.id, ${atText}::timestamptz, ${kind}::text, 'system',
      null::uuid, ${data} from moved m`;
  const last = event(
    sql`m.event_id`,
    input.event.kind,
    eventData(mid ? sql`${mid}::text` : sql`m.from_status`, to, input.event.data, sql`m.data`),
  );
  const events =
    via && mid
      ? sql`${event(
          sql`m.via_event_id`,
          via.event.kind,
          eventData(sql`m.from_status`, mid, via.event.data, sql`m.via_data`),
        )} union all ${last}`
      : last;
  const result = await tx.execute(sql`
    with v as (
      select * from unnest(${sql.join(arrays, sql`, `)}) as t(${sql.raw(names.join(', '))})
    ), moved as (
      update follow_ups f set
        status = ${to},
        updated_at = ${atText}::timestamptz,
        completed_at = ${terminal ? sql`${atText}::timestamptz` : sql`null`},
        snoozed_until = null
        ${sets.length > 0 ? sql`, ${sql.join(sets, sql`, `)}` : sql``}
      from v, lateral (select status as from_status from follow_ups o where o.id = v.id) o
      where f.id = v.id and f.status = any(${fromList}::text[])
      returning f.id, f.workspace_id, f.contact_id, f.type, o.from_status, f.attempts,
        f.max_attempts, v.event_id, v.data
        ${via ? sql`, v.via_event_id, v.via_data` : sql``}
    ), events as (
      insert into follow_up_events (id, workspace_id, follow_up_id, at, kind, actor_type,
        actor_id, data)
      ${events}
    ), notified as (
      select ${publishFollowUpChangesSql(sql`moved`, to)} as payloads
    )
    select m.id, m.workspace_id, m.contact_id, m.type, m.from_status, m.attempts, m.max_attempts
    from moved m, notified`);
  return rowsOf(result).map((r) => ({
    id: r.id as string,
    workspaceId: r.workspace_id as string,
    contactId: r.contact_id as string,
    type: r.type as string,
    from: r.from_status as FollowUpStatus,
    attempts: Number(r.attempts),
    maxAttempts: Number(r.max_attempts),
  }));
}
