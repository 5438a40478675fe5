/** Call logs: the list (newest first, with filters) and one call. */
import type { CallLog, CallLogListInput } from '../../contracts/call-logs.contract.ts';
import { contactDisplayName } from '../../core/contact.ts';
import type { CallDirection, CallOutcome } from '../../core/results.ts';
import {
  type CallLogWithParties,
  findCallLogRow,
  listCallLogRows,
} from '../db/repositories/call-logs.ts';
import { invalid, notFound } from '../errors.ts';
import type { Actor, ServiceContext } from './context.ts';
import { decodeCursor, page } from './cursor.ts';

function callLogView({ log, contact, agent, campaign }: CallLogWithParties): CallLog {
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
  const from = query.from ? new Date(query.from) : null;
  const to = query.to ? new Date(query.to) : null;
  if (from && to && from.getTime() > to.getTime()) {
    throw invalid('The period ends before it starts.', [
      { path: 'query.to', message: 'Give a time after "from".' },
    ]);
  }
  const after = query.cursor ? decodeCursor(query.cursor, ['instant', 'uuid'] as const) : undefined;
  const rows = await listCallLogRows(
    ctx.db,
    actor.workspaceId,
    {
      contactId: query.contactId,
      agentId: query.agentId,
      campaignId: query.campaignId,
      outcome: query.outcome,
      direction: query.direction,
      from,
      to,
    },
    query.limit + 1,
    after,
  );
  const result = page(rows, query.limit, (row) => [row.key, row.log.id]);
  return { items: result.items.map(callLogView), nextCursor: result.nextCursor };
}

export async function getCallLog(ctx: ServiceContext, actor: Actor, id: string) {
  const row = await findCallLogRow(ctx.db, actor.workspaceId, id);
  if (!row) throw notFound('call log');
  return callLogView(row);
}
