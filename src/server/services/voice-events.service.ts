/**
 * A voice platform's report of a call (Retell, Vapi, Twilio), once its route verified the
 * signature and read the platform's payload into a VoiceCallEvent:
 * - an outbound call names its attempt (metadata's idempotency key, else the platform's call id
 *   kept on the attempt); a started call only notes the call id;
 * - the end (with or without the analysis) records the call once (reportCall); analysis that
 *   comes after the end fills the call log and may turn it into a requested callback
 *   (amendCall); the same event again changes nothing;
 * - an inbound call is matched to its workspace by the platform agent it reached (or the number
 *   called) and recorded as inbound (reportInboundCall);
 * - a call nobody knows is `unknown`: the route acknowledges it and logs it.
 */
import { and, eq, isNull, or } from 'drizzle-orm';
import type { CallOutcome } from '../../core/results.ts';
import { type VoicePlatform, withCallback } from '../../core/voice-outcomes.ts';
import { agents, followUpAttempts } from '../db/schema.ts';
import { amendCall, type CallDetails, reportCall } from '../engine/call-reports.ts';
import { reportInboundCall } from '../engine/inbound.ts';
import type { ServiceContext } from './context.ts';

export interface VoiceCallEvent {
  platform: VoicePlatform;
  callId: string;
  direction: 'outbound' | 'inbound';
  /** From the call's metadata (outbound calls Followthrough placed). */
  idempotencyKey: string | null;
  /** The outcome by the platform's table; null while the call is not over. */
  outcome: CallOutcome | null;
  startedAt: Date | null;
  endedAt: Date | null;
  summary: string | null;
  callbackAt: Date | null;
  sentiment?: string | null;
  recordingUrl?: string | null;
  transcriptUrl?: string | null;
  /** Inbound: the caller, the number called and the platform agent that answered. */
  fromNumber?: string | null;
  toNumber?: string | null;
  externalAgentId?: string | null;
}

export type VoiceEventResult =
  | { status: 'recorded' | 'updated'; callLogId: string }
  | { status: 'noted' | 'duplicate' | 'unknown' };

export async function recordVoiceEvent(
  ctx: ServiceContext,
  event: VoiceCallEvent,
): Promise<VoiceEventResult> {
  return event.direction === 'inbound' ? inbound(ctx, event) : outbound(ctx, event);
}

function detailsOf(event: VoiceCallEvent): CallDetails {
  return {
    provider: event.platform,
    providerCallId: event.callId,
    sentiment: event.sentiment ?? null,
    recordingUrl: event.recordingUrl ?? null,
    transcriptUrl: event.transcriptUrl ?? null,
  };
}

async function outbound(ctx: ServiceContext, event: VoiceCallEvent): Promise<VoiceEventResult> {
  const [attempt] = await ctx.db
    .select({
      id: followUpAttempts.id,
      idempotencyKey: followUpAttempts.idempotencyKey,
      endedAt: followUpAttempts.endedAt,
      startedAt: followUpAttempts.startedAt,
    })
    .from(followUpAttempts)
    .where(
      event.idempotencyKey
        ? eq(followUpAttempts.idempotencyKey, event.idempotencyKey)
        : and(
            eq(followUpAttempts.provider, event.platform),
            eq(followUpAttempts.providerRef, event.callId),
          ),
    )
    .limit(1);
  if (!attempt) return { status: 'unknown' };
  if (event.outcome === null) {
    // Started (or still ringing): note the platform's call id, nothing else moves.
    await ctx.db
      .update(followUpAttempts)
      .set({ providerRef: event.callId })
      .where(and(eq(followUpAttempts.id, attempt.id), isNull(followUpAttempts.providerRef)));
    return { status: 'noted' };
  }
  const now = ctx.clock.now();
  const endedAt = event.endedAt ?? now;
  const startedAt = event.startedAt ?? attempt.startedAt;
  if (!attempt.endedAt) {
    const result = await reportCall(ctx, {
      idempotencyKey: attempt.idempotencyKey,
      outcome: withCallback(event.outcome, event.callbackAt),
      startedAt: startedAt.getTime() > endedAt.getTime() ? endedAt : startedAt,
      endedAt,
      summary: event.summary,
      requestedCallbackAt: event.outcome === 'answered' ? event.callbackAt : null,
      providerRef: event.callId,
      details: detailsOf(event),
    });
    if (result.status === 'recorded') return { status: 'recorded', callLogId: result.callLogId };
    if (result.status === 'unknown') return { status: 'unknown' };
  }
  // Already recorded: what the analysis adds (a summary, a requested callback).
  const amended = await amendCall(ctx, {
    idempotencyKey: attempt.idempotencyKey,
    summary: event.summary,
    requestedCallbackAt: event.callbackAt,
    details: detailsOf(event),
  });
  return amended.status === 'updated'
    ? { status: 'updated', callLogId: amended.callLogId }
    : { status: 'duplicate' };
}

async function inbound(ctx: ServiceContext, event: VoiceCallEvent): Promise<VoiceEventResult> {
  if (event.outcome === null || !event.fromNumber) return { status: 'noted' };
  const matches = [
    ...(event.externalAgentId ? [eq(agents.externalAgentId, event.externalAgentId)] : []),
    ...(event.toNumber ? [eq(agents.fromNumber, event.toNumber)] : []),
  ];
  if (matches.length === 0) return { status: 'unknown' };
  const [agent] = await ctx.db
    .select({ workspaceId: agents.workspaceId })
    .from(agents)
    .where(or(...matches))
    .limit(1);
  if (!agent) return { status: 'unknown' };
  const endedAt = event.endedAt ?? ctx.clock.now();
  const result = await reportInboundCall(ctx, {
    workspaceId: agent.workspaceId,
    phone: event.fromNumber,
    outcome: event.outcome,
    startedAt: event.startedAt ?? endedAt,
    endedAt,
    summary: event.summary,
    details: detailsOf(event),
  });
  if (result.status === 'recorded') return { status: 'recorded', callLogId: result.callLogId };
  return { status: result.status === 'duplicate' ? 'duplicate' : 'unknown' };
}
