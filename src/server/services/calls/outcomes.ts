/**
 * What a call's outcome sets in motion (SPEC §5.1, §6), inside the transaction that records the
 * call:
 * - outcome rules: the campaign's rules (source `campaign`) when it has any, else the
 *   workspace's (source `call_outcome`) schedule the next follow-up, `delayMinutes` after the
 *   call ended, or at the time the customer asked for (allowOutOfWindow when that time is
 *   outside the calling window). A rule never creates a second open follow-up of the same type
 *   for the same contact and campaign.
 * - `do_not_call`: the phone goes on the Do Not Call list, which fails the contact's open call
 *   and SMS follow-ups (the DNC service's listPhone).
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { AppliedRule } from '../../../core/calling-rules.ts';
import { isCallingTime } from '../../../core/calling-rules.ts';
import { type FollowUpSource, OPEN_STATUSES } from '../../../core/follow-up.ts';
import type { OutcomeRule } from '../../../core/outcome-rules.ts';
import type { CallOutcome } from '../../../core/results.ts';
import {
  contactRules,
  contactZone,
  liftedByOverride,
  toInstant,
} from '../../../core/scheduling.ts';
import type { Tx } from '../../db/client.ts';
import { publishChanges, wakeEngines } from '../../db/notify.ts';
import { campaigns, contacts, dncEntries, followUpEvents, followUps } from '../../db/schema.ts';
import { newId } from '../../ids.ts';
import { listPhone } from '../dnc.service.ts';
import { addHours, loadWorkspace } from '../follow-ups/follow-up-checks.ts';

export const DNC_OUTCOME_REASON = 'Asked not to be called during a call';

export interface OutcomeInput {
  workspaceId: string;
  contactId: string;
  campaignId: string | null;
  /** The follow-up whose call this was (null for calls without one). */
  followUpId: string | null;
  callLogId: string;
  outcome: CallOutcome;
  endedAt: Date;
  requestedCallbackAt: Date | null;
}

/** A `do_not_call` outcome: lists the contact's phone and fails its open call/SMS follow-ups. */
export async function listFromOutcome(
  tx: Tx,
  at: Date,
  input: { workspaceId: string; phone: string; callLogId: string },
): Promise<string[]> {
  const listed = await listPhone(tx, {
    workspaceId: input.workspaceId,
    phone: input.phone,
    reason: DNC_OUTCOME_REASON,
    actor: null,
    at,
    data: { callLogId: input.callLogId },
  });
  return listed.failedFollowUpIds;
}

interface Planned {
  rule: OutcomeRule;
  scheduledAt: Date;
  allowOutOfWindow: boolean;
  /** The hour rules the customer's requested time lifted ([] without the override). */
  liftedRules: AppliedRule[];
}

/**
 * Applies the outcome rules of the call in `input`; returns the ids of the follow-ups created.
 * Call after the attempt was recorded, so that a retry scheduled for it counts as open.
 */
