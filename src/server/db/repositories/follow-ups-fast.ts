/**
 * The follow-up rows of the busiest requests (the list, the contact card, one follow-up, the
 * names around a page), as hand-written statements (decision 0005): each statement's text is
 * made once, then a request only binds its values, and rows come straight from the driver with
 * instants as the database prints them. The follow-up's columns are listed once, below.
 */
import { type SQL, sql } from 'drizzle-orm';
import { OPEN_STATUSES } from '../../../core/follow-up.ts';
import type { DbOrTx } from '../client.ts';
import type { followUps } from '../schema.ts';
import { microIsoOfTimestampText, pgArray, rowsOf } from '../sql.ts';
import { run, type Statement, statement } from '../statements.ts';

/** The follow-up's fields a follow-up JSON is made of: its columns, under their JSON names. */
const RECORD_COLUMNS = {
  id: 'id',
  contactId: 'contact_id',
  type: 'type',
  scheduledAt: 'scheduled_at',
  agentId: 'agent_id',
  priority: 'priority',
  maxAttempts: 'max_attempts',
  attempts: 'attempts',
  allowOutOfWindow: 'allow_out_of_window',
  notes: 'notes',
  campaignId: 'campaign_id',
  source: 'source',
  status: 'status',
  nextAttemptAt: 'next_attempt_at',
  snoozedUntil: 'snoozed_until',
  expiresAt: 'expires_at',
  lastError: 'last_error',
  completedAt: 'completed_at',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  resolvedAgentId: 'resolved_agent_id',
  createdByUserId: 'created_by_user_id',
  createdByApiKeyId: 'created_by_api_key_id',
} as const;

/** An instant as the database prints it ('2026-03-02 14:00:00.123+00'). */
type AsText<T> = T extends Date ? string : T;

/** A follow-up row as the driver reads it: the table's types, instants as text. */
export type FollowUpRecord = {
  [K in keyof typeof RECORD_COLUMNS]: AsText<(typeof followUps.$inferSelect)[K]>;
};

/** The contact's part of a row. */
export interface ContactFields {
  contactFirstName: string | null;
  contactLastName: string | null;
  contactPhone: string;
  contactTimezone: string | null;
  contactRegion: string | null;
}

export type FollowUpRow = FollowUpRecord & ContactFields;

const SELECT = `select ${Object.entries(RECORD_COLUMNS)
  .map(([field, column]) => `follow_ups.${column} as "${field}"`)
  .join(', ')}, contacts.first_name as "contactFirstName", contacts.last_name as "contactLastName",
  contacts.phone as "contactPhone", contacts.timezone as "contactTimezone",
  contacts.region as "contactRegion"
  from follow_ups join contacts
    on contacts.workspace_id = follow_ups.workspace_id and contacts.id = follow_ups.contact_id`;

const OPEN = `follow_ups.status in (${OPEN_STATUSES.map((s) => `'${s}'`).join(', ')})`;
const FINISHED = `not ${OPEN}`;
const FINISHED_AT = 'coalesce(follow_ups.completed_at, follow_ups.scheduled_at)';

/** The list's filters (SPEC §8), in the order their values are bound. */
const FILTERS = {
  contactId: (n: string) => `follow_ups.contact_id = ${n}`,
  status: (n: string) => `follow_ups.status = any(${n}::text[])`,
  type: (n: string) => `follow_ups.type = ${n}`,
  agentId: (n: string) => `follow_ups.agent_id = ${n}`,
  campaignId: (n: string) => `follow_ups.campaign_id = ${n}`,
  priority: (n: string) => `follow_ups.priority = ${n}`,
  source: (n: string) => `follow_ups.source = ${n}`,
  scheduledFrom: (n: string) => `follow_ups.scheduled_at >= ${n}::timestamptz`,
  scheduledTo: (n: string) => `follow_ups.scheduled_at < ${n}::timestamptz`,
} satisfies Record<string, (param: string) => string>;

export type ListFilter = keyof typeof FILTERS;
const FILTER_NAMES = Object.keys(FILTERS) as ListFilter[];

/**
 * The list's orders. `card` (a contact's follow-ups): open ones first, soonest first, then
 * finished ones, latest first. `soonest`: by scheduledAt, then id. `latest`: the reverse.
 */
export type ListOrder = 'card' | 'soonest' | 'latest';

/**
 * Where a page starts: after the last row of the page before, by its sort key. The card's key
 * is [group (0 open, 1 finished), instant, id]; the others' [instant, id]. Instants are exact
 * to the microsecond ('2026-03-02T14:00:00.123456Z').
 */
export type ListCursor =
  | { group: 0 | 1; at: string; id: string }
  | { group?: undefined; at: string; id: string };

const ORDER_BY: Record<ListOrder, string> = {
  card: `case when ${OPEN} then 0 else 1 end,
    case when ${OPEN} then follow_ups.scheduled_at end asc,
    case when ${OPEN} then follow_ups.id end asc,
    case when ${FINISHED} then ${FINISHED_AT} end desc,
    case when ${FINISHED} then follow_ups.id end desc`,
  soonest: 'follow_ups.scheduled_at asc, follow_ups.id asc',
  latest: 'follow_ups.scheduled_at desc, follow_ups.id desc',
};

/** The rows after the cursor `($at, $id)`, for an order and the cursor's group. */
function after(order: ListOrder, group: 0 | 1 | undefined, at: string, id: string): string {
  const key = `(${at}::timestamptz, ${id}::uuid)`;
  if (order === 'card' && group === 1)
    return `${FINISHED} and (${FINISHED_AT}, follow_ups.id) < ${key}`;
  if (order === 'card')
    return `((${OPEN} and (follow_ups.scheduled_at, follow_ups.id) > ${key}) or ${FINISHED})`;
  return `(follow_ups.scheduled_at, follow_ups.id) ${order === 'latest' ? '<' : '>'} ${key}`;
}

