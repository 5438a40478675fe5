/**
 * Scheduling and operator actions on follow-ups (SPEC §2, §8). Every change happens in one
 * transaction with its timeline event; every status change goes through transitions.ts.
 * Reading is in follow-up-views.ts, the scheduling hint in follow-up-preview.ts.
 */

import { and, eq, sql } from 'drizzle-orm';
import type {
  CreateFollowUpBody,
  FollowUp,
  UpdateFollowUpBody,
} from '../../contracts/follow-ups.contract.ts';
import { contactDisplayName } from '../../core/contact.ts';
import { type FollowUpStatus, MAX_ATTEMPTS_RANGE } from '../../core/follow-up.ts';
import { utcIsoString } from '../../core/local-time.ts';
import type { DbOrTx } from '../db/client.ts';
import { changesParam, notifyPayloads } from '../db/notify.ts';
import { preparedPer } from '../db/prepared.ts';
import { apiKeys, contacts, dncEntries, followUpEvents, followUps, users } from '../db/schema.ts';
import { unprocessable } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Actor, ServiceContext } from './context.ts';
import {
  addHours,
  checkAgent,
  checkDoNotCall,
  checkFutureTime,
  checkNotArchived,
  checkScheduledTime,
  checkWebhookEndpoint,
  findCampaign,
  findContact,
  loadWorkspace,
} from './follow-up-checks.ts';
import {
  type ContactFields,
  type FollowUpRecord,
  loadFollowUp,
  toFollowUp,
} from './follow-up-views.ts';
import { claimIdempotencyKey, requestHash, storeIdempotentResponse } from './idempotency.ts';
import {
  applyTransition,
  assertAllowed,
  type FollowUpValues,
  lockFollowUp,
} from './transitions.ts';

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

  const source = actor.kind === 'user' ? 'manual' : 'api';
  const record: FollowUpRecord & ContactFields = {
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

const EDITABLE = [
  'scheduledAt',
  'agentId',
  'priority',
  'maxAttempts',
  'notes',
  'allowOutOfWindow',
] as const;
type Editable = (typeof EDITABLE)[number];

const comparable = (v: unknown) => (v instanceof Date ? v.toISOString() : v);

/**
 * PATCH /api/follow-ups/:id: reschedule or edit a scheduled or snoozed follow-up (it becomes
 * scheduled). A new time clears the engine's deferral and renews the expiry; the event is
 * `rescheduled` when the time changed, else `updated`, with the changed fields.
 */
export async function updateFollowUp(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
  body: UpdateFollowUpBody,
): Promise<FollowUp> {
  const now = ctx.clock.now();
  const { workspaceId } = actor;
  return ctx.db.transaction(async (tx) => {
    const current = await lockFollowUp(tx, workspaceId, id);
    assertAllowed('edit', current.status as FollowUpStatus);

    const wanted: Partial<Record<Editable, unknown>> = {
      ...body,
      ...(body.scheduledAt !== undefined ? { scheduledAt: new Date(body.scheduledAt) } : {}),
    };
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    const set: FollowUpValues = {};
    for (const field of EDITABLE) {
      const value = wanted[field];
      if (value === undefined || comparable(value) === comparable(current[field])) continue;
      changes[field] = { from: comparable(current[field]), to: comparable(value) };
      Object.assign(set, { [field]: value });
    }

    if (set.scheduledAt) checkScheduledTime(now, set.scheduledAt);
    if (set.agentId) await checkAgent(tx, workspaceId, set.agentId);
    // It stays scheduled, so it needs an attempt left.
    if (set.maxAttempts !== undefined && set.maxAttempts <= current.attempts) {
      const least = current.attempts + 1;
      throw unprocessable(
        `This follow-up has already used ${current.attempts} attempt(s): max attempts must be ` +
          `at least ${least} for it to run again.`,
        [{ path: 'maxAttempts', message: `At least ${least}.` }],
      );
    }
    if (Object.keys(changes).length === 0 && current.status === 'scheduled') {
      return loadFollowUp(tx, workspaceId, id);
    }
    if (set.scheduledAt) {
      const workspace = await loadWorkspace(tx, workspaceId);
      set.nextAttemptAt = null;
      set.expiresAt = addHours(set.scheduledAt, workspace.defaultExpiryHours);
    } else if (set.allowOutOfWindow === true && current.attempts === 0) {
      // Before any attempt, nextAttemptAt is a window deferral that the override lifts.
      set.nextAttemptAt = null;
    }
    await applyTransition(tx, {
      workspaceId,
      followUpId: id,
      action: 'edit',
      at: now,
      actor,
      set,
      event: { kind: set.scheduledAt ? 'rescheduled' : 'updated', data: { changes } },
    });
    return loadFollowUp(tx, workspaceId, id);
  });
}

/** POST /api/follow-ups/:id/cancel. */
export async function cancelFollowUp(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
  reason?: string,
): Promise<FollowUp> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    await applyTransition(tx, {
      workspaceId: actor.workspaceId,
      followUpId: id,
      action: 'cancel',
      at: now,
      actor,
      event: { kind: 'cancelled', data: reason ? { reason } : {} },
    });
    return loadFollowUp(tx, actor.workspaceId, id);
  });
}

