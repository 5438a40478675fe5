/**
 * Reading follow-ups: the follow-up JSON (SPEC §2.1 + contact, agent, campaign, resolved agent,
 * creator, contact-local times) and the detail with its timeline and attempts (the list is in
 * follow-up-list.ts). One query with joins per page, never one per row.
 */
import { type AnyColumn, and, asc, eq, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { FollowUp, FollowUpDetail } from '../../contracts/follow-ups.contract.ts';
import { contactDisplayName } from '../../core/contact.ts';
import {
  allowedOperatorActions,
  type FollowUpEventKind,
  type FollowUpSource,
  type FollowUpStatus,
  type FollowUpType,
  type Priority,
} from '../../core/follow-up.ts';
import type { AttemptResult } from '../../core/results.ts';
import type { DbOrTx } from '../db/client.ts';
import {
  agents,
  apiKeys,
  contacts,
  dncEntries,
  followUpAttempts,
  followUpEvents,
  followUps,
  users,
} from '../db/schema.ts';
import { notFound } from '../errors.ts';
import type { Actor, ServiceContext } from './context.ts';
import { instantKey } from './cursor.ts';
import { contactZone, localIso } from './follow-up-preview.ts';

export const finishedAt = sql`coalesce(${followUps.completedAt}, ${followUps.scheduledAt})`;

/** A name by id, as a scalar subquery: cheaper to plan than one more join per name. */
const nameOf = (table: 'agents' | 'campaigns' | 'users' | 'api_keys', id: AnyColumn) =>
  sql<string | null>`(select n.name from ${sql.raw(table)} n where n.id = ${id})`;

// One join (the contact); the names come from scalar subqueries. With a join per name, planning
// the query cost more than running it.
export function selectFollowUps(db: DbOrTx) {
  return db
    .select({
      f: followUps,
      contactFirstName: contacts.firstName,
      contactLastName: contacts.lastName,
      contactPhone: contacts.phone,
      contactTimezone: contacts.timezone,
      workspaceTimezone: sql<string>`(select w.timezone from workspaces w where w.id = ${followUps.workspaceId})`,
      agentName: nameOf('agents', followUps.agentId),
      resolvedAgentName: nameOf('agents', followUps.resolvedAgentId),
      campaignName: nameOf('campaigns', followUps.campaignId),
      createdByUserName: nameOf('users', followUps.createdByUserId),
      createdByKeyName: nameOf('api_keys', followUps.createdByApiKeyId),
      // Keyset cursor keys, exact to the microsecond.
      openKey: instantKey(followUps.scheduledAt),
      finishedKey: instantKey(finishedAt),
    })
    .from(followUps)
    .innerJoin(
      contacts,
      and(eq(contacts.workspaceId, followUps.workspaceId), eq(contacts.id, followUps.contactId)),
    )
    .$dynamic();
}

export type Row = Awaited<ReturnType<ReturnType<typeof selectFollowUps>['execute']>>[number];

const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);
const summary = (id: string | null, name: string | null) =>
  id && name !== null ? { id, name } : null;

/** What the follow-up JSON is made of: the row and the names around it. */
export type FollowUpParts = Omit<Row, 'openKey' | 'finishedKey'>;

export function toFollowUp({ f, ...r }: FollowUpParts): FollowUp {
  const zone = contactZone(
    { timezone: r.contactTimezone, phone: r.contactPhone },
    r.workspaceTimezone,
  );
  return {
    id: f.id,
    contactId: f.contactId,
    type: f.type as FollowUpType,
    scheduledAt: iso(f.scheduledAt),
    agentId: f.agentId,
    priority: f.priority as Priority,
    maxAttempts: f.maxAttempts,
    attempts: f.attempts,
    allowOutOfWindow: f.allowOutOfWindow,
    notes: f.notes,
    campaignId: f.campaignId,
    source: f.source as FollowUpSource,
    status: f.status as FollowUpStatus,
    nextAttemptAt: isoOrNull(f.nextAttemptAt),
    snoozedUntil: isoOrNull(f.snoozedUntil),
    expiresAt: iso(f.expiresAt),
    lastError: f.lastError,
    completedAt: isoOrNull(f.completedAt),
    createdAt: iso(f.createdAt),
    updatedAt: iso(f.updatedAt),
    contact: {
      id: f.contactId,
      name: contactDisplayName({
        id: f.contactId,
        firstName: r.contactFirstName,
        lastName: r.contactLastName,
        phone: r.contactPhone,
      }),
    },
    agent: summary(f.agentId, r.agentName),
    campaign: summary(f.campaignId, r.campaignName),
    resolvedAgent: summary(f.resolvedAgentId, r.resolvedAgentName),
    createdBy: f.createdByUserId
      ? { type: 'user', id: f.createdByUserId, name: r.createdByUserName ?? '' }
      : f.createdByApiKeyId
        ? { type: 'api_key', id: f.createdByApiKeyId, name: r.createdByKeyName ?? '' }
        : null,
    contactLocal: {
      timezone: zone.timezone,
      timezoneSource: zone.source,
      scheduledAt: localIso(f.scheduledAt, zone.timezone),
      nextAttemptAt: f.nextAttemptAt ? localIso(f.nextAttemptAt, zone.timezone) : null,
    },
  };
}

