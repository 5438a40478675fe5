/**
 * The dispatcher's SQL, in one place so that each statement is small and visible (and the
 * benchmark's `--profile` can EXPLAIN ANALYZE the very same text): claiming queued or due
 * follow-ups (FOR UPDATE SKIP LOCKED over the partial indexes `follow_ups_queue_idx` and
 * `follow_ups_due_idx`), the room agents have, and the attempts a batch starts.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../db/client.ts';
import type { followUpAttempts } from '../db/schema.ts';
import { pgArray, rowsOf } from '../db/sql.ts';
import {
  CAMPAIGN_RUNS,
  PLACEMENT_COLUMNS,
  PLACEMENT_JOINS,
  type PlacementRow,
} from './scheduler.ts';

/** A claimed follow-up: its placement, and what its attempt needs. */
export interface ClaimedRow extends PlacementRow {
  run_at: Date | string;
  priority_rank: number;
  scheduled_at: Date | string;
  contact_id: string;
  attempts: number;
  notes: string | null;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
}

const CLAIM_COLUMNS = sql`${PLACEMENT_COLUMNS}, f.run_at, f.priority_rank, f.scheduled_at,
  f.contact_id, f.attempts, f.notes, c.first_name, c.last_name, c.email`;

/**
 * Queued follow-ups in dispatch order (urgent → high → normal → low, then earliest), passing
 * over calls whose agent is at capacity.
 */
export function claimQueuedSql(batchSize: number): SQL {
  return sql`
    with busy as (
      select b.resolved_agent_id as agent_id
      from follow_ups b join agents a on a.id = b.resolved_agent_id
      where b.status = 'in_progress' and b.type = 'call'
      group by b.resolved_agent_id, a.max_concurrent_calls
      having count(*) >= a.max_concurrent_calls
    )
    select ${CLAIM_COLUMNS}
    from follow_ups f ${PLACEMENT_JOINS}
    where f.status = 'queued'
      and not (f.type = 'call' and f.resolved_agent_id in (select agent_id from busy))
    order by f.priority_rank, f.scheduled_at, f.id
    limit ${batchSize}
    for update of f skip locked`;
}

/** Scheduled follow-ups due at `now`, earliest first (a campaign's only while it runs). */
export function claimDueSql(now: Date, batchSize: number): SQL {
  return sql`
    select ${CLAIM_COLUMNS}
    from follow_ups f ${PLACEMENT_JOINS}
    where f.status = 'scheduled' and f.run_at <= ${now.toISOString()}::timestamptz
      and ${CAMPAIGN_RUNS}
    order by f.run_at limit ${batchSize}
    for update of f skip locked`;
}

export async function claim(
  tx: Tx,
  from: 'queued' | 'due',
  now: Date,
  batchSize: number,
): Promise<ClaimedRow[]> {
  return rowsOf<ClaimedRow>(
    await tx.execute(from === 'queued' ? claimQueuedSql(batchSize) : claimDueSql(now, batchSize)),
  );
}

/**
 * How many more calls each agent may start now (0 when paused). The agents are locked first,
 * in a fixed order (no deadlocks), so that two batches cannot both count the same room.
 * `behindQueue`: an agent with calls already queued has no room for new ones (the queued ones
 * go first, in priority order).
 */
export async function agentRoom(
  tx: Tx,
  agentIds: readonly string[],
  behindQueue: boolean,
): Promise<Map<string, number>> {
  const room = new Map<string, number>();
  if (agentIds.length === 0) return room;
  const sorted = [...agentIds].sort();
  await tx.execute(sql`
    select pg_advisory_xact_lock(7419100, hashtext(a))
    from unnest(${pgArray(sorted)}::text[]) as a order by a`);
  const capacity = rowsOf<{ id: string; status: string; max: number; busy: number }>(
    await tx.execute(sql`
      select a.id, a.status, a.max_concurrent_calls as max,
        (select count(*)::int from follow_ups b
          where b.resolved_agent_id = a.id and b.status = 'in_progress' and b.type = 'call')
          as busy
      from agents a where a.id = any(${pgArray(sorted)}::uuid[])`),
  );
  for (const a of capacity) room.set(a.id, a.status === 'active' ? a.max - a.busy : 0);
  if (behindQueue) {
    const waiting = rowsOf<{ agent_id: string }>(
      await tx.execute(sql`
        select distinct resolved_agent_id as agent_id from follow_ups
        where status = 'queued' and type = 'call'
          and resolved_agent_id = any(${pgArray(sorted)}::uuid[])`),
    );
    for (const w of waiting) room.set(w.agent_id, 0);
  }
  return room;
}

/** The attempts a batch starts, in one statement with one array parameter per column. */
export async function insertAttempts(
  tx: Tx,
  attempts: readonly (typeof followUpAttempts.$inferInsert)[],
): Promise<void> {
  if (attempts.length === 0) return;
  const column = <K extends keyof (typeof attempts)[number]>(key: K) =>
    pgArray(attempts.map((a) => a[key] as string | number | Date | null | undefined));
  await tx.execute(sql`
    insert into follow_up_attempts (id, workspace_id, follow_up_id, number, channel, provider,
      agent_id, idempotency_key, started_at, lease_expires_at, worker_id)
    select * from unnest(${column('id')}::uuid[], ${column('workspaceId')}::uuid[],
      ${column('followUpId')}::uuid[], ${column('number')}::smallint[], ${column('channel')}::text[],
      ${column('provider')}::text[], ${column('agentId')}::uuid[],
      ${column('idempotencyKey')}::text[], ${column('startedAt')}::timestamptz[],
      ${column('leaseExpiresAt')}::timestamptz[], ${column('workerId')}::text[])`);
}
