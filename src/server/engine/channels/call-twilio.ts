/**
 * The `twilio` call provider (voice), with the `twilio` SDK already used for SMS: `calls.create`
 * from the agent's number (else TWILIO_FROM) to the contact, `url` at the team's voice-agent
 * TwiML endpoint (the agent's platform agent id when it is a URL, else TWILIO_VOICE_URL) with
 * the attempt's metadata and the contact's details as query parameters, a status callback to
 * POST /api/providers/twilio/voice-status, and answering-machine detection so that a machine
 * answer becomes `voicemail`.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createRequire } from 'node:module';
import type RequestClient from 'twilio/lib/base/RequestClient.js';
import type { Clock } from '../../clock.ts';
import type { Database } from '../../db/client.ts';
import type { Logger } from '../../logger.ts';
import type { AttemptJob, Channel, ChannelOutcome } from './channel.ts';
import {
  callMetadata,
  heldOutcome,
  loadCallContext,
  notConfigured,
  PlatformHolds,
  promptVariables,
} from './voice-common.ts';

export interface TwilioVoiceAccount {
  accountSid: string;
  authToken: string;
  /** The caller number when the agent has none (E.164). */
  from: string | null;
  /** TWILIO_VOICE_URL: the voice-agent TwiML endpoint when the agent names none. */
  voiceUrl: string | null;
  /** TWILIO_API_BASE: replaces https://api.twilio.com (a local stand-in in tests). */
  apiBase?: string | undefined;
}

export interface TwilioVoiceOptions {
  db: Database;
  clock: Clock;
  logger?: Logger;
  account(workspaceId: string): Promise<TwilioVoiceAccount | null>;
  /** `${FOLLOWTHROUGH_PUBLIC_URL}/api/providers/twilio/voice-status`. */
  statusCallbackUrl: string;
  timeoutMs?: number;
}

const isUrl = (value: string | null) => !!value && /^https?:\/\//i.test(value);

/** The TwiML URL with the call's context as query parameters. */
export function twimlUrl(base: string, params: Record<string, string>): string {
  const url = new URL(base);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.toString();
}

/**
 * The Retry-After of a 429 answering the create request of this call. The SDK's error carries
 * no headers, so its HTTP client notes the header in the calling request's own store.
 */
const refusal = new AsyncLocalStorage<{ retryAfter: string | null }>();

type TwilioSdk = typeof import('twilio');
type TwilioRequestClient = InstanceType<TwilioSdk['RequestClient']>;
let RefusalAwareClient:
  | (new (
      opts: ConstructorParameters<TwilioSdk['RequestClient']>[0],
    ) => TwilioRequestClient)
  | undefined;

/** Twilio's own HTTP client, noting a 429's Retry-After for the request that got it. */
function requestClient(twilio: TwilioSdk, timeout: number): TwilioRequestClient {
  RefusalAwareClient ??= class extends twilio.RequestClient {
    override async request<TData>(opts: RequestClient.RequestOptions<TData>) {
      const response = await super.request<TData>(opts);
      const store = refusal.getStore();
      if (store && response.statusCode === 429) {
        const value = (response.headers as Record<string, unknown> | undefined)?.['retry-after'];
        store.retryAfter = typeof value === 'string' ? value : null;
      }
      return response;
    }
  };
  return new RefusalAwareClient({ timeout, autoRetry: false });
}

export function twilioVoiceChannel(options: TwilioVoiceOptions): Channel {
  const holds = new PlatformHolds(options.clock);
  const clients = new Map<string, ReturnType<typeof import('twilio')>>();
  const clientFor = (account: TwilioVoiceAccount) => {
    const key = `${account.apiBase ?? ''}\n${account.accountSid}\n${account.authToken}`;
    let client = clients.get(key);
    if (!client) {
      // The SDK is large: loaded only once a workspace calls through Twilio.
      const twilio = createRequire(import.meta.url)('twilio') as TwilioSdk;
      const timeout = options.timeoutMs ?? 10_000;
      client = twilio(account.accountSid, account.authToken, {
        timeout,
        autoRetry: false,
        httpClient: requestClient(twilio, timeout),
      });
      if (account.apiBase) client.api.baseUrl = account.apiBase.replace(/\/+$/, '');
      clients.set(key, client);
    }
    return client;
  };

  return {
    type: 'call',
    provider: 'twilio',
    async start(job: AttemptJob): Promise<ChannelOutcome> {
      const held = holds.current(job.workspaceId);
      if (held) return heldOutcome('twilio', held);
      const account = await options.account(job.workspaceId);
      if (!account) {
        return {
          status: 'done',
          result: 'not_configured',
          error: 'No Twilio account is configured for this workspace (Settings › Voice platform).',
        };
      }
      const call = await loadCallContext(options.db, job);
      const endpoint = isUrl(call?.agent.externalAgentId ?? null)
        ? call!.agent.externalAgentId!
        : account.voiceUrl;
      if (!call || !endpoint) return notConfigured('twilio', call, 'agent');
      const from = call.agent.fromNumber ?? account.from;
      if (!from) return notConfigured('twilio', call, 'from');
      const metadata = callMetadata(job);
      const statusCallback = new URL(options.statusCallbackUrl);
      statusCallback.searchParams.set('key', job.idempotencyKey);
      const refused = { retryAfter: null as string | null };
      try {
        const created = await refusal.run(refused, () =>
          clientFor(account).calls.create({
            to: job.contact.phone,
            from,
            url: twimlUrl(endpoint, {
              ...metadata,
              ...(isUrl(call.agent.externalAgentId) || !call.agent.externalAgentId
                ? {}
                : { followthrough_agent: call.agent.externalAgentId }),
              ...promptVariables(job, call),
            }),
            method: 'POST',
            statusCallback: statusCallback.toString(),
            statusCallbackMethod: 'POST',
            statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
            machineDetection: 'Enable',
          }),
        );
        return { status: 'pending', providerRef: created.sid };
      } catch (error) {
        return failure(job, error, holds, options.logger, refused.retryAfter);
      }
    },
  };
}

interface TwilioFailure {
  status?: number;
  code?: number | string;
  message?: string;
}

function failure(
  job: AttemptJob,
  error: unknown,
  holds: PlatformHolds,
  logger: Logger | undefined,
  retryAfter: string | null,
): ChannelOutcome {
  const e = error as TwilioFailure;
  if (typeof e.status !== 'number') {
    const networkCode = typeof e.code === 'string' ? e.code : undefined;
    if (
      networkCode === 'ECONNABORTED' ||
      networkCode === 'ETIMEDOUT' ||
      /timeout/i.test(e.message ?? '')
    ) {
      logger?.warn(
        { followUpId: job.followUpId, attemptId: job.attemptId },
        'Twilio did not answer in time; waiting for its status callback or the lease',
      );
      return { status: 'pending' };
    }
    return {
      status: 'done',
      result: 'network_error',
      error: `Twilio could not be reached: ${networkCode ?? e.message ?? 'unknown error'}.`,
    };
  }
  if (e.status === 429) {
    // Twilio's Retry-After when it gave one, else the default hold.
    return heldOutcome('twilio', holds.hold(job.workspaceId, retryAfter));
  }
  const code = typeof e.code === 'number' ? `, code ${e.code}` : '';
  return {
    status: 'done',
    result: 'provider_error',
    error: `Twilio refused the call (HTTP ${e.status}${code})${e.message ? `: ${e.message.slice(0, 200)}` : '.'}`,
  };
}
