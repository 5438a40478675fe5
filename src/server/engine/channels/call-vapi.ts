/**
 * The `vapi` call provider: places the call with Vapi's official SDK (`calls.create`): the
 * agent's assistant id, the workspace's Vapi phone number id, the contact as `customer`, the
 * attempt's metadata and the contact's details as variable values for the assistant's prompt.
 * Vapi reports the call to its server URL, POST /api/providers/vapi/webhook.
 */
import { createRequire } from 'node:module';
import type { VapiClient } from '@vapi-ai/server-sdk';
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

export interface VapiAccount {
  apiKey: string;
  /** The Vapi phone number id the calls are placed from. */
  phoneNumberId: string;
  /** VAPI_BASE_URL: another Vapi API address, or a local stand-in in tests. */
  baseUrl?: string | undefined;
}

export interface VapiChannelOptions {
  db: Database;
  clock: Clock;
  logger?: Logger;
  account(workspaceId: string): Promise<VapiAccount | null>;
  /** How long Vapi may take to accept the request (default 10 s). */
  timeoutMs?: number;
}

/** The SDK is large: loaded only once a workspace calls through Vapi (then cached by require). */
const vapiSdk = () =>
  createRequire(import.meta.url)('@vapi-ai/server-sdk') as typeof import('@vapi-ai/server-sdk');

export function vapiCallChannel(options: VapiChannelOptions): Channel {
  const holds = new PlatformHolds(options.clock);
  const clients = new Map<string, VapiClient>();
  const clientFor = (account: VapiAccount) => {
    const key = `${account.baseUrl ?? ''}\n${account.apiKey}`;
    let client = clients.get(key);
    if (!client) {
      client = new (vapiSdk().VapiClient)({
        token: account.apiKey,
        ...(account.baseUrl ? { baseUrl: account.baseUrl } : {}),
        // The engine retries on the workspace's schedule; the SDK must not place a call twice.
        maxRetries: 0,
        timeoutInSeconds: (options.timeoutMs ?? 10_000) / 1000,
      });
      clients.set(key, client);
    }
    return client;
  };

  return {
    type: 'call',
    provider: 'vapi',
    async start(job: AttemptJob): Promise<ChannelOutcome> {
      const held = holds.current(job.workspaceId);
      if (held) return heldOutcome('vapi', held);
      const account = await options.account(job.workspaceId);
      if (!account) {
        return {
          status: 'done',
          result: 'not_configured',
          error: 'No Vapi account is configured for this workspace (Settings › Voice platform).',
        };
      }
      const call = await loadCallContext(options.db, job);
      if (!call?.agent.externalAgentId) return notConfigured('vapi', call, 'agent');
      const metadata = callMetadata(job);
      try {
        const created = await clientFor(account).calls.create({
          assistantId: call.agent.externalAgentId,
          phoneNumberId: account.phoneNumberId,
          customer: { number: job.contact.phone, name: job.contact.name.slice(0, 40) },
          assistantOverrides: {
            metadata,
            variableValues: promptVariables(job, call),
          },
        });
        const id = (created as { id?: unknown }).id;
        return { status: 'pending', providerRef: typeof id === 'string' ? id : null };
      } catch (error) {
        return failure(job, error, holds, options.logger);
      }
    },
  };
}

function failure(
  job: AttemptJob,
  error: unknown,
  holds: PlatformHolds,
  logger: Logger | undefined,
): ChannelOutcome {
  const { VapiError, VapiTimeoutError } = vapiSdk();
  if (error instanceof VapiTimeoutError) {
    logger?.warn(
      { followUpId: job.followUpId, attemptId: job.attemptId },
      'Vapi did not answer in time; waiting for its report or the lease',
    );
    return { status: 'pending' };
  }
  if (error instanceof VapiError) {
    if (error.statusCode === undefined) {
      return {
        status: 'done',
        result: 'network_error',
        error: `Vapi could not be reached: ${error.message.slice(0, 200)}`,
      };
    }
    if (error.statusCode === 429) {
      const retryAfter = error.rawResponse?.headers.get('retry-after');
      return heldOutcome('vapi', holds.hold(job.workspaceId, retryAfter));
    }
    return {
      status: 'done',
      result: 'provider_error',
      error: `Vapi answered HTTP ${error.statusCode}${detail(error.body)}.`,
    };
  }
  throw error;
}

function detail(body: unknown): string {
  if (!body || typeof body !== 'object') return '';
  const raw = (body as Record<string, unknown>).message;
  const message = Array.isArray(raw) ? raw.join('; ') : raw;
  if (typeof message !== 'string') return '';
  const line = message.replace(/\s+/g, ' ').trim().slice(0, 200);
  return line ? `: ${line}` : '';
}
