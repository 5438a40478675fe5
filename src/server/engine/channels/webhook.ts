/**
 * The webhook channel (SPEC §5): POSTs `follow_up.due` to the workspace's webhook endpoint (the
 * default active one, else the only active one), signed with Standard Webhooks: webhook-id is the
 * attempt's idempotency key, so a receiver recognises a repeated delivery. 2xx succeeds; 408, 429
 * and 5xx are retried (classifyResult reads httpStatus); other answers are final; no answer in
 * 10 s is a timeout. Targets on loopback or private addresses are refused unless
 * FOLLOWTHROUGH_ALLOW_PRIVATE_WEBHOOKS is set.
 */
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { and, eq } from 'drizzle-orm';
import { type Clock, systemClock } from '../../clock.ts';
import type { Database } from '../../db/client.ts';
import { contacts, followUps, webhookEndpoints } from '../../db/schema.ts';
import { signRequest } from '../signing.ts';
import type { AttemptJob, Channel, ChannelOutcome } from './channel.ts';

export const WEBHOOK_TIMEOUT_MS = 10_000;

export interface WebhookChannelOptions {
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

const final = (error: string): ChannelOutcome => ({ status: 'done', result: 'http_error', error });

type Endpoint = { url: string; secret: string; isDefault: boolean };

/** The default active endpoint, else the only active one; otherwise why there is none. */
export function chooseEndpoint(active: Endpoint[]): Endpoint | string {
  const chosen = active.find((e) => e.isDefault) ?? (active.length === 1 ? active[0] : undefined);
  if (chosen) return chosen;
  return active.length === 0
    ? 'The workspace has no active webhook endpoint: add one in Settings, then retry.'
    : 'The workspace has several active webhook endpoints and none is the default: ' +
        'mark one as default in Settings, then retry.';
}

/**
 * Refuses URLs that are not http(s), and hosts on loopback or private addresses unless allowed.
 * Answers null when the target is fine, else the outcome to record.
 */
async function checkTarget(
  url: URL,
  options: WebhookChannelOptions,
): Promise<ChannelOutcome | null> {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return final(`The webhook endpoint URL must be http(s), not ${url.protocol}.`);
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
  return final(
    `Refused to deliver to ${url.host}: it resolves to ${blocked}, a loopback or private ` +
      'address. Webhooks go to public addresses only; set FOLLOWTHROUGH_ALLOW_PRIVATE_WEBHOOKS=1 ' +
      'to allow private targets (development and tests).',
  );
}

/** What the receiver gets: the follow-up that is due and its contact. */
async function loadDelivery(db: Database, job: AttemptJob) {
  const [row] = await db
    .select({
      scheduledAt: followUps.scheduledAt,
      priority: followUps.priority,
      maxAttempts: followUps.maxAttempts,
      source: followUps.source,
      firstName: contacts.firstName,
      lastName: contacts.lastName,
      company: contacts.company,
      customFields: contacts.customFields,
    })
    .from(followUps)
    .innerJoin(
      contacts,
      and(eq(contacts.workspaceId, followUps.workspaceId), eq(contacts.id, followUps.contactId)),
    )
    .where(and(eq(followUps.workspaceId, job.workspaceId), eq(followUps.id, job.followUpId)));
  const active = await db
    .select({
      url: webhookEndpoints.url,
      secret: webhookEndpoints.secret,
      isDefault: webhookEndpoints.isDefault,
    })
    .from(webhookEndpoints)
    .where(
      and(eq(webhookEndpoints.workspaceId, job.workspaceId), eq(webhookEndpoints.active, true)),
    );
  return { row, endpoint: chooseEndpoint(active) };
}

export function webhookPayload(
  job: AttemptJob,
  row: NonNullable<Awaited<ReturnType<typeof loadDelivery>>['row']>,
  at: Date,
) {
  return {
    type: 'follow_up.due',
    timestamp: at.toISOString(),
    followUp: {
      id: job.followUpId,
      workspaceId: job.workspaceId,
      type: job.type,
      scheduledAt: row.scheduledAt.toISOString(),
      priority: row.priority,
      notes: job.notes,
      source: row.source,
      campaignId: job.campaignId,
      attempt: job.number,
      maxAttempts: row.maxAttempts,
      idempotencyKey: job.idempotencyKey,
    },
    contact: {
      id: job.contact.id,
      name: job.contact.name,
      firstName: row.firstName,
      lastName: row.lastName,
      phone: job.contact.phone,
      email: job.contact.email,
      company: row.company,
      timezone: job.contact.timezone,
      customFields: row.customFields,
    },
  };
}

export function webhookChannel(options: WebhookChannelOptions): Channel {
  const timeoutMs = options.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  const clock = options.signingClock ?? systemClock;
  return {
    type: 'webhook',
    provider: 'webhook',
    async start(job): Promise<ChannelOutcome> {
      const { row, endpoint } = await loadDelivery(options.db, job);
      if (!row) return final('The follow-up or its contact no longer exists.');
      if (typeof endpoint === 'string') return final(endpoint);
      let url: URL;
      try {
        url = new URL(endpoint.url);
      } catch {
        return final(`The webhook endpoint URL "${endpoint.url}" is not valid.`);
      }
      const refused = await checkTarget(url, options);
      if (refused) return refused;

      const at = clock.now();
      const body = JSON.stringify(webhookPayload(job, row, at));
      let signature: ReturnType<typeof signRequest>;
      try {
        signature = signRequest(endpoint.secret, job.idempotencyKey, at, body);
      } catch {
        return final('The webhook endpoint’s secret is not a valid whsec_… secret: rotate it.');
      }
      const headers = {
        'content-type': 'application/json',
        'user-agent': 'Followthrough-Webhooks/1',
        ...signature,
      };
      return post(url, body, headers, timeoutMs);
    },
  };
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
    if (status >= 200 && status < 300) return { status: 'done', result: 'success' };
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
