/**
 * The `http` call provider (SPEC §5): hands the call to an external voice platform. The request
 * is signed with Standard Webhooks (FOLLOWTHROUGH_VOICE_SECRET; webhook-id is the attempt's
 * idempotency key, so the platform can recognise a repeated dispatch). The platform answers 2xx
 * at once and reports the call later through the signed callback
 * (POST /api/providers/voice/callback → reportCall).
 */
import { type Clock, systemClock } from '../../clock.ts';
import type { Logger } from '../../logger.ts';
import {
  createOutboundClient,
  type OutboundClient,
  OutboundError,
} from '../../outbound/http-client.ts';
import { signRequest } from '../../outbound/signing.ts';
import type { AttemptJob, Channel, ChannelOutcome } from './channel.ts';

export interface HttpCallOptions {
  /** FOLLOWTHROUGH_VOICE_URL: where calls are requested. */
  url: string;
  /** FOLLOWTHROUGH_VOICE_SECRET (whsec_…): signs requests and callbacks. */
  secret: string;
  /** Where the platform reports the call: `${publicUrl}/api/providers/voice/callback`. */
  callbackUrl: string;
  logger?: Logger;
  /** How long the platform may take to accept the request (default 10 s). */
  timeoutMs?: number;
  /** The clock of webhook-timestamp (the platform compares it with its wall clock). */
  signingClock?: Clock;
  /** FOLLOWTHROUGH_ALLOW_PRIVATE_WEBHOOKS: the platform may be on a loopback or private address. */
  allowPrivate?: boolean;
  /** The outbound client (default: one of this channel's own). */
  outbound?: OutboundClient;
}

export function callRequest(job: AttemptJob, callbackUrl: string) {
  return {
    type: 'call.requested',
    idempotencyKey: job.idempotencyKey,
    followUpId: job.followUpId,
    workspaceId: job.workspaceId,
    attempt: job.number,
    agentId: job.agentId,
    campaignId: job.campaignId,
    notes: job.notes,
    contact: {
      id: job.contact.id,
      name: job.contact.name,
      phone: job.contact.phone,
      timezone: job.contact.timezone,
    },
    callbackUrl,
  };
}

export function httpCallChannel(options: HttpCallOptions): Channel {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const clock = options.signingClock ?? systemClock;
  const outbound =
    options.outbound ?? createOutboundClient({ allowPrivate: options.allowPrivate ?? false });
  return {
    type: 'call',
    provider: 'http',
    async start(job): Promise<ChannelOutcome> {
      const at = clock.now();
      const body = JSON.stringify(callRequest(job, options.callbackUrl));
      let response: { status: number; text: string };
      try {
        response = await outbound.post(options.url, {
          body,
          headers: {
            'content-type': 'application/json',
            'user-agent': 'Followthrough-Voice/1',
            'idempotency-key': job.idempotencyKey,
            ...signRequest(options.secret, job.idempotencyKey, at, body),
          },
          timeoutMs,
        });
      } catch (error) {
        const kind = error instanceof OutboundError ? error.kind : 'unreachable';
        if (kind === 'timeout') {
          // The platform may have accepted the call: wait for its callback (or the lease), so
          // that a call that did happen is not placed twice.
          options.logger?.warn(
            { followUpId: job.followUpId, attemptId: job.attemptId },
            'voice platform did not answer in time; waiting for its callback or the lease',
          );
          return { status: 'pending' };
        }
        return {
          status: 'done',
          result: 'network_error',
          error:
            kind === 'refused'
              ? `The voice platform could not be reached: ${(error as Error).message}`
              : 'The voice platform could not be reached: could not connect.',
        };
      }
      const text = response.text;
      if (response.status >= 200 && response.status < 300) {
        return { status: 'pending', providerRef: providerRefOf(text) };
      }
      return {
        status: 'done',
        result: 'provider_error',
        error: `The voice platform answered HTTP ${response.status}${detailOf(text)}.`,
      };
    },
  };
}

/** The platform's id for the call, when its answer names one. */
function providerRefOf(text: string): string | null {
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    const ref = body.providerRef ?? body.callId ?? body.id;
    return typeof ref === 'string' || typeof ref === 'number' ? String(ref).slice(0, 200) : null;
  } catch {
    return null;
  }
}

function detailOf(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim().slice(0, 200);
  return line ? `: ${line}` : '';
}
