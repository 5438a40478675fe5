/**
 * Standard Webhooks signatures (SPEC §5.2): outgoing webhooks and the `http` voice provider sign
 * every request; incoming provider callbacks are verified the same way. The HMAC is the
 * `standardwebhooks` package's; the freshness check uses the clock that is passed in, so that
 * tests move time instead of waiting for it.
 */
import { timingSafeEqual } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** Older (or further ahead) than this, a signed request is refused. */
export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

export interface SignatureHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/** The three headers for `body`, sent as message `id` at `at`, signed with `secret` (whsec_…). */
export function signRequest(secret: string, id: string, at: Date, body: string): SignatureHeaders {
  const webhook = new Webhook(secret);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': webhook.sign(id, at, body),
  };
}

export type Verification =
  | { ok: true; id: string; timestamp: Date }
  | { ok: false; reason: string };

export type HeaderBag = Record<string, string | string[] | undefined>;

function header(headers: HeaderBag, name: string): string | undefined {
  const value = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Checks a signed request: the three headers are present, the timestamp is within 5 minutes of
 * `now`, and one of the `v1,` signatures is the HMAC of `<id>.<timestamp>.<raw body>`.
 */
export function verifyRequest(
  secret: string,
  rawBody: string,
  headers: HeaderBag,
  now: Date,
): Verification {
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signature = header(headers, 'webhook-signature');
  if (!id || !timestamp || !signature) {
    return {
      ok: false,
      reason:
        'The request is not signed: send webhook-id, webhook-timestamp and webhook-signature ' +
        '(Standard Webhooks).',
    };
  }
  if (!/^\d{1,12}$/.test(timestamp)) {
    return { ok: false, reason: 'webhook-timestamp must be a Unix time in seconds.' };
  }
  const seconds = Number(timestamp);
  const skew = Math.floor(now.getTime() / 1000) - seconds;
  if (skew > SIGNATURE_TOLERANCE_SECONDS) {
    return { ok: false, reason: 'The signature is more than 5 minutes old: send it again.' };
  }
  if (skew < -SIGNATURE_TOLERANCE_SECONDS) {
    return { ok: false, reason: 'webhook-timestamp is more than 5 minutes ahead of our clock.' };
  }
  const at = new Date(seconds * 1000);
  const expected = Buffer.from(new Webhook(secret).sign(id, at, rawBody).slice('v1,'.length));
  for (const candidate of signature.split(' ')) {
    const [version, value] = candidate.split(',');
    if (version !== 'v1' || !value) continue;
    const given = Buffer.from(value);
    if (given.length === expected.length && timingSafeEqual(given, expected)) {
      return { ok: true, id, timestamp: at };
    }
  }
  return { ok: false, reason: 'The signature does not match: check the signing secret.' };
}
