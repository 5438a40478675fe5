/**
 * A call's report, however it arrives: the simulator, or a voice platform's signed callback
 * (POST /api/providers/voice/callback). One transaction writes the call log, ends the attempt
 * (the first report counts), moves the follow-up, and applies the outcome rules.
 */
import { and, eq } from 'drizzle-orm';
import type { CallOutcome } from '../../core/results.ts';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/client.ts';
import { publishChanges } from '../db/notify.ts';
import { callLogs, followUpAttempts, followUps } from '../db/schema.ts';
import { newId } from '../ids.ts';
import { recordResults } from './record.ts';

export interface CallReport {
  /** `<followUpId>:<attemptNumber>`, as the provider received it. */
  idempotencyKey: string;
  outcome: CallOutcome;
  startedAt: Date;
  endedAt: Date;
  summary?: string | null;
  requestedCallbackAt?: Date | null;
  providerRef?: string | null;
}

export type CallReportResult =
  | { status: 'recorded'; callLogId: string }
  | { status: 'duplicate' }
  | { status: 'unknown' };

export async function reportCall(
  ctx: { db: Database; clock: Clock },
  report: CallReport,
): Promise<CallReportResult> {
  return ctx.db.transaction(async (tx) => {
    const [attempt] = await tx
      .select({
        id: followUpAttempts.id,
        workspaceId: followUpAttempts.workspaceId,
        followUpId: followUpAttempts.followUpId,
        agentId: followUpAttempts.agentId,
        endedAt: followUpAttempts.endedAt,
        contactId: followUps.contactId,
        campaignId: followUps.campaignId,
      })
      .from(followUpAttempts)
      .innerJoin(followUps, eq(followUps.id, followUpAttempts.followUpId))
      .where(and(eq(followUpAttempts.idempotencyKey, report.idempotencyKey)))
      .for('update', { of: followUpAttempts });
    if (!attempt) return { status: 'unknown' };
    if (attempt.endedAt) return { status: 'duplicate' };
    const callLogId = newId();
    const durationSeconds = Math.max(
      0,
      Math.round((report.endedAt.getTime() - report.startedAt.getTime()) / 1000),
    );
    await tx.insert(callLogs).values({
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
    });
    await recordResults(tx, ctx.clock.now(), [
      {
        attemptId: attempt.id,
        result: report.outcome,
        providerRef: report.providerRef ?? null,
        callLogId,
      },
    ]);
    await publishChanges(tx, [
      {
        workspaceId: attempt.workspaceId,
        kind: 'call_log',
        id: callLogId,
        contactId: attempt.contactId,
      },
    ]);
    return { status: 'recorded', callLogId };
  });
}
