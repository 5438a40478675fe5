/**
 * Call logs: the list (newest first, with filters) and one call. Also the keyset helpers for
 * lists ordered by an instant, shared by the contacts and campaigns lists.
 */
import { and, asc, desc, eq, gte, lt, type SQL } from 'drizzle-orm';
import type { CallLog, CallLogListInput } from '../../contracts/call-logs.contract.ts';
import { contactDisplayName } from '../../core/contact.ts';
import type { CallDirection, CallOutcome } from '../../core/results.ts';
import { instantKey } from '../db/keyset.ts';
import { agents, callLogs, campaigns, contacts } from '../db/schema.ts';
import { invalid, notFound } from '../errors.ts';
import type { Actor, ServiceContext } from './context.ts';
import { afterDescAsc, page } from './cursor.ts';

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
    provider: log.provider,
    sentiment: log.sentiment,
    recordingUrl: log.recordingUrl,
    transcriptUrl: log.transcriptUrl,
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
