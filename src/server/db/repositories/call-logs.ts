/**
 * The call_logs table: the calls made and taken, without rules. Every query is scoped to the
 * workspace, except those that find a call by its attempt's idempotency key (a platform's report
 * names the attempt, not the workspace); a read returns undefined when there is no such call,
 * and the service decides what that means.
 */
import { and, asc, desc, eq, gte, inArray, lt, lte, type SQL } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../client.ts';
import { afterKeyDescAsc, instantKey } from '../keyset.ts';
import { agents, callLogs, campaigns, contacts, followUpAttempts, followUps } from '../schema.ts';

export type CallLogRow = typeof callLogs.$inferSelect;
export type NewCallLog = typeof callLogs.$inferInsert;

/** A call with its contact, its agent and campaign (null: none), and its sort key as text. */
export interface CallLogWithParties {
  log: CallLogRow;
  contact: { id: string; firstName: string | null; lastName: string | null; phone: string };
  agent: { id: string; name: string } | null;
  campaign: { id: string; name: string } | null;
  key: string;
}

function selectCallLogs(db: DbOrTx) {
  return db
    .select({
      log: callLogs,
      contact: {
        id: contacts.id,
        firstName: contacts.firstName,
        lastName: contacts.lastName,
        phone: contacts.phone,
      },
      agent: { id: agents.id, name: agents.name },
      campaign: { id: campaigns.id, name: campaigns.name },
      key: instantKey(callLogs.startedAt),
    })
    .from(callLogs)
    .innerJoin(
      contacts,
      and(eq(contacts.workspaceId, callLogs.workspaceId), eq(contacts.id, callLogs.contactId)),
    )
    .leftJoin(
      agents,
      and(eq(agents.workspaceId, callLogs.workspaceId), eq(agents.id, callLogs.agentId)),
    )
    .leftJoin(
      campaigns,
      and(eq(campaigns.workspaceId, callLogs.workspaceId), eq(campaigns.id, callLogs.campaignId)),
    );
}

/** What the list of calls may be narrowed to; each filter is optional. */
export interface CallLogFilters {
  contactId?: string | undefined;
  agentId?: string | undefined;
  campaignId?: string | undefined;
  outcome?: string | undefined;
  direction?: string | undefined;
  /** Started at or after. */
  from?: Date | null | undefined;
  /** Started before. */
  to?: Date | null | undefined;
}

/**
 * Calls of the workspace newest first (startedAt DESC, id ASC), after the key [startedAt, id]
 * when given; `limit` rows at most.
 */
export async function listCallLogRows(
  db: DbOrTx,
  workspaceId: string,
  filters: CallLogFilters,
  limit: number,
  after?: readonly [at: string, id: string],
): Promise<CallLogWithParties[]> {
  const where: (SQL | undefined)[] = [eq(callLogs.workspaceId, workspaceId)];
  if (filters.contactId) where.push(eq(callLogs.contactId, filters.contactId));
  if (filters.agentId) where.push(eq(callLogs.agentId, filters.agentId));
  if (filters.campaignId) where.push(eq(callLogs.campaignId, filters.campaignId));
  if (filters.outcome) where.push(eq(callLogs.outcome, filters.outcome));
  if (filters.direction) where.push(eq(callLogs.direction, filters.direction));
  if (filters.from) where.push(gte(callLogs.startedAt, filters.from));
  if (filters.to) where.push(lt(callLogs.startedAt, filters.to));
  if (after) where.push(afterKeyDescAsc(callLogs.startedAt, callLogs.id, after[0], after[1]));
  return selectCallLogs(db)
    .where(and(...where))
    .orderBy(desc(callLogs.startedAt), asc(callLogs.id))
    .limit(limit);
}

export async function findCallLogRow(
  db: DbOrTx,
  workspaceId: string,
  id: string,
): Promise<CallLogWithParties | undefined> {
  const [row] = await selectCallLogs(db).where(
    and(eq(callLogs.workspaceId, workspaceId), eq(callLogs.id, id)),
  );
  return row;
}

export async function insertCallLog(db: DbOrTx, log: NewCallLog): Promise<void> {
  await db.insert(callLogs).values(log);
}

/** The contact's inbound call that started at `startedAt` (a platform sending it again). */
export async function findInboundCallLogId(
  db: DbOrTx,
  workspaceId: string,
  contactId: string,
  startedAt: Date,
): Promise<string | undefined> {
  const [row] = await db
    .select({ id: callLogs.id })
    .from(callLogs)
    .where(
      and(
        eq(callLogs.workspaceId, workspaceId),
        eq(callLogs.contactId, contactId),
        eq(callLogs.direction, 'inbound'),
        eq(callLogs.startedAt, startedAt),
      ),
    );
  return row?.id;
}

/**
 * The call log of the attempt with this idempotency key, with the attempt's id and follow-up;
 * the call log's row locked until the transaction ends. Undefined when the attempt has no call
 * log (yet).
 */
export async function findAttemptCallLogForUpdate(
  tx: Tx,
  idempotencyKey: string,
): Promise<{ attemptId: string; followUpId: string; log: CallLogRow } | undefined> {
  const [row] = await tx
    .select({
      attemptId: followUpAttempts.id,
      followUpId: followUpAttempts.followUpId,
      log: callLogs,
    })
    .from(followUpAttempts)
    .innerJoin(
      callLogs,
      and(
        eq(callLogs.workspaceId, followUpAttempts.workspaceId),
        eq(callLogs.id, followUpAttempts.callLogId),
      ),
    )
    .where(eq(followUpAttempts.idempotencyKey, idempotencyKey))
    .for('update', { of: callLogs });
  return row;
}

export async function updateCallLogRow(
  db: DbOrTx,
  workspaceId: string,
  id: string,
  set: Partial<Omit<NewCallLog, 'id' | 'workspaceId'>>,
): Promise<void> {
  await db
    .update(callLogs)
    .set(set)
    .where(and(eq(callLogs.workspaceId, workspaceId), eq(callLogs.id, id)));
}

/**
 * The contact's call follow-ups an inbound call completes: in one of `statuses` (those the
 * completeInbound transition leaves) and due, their run time at or before `now`.
 */
export async function listDueCallFollowUpIds(
  db: DbOrTx,
  workspaceId: string,
  contactId: string,
  statuses: readonly string[],
  now: Date,
): Promise<string[]> {
  const rows = await db
    .select({ id: followUps.id })
    .from(followUps)
    .where(
      and(
        eq(followUps.workspaceId, workspaceId),
        eq(followUps.contactId, contactId),
        eq(followUps.type, 'call'),
        inArray(followUps.status, [...statuses]),
        lte(followUps.runAt, now),
      ),
    );
  return rows.map((r) => r.id);
}
