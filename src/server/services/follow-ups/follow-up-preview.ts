/**
 * POST /api/follow-ups/preview: when would a follow-up run? The rule is core/scheduling.ts's
 * computeRunAt, the one the engine places due follow-ups with; this service loads what it needs.
 */
import { and, eq, gt, inArray } from 'drizzle-orm';
import type { PreviewBody, PreviewResponse } from '../../../contracts/follow-ups.contract.ts';
import type { AppliedRule } from '../../../core/calling-rules.ts';
import {
  type AppliedCap,
  applicableCaps,
  capHold,
  capRuleText,
  type StartedAttempt,
} from '../../../core/frequency-caps.ts';
import {
  computeRunAt,
  contactRules,
  contactZone,
  fromInstant,
  localIso,
  rulesWithOverride,
  toInstant,
} from '../../../core/scheduling.ts';
import { formatLocalTime } from '../../../core/waiting.ts';
import { followUpAttempts, followUps } from '../../db/schema.ts';
import type { Actor, ServiceContext } from '../context.ts';
import { addHours, findCampaign, findContact, loadWorkspace } from './follow-up-checks.ts';

/** POST /api/follow-ups/preview: the dialog's hint. Read-only; any signed-in role. */
export async function previewFollowUp(
  ctx: ServiceContext,
  actor: Actor,
  body: PreviewBody,
): Promise<PreviewResponse> {
  const [workspace, contact, campaign] = await Promise.all([
    loadWorkspace(ctx.db, actor.workspaceId),
    findContact(ctx.db, actor.workspaceId, body.contactId),
    body.campaignId ? findCampaign(ctx.db, actor.workspaceId, body.campaignId) : null,
  ]);
  const zone = contactZone(contact, workspace.timezone);
  const scheduledAt = new Date(body.scheduledAt);
  const expiresAt = addHours(scheduledAt, workspace.defaultExpiryHours);
  const rules = contactRules({
    policy: campaign?.callingWindow ?? workspace.callingWindow,
    zone: zone.timezone,
    contact,
    settings: {
      everyZone: workspace.everyZone,
      closedOnPublicHolidays: campaign?.closedOnPublicHolidays ?? workspace.closedOnPublicHolidays,
    },
    at: scheduledAt,
  });
  const runAt = (from: Date) =>
    computeRunAt({
      constraints: rules.constraints,
      type: body.type,
      scheduledAt: toInstant(from),
      allowOutOfWindow: body.allowOutOfWindow,
      expiresAt: toInstant(expiresAt),
      doNotCall: contact.doNotCall,
    });
  let result = runAt(scheduledAt);
  // Frequency caps (not lifted by the override): the attempts started for the contact so far.
  const caps = applicableCaps({
    channel: body.type,
    workspaceCaps: workspace.frequencyCaps,
    campaignCaps: campaign?.frequencyCaps ?? null,
    stateRules: rules.stateRules,
  });
  const capRules: AppliedRule[] = caps.map((cap) => ({
    code: 'frequency_cap',
    message: capRuleText(cap),
    source: cap.source,
  }));
  if (caps.length > 0 && result.runsAt) {
    const hold = capHold({
      caps,
      campaignId: campaign?.id ?? null,
      attempts: await attemptsOfContact(ctx, actor, contact.id, caps),
      at: fromInstant(result.runsAt),
    });
    if (hold) {
      const held = runAt(hold.until);
      result = { ...held, insideWindow: result.insideWindow };
      const i = caps.indexOf(hold.cap);
      const next = held.runsAt
        ? `next at ${formatLocalTime(fromInstant(held.runsAt), zone.timezone)}`
        : 'no attempt before it expires';
      capRules[i] = {
        ...capRules[i]!,
        message: `${capRules[i]!.message}: ${hold.count} already; ${next}`,
      };
    }
  }
  return {
    timezone: zone.timezone,
    timezoneSource: zone.source,
    localTime: localIso(scheduledAt, zone.timezone),
    insideWindow: result.insideWindow,
    runsAt: result.runsAt ? fromInstant(result.runsAt).toISOString() : null,
    runsAtLocal: result.runsAt ? localIso(result.runsAt, zone.timezone) : null,
    notRunningBecause: result.notRunningBecause,
    expiresAt: expiresAt.toISOString(),
    doNotCall: contact.doNotCall,
    rules: [...rulesWithOverride(rules.rules, body.type, body.allowOutOfWindow), ...capRules],
  };
}

/** The call and SMS attempts started for a contact within the longest of the caps. */
async function attemptsOfContact(
  ctx: ServiceContext,
  actor: Actor,
  contactId: string,
  caps: readonly AppliedCap[],
): Promise<StartedAttempt[]> {
  const hours = Math.max(...caps.map((c) => c.periodHours));
  const since = new Date(ctx.clock.now().getTime() - hours * 3_600_000);
  return ctx.db
    .select({
      channel: followUpAttempts.channel,
      campaignId: followUps.campaignId,
      startedAt: followUpAttempts.startedAt,
    })
    .from(followUpAttempts)
    .innerJoin(
      followUps,
      and(
        eq(followUps.workspaceId, followUpAttempts.workspaceId),
        eq(followUps.id, followUpAttempts.followUpId),
      ),
    )
    .where(
      and(
        eq(followUps.workspaceId, actor.workspaceId),
        eq(followUps.contactId, contactId),
        inArray(followUpAttempts.channel, ['call', 'sms']),
        gt(followUpAttempts.startedAt, since),
      ),
    );
}