/**
 * POST /api/follow-ups/:id/snooze. A snooze past the expiry pushes the expiry to `until` plus
 * the workspace's default expiry, so that the follow-up still runs when it wakes up.
 */
export async function snoozeFollowUp(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
  untilText: string,
): Promise<FollowUp> {
  const now = ctx.clock.now();
  const until = new Date(untilText);
  checkFutureTime(now, until, 'until');
  const { workspaceId } = actor;
  return ctx.db.transaction(async (tx) => {
    const current = await lockFollowUp(tx, workspaceId, id);
    assertAllowed('snooze', current.status as FollowUpStatus);
    const set: FollowUpValues = { snoozedUntil: until };
    if (current.expiresAt.getTime() <= until.getTime()) {
      const workspace = await loadWorkspace(tx, workspaceId);
      set.expiresAt = addHours(until, workspace.defaultExpiryHours);
    }
    await applyTransition(tx, {
      workspaceId,
      followUpId: id,
      action: 'snooze',
      at: now,
      actor,
      set,
      event: {
        kind: 'snoozed',
        data: {
          until: until.toISOString(),
          ...(set.expiresAt ? { expiresAt: set.expiresAt.toISOString() } : {}),
        },
      },
    });
    return loadFollowUp(tx, workspaceId, id);
  });
}

/** POST /api/follow-ups/:id/resume: a snoozed follow-up is scheduled again. */
export async function resumeFollowUp(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
): Promise<FollowUp> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    await applyTransition(tx, {
      workspaceId: actor.workspaceId,
      followUpId: id,
      action: 'resume',
      at: now,
      actor,
      event: { kind: 'resumed' },
    });
    return loadFollowUp(tx, actor.workspaceId, id);
  });
}

/**
 * POST /api/follow-ups/:id/retry: a failed or expired follow-up is scheduled now, with a new
 * expiry; when its attempts are used up it gets one more (max attempts at most 10).
 */
export async function retryFollowUp(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
): Promise<FollowUp> {
  const now = ctx.clock.now();
  const { workspaceId } = actor;
  return ctx.db.transaction(async (tx) => {
    const current = await lockFollowUp(tx, workspaceId, id);
    assertAllowed('retry', current.status as FollowUpStatus);
    if (current.type !== 'webhook') {
      const [listed] = await tx
        .select({ phone: contacts.phone })
        .from(contacts)
        .innerJoin(
          dncEntries,
          and(
            eq(dncEntries.workspaceId, contacts.workspaceId),
            eq(dncEntries.phone, contacts.phone),
          ),
        )
        .where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, current.contactId)));
      if (listed) {
        throw unprocessable(
          `${listed.phone} is on the Do Not Call list: remove it from the list before retrying.`,
        );
      }
    }
    const set: FollowUpValues = {
      scheduledAt: now,
      nextAttemptAt: null,
      lastError: null,
      expiresAt: addHours(now, (await loadWorkspace(tx, workspaceId)).defaultExpiryHours),
    };
    if (current.attempts >= current.maxAttempts) {
      if (current.maxAttempts >= MAX_ATTEMPTS_RANGE.max) {
        throw unprocessable(
          `This follow-up has used all ${MAX_ATTEMPTS_RANGE.max} attempts, the most allowed: ` +
            'schedule a new follow-up instead.',
        );
      }
      set.maxAttempts = current.maxAttempts + 1;
    }
    await applyTransition(tx, {
      workspaceId,
      followUpId: id,
      action: 'retry',
      at: now,
      actor,
      set,
      event: {
        kind: 'retried',
        data: {
          previousError: current.lastError,
          scheduledAt: now.toISOString(),
          ...(set.maxAttempts ? { maxAttempts: set.maxAttempts } : {}),
        },
      },
    });
    return loadFollowUp(tx, workspaceId, id);
  });
}
