/**
 * The `twilio` SMS provider (SPEC §5), with the official SDK. The message is the follow-up's
 * notes, else a short default text. Twilio accepting the message counts as success; an invalid
 * number and an opted-out recipient are final; provider errors, network errors and timeouts are
 * retried. TWILIO_API_BASE points the SDK's REST domain elsewhere (a local stand-in in tests).
 */
import { createRequire } from 'node:module';
import type { AttemptResult } from '../../../core/results.ts';
import type { Channel, ChannelOutcome } from './channel.ts';

export interface TwilioSmsOptions {
  accountSid: string;
  authToken: string;
  /** TWILIO_FROM: the sending number (E.164) or a Messaging Service SID (MG…). */
  from: string;
  /** TWILIO_API_BASE: replaces https://api.twilio.com. */
  apiBase?: string | undefined;
  /** Per request (default 10 s). */
  timeoutMs?: number;
}

export const DEFAULT_SMS_TEXT = 'Hello, this is a quick follow-up on our recent conversation.';

/** Twilio error codes that mean the number cannot receive messages. */
const INVALID_NUMBER_CODES = new Set([21211, 21214, 21217, 21401, 21407, 21614]);
/** The recipient replied STOP. */
const OPTED_OUT_CODES = new Set([21610]);

/** Twilio answers `queued` (or `accepted`, `scheduled`) at once: accepted counts as success. */
const CREATE_STATUSES: Record<string, AttemptResult> = {
  delivered: 'delivered',
  read: 'delivered',
  failed: 'provider_error',
  undelivered: 'provider_error',
};

interface TwilioFailure {
  status?: number;
  code?: number | string;
  message?: string;
  detail?: string;
}

/** How a failed messages.create reads as an attempt result. */
export function classifyTwilioError(error: unknown): ChannelOutcome {
  const e = error as TwilioFailure;
  const status = typeof e.status === 'number' ? e.status : undefined;
  const code = typeof e.code === 'number' ? e.code : undefined;
  const text = e.detail ?? e.message;
  if (status === undefined) {
    const networkCode = typeof e.code === 'string' ? e.code : undefined;
    const timedOut =
      networkCode === 'ECONNABORTED' ||
      networkCode === 'ETIMEDOUT' ||
      /timeout/i.test(e.message ?? '');
    return timedOut
      ? { status: 'done', result: 'timeout', error: 'Twilio did not answer in time.' }
      : {
          status: 'done',
          result: 'network_error',
          error: `Twilio could not be reached: ${networkCode ?? e.message ?? 'unknown error'}.`,
        };
  }
  const what = `Twilio refused the message (HTTP ${status}${code ? `, code ${code}` : ''})`;
  const detail = text ? `${what}: ${text}` : `${what}.`;
  if (code !== undefined && INVALID_NUMBER_CODES.has(code)) {
    return { status: 'done', result: 'invalid_number', error: detail };
  }
  if (code !== undefined && OPTED_OUT_CODES.has(code)) {
    return { status: 'done', result: 'opted_out', error: detail };
  }
  // Server errors, rate limits, and account problems an operator can fix before the retry.
  return { status: 'done', result: 'provider_error', error: detail };
}

export function twilioSms(options: TwilioSmsOptions): Channel {
  // The SDK is large: loaded only by a process that sends SMS through Twilio.
  const twilio = createRequire(import.meta.url)('twilio') as typeof import('twilio');
  const client = twilio(options.accountSid, options.authToken, {
    timeout: options.timeoutMs ?? 10_000,
    autoRetry: false,
  });
  // The REST domain of Messages; every request of the SDK's `api` goes under it.
  if (options.apiBase) client.api.baseUrl = options.apiBase.replace(/\/+$/, '');
  const sender = options.from.startsWith('MG')
    ? { messagingServiceSid: options.from }
    : { from: options.from };
  return {
    type: 'sms',
    provider: 'twilio',
    async start(job): Promise<ChannelOutcome> {
      try {
        const message = await client.messages.create({
          to: job.contact.phone,
          ...sender,
          body: job.notes?.trim() || DEFAULT_SMS_TEXT,
        });
        const result = CREATE_STATUSES[message.status] ?? 'accepted';
        return {
          status: 'done',
          result,
          providerRef: message.sid,
          ...(result === 'provider_error'
            ? { error: `Twilio answered "${message.status}" (code ${message.errorCode}).` }
            : {}),
        };
      } catch (error) {
        return classifyTwilioError(error);
      }
    },
  };
}
