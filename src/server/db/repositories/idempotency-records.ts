/**
 * The idempotency_records table: the queries of Idempotency-Key, without rules. A record is
 * named by its workspace, its sender (a user or an API key) and the key; its queries run in the
 * transaction that does the request's work, so that a claim rolls back with it.
 */
import { and, eq, lte } from 'drizzle-orm';
import type { Tx } from '../client.ts';
import { idempotencyRecords } from '../schema.ts';

export type IdempotencyRecordRow = typeof idempotencyRecords.$inferSelect;

/** Which record: keys are private to their workspace and their sender. */
export interface IdempotencyRecordKey {
  workspaceId: string;
  /** The user or API key that sends the request. */
  actorId: string;
  key: string;
}

const matches = (record: IdempotencyRecordKey) =>
  and(
    eq(idempotencyRecords.workspaceId, record.workspaceId),
    eq(idempotencyRecords.actorId, record.actorId),
    eq(idempotencyRecords.key, record.key),
  );

/**
 * Claims the key for a request with this body hash, without a response yet: inserts the record,
 * or takes over one that expired by `now` (INSERT … ON CONFLICT; a concurrent claim of the same
 * key waits on the row until the other transaction ends). False when a live record holds the key.
 */
export async function claimIdempotencyRecord(
  tx: Tx,
  record: IdempotencyRecordKey,
  requestHash: string,
  now: Date,
  expiresAt: Date,
): Promise<boolean> {
  const claimed = await tx
    .insert(idempotencyRecords)
    .values({ ...record, requestHash, createdAt: now, expiresAt })
    .onConflictDoUpdate({
      target: [idempotencyRecords.workspaceId, idempotencyRecords.actorId, idempotencyRecords.key],
      set: { requestHash, responseStatus: null, responseBody: null, createdAt: now, expiresAt },
      setWhere: lte(idempotencyRecords.expiresAt, now),
    })
    .returning({ key: idempotencyRecords.key });
  return claimed.length > 0;
}

export async function findIdempotencyRecord(
  tx: Tx,
  record: IdempotencyRecordKey,
): Promise<IdempotencyRecordRow | undefined> {
  const [row] = await tx.select().from(idempotencyRecords).where(matches(record));
  return row;
}

/** Stores the response of the request that claimed the key. */
export async function setIdempotencyRecordResponse(
  tx: Tx,
  record: IdempotencyRecordKey,
  status: number,
  body: unknown,
): Promise<void> {
  await tx
    .update(idempotencyRecords)
    .set({ responseStatus: status, responseBody: body })
    .where(matches(record));
}
