/**
 * Reading follow-ups: the follow-up JSON (SPEC §2.1 + contact, agent, campaign, resolved agent,
 * creator, contact-local times) for any set of rows. The list is in follow-up-list.ts, the
 * detail with its timeline and attempts in follow-up-detail.ts. One query per page for the rows
 * and one for the names they point at, never one per row.
 */
import { type AnyColumn, and, eq, type SQL, sql } from 'drizzle-orm';
import type { FollowUp } from '../../contracts/follow-ups.contract.ts';
import { contactDisplayName } from '../../core/contact.ts';
import type {
  FollowUpSource,
  FollowUpStatus,
  FollowUpType,
  Priority,
} from '../../core/follow-up.ts';
import { epochMsOfIso, localIsoString } from '../../core/local-time.ts';
import { contactZone } from '../../core/scheduling.ts';
import type { DbOrTx } from '../db/client.ts';
import { preparedPer } from '../db/prepared.ts';
import {
  agents,
  apiKeys,
  campaigns,
  contacts,
  followUps,
  users,
  workspaces,
} from '../db/schema.ts';
import { isoOfTimestampText, pgArray } from '../db/sql.ts';
import { notFound } from '../errors.ts';

export const finishedAt = sql`coalesce(${followUps.completedAt}, ${followUps.scheduledAt})`;

/**
 * What a follow-up's JSON is made of: its own fields and its contact's, one flat row with the
 * instants as the database prints them. Lists read these rows straight from the driver (no
 * ORM mapping, no Date objects): the list is the busiest request of the product.
 */
export interface FollowUpRecord {
  id: string;
  contactId: string;
  type: string;
  scheduledAt: string;
  agentId: string | null;
  priority: string;
  maxAttempts: number;
  attempts: number;
  allowOutOfWindow: boolean;
  notes: string | null;
  campaignId: string | null;
  source: string;
  status: string;
  nextAttemptAt: string | null;
  snoozedUntil: string | null;
  expiresAt: string;
  lastError: string | null;
  completedAt: string | null;
  createdAt: string;
  updatedAt: string;
  resolvedAgentId: string | null;
  createdByUserId: string | null;
  createdByApiKeyId: string | null;
}

export interface ContactFields {
  contactFirstName: string | null;
  contactLastName: string | null;
  contactPhone: string | null;
  contactTimezone: string | null;
}

export type Row = FollowUpRecord & ContactFields;

/** Each column under its own name, untouched by the ORM (see FollowUpRecord). */
function fields<K extends string>(columns: Record<K, AnyColumn | SQL>) {
  return Object.fromEntries(
    Object.entries<AnyColumn | SQL>(columns).map(([name, column]) => [
      name,
      sql`${column}`.as(name),
    ]),
  ) as Record<K, SQL.Aliased<unknown>>;
}

/** The follow-up's part of a row. */
const followUpFields = fields<keyof FollowUpRecord>({
  id: followUps.id,
  contactId: followUps.contactId,
  type: followUps.type,
  scheduledAt: followUps.scheduledAt,
  agentId: followUps.agentId,
  priority: followUps.priority,
  maxAttempts: followUps.maxAttempts,
  attempts: followUps.attempts,
  allowOutOfWindow: followUps.allowOutOfWindow,
  notes: followUps.notes,
  campaignId: followUps.campaignId,
  source: followUps.source,
  status: followUps.status,
  nextAttemptAt: followUps.nextAttemptAt,
  snoozedUntil: followUps.snoozedUntil,
  expiresAt: followUps.expiresAt,
  lastError: followUps.lastError,
  completedAt: followUps.completedAt,
  createdAt: followUps.createdAt,
  updatedAt: followUps.updatedAt,
  resolvedAgentId: followUps.resolvedAgentId,
  createdByUserId: followUps.createdByUserId,
  createdByApiKeyId: followUps.createdByApiKeyId,
});

const rowFields = {
  ...followUpFields,
  ...fields<keyof ContactFields>({
    contactFirstName: contacts.firstName,
    contactLastName: contacts.lastName,
    contactPhone: contacts.phone,
    contactTimezone: contacts.timezone,
  }),
};