/** One follow-up of the workspace as JSON; 404 when it is not there. */
export async function loadFollowUp(db: DbOrTx, workspaceId: string, id: string): Promise<FollowUp> {
  const [row] = await selectFollowUps(db).where(
    and(eq(followUps.workspaceId, workspaceId), eq(followUps.id, id)),
  );
  if (!row) throw notFound('follow-up');
  return toFollowUp(row);
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
  const rows = await selectFollowUps(db)
    .where(and(eq(followUps.workspaceId, workspaceId), query.where))
    .orderBy(...query.orderBy)
    .limit(query.limit);
  return rows.map(toFollowUp);
}

const attemptAgent = alias(agents, 'attempt_agent');

/** GET /api/follow-ups/:id: the follow-up, its timeline, its attempts, the allowed actions. */
export async function getFollowUpDetail(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
): Promise<FollowUpDetail> {
  const followUp = await loadFollowUp(ctx.db, actor.workspaceId, id);
  const [events, attempts, dnc] = await Promise.all([
    ctx.db
      .select({
        e: followUpEvents,
        userName: users.name,
        keyName: apiKeys.name,
      })
      .from(followUpEvents)
      .leftJoin(
        users,
        and(eq(followUpEvents.actorType, 'user'), eq(users.id, followUpEvents.actorId)),
      )
      .leftJoin(
        apiKeys,
        and(eq(followUpEvents.actorType, 'api_key'), eq(apiKeys.id, followUpEvents.actorId)),
      )
      .where(
        and(eq(followUpEvents.workspaceId, actor.workspaceId), eq(followUpEvents.followUpId, id)),
      )
      .orderBy(asc(followUpEvents.at), asc(followUpEvents.id)),
    ctx.db
      .select({ a: followUpAttempts, agentName: attemptAgent.name })
      .from(followUpAttempts)
      .leftJoin(attemptAgent, eq(attemptAgent.id, followUpAttempts.agentId))
      .where(
        and(
          eq(followUpAttempts.workspaceId, actor.workspaceId),
          eq(followUpAttempts.followUpId, id),
        ),
      )
      .orderBy(asc(followUpAttempts.number)),
    // Whether the contact's phone is on the workspace's Do Not Call list (SPEC §1).
    ctx.db
      .select({ id: dncEntries.id })
      .from(dncEntries)
      .innerJoin(
        contacts,
        and(eq(contacts.workspaceId, dncEntries.workspaceId), eq(contacts.phone, dncEntries.phone)),
      )
      .where(
        and(eq(dncEntries.workspaceId, actor.workspaceId), eq(contacts.id, followUp.contactId)),
      )
      .limit(1),
  ]);
  return {
    ...followUp,
    contact: { ...followUp.contact, doNotCall: dnc.length > 0 },
    events: events.map(({ e, userName, keyName }) => ({
      id: e.id,
      at: iso(e.at),
      kind: e.kind as FollowUpEventKind,
      actor: {
        type: e.actorType as 'user' | 'api_key' | 'system',
        id: e.actorId,
        name:
          e.actorType === 'system'
            ? 'System'
            : ((e.actorType === 'user' ? userName : keyName) ?? 'Removed'),
      },
      data: e.data,
    })),
    attemptHistory: attempts.map(({ a, agentName }) => ({
      number: a.number,
      channel: a.channel as FollowUpType,
      provider: a.provider,
      agent: summary(a.agentId, agentName),
      idempotencyKey: a.idempotencyKey,
      startedAt: iso(a.startedAt),
      endedAt: isoOrNull(a.endedAt),
      result: a.result as AttemptResult | null,
      error: a.error,
      providerRef: a.providerRef,
      callLogId: a.callLogId,
    })),
    allowedActions: allowedOperatorActions(followUp.status),
  };
}
