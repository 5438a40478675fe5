/**
 * GET /api/follow-ups/:id: the follow-up JSON (follow-up-views.ts) with its timeline, its
 * attempts, the contact's Do Not Call status and the actions an operator may take now.
 */
import { and, asc, eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { FollowUpDetail } from '../../../contracts/follow-ups.contract.ts';
import {
  allowedOperatorActions,
  type FollowUpEventKind,
  type FollowUpType,
} from '../../../core/follow-up.ts';
import type { AttemptResult } from '../../../core/results.ts';
import {
  agents,
  apiKeys,
  contacts,
  dncEntries,
  followUpAttempts,
  followUpEvents,
  users,
} from '../../db/schema.ts';
import type { Actor, ServiceContext } from '../context.ts';
import { loadFollowUp, summary } from './follow-up-views.ts';
import { withWaiting } from './follow-up-waiting.ts';

const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

const attemptAgent = alias(agents, 'attempt_agent');

/** GET /api/follow-ups/:id: the follow-up, its timeline, its attempts, the allowed actions. */
export async function getFollowUpDetail(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
): Promise<FollowUpDetail> {
  const followUp = await loadFollowUp(ctx.db, actor.workspaceId, id);
  const [events, attempts, dnc, [withReason]] = await Promise.all([
    ctx.db
      .select({
        e: followUpEvents,
        userName: users.name,
        keyName: apiKeys.name,
      })
      .from(followUpEvents)
      .leftJoin(
        users,
        and(eq(followUpEvents.actorType, 'user'), eq(users.id, followUpEvents.actorId)),
      )
      .leftJoin(
        apiKeys,
        and(eq(followUpEvents.actorType, 'api_key'), eq(apiKeys.id, followUpEvents.actorId)),
      )
      .where(
        and(eq(followUpEvents.workspaceId, actor.workspaceId), eq(followUpEvents.followUpId, id)),
      )
      .orderBy(asc(followUpEvents.at), asc(followUpEvents.id)),
    ctx.db
      .select({ a: followUpAttempts, agentName: attemptAgent.name })
      .from(followUpAttempts)
      .leftJoin(attemptAgent, eq(attemptAgent.id, followUpAttempts.agentId))
      .where(
        and(
          eq(followUpAttempts.workspaceId, actor.workspaceId),
          eq(followUpAttempts.followUpId, id),
        ),
      )
      .orderBy(asc(followUpAttempts.number)),
    // Whether the contact's phone is on the workspace's Do Not Call list (SPEC §1).
    ctx.db
      .select({ id: dncEntries.id })
      .from(dncEntries)
      .innerJoin(
        contacts,
        and(eq(contacts.workspaceId, dncEntries.workspaceId), eq(contacts.phone, dncEntries.phone)),
      )
      .where(
        and(eq(dncEntries.workspaceId, actor.workspaceId), eq(contacts.id, followUp.contactId)),
      )
      .limit(1),
    withWaiting(ctx, actor, [followUp]),
  ]);
  return {
    ...followUp,
    waiting: withReason!.waiting,
    contact: { ...followUp.contact, doNotCall: dnc.length > 0 },
    events: events.map(({ e, userName, keyName }) => ({
      id: e.id,
      at: iso(e.at),
      kind: e.kind as FollowUpEventKind,
      actor: {
        type: e.actorType as 'user' | 'api_key' | 'system',
        id: e.actorId,
        name:
          e.actorType === 'system'
            ? 'System'
            : ((e.actorType === 'user' ? userName : keyName) ?? 'Removed'),
      },
      data: e.data,
    })),
    attemptHistory: attempts.map(({ a, agentName }) => ({
      number: a.number,
      channel: a.channel as FollowUpType,
      provider: a.provider,
      agent: summary(a.agentId, agentName),
      idempotencyKey: a.idempotencyKey,
      startedAt: iso(a.startedAt),
      endedAt: isoOrNull(a.endedAt),
      result: a.result as AttemptResult | null,
      error: a.error,
      providerRef: a.providerRef,
      callLogId: a.callLogId,
    })),
    allowedActions: allowedOperatorActions(followUp.status),
  };
}
