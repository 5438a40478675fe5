/**
 * Call logs: the list (newest first, with filters) and one call. Also the keyset helpers for
 * lists ordered by an instant, shared by the contacts and campaigns lists.
 */
import { and, asc, desc, eq, gte, lt, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { CallLog, CallLogListInput } from '../../contracts/call-logs.contract.ts';
import { contactDisplayName } from '../../core/contact.ts';
import type { CallDirection, CallOutcome } from '../../core/results.ts';
import { agents, callLogs, campaigns, contacts } from '../db/schema.ts';
import { invalid, notFound } from '../errors.ts';
import type { Actor, ServiceContext } from './context.ts';
import { decodeCursor, page } from './cursor.ts';

// Keyset on (instant, id). Cursors carry the instant as text exact to the microsecond:
// timestamptz keeps microseconds, a JS Date only milliseconds, and rounding would skip rows.

/** The instant of a column as cursor text, e.g. '2026-03-02T14:00:00.123456Z'. */
export const instantKey = (column: AnyPgColumn) =>
  sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const KEY_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** A cursor made by `page(rows, limit, (r) => [r.key, r.id])`: [instant text, id]. */
export function decodeInstantCursor(cursor: string): { at: string; id: string } {
  const [at, id] = decodeCursor(cursor, ['string', 'uuid'] as const);
  if (!KEY_INSTANT.test(at) || Number.isNaN(Date.parse(at))) {
    throw invalid('This cursor is not one the server gave out. Start again from the first page.', [
      { path: 'query.cursor', message: 'Not a valid cursor.' },
    ]);
  }
  return { at, id };
}

/** Rows after the cursor in the order (instant DESC, id DESC). */
export function afterDescDesc(instant: AnyPgColumn, id: AnyPgColumn, cursor: string): SQL {
  const key = decodeInstantCursor(cursor);
  return sql`(${instant}, ${id}) < (${key.at}::timestamptz, ${key.id}::uuid)`;
}

/** Rows after the cursor in the order (instant DESC, id ASC), the order of the call indexes. */
function afterDescAsc(instant: AnyPgColumn, id: AnyPgColumn, cursor: string): SQL {
  const key = decodeInstantCursor(cursor);
  const at = sql`${key.at}::timestamptz`;
  return sql`(${instant} <= ${at} and (${instant} < ${at} or ${id} > ${key.id}::uuid))`;
}

// Call logs.

const callLogSelection = {
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
};

function selectCallLogs(ctx: ServiceContext) {
  return ctx.db
    .select(callLogSelection)
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

type CallLogRow = Awaited<ReturnType<ReturnType<typeof selectCallLogs>['execute']>>[number];

function callLogView({ log, contact, agent, campaign }: CallLogRow): CallLog {
  return {
    id: log.id,
    contact: { id: contact.id, name: contactDisplayName(contact) },
    agent: agent ? { id: agent.id, name: agent.name } : null,
    campaign: campaign ? { id: campaign.id, name: campaign.name } : null,
    followUpId: log.followUpId,
    direction: log.direction as CallDirection,
    outcome: log.outcome as CallOutcome,
    startedAt: log.startedAt.toISOString(),
    endedAt: log.endedAt?.toISOString() ?? null,
    durationSeconds: log.durationSeconds,
    summary: log.summary,
    requestedCallbackAt: log.requestedCallbackAt?.toISOString() ?? null,
  };
}

/** Calls of the workspace, newest first; every filter is optional. */
export async function listCallLogs(
  ctx: ServiceContext,
  actor: Actor,
  query: Partial<CallLogListInput> & { limit: number },
) {
  const where: (SQL | undefined)[] = [eq(callLogs.workspaceId, actor.workspaceId)];
  if (query.contactId) where.push(eq(callLogs.contactId, query.contactId));
  if (query.agentId) where.push(eq(callLogs.agentId, query.agentId));
  if (query.campaignId) where.push(eq(callLogs.campaignId, query.campaignId));
  if (query.outcome) where.push(eq(callLogs.outcome, query.outcome));
  if (query.direction) where.push(eq(callLogs.direction, query.direction));
  const from = query.from ? new Date(query.from) : null;
  const to = query.to ? new Date(query.to) : null;
  if (from && to && from.getTime() > to.getTime()) {
    throw invalid('The period ends before it starts.', [
      { path: 'query.to', message: 'Give a time after "from".' },
    ]);
  }
  if (from) where.push(gte(callLogs.startedAt, from));
  if (to) where.push(lt(callLogs.startedAt, to));
  if (query.cursor) where.push(afterDescAsc(callLogs.startedAt, callLogs.id, query.cursor));

  const rows = await selectCallLogs(ctx)
    .where(and(...where))
    .orderBy(desc(callLogs.startedAt), asc(callLogs.id))
    .limit(query.limit + 1);
  const result = page(rows, query.limit, (row) => [row.key, row.log.id]);
  return { items: result.items.map(callLogView), nextCursor: result.nextCursor };
}

export async function getCallLog(ctx: ServiceContext, actor: Actor, id: string) {
  const [row] = await selectCallLogs(ctx).where(
    and(eq(callLogs.workspaceId, actor.workspaceId), eq(callLogs.id, id)),
  );
  if (!row) throw notFound('call log');
  return callLogView(row);
}
