/**
 * The follow_up_attempts table (each attempt a follow-up made): the queries services need,
 * without rules. A platform's report names an attempt by its idempotency key or by the
 * platform's call id, not by its workspace: those reads find the attempt first, within the
 * scope the report's signature allows, and the writes that follow are scoped to its workspace.
 */
import { and, eq, isNull, or } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../client.ts';
import { contacts, followUpAttempts, followUps } from '../schema.ts';
import { inVoicePlatformScope, type VoicePlatformScope } from './voice-platforms.ts';

// ── Voice platforms' reports of calls (calls/call-reports.ts, voice-events.service.ts) ──

/** An attempt being reported, with its follow-up's contact, campaign and the contact's phone. */
export interface ReportedAttempt {
  id: string;
  workspaceId: string;
  followUpId: string;
  agentId: string | null;
  endedAt: Date | null;
  contactId: string;
  campaignId: string | null;
  phone: string;
}

/** The attempt with this idempotency key, its row locked until the transaction ends. */
export async function findReportedAttemptForUpdate(
  tx: Tx,
  idempotencyKey: string,
): Promise<ReportedAttempt | undefined> {
  const [row] = await tx
    .select({
      id: followUpAttempts.id,
      workspaceId: followUpAttempts.workspaceId,
      followUpId: followUpAttempts.followUpId,
      agentId: followUpAttempts.agentId,
      endedAt: followUpAttempts.endedAt,
      contactId: followUps.contactId,
      campaignId: followUps.campaignId,
      phone: contacts.phone,
    })
    .from(followUpAttempts)
    .innerJoin(followUps, eq(followUps.id, followUpAttempts.followUpId))
    .innerJoin(
      contacts,
      and(eq(contacts.workspaceId, followUps.workspaceId), eq(contacts.id, followUps.contactId)),
    )
    .where(eq(followUpAttempts.idempotencyKey, idempotencyKey))
    .for('update', { of: followUpAttempts });
  return row;
}

/** How a platform's report names an attempt: its call id, and the key when the call has it. */
export interface PlatformCallRef {
  provider: string;
  providerRef: string;
  idempotencyKey: string | null;
}

/**
 * The workspaces of the attempts with this idempotency key or this platform call id, of any
 * workspace; `limit` rows at most, a workspace once per attempt.
 */
export async function listPlatformCallWorkspaceIds(
  db: DbOrTx,
  ref: PlatformCallRef,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .select({ workspaceId: followUpAttempts.workspaceId })
    .from(followUpAttempts)
    .where(
      or(
        ...(ref.idempotencyKey ? [eq(followUpAttempts.idempotencyKey, ref.idempotencyKey)] : []),
        and(
          eq(followUpAttempts.provider, ref.provider),
          eq(followUpAttempts.providerRef, ref.providerRef),
        ),
      ),
    )
    .limit(limit);
  return rows.map((r) => r.workspaceId);
}

/**
 * The attempt a platform's report is about, within `scope`: by its idempotency key when the
 * report has one, else by the platform's call id.
 */
export async function findPlatformCallAttempt(
  db: DbOrTx,
  ref: PlatformCallRef,
  scope: VoicePlatformScope,
): Promise<
  | {
      id: string;
      workspaceId: string;
      idempotencyKey: string;
      endedAt: Date | null;
      startedAt: Date;
    }
  | undefined
> {
  const [row] = await db
    .select({
      id: followUpAttempts.id,
      workspaceId: followUpAttempts.workspaceId,
      idempotencyKey: followUpAttempts.idempotencyKey,
      endedAt: followUpAttempts.endedAt,
      startedAt: followUpAttempts.startedAt,
    })
    .from(followUpAttempts)
    .where(
      and(
        ref.idempotencyKey
          ? eq(followUpAttempts.idempotencyKey, ref.idempotencyKey)
          : and(
              eq(followUpAttempts.provider, ref.provider),
              eq(followUpAttempts.providerRef, ref.providerRef),
            ),
        inVoicePlatformScope(scope, followUpAttempts.workspaceId),
      ),
    )
    .limit(1);
  return row;
}

/** Keeps the platform's call id on the attempt, unless it has one already. */
export async function notePlatformCallId(
  db: DbOrTx,
  workspaceId: string,
  attemptId: string,
  providerRef: string,
): Promise<void> {
  await db
    .update(followUpAttempts)
    .set({ providerRef })
    .where(
      and(
        eq(followUpAttempts.workspaceId, workspaceId),
        eq(followUpAttempts.id, attemptId),
        isNull(followUpAttempts.providerRef),
      ),
    );
}

/** Changes the result of an attempt that ended (a platform's later analysis). */
export async function updateAttemptResult(
  db: DbOrTx,
  workspaceId: string,
  attemptId: string,
  result: string,
): Promise<void> {
  await db
    .update(followUpAttempts)
    .set({ result })
    .where(and(eq(followUpAttempts.workspaceId, workspaceId), eq(followUpAttempts.id, attemptId)));
}
