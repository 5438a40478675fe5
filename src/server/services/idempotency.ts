/**
 * Idempotency-Key (SPEC §8): for 24 hours, the same key and the same body from the same sender
 * answer the first response without doing the work again; the same key with another body is a
 * 422. The record is claimed with INSERT … ON CONFLICT inside the transaction that does the
 * work, so concurrent requests with one key wait on that row: exactly one does the work, the
 * others replay its response once it commits. When the work fails, the transaction (and the
 * claim with it) rolls back, and the key can be used again.
 */
import { createHash } from 'node:crypto';
import type { Tx } from '../db/client.ts';
import {
  claimIdempotencyRecord,
  findIdempotencyRecord,
  type IdempotencyRecordKey,
  setIdempotencyRecordResponse,
} from '../db/repositories/idempotency-records.ts';
import { conflict, unprocessable } from '../errors.ts';

export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;

/** JSON with object keys sorted at every level: equal values give equal text. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export const requestHash = (body: unknown) =>
  createHash('sha256').update(canonicalJson(body)).digest('hex');

/** The workspace, the user or API key that sends the request, and the key. */
export type IdempotencyScope = IdempotencyRecordKey;

export interface StoredResponse {
  status: number;
  body: unknown;
}

/**
 * Claims the key for this request (null: go ahead and do the work) or answers the stored
 * response of the first request with this key. An expired record is taken over.
 */
export async function claimIdempotencyKey(
  tx: Tx,
  scope: IdempotencyScope,
  hash: string,
  now: Date,
): Promise<StoredResponse | null> {
  const expiresAt = new Date(now.getTime() + IDEMPOTENCY_TTL_MS);
  if (await claimIdempotencyRecord(tx, scope, hash, now, expiresAt)) return null;

  const record = await findIdempotencyRecord(tx, scope);
  if (!record) {
    throw conflict('Another request with this Idempotency-Key just changed it. Send it again.');
  }
  if (record.requestHash !== hash) {
    throw unprocessable(
      'This Idempotency-Key was already used with a different request body. ' +
        'Use a new key for a new request.',
      [{ path: 'headers.idempotency-key', message: 'Already used with another body.' }],
    );
  }
  if (record.responseStatus === null) {
    throw conflict('A request with this Idempotency-Key is still being processed. Try again.');
  }
  return { status: record.responseStatus, body: record.responseBody };
}

/** Stores the response of the request that claimed the key (same transaction). */
export async function storeIdempotentResponse(
  tx: Tx,
  scope: IdempotencyScope,
  response: StoredResponse,
): Promise<void> {
  await setIdempotencyRecordResponse(tx, scope, response.status, response.body);
}
