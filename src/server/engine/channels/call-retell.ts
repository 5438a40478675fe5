/**
 * The `retell` call provider: places the call with Retell's official SDK
 * (`call.createPhoneCall`): from the agent's number (else the workspace's), to the contact,
 * with the agent's Retell agent id, metadata that brings Retell's webhooks back to the attempt,
 * and the contact's details as dynamic variables for the agent's prompt. Retell reports the
 * call to POST /api/providers/retell/webhook.
 */
import Retell from 'retell-sdk';
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

export interface RetellAccount {
  apiKey: string;
  /** The caller number when the agent has none (E.164). */
  fromNumber: string | null;
  /** RETELL_BASE_URL: a regional endpoint, or a local stand-in in tests. */
  baseUrl?: string | undefined;
}

export interface RetellChannelOptions {
  db: Database;
  clock: Clock;
  logger?: Logger;
  /** The Retell account a workspace calls through (null: none configured). */
  account(workspaceId: string): Promise<RetellAccount | null>;
  /** How long Retell may take to accept the request (default 10 s). */
  timeoutMs?: number;
}

export function retellCallChannel(options: RetellChannelOptions): Channel {
  const holds = new PlatformHolds(options.clock);
  const clients = new Map<string, Retell>();
  const clientFor = (account: RetellAccount) => {
    const key = `${account.baseUrl ?? ''}\n${account.apiKey}`;
    let client = clients.get(key);
    if (!client) {
      client = new Retell({
        apiKey: account.apiKey,
        ...(account.baseUrl ? { baseURL: account.baseUrl } : {}),
        // The engine retries on the workspace's schedule; the SDK must not place a call twice.
        maxRetries: 0,
        timeout: options.timeoutMs ?? 10_000,
      });
      clients.set(key, client);
    }
    return client;
  };

  return {
    type: 'call',
    provider: 'retell',
    async start(job: AttemptJob): Promise<ChannelOutcome> {
      const held = holds.current(job.workspaceId);
      if (held) return heldOutcome('retell', held);
      const account = await options.account(job.workspaceId);
      if (!account) {
        return {
          status: 'done',
          result: 'not_configured',
          error: 'No Retell account is configured for this workspace (Settings › Voice platform).',
        };
      }
      const call = await loadCallContext(options.db, job);
      if (!call?.agent.externalAgentId) return notConfigured('retell', call, 'agent');
      const from = call.agent.fromNumber ?? account.fromNumber;
      if (!from) return notConfigured('retell', call, 'from');
      try {
        const created = await clientFor(account).call.createPhoneCall({
          from_number: from,
          to_number: job.contact.phone,
          override_agent_id: call.agent.externalAgentId,
          metadata: callMetadata(job),
          retell_llm_dynamic_variables: promptVariables(job, call),
        });
        return { status: 'pending', providerRef: created.call_id };
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
  if (error instanceof Retell.APIConnectionTimeoutError) {
    // Retell may have placed the call: wait for its webhook (or the lease), never call twice.
    logger?.warn(
      { followUpId: job.followUpId, attemptId: job.attemptId },
      'Retell did not answer in time; waiting for its webhook or the lease',
    );
    return { status: 'pending' };
  }
  if (error instanceof Retell.APIConnectionError) {
    return {
      status: 'done',
      result: 'network_error',
      error: `Retell could not be reached: ${error.message}`,
    };
  }
  if (error instanceof Retell.APIError && error.status !== undefined) {
    if (error.status === 429) {
      return heldOutcome('retell', holds.hold(job.workspaceId, error.headers?.get('retry-after')));
    }
    return {
      status: 'done',
      result: 'provider_error',
      error: `Retell answered HTTP ${error.status}${detail(error.error)}.`,
    };
  }
  throw error;
}

/** Retell's own words about a refused request, short. */
export function detail(body: unknown): string {
  if (!body || typeof body !== 'object') return '';
  const message =
    (body as Record<string, unknown>).error_message ?? (body as Record<string, unknown>).message;
  if (typeof message !== 'string') return '';
  const line = message.replace(/\s+/g, ' ').trim().slice(0, 200);
  return line ? `: ${line}` : '';
}
