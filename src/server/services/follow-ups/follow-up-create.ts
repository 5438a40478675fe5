/**
 * POST /api/follow-ups: scheduling a follow-up (SPEC §2.1). The checks are in
 * follow-up-checks.ts; the write is one statement prepared once (decision 0005).
 */
import { sql } from 'drizzle-orm';
import type { CreateFollowUpBody, FollowUp } from '../../../contracts/follow-ups.contract.ts';
import { contactDisplayName } from '../../../core/contact.ts';
import { utcIsoString } from '../../../core/local-time.ts';
import type { DbOrTx } from '../../db/client.ts';
import { changesParam, notifyPayloads } from '../../db/notify.ts';
import { preparedPer } from '../../db/prepared.ts';
import type { FollowUpRow } from '../../db/repositories/follow-ups-fast.ts';
import { apiKeys, followUpEvents, followUps, users } from '../../db/schema.ts';
import { newId } from '../../ids.ts';
import type { Actor, ServiceContext } from '../context.ts';
import { claimIdempotencyKey, requestHash, storeIdempotentResponse } from '../idempotency.ts';
import {
  addHours,
  checkAgent,
  checkDoNotCall,
  checkNotArchived,
  checkScheduledTime,
  checkWebhookEndpoint,
  findCampaign,
  findContact,
  overrideLifts,
} from './follow-up-checks.ts';
import { toFollowUp } from './follow-up-views.ts';

export interface CreateResult {
  /** 201 Created, or the replay of it. */
  body: FollowUp;
  /** True when an Idempotency-Key replayed the first response. */
  replayed: boolean;
}

/**
 * POST /api/follow-ups. The source is the sender's kind (a signed-in user: `manual`, an API
 * key: `api`). With an Idempotency-Key, the key is claimed in the same transaction; without
 * one, the follow-up, its `created` event and the notifications are one statement.
 */
export async function createFollowUp(
  ctx: ServiceContext,
  actor: Actor,
  body: CreateFollowUpBody,
  idempotencyKey?: string,
): Promise<CreateResult> {
  const now = ctx.clock.now();
  if (!idempotencyKey) {
    return { body: await insertFollowUp(ctx.db, actor, body, now), replayed: false };
  }
  return ctx.db.transaction(async (tx) => {
    const scope = { workspaceId: actor.workspaceId, actorId: actor.id, key: idempotencyKey };
    const stored = await claimIdempotencyKey(tx, scope, requestHash(body), now);
    if (stored) return { body: stored.body as FollowUp, replayed: true };
    const followUp = await insertFollowUp(tx, actor, body, now);
    await storeIdempotentResponse(tx, scope, { status: 201, body: followUp });
    return { body: followUp, replayed: false };
  });
}

const p = (name: string) => sql.placeholder(name);

/**
 * The follow-up, its `created` event and the notifications in one statement, built once per
 * creator kind: a create only binds its values.
 */
const insertQuery = preparedPer((db, creatorKind: Actor['kind']) => {
  const created = db.$with('created_event', {}).as(
    db
      .insert(followUpEvents)
      .values({
        id: p('eventId'),
        workspaceId: p('workspaceId'),
        followUpId: p('id'),
        at: p('now'),
        kind: 'created',
        actorType: creatorKind,
        actorId: p('creatorId'),
        data: sql`${p('eventData')}::jsonb`,
      })
      .getSQL(),
  );
  const creator = creatorKind === 'user' ? users : apiKeys;
  return db
    .with(created)
    .insert(followUps)
    .values({
      id: p('id'),
      workspaceId: p('workspaceId'),
      contactId: p('contactId'),
      type: p('type'),
      scheduledAt: p('scheduledAt'),
      agentId: p('agentId'),
      priority: p('priority'),
      maxAttempts: p('maxAttempts'),
      allowOutOfWindow: p('allowOutOfWindow'),
      notes: p('notes'),
      campaignId: p('campaignId'),
      source: p('source'),
      status: 'scheduled',
      expiresAt: p('expiresAt'),
      createdByUserId: creatorKind === 'user' ? p('creatorId') : null,
      createdByApiKeyId: creatorKind === 'api_key' ? p('creatorId') : null,
      createdAt: p('now'),
      updatedAt: p('now'),
    })
    .returning({
      creatorName: sql<
        string | null
      >`(select c.name from ${creator} c where c.id = ${p('creatorId')})`,
      notified: notifyPayloads(p('changes'), { wake: true }),
    })
    .prepare(`create_follow_up_${creatorKind}`);
});

