/**
 * Operator actions on follow-ups (SPEC §2, §8): edit, cancel, snooze, resume, retry. Every
 * change happens in one transaction with its timeline event; every status change goes through
 * transitions.ts. Creating is in follow-up-create.ts, reading in follow-up-views.ts, the
 * scheduling hint in follow-up-preview.ts.
 */

import type { FollowUp, UpdateFollowUpBody } from '../../contracts/follow-ups.contract.ts';
import {
  type FollowUpStatus,
  type FollowUpType,
  MAX_ATTEMPTS_RANGE,
} from '../../core/follow-up.ts';
import { countOf } from '../../core/plural.ts';
import type { DbOrTx } from '../db/client.ts';
import { findContactPhoneOnDnc, findContactPlace } from '../db/repositories/contacts.ts';
import { unprocessable } from '../errors.ts';
import type { Actor, ServiceContext } from './context.ts';
import {
  addHours,
  checkAgent,
  checkFutureTime,
  checkScheduledTime,
  findCampaign,
  loadWorkspace,
  overrideLifts,
} from './follow-ups/follow-up-checks.ts';
import { loadFollowUp } from './follow-ups/follow-up-views.ts';
import {
  applyTransition,
  assertAllowed,
  type FollowUpValues,
  lockFollowUp,
} from './follow-ups/transitions.ts';

// The operations whose code lives in a part under follow-ups/, offered here so routes call the
// follow-ups service only.
export { createFollowUp } from './follow-ups/follow-up-create.ts';
export { getFollowUpDetail } from './follow-ups/follow-up-detail.ts';
export { previewFollowUp } from './follow-ups/follow-up-preview.ts';
export { listFollowUpsWaiting } from './follow-ups/follow-up-waiting.ts';

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
        `This follow-up has already used ${countOf(current.attempts, 'attempt')}: max attempts must be ` +
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
    // The override is on after the edit, and was just turned on or the time moved with it.
    const override = set.allowOutOfWindow ?? current.allowOutOfWindow;
    const liftedRules =
      override && (set.allowOutOfWindow === true || set.scheduledAt)
        ? await liftedByEdit(tx, workspaceId, current, set.scheduledAt ?? current.scheduledAt, now)
        : [];
    await applyTransition(tx, {
      workspaceId,
      followUpId: id,
      action: 'edit',
      at: now,
      actor,
      set,
      event: {
        kind: set.scheduledAt ? 'rescheduled' : 'updated',
        data: { changes, ...(liftedRules.length ? { liftedRules } : {}) },
      },
    });
    return loadFollowUp(tx, workspaceId, id);
  });
}

/**
 * The hour rules the customer override lifts for an edited follow-up (it is turned on, or the
 * follow-up is moved with it on), at the time it will run: its scheduled time, or now when that
 * has passed. Recorded on the edit's event, as the created event records them.
 */
async function liftedByEdit(
  tx: DbOrTx,
  workspaceId: string,
  current: { contactId: string; campaignId: string | null; type: string },
  scheduledAt: Date,
  now: Date,
) {
  const contact = await findContactPlace(tx, workspaceId, current.contactId);
  if (!contact) return [];
  const campaign = current.campaignId
    ? await findCampaign(tx, workspaceId, current.campaignId)
    : null;
  return overrideLifts(tx, workspaceId, {
    type: current.type as FollowUpType,
    allowOutOfWindow: true,
    contact,
    campaign,
    at: scheduledAt.getTime() > now.getTime() ? scheduledAt : now,
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
      const listed = await findContactPhoneOnDnc(tx, workspaceId, current.contactId);
      if (listed) {
        throw unprocessable(
          `${listed} is on the Do Not Call list: remove it from the list before retrying.`,
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
