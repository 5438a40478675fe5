/**
 * A call's report, however it arrives: the simulator, or a voice platform's signed callback
 * (POST /api/providers/voice/callback). One transaction writes the call log, ends the attempt
 * (the first report counts), moves the follow-up, lists the phone on Do Not Call when the
 * contact asked for it, and applies the outcome rules (outcomes.ts).
 */
import type { CallOutcome } from '../../../core/results.ts';
import type { Clock } from '../../clock.ts';
import type { Database } from '../../db/client.ts';
import { publishChanges } from '../../db/notify.ts';
import {
  findReportedAttemptForUpdate,
  updateAttemptResult,
} from '../../db/repositories/attempts.ts';
import {
  findAttemptCallLogForUpdate,
  insertCallLog,
  type NewCallLog,
  updateCallLogRow,
} from '../../db/repositories/call-logs.ts';
import { newId } from '../../ids.ts';
import { recordResults } from '../follow-ups/attempt-results.ts';
import { applyOutcomeRules, listFromOutcome } from './outcomes.ts';

export interface CallReport {
  /** `<followUpId>:<attemptNumber>`, as the provider received it. */
  idempotencyKey: string;
  outcome: CallOutcome;
  startedAt: Date;
  endedAt: Date;
  summary?: string | null;
  requestedCallbackAt?: Date | null;
  providerRef?: string | null;
  /** What a voice platform tells about the call, kept on the call log. */
  details?: CallDetails;
}

/** A voice platform's details of a call (Retell, Vapi, Twilio). */
export interface CallDetails {
  provider?: string | null;
  providerCallId?: string | null;
  sentiment?: string | null;
  recordingUrl?: string | null;
  transcriptUrl?: string | null;
}

export type CallReportResult =
  | {
      status: 'recorded';
      callLogId: string;
      /** Follow-ups the outcome rules created. */
      createdFollowUpIds: string[];
      /** Open call/SMS follow-ups failed because the contact asked not to be called. */
      blockedFollowUpIds: string[];
    }
  | { status: 'duplicate' }
  | { status: 'unknown' };

export async function reportCall(
  ctx: { db: Database; clock: Clock },
  report: CallReport,
): Promise<CallReportResult> {
  return ctx.db.transaction(async (tx) => {
    const attempt = await findReportedAttemptForUpdate(tx, report.idempotencyKey);
    if (!attempt) return { status: 'unknown' };
    if (attempt.endedAt) return { status: 'duplicate' };
    const callLogId = newId();
    const durationSeconds = Math.max(
      0,
      Math.round((report.endedAt.getTime() - report.startedAt.getTime()) / 1000),
    );
    await insertCallLog(tx, {
      id: callLogId,
      workspaceId: attempt.workspaceId,
      contactId: attempt.contactId,
      agentId: attempt.agentId,
      campaignId: attempt.campaignId,
      followUpId: attempt.followUpId,
      direction: 'outbound',
      outcome: report.outcome,
      startedAt: report.startedAt,
      endedAt: report.endedAt,
      durationSeconds,
      summary: report.summary ?? null,
      requestedCallbackAt: report.requestedCallbackAt ?? null,
      ...report.details,
    });
    const now = ctx.clock.now();
    await recordResults(tx, now, [
      {
        attemptId: attempt.id,
        result: report.outcome,
        providerRef: report.providerRef ?? null,
        callLogId,
      },
    ]);
    const blockedFollowUpIds =
      report.outcome === 'do_not_call'
        ? await listFromOutcome(tx, now, {
            workspaceId: attempt.workspaceId,
            phone: attempt.phone,
            callLogId,
          })
        : [];
    const createdFollowUpIds = await applyOutcomeRules(tx, now, {
      workspaceId: attempt.workspaceId,
      contactId: attempt.contactId,
      campaignId: attempt.campaignId,
      followUpId: attempt.followUpId,
      callLogId,
      outcome: report.outcome,
      endedAt: report.endedAt,
      requestedCallbackAt: report.requestedCallbackAt ?? null,
    });
    await publishChanges(tx, [
      {
        workspaceId: attempt.workspaceId,
        kind: 'call_log',
        id: callLogId,
        contactId: attempt.contactId,
      },
    ]);
    return { status: 'recorded', callLogId, createdFollowUpIds, blockedFollowUpIds };
  });
}

export interface CallAmendment {
  idempotencyKey: string;
  summary?: string | null;
  requestedCallbackAt?: Date | null;
  details?: CallDetails;
}

/**
 * What a platform tells after the call was recorded (its post-call analysis): fills the call
 * log's summary and details it lacks, and a requested callback turns an answered call into
 * `callback_requested` and applies that outcome's rules. The same analysis again changes
 * nothing. `unchanged` when there was nothing new (or no call log: the lease ended the call).
 */
export async function amendCall(
  ctx: { db: Database; clock: Clock },
  amendment: CallAmendment,
): Promise<
  { status: 'updated'; callLogId: string; createdFollowUpIds: string[] } | { status: 'unchanged' }
> {
  return ctx.db.transaction(async (tx) => {
    const row = await findAttemptCallLogForUpdate(tx, amendment.idempotencyKey);
    if (!row) return { status: 'unchanged' };
    const { log } = row;
    const set: Partial<NewCallLog> = {};
    if (!log.summary && amendment.summary) set.summary = amendment.summary;
    for (const key of ['sentiment', 'recordingUrl', 'transcriptUrl', 'providerCallId'] as const) {
      const value = amendment.details?.[key];
      if (!log[key] && value) set[key] = value;
    }
    const callback = amendment.requestedCallbackAt ?? null;
    const becomesCallback = callback !== null && log.outcome === 'answered';
    if (becomesCallback) {
      set.outcome = 'callback_requested';
      set.requestedCallbackAt = callback;
    }
    if (Object.keys(set).length === 0) return { status: 'unchanged' };
    await updateCallLogRow(tx, log.workspaceId, log.id, set);
    let createdFollowUpIds: string[] = [];
    if (becomesCallback) {
      await updateAttemptResult(tx, log.workspaceId, row.attemptId, 'callback_requested');
      createdFollowUpIds = await applyOutcomeRules(tx, ctx.clock.now(), {
        workspaceId: log.workspaceId,
        contactId: log.contactId,
        campaignId: log.campaignId,
        followUpId: row.followUpId,
        callLogId: log.id,
        outcome: 'callback_requested',
        endedAt: log.endedAt ?? log.startedAt,
        requestedCallbackAt: callback,
      });
    }
    await publishChanges(tx, [
      { workspaceId: log.workspaceId, kind: 'call_log', id: log.id, contactId: log.contactId },
    ]);
    return { status: 'updated', callLogId: log.id, createdFollowUpIds };
  });
}
