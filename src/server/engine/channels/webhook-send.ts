/**
 * One signed webhook request to one endpoint, recorded as a delivery (SPEC §5, §5.2). The engine's
 * webhook channel, "Send test event" and "Redeliver" all go through `sendWebhook`: the same
 * private-address refusal, the same 10 s timeout, the same Standard Webhooks signature, and one
 * `webhook_deliveries` row per request (a separate small insert after the request: the channel
 * runs outside transactions).
 */
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { type Clock, systemClock } from '../../clock.ts';
import type { Database } from '../../db/client.ts';
import { webhookDeliveries } from '../../db/schema.ts';
import { newId } from '../../ids.ts';
import { signRequest } from '../signing.ts';
import type { ChannelOutcome } from './channel.ts';

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
  resolve?: (host: string) => Promise<string[]>;
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

const PRIVATE = new BlockList();
PRIVATE.addSubnet('0.0.0.0', 8, 'ipv4');
PRIVATE.addSubnet('10.0.0.0', 8, 'ipv4');
PRIVATE.addSubnet('127.0.0.0', 8, 'ipv4');
PRIVATE.addSubnet('169.254.0.0', 16, 'ipv4');
PRIVATE.addSubnet('172.16.0.0', 12, 'ipv4');
PRIVATE.addSubnet('192.168.0.0', 16, 'ipv4');
PRIVATE.addAddress('::', 'ipv6');
PRIVATE.addAddress('::1', 'ipv6');
PRIVATE.addSubnet('fc00::', 7, 'ipv6');
PRIVATE.addSubnet('fe80::', 10, 'ipv6');

/** Whether an IP address is loopback, private, link-local or unspecified. */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return isPrivateAddress(mapped[1]!);
  const family = isIP(address);
  if (family === 0) return false;
  return PRIVATE.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

const defaultResolve = async (host: string) =>
  (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

export const finalOutcome = (error: string): ChannelOutcome => ({
  status: 'done',
  result: 'http_error',
  error,
});

/**
 * Refuses URLs that are not http(s), and hosts on loopback or private addresses unless allowed.
 * Answers null when the target is fine, else the outcome to record.
 */
async function checkTarget(url: URL, options: WebhookSendOptions): Promise<ChannelOutcome | null> {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return finalOutcome(`The webhook endpoint URL must be http(s), not ${url.protocol}.`);
  }
  if (options.allowPrivate) return null;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : await (options.resolve ?? defaultResolve)(host);
  } catch (error) {
    return {
      status: 'done',
      result: 'network_error',
      error: `Could not resolve ${host}: ${(error as Error).message}`,
    };
  }
  const blocked = addresses.find(isPrivateAddress);
  if (blocked === undefined) return null;
  return finalOutcome(
    `Refused to deliver to ${url.host}: it resolves to ${blocked}, a loopback or private ` +
      'address. Webhooks go to public addresses only; set FOLLOWTHROUGH_ALLOW_PRIVATE_WEBHOOKS=1 ' +
      'to allow private targets (development and tests).',
  );
}

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
  const refused = await checkTarget(url, options);
  if (refused) return refused;
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
  return post(url, body, headers, options.timeoutMs ?? WEBHOOK_TIMEOUT_MS);
}

/**
 * Sends one signed request and records it. Answers the outcome (for the engine) and the recorded
 * delivery (null when it could not be recorded, e.g. its follow-up was deleted meanwhile: the
 * request was made all the same, and the attempt keeps its result).
 */
export async function sendWebhook(
  message: WebhookMessage,
  options: WebhookSendOptions,
): Promise<{ outcome: ChannelOutcome; delivery: WebhookDeliveryRow | null }> {
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

/** One POST, no redirects followed (a redirect could lead to a refused address). */
async function post(
  url: URL,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<ChannelOutcome> {
  const seconds = `${timeoutMs % 1000 === 0 ? timeoutMs / 1000 : (timeoutMs / 1000).toFixed(1)} s`;
  try {
    const response = await fetch(url, {
      method: 'POST',
      body,
      headers,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    // Read (and discard) the answer so that the connection can be reused.
    await response.arrayBuffer().catch(() => undefined);
    const status = response.status;
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
    const name = (error as Error).name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      return {
        status: 'done',
        result: 'timeout',
        error: `The webhook endpoint did not answer within ${seconds}.`,
      };
    }
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return {
      status: 'done',
      result: 'network_error',
      error: `Could not reach the webhook endpoint ${url.host}: ${
        cause?.code ?? cause?.message ?? (error as Error).message
      }.`,
    };
  }
}