/**
 * Checks the references (one query for the contact and its workspace; more only for an agent,
 * a campaign or a webhook), then writes the follow-up with its event and notifications in one
 * statement, and answers it without reading it back.
 */
async function insertFollowUp(
  db: DbOrTx,
  actor: Actor,
  body: CreateFollowUpBody,
  now: Date,
): Promise<FollowUp> {
  const { workspaceId } = actor;
  const scheduledAt = new Date(body.scheduledAt);
  checkScheduledTime(now, scheduledAt);
  const contact = await findContact(db, workspaceId, body.contactId);
  const name = contactDisplayName(contact);
  checkNotArchived(contact, name);
  checkDoNotCall(contact, body.type, name);
  const agentName = body.agentId ? await checkAgent(db, workspaceId, body.agentId) : null;
  const campaign = body.campaignId ? await findCampaign(db, workspaceId, body.campaignId) : null;
  if (body.type === 'webhook') await checkWebhookEndpoint(db, workspaceId);

  const liftedRules = await overrideLifts(db, workspaceId, {
    type: body.type,
    allowOutOfWindow: body.allowOutOfWindow,
    contact,
    campaign,
    at: scheduledAt,
  });
  const source = actor.kind === 'user' ? 'manual' : 'api';
  const record: FollowUpRow = {
    id: newId(),
    contactId: contact.id,
    type: body.type,
    scheduledAt: utcIsoString(scheduledAt.getTime()),
    agentId: body.agentId ?? null,
    priority: body.priority,
    maxAttempts: body.maxAttempts,
    attempts: 0,
    allowOutOfWindow: body.allowOutOfWindow,
    notes: body.notes ?? null,
    campaignId: body.campaignId ?? null,
    source,
    status: 'scheduled',
    nextAttemptAt: null,
    snoozedUntil: null,
    expiresAt: utcIsoString(addHours(scheduledAt, contact.defaultExpiryHours).getTime()),
    lastError: null,
    completedAt: null,
    createdAt: utcIsoString(now.getTime()),
    updatedAt: utcIsoString(now.getTime()),
    resolvedAgentId: null,
    createdByUserId: actor.kind === 'user' ? actor.id : null,
    createdByApiKeyId: actor.kind === 'api_key' ? actor.id : null,
    contactFirstName: contact.firstName,
    contactLastName: contact.lastName,
    contactPhone: contact.phone,
    contactTimezone: contact.timezone,
    contactRegion: contact.region,
  };
  const [row] = (await insertQuery(db, actor.kind).execute({
    ...record,
    workspaceId,
    scheduledAt,
    expiresAt: addHours(scheduledAt, contact.defaultExpiryHours),
    creatorId: actor.id,
    now,
    eventId: newId(),
    eventData: JSON.stringify({
      to: 'scheduled',
      type: body.type,
      source,
      scheduledAt: record.scheduledAt,
      ...(liftedRules.length ? { allowOutOfWindow: true, liftedRules } : {}),
    }),
    changes: changesParam([
      { workspaceId, kind: 'follow_up', id: record.id, status: 'scheduled', contactId: contact.id },
    ]),
  })) as { creatorName: string | null }[];
  if (!row) throw new Error('the follow-up insert returned no row');
  // The answer is what was written: the insert returns only the creator's name.
  return toFollowUp(record, {
    workspaceTimezone: contact.workspaceTimezone,
    agentName,
    resolvedAgentName: null,
    campaignName: campaign?.name ?? null,
    createdByUserName: actor.kind === 'user' ? row.creatorName : null,
    createdByKeyName: actor.kind === 'api_key' ? row.creatorName : null,
  });
}
