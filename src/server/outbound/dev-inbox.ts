/**
 * The development inbox: a webhook receiver built into the product, so that the demo's webhook
 * follow-ups succeed on a machine with no network. Its address is a reserved name that never
 * resolves (`.invalid`, RFC 2606) and that the API refuses for new endpoints, so only the demo
 * workspace has one. A delivery to it never leaves the process: no network hop, so the outbound
 * rules for private addresses stay whole. It checks the signature as a receiver would
 * (Standard Webhooks, the endpoint's secret) and answers 200 when it verifies, 401 when not;
 * the endpoint's Deliveries page in Settings lists what it received and which verified.
 */
import { DEV_INBOX_URL } from '../../contracts/webhook-endpoints.contract.ts';
import { systemClock } from '../clock.ts';
import type { DeliveryOutcome } from './delivery-outcome.ts';
import { verifyRequest } from './signing.ts';

/** Whether a URL is the development inbox's. */
export function isDevInbox(url: string): boolean {
  return url === DEV_INBOX_URL;
}

/** Receives one signed request as a receiver would: 200 when its signature verifies, else 401. */
export function receiveInDevInbox(
  secret: string,
  body: string,
  headers: Record<string, string>,
  now: Date = systemClock.now(),
): DeliveryOutcome {
  const verified = verifyRequest(secret, body, headers, now);
  if (verified.ok) return { status: 'done', result: 'success', httpStatus: 200 };
  return {
    status: 'done',
    result: 'http_error',
    httpStatus: 401,
    error: `The development inbox refused the request: ${verified.reason}`,
  };
}
