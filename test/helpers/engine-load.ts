/**
 * Load for the engine: a workspace with many agents and contacts, and due follow-ups inserted
 * in bulk (one statement per call, whatever the count). Used by the multi-process tests and
 * by `npm run bench:engine`, on PostgreSQL and on PGlite alike.
 */
import { sql } from 'drizzle-orm';
import { DEFAULT_CALLING_WINDOW } from '../../src/core/calling-window.ts';
import type { FollowUpType } from '../../src/core/follow-up.ts';
import type { Database } from '../../src/server/db/client.ts';
import { wakeEngines } from '../../src/server/db/notify.ts';
import * as s from '../../src/server/db/schema.ts';
import { pgArray } from '../../src/server/db/sql.ts';
import { newId } from '../../src/server/ids.ts';

const ZONES = [
  'America/New_York',
  'America/Chicago',
  'America/Los_Angeles',
  'Europe/London',
  'Europe/Berlin',
  'Australia/Sydney',
  'Asia/Kolkata',
];

export interface LoadWorkspace {
  id: string;
  agentIds: string[];
  /** max_concurrent_calls of each agent, in the order of agentIds. */
  capacities: number[];
  contactIds: string[];
  /** Where the next insert starts in contactIds. */
  nextContact: number;
}

export interface LoadWorkspaceOptions {
  name: string;
  agents: number;
  /** Capacity of the i-th agent (0-based). */
  capacity: (i: number) => number;
  contacts: number;
  /**
   * Backoff after failed attempts, in minutes. Tests that make attempts time out use a
   * fraction of a minute, so that the retry comes in seconds.
   */
  retryScheduleMinutes?: number[];
}

/** A workspace without outcome rules (a call's outcome creates nothing new). */
export async function createLoadWorkspace(
  db: Database,
  o: LoadWorkspaceOptions,
): Promise<LoadWorkspace> {
  const id = newId();
  await db.insert(s.workspaces).values({
    id,
    name: o.name,
    timezone: 'America/New_York',
    callingWindow: DEFAULT_CALLING_WINDOW,
    retryScheduleMinutes: o.retryScheduleMinutes ?? [15, 60, 240],
    outcomeRules: [],
  });
  const agentIds = Array.from({ length: o.agents }, () => newId());
  const capacities = agentIds.map((_, i) => o.capacity(i));
  await db.insert(s.agents).values(
    agentIds.map((agentId, i) => ({
      id: agentId,
      workspaceId: id,
      name: `Agent ${i + 1}`,
      maxConcurrentCalls: capacities[i]!,
      isDefault: i === 0,
    })),
  );
  await db.execute(sql`update workspaces set default_agent_id = ${agentIds[0]} where id = ${id}`);
  const contactIds = Array.from({ length: o.contacts }, () => newId());
  await db.execute(sql`
    insert into contacts (id, workspace_id, first_name, last_name, phone, timezone)
    select c.id, ${id}, 'Load', 'Contact ' || c.n, '+1555' || lpad(c.n::text, 7, '0'),
      (${pgArray(ZONES)}::text[])[1 + c.n % ${ZONES.length}]
    from unnest(${pgArray(contactIds)}::uuid[]) with ordinality as c(id, n)`);
  return { id, agentIds, capacities, contactIds, nextContact: 0 };
}

export interface DueFollowUps {
  count: number;
  /** Cycled over the rows: ['call', 'call', 'sms'] makes two calls for each SMS. */
  types: readonly FollowUpType[];
  maxAttempts?: number;
  /** Default: the database's now(). */
  scheduledAt?: Date;
}

/**
 * Inserts due follow-ups (allowOutOfWindow, so that the calling window is evaluated and
 * passes at any hour) spread over the workspace's contacts and over its agents in proportion to
 * their capacity, then wakes the engines.
 */
export async function insertDueFollowUps(
  db: Database,
  ws: LoadWorkspace,
  o: DueFollowUps,
): Promise<void> {
  // Each agent gets follow-ups in proportion to its capacity, so that all finish together.
  const unit = ws.capacities.reduce(gcd);
  const slots = ws.agentIds.flatMap((id, i) => Array<string>(ws.capacities[i]! / unit).fill(id));
  // Contacts in turn, and no more of them than rows (small inserts stay small).
  const contacts = Array.from(
    { length: Math.min(o.count, ws.contactIds.length) },
    (_, j) => ws.contactIds[(ws.nextContact + j) % ws.contactIds.length]!,
  );
  ws.nextContact = (ws.nextContact + o.count) % ws.contactIds.length;
  const at = o.scheduledAt ? sql`${o.scheduledAt.toISOString()}::timestamptz` : sql`now()`;
  await db.execute(sql`
    insert into follow_ups (id, workspace_id, contact_id, type, scheduled_at, agent_id, priority,
      max_attempts, allow_out_of_window, source, status, expires_at)
    select gen_random_uuid(), ${ws.id},
      (${pgArray(contacts)}::uuid[])[1 + i % ${contacts.length}],
      (${pgArray(o.types)}::text[])[1 + i % ${o.types.length}],
      ${at},
      (${pgArray(slots)}::uuid[])[1 + i % ${slots.length}],
      (array['urgent', 'high', 'normal', 'low'])[1 + (i / 7) % 4],
      ${o.maxAttempts ?? 3}, true, 'api', 'scheduled', ${at} + interval '72 hours'
    from generate_series(0, ${o.count - 1}) as i`);
  await wakeEngines(db);
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