export interface ListRowsQuery {
  workspaceId: string;
  filters: Partial<Record<ListFilter, unknown>>;
  order: ListOrder;
  cursor: ListCursor | null;
  /** Rows to read: the page's size plus one, to know whether there is more. */
  limit: number;
}

const listStatements = new Map<string, Statement<unknown[], FollowUpRow>>();

/**
 * The statement of one list shape (which filters, which order, whether a cursor and of which
 * group), made once. The contact card's is named: one plan (the contact index) serves every
 * contact. The others are not, so PostgreSQL plans them with each request's values (a status
 * filter can then use the partial indexes on open statuses, which a generic plan cannot).
 */
function listStatement(filters: ListFilter[], order: ListOrder, cursor: ListCursor | null) {
  const key = `${filters.join(',')} ${order} ${cursor ? (cursor.group ?? 'at') : 'first'}`;
  let found = listStatements.get(key);
  if (!found) {
    let n = 1;
    const param = () => `$${++n}`;
    const where = ['follow_ups.workspace_id = $1', ...filters.map((f) => FILTERS[f](param()))];
    if (cursor) where.push(after(order, cursor.group, param(), param()));
    const card = order === 'card' && filters.length === 1 && filters[0] === 'contactId';
    found = statement<FollowUpRow, unknown[]>(
      `${SELECT} where ${where.join(' and ')} order by ${ORDER_BY[order]} limit ${param()}`,
      card ? `follow_up_card_${cursor ? `after_${cursor.group}` : 'first'}` : undefined,
    );
    listStatements.set(key, found);
  }
  return found;
}

/** The rows of a list page, in its order. */
export function listRows(db: DbOrTx, query: ListRowsQuery): Promise<FollowUpRow[]> {
  const filters = FILTER_NAMES.filter((name) => query.filters[name] !== undefined);
  const values: unknown[] = [query.workspaceId, ...filters.map((name) => query.filters[name])];
  if (query.cursor) values.push(query.cursor.at, query.cursor.id);
  values.push(query.limit);
  return run(db, listStatement(filters, query.order, query.cursor), values);
}

/** The cursor after `row` in `order` (instants from the row's text, exact to the µs). */
export function cursorAfter(row: FollowUpRow, order: ListOrder): ListCursor {
  const microIso = microIsoOfTimestampText;
  if (order !== 'card') return { at: microIso(row.scheduledAt), id: row.id };
  return OPEN_STATUSES.some((s) => s === row.status)
    ? { group: 0, at: microIso(row.scheduledAt), id: row.id }
    : { group: 1, at: microIso(row.completedAt ?? row.scheduledAt), id: row.id };
}

const byId = statement<FollowUpRow, [workspaceId: string, id: string]>(
  `${SELECT} where follow_ups.workspace_id = $1 and follow_ups.id = $2`,
  'follow_up_by_id',
);

/** One follow-up of the workspace, or undefined. */
export async function followUpRow(
  db: DbOrTx,
  workspaceId: string,
  id: string,
): Promise<FollowUpRow | undefined> {
  const [row] = await run(db, byId, [workspaceId, id]);
  return row;
}

/**
 * Follow-ups of the workspace for screens that pick their own rows (the dashboard): those
 * `where` selects, in `orderBy` order, at most `limit`. Made per request (not a busy path).
 */
export async function followUpRowsWhere(
  db: DbOrTx,
  workspaceId: string,
  query: { where: SQL | undefined; orderBy: SQL[]; limit: number },
): Promise<FollowUpRow[]> {
  const where = query.where ? sql` and ${query.where}` : sql``;
  return rowsOf<FollowUpRow>(
    await db.execute(
      sql`${sql.raw(SELECT)} where follow_ups.workspace_id = ${workspaceId}${where}
        order by ${sql.join(query.orderBy, sql`, `)} limit ${query.limit}`,
    ),
  );
}

/** A name a follow-up points at: kind 'w' (the workspace's time zone), 'a', 'c', 'u' or 'k'. */
export interface NameRow {
  kind: 'w' | 'a' | 'c' | 'u' | 'k';
  id: string | null;
  name: string;
}

// Named: the same text for every page, so PostgreSQL parses and plans it once per connection.
const names = statement<
  NameRow,
  [workspaceId: string, agents: string, campaigns: string, users: string, keys: string]
>(
  `select 'w' as kind, null::uuid as id, timezone as name from workspaces where id = $1
  union all select 'a', id, name from agents where workspace_id = $1 and id = any($2::uuid[])
  union all select 'c', id, name from campaigns where workspace_id = $1 and id = any($3::uuid[])
  union all select 'u', id, name from users where workspace_id = $1 and id = any($4::uuid[])
  union all select 'k', id, name from api_keys where workspace_id = $1 and id = any($5::uuid[])`,
  'follow_up_names',
);

/** The workspace's time zone and the names of these agents, campaigns, users and keys. */
export function nameRows(
  db: DbOrTx,
  workspaceId: string,
  ids: { agents: string[]; campaigns: string[]; users: string[]; keys: string[] },
): Promise<NameRow[]> {
  const { agents, campaigns, users, keys } = ids;
  return run(db, names, [
    workspaceId,
    pgArray(agents),
    pgArray(campaigns),
    pgArray(users),
    pgArray(keys),
  ]);
}