// One join (the contact). The names (agents, campaign, creator) and the workspace's time zone
// come from one more small query for the whole page (withNames): as scalar subqueries per row
// they cost PostgreSQL several times the query itself, as joins even more to plan.
export function selectFollowUps(db: DbOrTx) {
  return db
    .select(rowFields)
    .from(followUps)
    .innerJoin(
      contacts,
      and(eq(contacts.workspaceId, followUps.workspaceId), eq(contacts.id, followUps.contactId)),
    )
    .$dynamic();
}

/**
 * The rows of a `selectFollowUps` query, as the driver returns them. A prepared query is read
 * with `all()`, which both drivers' prepared queries have (drizzle marks it internal): it skips
 * the ORM's per-column mapping, which has nothing to do for these columns.
 */
export async function followUpRows(
  query: PromiseLike<unknown> | object,
  values?: Record<string, unknown>,
): Promise<Row[]> {
  if ('then' in query) return (await query) as Row[];
  return (await (query as { all(v?: Record<string, unknown>): Promise<unknown> }).all(
    values,
  )) as Row[];
}

/** The names around a follow-up, and the workspace's time zone. */
export interface FollowUpNames {
  workspaceTimezone: string;
  agentName: string | null;
  resolvedAgentName: string | null;
  campaignName: string | null;
  createdByUserName: string | null;
  createdByKeyName: string | null;
}

const p = (name: string) => sql.placeholder(name);

/** The names of a list page: the workspace's time zone, agents, campaigns, creators. */
function buildNamesQuery(db: DbOrTx, _shape: 'page') {
  const named = (
    table: typeof agents | typeof campaigns | typeof users | typeof apiKeys,
    kind: string,
    ids: string,
  ) =>
    db
      .select({
        kind: sql<string>`${sql.raw(`'${kind}'`)}`.as('kind'),
        id: sql<string | null>`${table.id}`.as('id'),
        name: table.name,
      })
      .from(table)
      .where(
        and(eq(table.workspaceId, p('workspaceId')), sql`${table.id} = any(${p(ids)}::uuid[])`),
      );
  return (
    db
      .select({
        kind: sql<string>`'w'`.as('kind'),
        id: sql<string | null>`null::uuid`.as('id'),
        name: workspaces.timezone,
      })
      .from(workspaces)
      .where(eq(workspaces.id, p('workspaceId')))
      .unionAll(named(agents, 'a', 'agents'))
      .unionAll(named(campaigns, 'c', 'campaigns'))
      .unionAll(named(users, 'u', 'users'))
      .unionAll(named(apiKeys, 'k', 'keys'))
      // Named: the same text for every page, so PostgreSQL parses and plans it once per connection.
      .prepare('follow_up_names')
  );
}

const namesQuery = preparedPer(buildNamesQuery);

/** The follow-ups of `rows` as JSON, with the names they point at (one query for all). */
export async function withNames(
  db: DbOrTx,
  workspaceId: string,
  rows: readonly (FollowUpRecord & ContactFields)[],
): Promise<FollowUp[]> {
  if (rows.length === 0) return [];
  const ids = (pick: (f: FollowUpRecord) => string | null) => [
    ...new Set(rows.map(pick).filter((id): id is string => id !== null)),
  ];
  const agentIds = ids((f) => f.agentId).concat(ids((f) => f.resolvedAgentId));
  const names = (await namesQuery(db, 'page').execute({
    workspaceId,
    agents: pgArray(agentIds),
    campaigns: pgArray(ids((f) => f.campaignId)),
    users: pgArray(ids((f) => f.createdByUserId)),
    keys: pgArray(ids((f) => f.createdByApiKeyId)),
  })) as { kind: string; id: string | null; name: string }[];
  const byKind = (kind: string) =>
    new Map(names.filter((n) => n.kind === kind).map((n) => [n.id, n.name]));
  const workspaceTimezone = names.find((n) => n.kind === 'w')?.name ?? 'UTC';
  const [agentNames, campaignNames, userNames, keyNames] = ['a', 'c', 'u', 'k'].map(byKind) as [
    Map<string | null, string>,
    Map<string | null, string>,
    Map<string | null, string>,
    Map<string | null, string>,
  ];
  const nameIn = (map: Map<string | null, string>, id: string | null) =>
    id === null ? null : (map.get(id) ?? null);
  return rows.map((r) =>
    toFollowUp(r, {
      workspaceTimezone,
      agentName: nameIn(agentNames, r.agentId),
      resolvedAgentName: nameIn(agentNames, r.resolvedAgentId),
      campaignName: nameIn(campaignNames, r.campaignId),
      createdByUserName: nameIn(userNames, r.createdByUserId),
      createdByKeyName: nameIn(keyNames, r.createdByApiKeyId),
    }),
  );
}

