/**
 * One signed webhook request to one endpoint, recorded as a delivery (SPEC §5, §5.2). The engine's
 * webhook channel, "Send test event" and "Redeliver" all go through `sendWebhook`: the same
 * private-address refusal, the same 10 s timeout, the same Standard Webhooks signature, and one
 * `webhook_deliveries` row per request (a separate small insert after the request: the channel
 * runs outside transactions).
 */
import { type Clock, systemClock } from '../clock.ts';
import type { Database } from '../db/client.ts';
import { webhookDeliveries } from '../db/schema.ts';
import { newId } from '../ids.ts';
import type { DeliveryOutcome } from './delivery-outcome.ts';
import { isDevInbox, receiveInDevInbox } from './dev-inbox.ts';
import {
  createOutboundClient,
  type OutboundClient,
  OutboundError,
  type Resolve,
} from './http-client.ts';
import { signRequest } from './signing.ts';

export const WEBHOOK_TIMEOUT_MS = 10_000;

export interface WebhookSendOptions {
  db: Database;
  /** FOLLOWTHROUGH_ALLOW_PRIVATE_WEBHOOKS: deliver to loopback and private addresses too. */
  allowPrivate: boolean;
  /** How long a delivery may take (default 10 s). */
  timeoutMs?: number;
  /**
   * The clock of webhook-timestamp. Receivers compare it with their own wall clock, so it is the
   * system clock even when the engine runs on a fake one (tests).
   */
  signingClock?: Clock;
  /** Resolves a host name to its addresses (tests). */
  resolve?: Resolve;
  /** The outbound client to send with (else one shared by every sender with the same rules). */
  outbound?: OutboundClient;
}

export interface WebhookMessage {
  workspaceId: string;
  endpoint: { id: string; url: string; secret: string };
  eventType: 'follow_up.due' | 'test';
  followUpId: string | null;
  /** The webhook-id header; kept by redeliveries. */
  webhookId: string;
  attempt: number;
  redeliveryOf: string | null;
  payload: unknown;
}

export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;

export const finalOutcome = (error: string): DeliveryOutcome => ({
  status: 'done',
  result: 'http_error',
  error,
});

/**
 * JSON with object keys in PostgreSQL's jsonb order (shorter keys first, then bytewise), so that
 * the body sent first and the body a redelivery reads back from the jsonb column are the same
 * bytes.
 */
export function jsonbStringify(value: unknown): string {
  if (value !== null && typeof value === 'object' && 'toJSON' in value) {
    return jsonbStringify((value as { toJSON: () => unknown }).toJSON());
  }
  if (Array.isArray(value)) {
    return `[${value.map((v) => (v === undefined ? 'null' : jsonbStringify(v))).join(',')}]`;
  }
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  const bytes = (key: string) => Buffer.from(key, 'utf8');
  const fields = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined && typeof v !== 'function')
    .sort(([a], [b]) => bytes(a).length - bytes(b).length || Buffer.compare(bytes(a), bytes(b)))
    .map(([key, v]) => `${JSON.stringify(key)}:${jsonbStringify(v)}`);
  return `{${fields.join(',')}}`;
}

/** Checks the target, signs and POSTs the message: the outcome, before anything is recorded. */
async function deliver(message: WebhookMessage, options: WebhookSendOptions) {
  let url: URL;
  try {
    url = new URL(message.endpoint.url);
  } catch {
    return finalOutcome(`The webhook endpoint URL "${message.endpoint.url}" is not valid.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return finalOutcome(`The webhook endpoint URL must be http(s), not ${url.protocol}`);
  }
  const at = (options.signingClock ?? systemClock).now();
  const body = jsonbStringify(message.payload);
  let signature: ReturnType<typeof signRequest>;
  try {
    signature = signRequest(message.endpoint.secret, message.webhookId, at, body);
  } catch {
    return finalOutcome('The webhook endpoint’s secret is not a valid whsec_… secret: rotate it.');
  }
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'Followthrough-Webhooks/1',
    ...signature,
  };
  // The demo's built-in receiver: handed over in process, never through the network.
  if (isDevInbox(url.href)) return receiveInDevInbox(message.endpoint.secret, body, headers);
  return post(outboundFor(options), url, body, headers, options.timeoutMs ?? WEBHOOK_TIMEOUT_MS);
}

/**
 * Sends one signed request and records it. Answers the outcome (for the engine) and the recorded
 * delivery (null when it could not be recorded, e.g. its follow-up was deleted meanwhile: the
 * request was made all the same, and the attempt keeps its result).
 */
export async function sendWebhook(
  message: WebhookMessage,
  options: WebhookSendOptions,
): Promise<{ outcome: DeliveryOutcome; delivery: WebhookDeliveryRow | null }> {
  const started = performance.now();
  const outcome = await deliver(message, options);
  const durationMs = Math.round(performance.now() - started);
  const done = outcome.status === 'done' ? outcome : null;
  let delivery: WebhookDeliveryRow | null = null;
  try {
    [delivery = null] = await options.db
      .insert(webhookDeliveries)
      .values({
        id: newId(),
        workspaceId: message.workspaceId,
        endpointId: message.endpoint.id,
        followUpId: message.followUpId,
        eventType: message.eventType,
        webhookId: message.webhookId,
        attempt: message.attempt,
        redeliveryOf: message.redeliveryOf,
        url: message.endpoint.url,
        payload: message.payload,
        statusCode: done?.httpStatus ?? null,
        durationMs,
        error: done?.error ?? null,
      })
      .returning();
  } catch {
    delivery = null;
  }
  return { outcome, delivery };
}

const shared = new Map<boolean, OutboundClient>();
const byResolver = new WeakMap<Resolve, OutboundClient>();

/** The client a sender uses: its own, else one shared by every sender with the same rules. */
function outboundFor(options: WebhookSendOptions): OutboundClient {
  if (options.outbound) return options.outbound;
  const { allowPrivate, resolve } = options;
  const cached = resolve ? byResolver.get(resolve) : shared.get(allowPrivate);
  if (cached) return cached;
  const client = createOutboundClient({ allowPrivate, ...(resolve ? { resolve } : {}) });
  if (resolve) byResolver.set(resolve, client);
  else shared.set(allowPrivate, client);
  return client;
}

/** One POST through the outbound client (public addresses only, no redirects followed). */
async function post(
  client: OutboundClient,
  url: URL,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<DeliveryOutcome> {
  const seconds = `${timeoutMs % 1000 === 0 ? timeoutMs / 1000 : (timeoutMs / 1000).toFixed(1)} s`;
  try {
    const { status } = await client.post(url, { body, headers, timeoutMs });
    if (status >= 200 && status < 300) {
      return { status: 'done', result: 'success', httpStatus: status };
    }
    const redirect = status >= 300 && status < 400;
    return {
      status: 'done',
      result: 'http_error',
      httpStatus: status,
      error: redirect
        ? `The webhook endpoint answered HTTP ${status} (a redirect): deliveries do not follow ` +
          'redirects; set the final URL on the endpoint.'
        : `The webhook endpoint answered HTTP ${status}.`,
    };
  } catch (error) {
    const kind = error instanceof OutboundError ? error.kind : 'unreachable';
    if (kind === 'refused') return finalOutcome((error as Error).message);
    if (kind === 'timeout') {
      return {
        status: 'done',
        result: 'timeout',
        error: `The webhook endpoint did not answer within ${seconds}.`,
      };
    }
    return {
      status: 'done',
      result: 'network_error',
      error:
        kind === 'unresolved'
          ? (error as Error).message
          : `Could not connect to the webhook endpoint ${url.host}.`,
    };
  }
}
