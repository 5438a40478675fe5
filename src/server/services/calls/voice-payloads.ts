/**
 * The voice platforms' webhook payloads, read into one VoiceCallEvent. Only the fields
 * Followthrough uses are read; everything else the platforms send is ignored.
 */
import { z } from 'zod';
import {
  callbackAtOf,
  retellOutcome,
  twilioOutcome,
  vapiOutcome,
} from '../../../core/voice-outcomes.ts';
import type { VoiceCallEvent } from '../voice-events.service.ts';

const text = z.string().max(100_000).nullish();
const millis = z.number().int().nonnegative().nullish();
const Metadata = z.looseObject({ followthrough_idempotency_key: z.string().max(200).nullish() });

export const RetellWebhookBody = z.looseObject({
  event: z.string().min(1).max(100),
  call: z.looseObject({
    call_id: z.string().min(1).max(200),
    direction: z.enum(['inbound', 'outbound']).nullish(),
    agent_id: z.string().max(200).nullish(),
    from_number: z.string().max(64).nullish(),
    to_number: z.string().max(64).nullish(),
    start_timestamp: millis,
    end_timestamp: millis,
    disconnection_reason: z.string().max(200).nullish(),
    recording_url: text,
    public_log_url: text,
    metadata: Metadata.nullish().catch(null),
    call_analysis: z
      .looseObject({
        call_summary: text,
        user_sentiment: z.string().max(100).nullish(),
        custom_analysis_data: z.unknown().optional(),
      })
      .nullish(),
  }),
});
export type RetellWebhookBody = z.infer<typeof RetellWebhookBody>;

const at = (ms: number | null | undefined) => (ms ? new Date(ms) : null);

/** Retell's `call_started`, `call_ended` and `call_analyzed` (the others are not about calls). */
export function retellEvent(body: RetellWebhookBody): VoiceCallEvent | null {
  if (!['call_started', 'call_ended', 'call_analyzed'].includes(body.event)) return null;
  const call = body.call;
  const key = call.metadata?.followthrough_idempotency_key ?? null;
  const ended = body.event !== 'call_started';
  const analysis = call.call_analysis ?? null;
  return {
    platform: 'retell',
    callId: call.call_id,
    direction: call.direction ?? (key ? 'outbound' : 'inbound'),
    idempotencyKey: key,
    outcome: ended ? retellOutcome(call.disconnection_reason) : null,
    startedAt: at(call.start_timestamp),
    endedAt: at(call.end_timestamp),
    summary: analysis?.call_summary ?? null,
    callbackAt: callbackAtOf(analysis?.custom_analysis_data),
    sentiment: analysis?.user_sentiment ?? null,
    recordingUrl: call.recording_url ?? null,
    transcriptUrl: call.public_log_url ?? null,
    fromNumber: call.from_number ?? null,
    toNumber: call.to_number ?? null,
    externalAgentId: call.agent_id ?? null,
  };
}

const iso = z.string().max(100).nullish();
const VapiMetadata = z
  .looseObject({ metadata: Metadata.nullish().catch(null) })
  .nullish()
  .catch(null);

export const VapiWebhookBody = z.looseObject({
  message: z.looseObject({
    type: z.string().min(1).max(100),
    status: z.string().max(100).nullish(),
    endedReason: z.string().max(300).nullish(),
    startedAt: iso,
    endedAt: iso,
    call: z.looseObject({
      id: z.string().min(1).max(200),
      type: z.string().max(100).nullish(),
      assistantId: z.string().max(200).nullish(),
      customer: z.looseObject({ number: z.string().max(64).nullish() }).nullish(),
      phoneNumber: z.looseObject({ number: z.string().max(64).nullish() }).nullish(),
      assistantOverrides: VapiMetadata,
      metadata: Metadata.nullish().catch(null),
    }),
    analysis: z.looseObject({ summary: text, structuredData: z.unknown().optional() }).nullish(),
    artifact: z.looseObject({ recordingUrl: text, logUrl: text }).nullish(),
    recordingUrl: text,
    summary: text,
  }),
});
export type VapiWebhookBody = z.infer<typeof VapiWebhookBody>;

const instant = (value: string | null | undefined) => {
  if (!value) return null;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? null : at;
};

/** Vapi's `status-update` and `end-of-call-report` (the other server messages are not calls). */
export function vapiEvent(body: VapiWebhookBody): VoiceCallEvent | null {
  const m = body.message;
  const report = m.type === 'end-of-call-report';
  if (!report && m.type !== 'status-update') return null;
  const call = m.call;
  const key =
    call.assistantOverrides?.metadata?.followthrough_idempotency_key ??
    call.metadata?.followthrough_idempotency_key ??
    null;
  const ended = report || m.status === 'ended';
  return {
    platform: 'vapi',
    callId: call.id,
    direction: call.type === 'inboundPhoneCall' ? 'inbound' : 'outbound',
    idempotencyKey: key,
    outcome: ended ? vapiOutcome(m.endedReason) : null,
    startedAt: instant(m.startedAt),
    endedAt: instant(m.endedAt),
    summary: m.analysis?.summary ?? m.summary ?? null,
    callbackAt: callbackAtOf(m.analysis?.structuredData),
    sentiment: null,
    recordingUrl: m.artifact?.recordingUrl ?? m.recordingUrl ?? null,
    transcriptUrl: m.artifact?.logUrl ?? null,
    fromNumber: call.customer?.number ?? null,
    toNumber: call.phoneNumber?.number ?? null,
    externalAgentId: call.assistantId ?? null,
  };
}

/** Twilio's voice status callback (form fields), with the attempt's key from our own URL. */
export const TwilioVoiceStatusBody = z.looseObject({
  CallSid: z.string().min(1).max(64),
  CallStatus: z.string().min(1).max(40),
  AnsweredBy: z.string().max(40).optional(),
  CallDuration: z.string().regex(/^\d+$/).max(10).optional(),
  Direction: z.string().max(40).optional(),
  From: z.string().max(64).optional(),
  To: z.string().max(64).optional(),
  Timestamp: z.string().max(100).optional(),
  RecordingUrl: z.string().max(2000).optional(),
});
export type TwilioVoiceStatusBody = z.infer<typeof TwilioVoiceStatusBody>;

export function twilioEvent(
  body: TwilioVoiceStatusBody,
  key: string | null,
  now: Date,
): VoiceCallEvent {
  const outcome = twilioOutcome(body.CallStatus, body.AnsweredBy);
  const stamped = body.Timestamp ? new Date(body.Timestamp) : null;
  const endedAt = stamped && !Number.isNaN(stamped.getTime()) ? stamped : now;
  const seconds = body.CallDuration ? Number(body.CallDuration) : 0;
  return {
    platform: 'twilio',
    callId: body.CallSid,
    direction: body.Direction === 'inbound' ? 'inbound' : 'outbound',
    idempotencyKey: key,
    outcome,
    startedAt: outcome ? new Date(endedAt.getTime() - seconds * 1000) : null,
    endedAt: outcome ? endedAt : null,
    summary: null,
    callbackAt: null,
    recordingUrl: body.RecordingUrl ?? null,
    fromNumber: body.From ?? null,
    toNumber: body.To ?? null,
    externalAgentId: null,
  };
}
