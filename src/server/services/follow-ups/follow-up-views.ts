/**
 * Reading follow-ups: the follow-up JSON (SPEC §2.1 + contact, agent, campaign, resolved agent,
 * creator, contact-local times) for any set of rows. The list is in follow-up-list.ts, the
 * detail with its timeline and attempts in follow-up-detail.ts. One query per page for the rows
 * and one for the names they point at, never one per row.
 */
import type { SQL } from 'drizzle-orm';
import type { FollowUp } from '../../../contracts/follow-ups.contract.ts';
import { areaCodeOf } from '../../../core/area-codes.ts';
import { contactDisplayName } from '../../../core/contact.ts';
import type {
  FollowUpSource,
  FollowUpStatus,
  FollowUpType,
  Priority,
} from '../../../core/follow-up.ts';
import { epochMsOfIso, localIsoString } from '../../../core/local-time.ts';
import { contactZone } from '../../../core/scheduling.ts';
import type { DbOrTx } from '../../db/client.ts';
import {
  type FollowUpRecord,
  type FollowUpRow,
  followUpRow,
  followUpRowsWhere,
  nameRows,
} from '../../db/repositories/follow-ups-fast.ts';
import { isoOfTimestampText } from '../../db/sql.ts';
import { notFound } from '../../errors.ts';

/** The names around a follow-up, and the workspace's time zone. */
export interface FollowUpNames {
  workspaceTimezone: string;
  agentName: string | null;
  resolvedAgentName: string | null;
  campaignName: string | null;
  createdByUserName: string | null;
  createdByKeyName: string | null;
}

/** The follow-ups of `rows` as JSON, with the names they point at (one query for all). */
export async function withNames(
  db: DbOrTx,
  workspaceId: string,
  rows: readonly FollowUpRow[],
): Promise<FollowUp[]> {
  if (rows.length === 0) return [];
  const ids = (pick: (f: FollowUpRecord) => string | null) => [
    ...new Set(rows.map(pick).filter((id): id is string => id !== null)),
  ];
  const agentIds = ids((f) => f.agentId).concat(ids((f) => f.resolvedAgentId));
  const names = await nameRows(db, workspaceId, {
    agents: agentIds,
    campaigns: ids((f) => f.campaignId),
    users: ids((f) => f.createdByUserId),
    keys: ids((f) => f.createdByApiKeyId),
  });
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
export function toFollowUp(f: FollowUpRow, names: FollowUpNames): FollowUp {
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
      region: f.contactRegion,
      phoneRegion: areaCodeOf(f.contactPhone)?.region ?? null,
    },
  };
}

/** One follow-up of the workspace as JSON; 404 when it is not there. */
export async function loadFollowUp(db: DbOrTx, workspaceId: string, id: string): Promise<FollowUp> {
  const row = await followUpRow(db, workspaceId, id);
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
  return withNames(db, workspaceId, await followUpRowsWhere(db, workspaceId, query));
}