const isoText = (text: string | null) => (text === null ? null : isoOfTimestampText(text));
export const summary = (id: string | null, name: string | null) =>
  id && name !== null ? { id, name } : null;

/** The follow-up JSON (SPEC §2.1 and what the screens show with it). */
export function toFollowUp(f: FollowUpRecord & ContactFields, names: FollowUpNames): FollowUp {
  const zone = contactZone(
    { timezone: f.contactTimezone, phone: f.contactPhone },
    names.workspaceTimezone,
  );
  const scheduledAt = isoOfTimestampText(f.scheduledAt);
  const nextAttemptAt = isoText(f.nextAttemptAt);
  return {
    id: f.id,
    contactId: f.contactId,
    type: f.type as FollowUpType,
    scheduledAt,
    agentId: f.agentId,
    priority: f.priority as Priority,
    maxAttempts: f.maxAttempts,
    attempts: f.attempts,
    allowOutOfWindow: f.allowOutOfWindow,
    notes: f.notes,
    campaignId: f.campaignId,
    source: f.source as FollowUpSource,
    status: f.status as FollowUpStatus,
    nextAttemptAt,
    snoozedUntil: isoText(f.snoozedUntil),
    expiresAt: isoOfTimestampText(f.expiresAt),
    lastError: f.lastError,
    completedAt: isoText(f.completedAt),
    createdAt: isoOfTimestampText(f.createdAt),
    updatedAt: isoOfTimestampText(f.updatedAt),
    contact: {
      id: f.contactId,
      name: contactDisplayName({
        id: f.contactId,
        firstName: f.contactFirstName,
        lastName: f.contactLastName,
        phone: f.contactPhone,
      }),
    },
    agent: summary(f.agentId, names.agentName),
    campaign: summary(f.campaignId, names.campaignName),
    resolvedAgent: summary(f.resolvedAgentId, names.resolvedAgentName),
    createdBy: f.createdByUserId
      ? { type: 'user', id: f.createdByUserId, name: names.createdByUserName ?? '' }
      : f.createdByApiKeyId
        ? { type: 'api_key', id: f.createdByApiKeyId, name: names.createdByKeyName ?? '' }
        : null,
    contactLocal: {
      timezone: zone.timezone,
      timezoneSource: zone.source,
      scheduledAt: localIsoString(epochMsOfIso(scheduledAt), zone.timezone),
      nextAttemptAt:
        nextAttemptAt === null ? null : localIsoString(epochMsOfIso(nextAttemptAt), zone.timezone),
    },
  };
}

/** One follow-up of the workspace as JSON; 404 when it is not there. */
export async function loadFollowUp(db: DbOrTx, workspaceId: string, id: string): Promise<FollowUp> {
  const [row] = await followUpRows(
    selectFollowUps(db).where(and(eq(followUps.workspaceId, workspaceId), eq(followUps.id, id))),
  );
  if (!row) throw notFound('follow-up');
  const [followUp] = await withNames(db, workspaceId, [row]);
  return followUp!;
}

/**
 * Follow-ups of the workspace as JSON, for screens that pick their own rows (the dashboard):
 * those `where` selects (on top of the workspace), in `orderBy` order, at most `limit`.
 */
export async function selectFollowUpViews(
  db: DbOrTx,
  workspaceId: string,
  query: { where: SQL | undefined; orderBy: SQL[]; limit: number },
): Promise<FollowUp[]> {
  const rows = await followUpRows(
    selectFollowUps(db)
      .where(and(eq(followUps.workspaceId, workspaceId), query.where))
      .orderBy(...query.orderBy)
      .limit(query.limit),
  );
  return withNames(db, workspaceId, rows);
}
