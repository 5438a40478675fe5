/**
 * POST /api/follow-ups/preview: when would a follow-up run? The rule is core/scheduling.ts's
 * computeRunAt, the one the engine places due follow-ups with; this service loads what it needs.
 */
import type { PreviewBody, PreviewResponse } from '../../contracts/follow-ups.contract.ts';
import {
  computeRunAt,
  contactRules,
  contactZone,
  fromInstant,
  localIso,
  rulesWithOverride,
  toInstant,
} from '../../core/scheduling.ts';
import type { Actor, ServiceContext } from './context.ts';
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
  const result = computeRunAt({
    constraints: rules.constraints,
    type: body.type,
    scheduledAt: toInstant(scheduledAt),
    allowOutOfWindow: body.allowOutOfWindow,
    expiresAt: toInstant(expiresAt),
    doNotCall: contact.doNotCall,
  });
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
    rules: rulesWithOverride(rules.rules, body.type, body.allowOutOfWindow),
  };
}