export async function applyOutcomeRules(tx: Tx, at: Date, input: OutcomeInput): Promise<string[]> {
  const { workspaceId, contactId, campaignId } = input;
  const workspace = await loadWorkspace(tx, workspaceId);
  const [campaign] = campaignId
    ? await tx
        .select({
          rules: campaigns.outcomeRules,
          callingWindow: campaigns.callingWindow,
          closedOnPublicHolidays: campaigns.closedOnPublicHolidays,
        })
        .from(campaigns)
        .where(and(eq(campaigns.workspaceId, workspaceId), eq(campaigns.id, campaignId)))
    : [];
  const fromCampaign = (campaign?.rules.length ?? 0) > 0;
  const source: FollowUpSource = fromCampaign ? 'campaign' : 'call_outcome';
  const rules = (fromCampaign ? campaign!.rules : workspace.outcomeRules).filter(
    (r) => r.outcome === input.outcome,
  );
  if (rules.length === 0) return [];

  // One contact at a time: two reports for the same contact cannot both see "none open".
  await tx.execute(sql`select pg_advisory_xact_lock(7419300, hashtext(${contactId}))`);
  const [contact] = await tx
    .select({
      phone: contacts.phone,
      timezone: contacts.timezone,
      region: contacts.region,
      dncId: dncEntries.id,
    })
    .from(contacts)
    .leftJoin(
      dncEntries,
      and(eq(dncEntries.workspaceId, contacts.workspaceId), eq(dncEntries.phone, contacts.phone)),
    )
    .where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, contactId)));
  if (!contact) return [];
  const open = await tx
    .select({ type: followUps.type })
    .from(followUps)
    .where(
      and(
        eq(followUps.workspaceId, workspaceId),
        eq(followUps.contactId, contactId),
        campaignId ? eq(followUps.campaignId, campaignId) : isNull(followUps.campaignId),
        inArray(followUps.status, [...OPEN_STATUSES]),
      ),
    );
  const taken = new Set(open.map((r) => r.type));
  const policy = campaign?.callingWindow ?? workspace.callingWindow;
  const zone = contactZone(contact, workspace.timezone).timezone;

  const planned: Planned[] = [];
  for (const rule of rules) {
    if (taken.has(rule.type)) continue;
    // Do Not Call stops calls and SMS; a webhook rule (e.g. to a CRM) still runs.
    if (contact.dncId && rule.type !== 'webhook') continue;
    taken.add(rule.type);
    const requested = rule.delayMinutes === null ? input.requestedCallbackAt : null;
    const wanted = requested
      ? requested
      : new Date(input.endedAt.getTime() + (rule.delayMinutes ?? 0) * 60_000);
    const scheduledAt = wanted.getTime() < at.getTime() ? at : wanted;
    const callingRules = contactRules({
      policy,
      zone,
      contact,
      settings: {
        everyZone: workspace.everyZone,
        closedOnPublicHolidays:
          campaign?.closedOnPublicHolidays ?? workspace.closedOnPublicHolidays,
      },
      at: scheduledAt,
    });
    const allowOutOfWindow =
      requested !== null &&
      rule.type !== 'webhook' &&
      !isCallingTime(callingRules.constraints, toInstant(scheduledAt));
    // The timeline says which rules the customer's time lifted.
    const liftedRules = liftedByOverride(callingRules.rules, rule.type, allowOutOfWindow);
    planned.push({ rule, scheduledAt, allowOutOfWindow, liftedRules });
  }
  if (planned.length === 0) return [];

  const rows = planned.map(({ rule, scheduledAt, allowOutOfWindow }) => ({
    id: newId(),
    workspaceId,
    contactId,
    type: rule.type,
    scheduledAt,
    agentId: null,
    priority: rule.priority,
    maxAttempts: rule.maxAttempts,
    allowOutOfWindow,
    campaignId,
    source,
    sourceCallLogId: input.callLogId,
    status: 'scheduled',
    expiresAt: addHours(scheduledAt, workspace.defaultExpiryHours),
    createdAt: at,
    updatedAt: at,
  }));
  await tx.insert(followUps).values(rows);
  await tx.insert(followUpEvents).values(
    rows.map((row, i) => ({
      id: newId(),
      workspaceId,
      followUpId: row.id,
      at,
      kind: 'created',
      actorType: 'system' as const,
      actorId: null,
      data: {
        to: 'scheduled',
        type: row.type,
        source,
        scheduledAt: row.scheduledAt.toISOString(),
        allowOutOfWindow: row.allowOutOfWindow,
        reason: 'outcome_rule',
        outcome: input.outcome,
        callLogId: input.callLogId,
        fromFollowUpId: input.followUpId,
        ...(planned[i]!.liftedRules.length ? { liftedRules: planned[i]!.liftedRules } : {}),
      },
    })),
  );
  await publishChanges(
    tx,
    rows.map((row) => ({
      workspaceId,
      kind: 'follow_up' as const,
      id: row.id,
      status: 'scheduled',
      contactId,
    })),
  );
  await wakeEngines(tx);
  return rows.map((r) => r.id);
}
