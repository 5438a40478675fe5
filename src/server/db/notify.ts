/**
 * Notifications between processes, through the database: NOTIFY on PostgreSQL, PGlite's own
 * LISTEN/NOTIFY in the embedded mode. Sent inside the writer's transaction, they arrive when it
 * commits (and never when it rolls back).
 */
import { type Placeholder, type SQL, sql } from 'drizzle-orm';
import type { FollowUpStatus } from '../../core/follow-up.ts';
import type { DbOrTx } from './client.ts';

export const CHANNELS = {
  /**
   * Something became runnable sooner than the engine planned: look again now. The payload is
   * empty, or names follow-ups due now (wakePayload) for one engine to claim straight away.
   */
  wake: 'followthrough_wake',
  /** Follow-ups and call logs that changed, for live screens. */
  changes: 'followthrough_changes',
} as const;

export interface Change {
  workspaceId: string;
  kind: 'follow_up' | 'call_log';
  id: string;
  status?: FollowUpStatus | string;
  contactId?: string;
}

/** The payload of one notification on CHANNELS.changes (PostgreSQL allows < 8,000 bytes). */
export interface ChangesPayload {
  w: string;
  c: [kind: 'f' | 'c', id: string, status: string | null, contactId: string | null][];
}

const MAX_PER_PAYLOAD = 60;

/** The payloads of `changes` on CHANNELS.changes, at most MAX_PER_PAYLOAD changes each. */
function changesPayloads(changes: readonly Change[]): string[] {
  const byWorkspace = new Map<string, ChangesPayload['c']>();
  for (const c of changes) {
    const list = byWorkspace.get(c.workspaceId) ?? [];
    list.push([c.kind === 'follow_up' ? 'f' : 'c', c.id, c.status ?? null, c.contactId ?? null]);
    byWorkspace.set(c.workspaceId, list);
  }
  const payloads: string[] = [];
  for (const [w, list] of byWorkspace) {
    for (let i = 0; i < list.length; i += MAX_PER_PAYLOAD) {
      payloads.push(
        JSON.stringify({ w, c: list.slice(i, i + MAX_PER_PAYLOAD) } satisfies ChangesPayload),
      );
    }
  }
  return payloads;
}

/**
 * An SQL expression that publishes `changes` (and wakes the engines when `wake`), to select
 * or return inside another statement: one round trip fewer for the writer.
 */
export function notifyExpression(changes: readonly Change[], options: { wake: boolean }): SQL {
  return notifyPayloads(sql`${changesParam(changes)}`, options);
}

/** `changes` as the one text parameter that `notifyPayloads` reads (a text[] literal). */
export function changesParam(changes: readonly Change[]): string {
  return `{${changesPayloads(changes).map(quote).join(',')}}`;
}

/**
 * notifyExpression for a prepared statement: `payloads` binds a `changesParam` value; `wake`
 * true wakes the engines, or binds a wakePayload value.
 */
export function notifyPayloads(
  payloads: SQL | Placeholder,
  options: { wake: boolean | Placeholder },
): SQL {
  const payload = options.wake === true ? sql`''` : sql`${options.wake}::text`;
  const wake =
    options.wake === false ? sql`` : sql`union all select pg_notify(${CHANNELS.wake}, ${payload})`;
  return sql`(select count(*) from (select pg_notify(${CHANNELS.changes}, p) from unnest(${payloads}::text[]) as p ${wake}) as notified)`;
}

/**
 * A statement's own follow-up changes, published from SQL: `rows` names a relation (a CTE) with
 * workspace_id, id and contact_id; each becomes ['f', id, status, contactId] in ChangesPayload's
 * shape, MAX_PER_PAYLOAD to a payload. Answers how many payloads went (one row).
 */
export function publishFollowUpChangesSql(rows: SQL, status: string): SQL {
  return sql`(select count(*) from (
      select pg_notify(${CHANNELS.changes}, json_build_object('w', workspace_id, 'c',
        json_agg(json_build_array('f', id, ${status}::text, contact_id) order by id))::text)
      from (select workspace_id, id, contact_id,
          (row_number() over (partition by workspace_id order by id) - 1) / ${MAX_PER_PAYLOAD}
            as part
        from ${rows}) as changed
      group by workspace_id, part) as notified)`;
}

export async function publishChanges(db: DbOrTx, changes: readonly Change[]): Promise<void> {
  if (changes.length === 0) return;
  await db.execute(sql`select ${notifyExpression(changes, { wake: false })}`);
}

function quote(s: string): string {
  return `"${s.replace(/[\\"]/g, '\\$&')}"`;
}

/** Tells every engine to look for due work now (after a create, resume, retry, edit). */
export async function wakeEngines(db: DbOrTx): Promise<void> {
  await db.execute(sql`select pg_notify(${CHANNELS.wake}, '')`);
}

/** At most this many ids in one wake-up (a payload stays far below PostgreSQL's 8,000 bytes). */
const MAX_DUE_IDS = 100;
const DUE_PREFIX = 'due:';

/**
 * The wake-up payload for follow-ups that are due now: their ids, so that an engine claims them
 * at once instead of running a whole round. Too many ids make a plain wake-up ('').
 */
export function wakePayload(dueIds: readonly string[]): string {
  return dueIds.length > 0 && dueIds.length <= MAX_DUE_IDS
    ? `${DUE_PREFIX}${dueIds.join(',')}`
    : '';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The due ids of a wake-up payload ([] for a plain wake-up, or one not understood). */
export function dueIdsOf(payload: string): string[] {
  if (!payload.startsWith(DUE_PREFIX)) return [];
  const ids = payload.slice(DUE_PREFIX.length).split(',');
  return ids.length <= MAX_DUE_IDS && ids.every((id) => UUID.test(id)) ? ids : [];
}
