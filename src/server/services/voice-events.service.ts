/**
 * A voice platform's report of a call (Retell, Vapi, Twilio), once calls/voice-webhooks.ts verified the
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
import type { CallOutcome } from '../../core/results.ts';
import { type VoicePlatform, withCallback } from '../../core/voice-outcomes.ts';
import { listVoiceAgentWorkspaceIds } from '../db/repositories/agents.ts';
import {
  findPlatformCallAttempt,
  listPlatformCallWorkspaceIds,
  notePlatformCallId,
} from '../db/repositories/attempts.ts';
import type { VoicePlatformScope } from '../db/repositories/voice-platforms.ts';
import { amendCall, type CallDetails, reportCall } from './calls/call-reports.ts';
import { reportInboundCall } from './calls/inbound.ts';
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

/**
 * Whose secret signed the report: a workspace's own (it may touch only that workspace's calls)
 * or the server's environment (only workspaces without a voice platform of their own).
 */
export type VoiceEventScope = VoicePlatformScope;

export async function recordVoiceEvent(
  ctx: ServiceContext,
  event: VoiceCallEvent,
  scope: VoiceEventScope = 'environment',
): Promise<VoiceEventResult> {
  return event.direction === 'inbound' ? inbound(ctx, event, scope) : outbound(ctx, event, scope);
}

/**
 * The workspaces a report may be about, before its signature is checked (to know whose secret
 * to check it with): the attempt its key or call id names, and for inbound calls the agents
 * with that platform agent id or number. Nothing is written.
 */
export async function candidateWorkspaces(
  ctx: ServiceContext,
  event: Pick<
    VoiceCallEvent,
    'platform' | 'callId' | 'idempotencyKey' | 'externalAgentId' | 'toNumber'
  >,
): Promise<string[]> {
  const found = new Set<string>(
    await listPlatformCallWorkspaceIds(
      ctx.db,
      { provider: event.platform, providerRef: event.callId, idempotencyKey: event.idempotencyKey },
      10,
    ),
  );
  const agentWorkspaces = await listVoiceAgentWorkspaceIds(
    ctx.db,
    { externalAgentId: event.externalAgentId, number: event.toNumber },
    50,
  );
  for (const id of agentWorkspaces) found.add(id);
  return [...found];
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

async function outbound(
  ctx: ServiceContext,
  event: VoiceCallEvent,
  scope: VoiceEventScope,
): Promise<VoiceEventResult> {
  const attempt = await findPlatformCallAttempt(
    ctx.db,
    { provider: event.platform, providerRef: event.callId, idempotencyKey: event.idempotencyKey },
    scope,
  );
  if (!attempt) return { status: 'unknown' };
  if (event.outcome === null) {
    // Started (or still ringing): note the platform's call id, nothing else moves.
    await notePlatformCallId(ctx.db, attempt.workspaceId, attempt.id, event.callId);
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

async function inbound(
  ctx: ServiceContext,
  event: VoiceCallEvent,
  scope: VoiceEventScope,
): Promise<VoiceEventResult> {
  if (event.outcome === null || !event.fromNumber) return { status: 'noted' };
  const [workspaceId] = await listVoiceAgentWorkspaceIds(
    ctx.db,
    { externalAgentId: event.externalAgentId, number: event.toNumber },
    1,
    scope,
  );
  if (!workspaceId) return { status: 'unknown' };
  const endedAt = event.endedAt ?? ctx.clock.now();
  const result = await reportInboundCall(ctx, {
    workspaceId,
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
