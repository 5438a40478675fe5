/**
 * Inbound calls (SPEC §5.1): a contact called us. One transaction writes the inbound call log
 * and completes the contact's due open call follow-ups (scheduled or queued, run time reached)
 * with the reason `contacted_inbound`: the customer reached us first. Follow-ups planned for
 * later are left alone. A `do_not_call` outcome lists the phone as an outbound call would.
 */
import { TRANSITIONS } from '../../../core/follow-up.ts';
import type { CallOutcome } from '../../../core/results.ts';
import { normalizePhone } from '../../../core/time-zone.ts';
import type { Clock } from '../../clock.ts';
import type { Database } from '../../db/client.ts';
import { publishChanges } from '../../db/notify.ts';
import {
  findInboundCallLogId,
  insertCallLog,
  listDueCallFollowUpIds,
} from '../../db/repositories/call-logs.ts';
import { findContactByPhonesForUpdate } from '../../db/repositories/contacts.ts';
import { newId } from '../../ids.ts';
import { tryTransitionMany } from '../follow-ups/transitions.ts';
import type { CallDetails } from './call-reports.ts';
import { listFromOutcome } from './outcomes.ts';

export interface InboundCallReport {
  workspaceId: string;
  /** The caller's number (E.164). */
  phone: string;
  outcome: CallOutcome;
  startedAt: Date;
  endedAt: Date;
  summary?: string | null;
  details?: CallDetails;
}

export type InboundCallResult =
  | {
      status: 'recorded';
      callLogId: string;
      completedFollowUpIds: string[];
      blockedFollowUpIds: string[];
    }
  | { status: 'duplicate'; callLogId: string }
  | { status: 'unknown' };

export async function reportInboundCall(
  ctx: { db: Database; clock: Clock },
  report: InboundCallReport,
): Promise<InboundCallResult> {
  // The number as sent (E.164), else its normalised form ('+1 (212) 555-0100').
  const given = report.phone.trim();
  const candidates = [...new Set([given, normalizePhone(given) ?? given])];
  return ctx.db.transaction(async (tx) => {
    const contact = await findContactByPhonesForUpdate(tx, report.workspaceId, candidates);
    if (!contact) return { status: 'unknown' };
    const { phone } = contact;
    // A platform may send the same callback again: the same caller and start is the same call.
    const seen = await findInboundCallLogId(tx, report.workspaceId, contact.id, report.startedAt);
    if (seen) return { status: 'duplicate', callLogId: seen };

    const now = ctx.clock.now();
    const callLogId = newId();
    await insertCallLog(tx, {
      id: callLogId,
      workspaceId: report.workspaceId,
      contactId: contact.id,
      direction: 'inbound',
      outcome: report.outcome,
      startedAt: report.startedAt,
      endedAt: report.endedAt,
      durationSeconds: Math.max(
        0,
        Math.round((report.endedAt.getTime() - report.startedAt.getTime()) / 1000),
      ),
      summary: report.summary ?? null,
      ...report.details,
    });
    const due = await listDueCallFollowUpIds(
      tx,
      report.workspaceId,
      contact.id,
      TRANSITIONS.completeInbound.from,
      now,
    );
    const completed = await tryTransitionMany(tx, {
      workspaceId: report.workspaceId,
      followUpIds: due,
      action: 'completeInbound',
      at: now,
      actor: null,
      set: { lastError: null },
      event: { kind: 'completed', data: { reason: 'contacted_inbound', callLogId } },
    });
    const blockedFollowUpIds =
      report.outcome === 'do_not_call'
        ? await listFromOutcome(tx, now, { workspaceId: report.workspaceId, phone, callLogId })
        : [];
    await publishChanges(tx, [
      { workspaceId: report.workspaceId, kind: 'call_log', id: callLogId, contactId: contact.id },
    ]);
    return {
      status: 'recorded',
      callLogId,
      completedFollowUpIds: completed.map((c) => c.row.id),
      blockedFollowUpIds,
    };
  });
}
