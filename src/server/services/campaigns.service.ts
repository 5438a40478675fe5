/**
 * Campaigns: the list (newest first) and one campaign with the calling window its follow-ups
 * obey and the count of its follow-ups per status; admins create them, change their settings
 * (all or nothing) and move them between statuses (core/campaign-status.ts).
 */
import { and, count, desc, eq } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type {
  Campaign,
  CampaignDetail,
  CreateCampaignBody,
  UpdateCampaignBody,
} from '../../contracts/campaigns.contract.ts';
import type { CallingWindowPolicy } from '../../core/calling-window.ts';
import {
  CAMPAIGN_STATUS_LABELS,
  campaignMovesFrom,
  canMoveCampaign,
} from '../../core/campaign-status.ts';
import { FOLLOW_UP_STATUSES, type FollowUpStatus } from '../../core/follow-up.ts';
import type { CampaignStatus } from '../../core/roles.ts';
import { canonicalZone } from '../../core/time-zone.ts';
import type { Tx } from '../db/client.ts';
import { instantKey } from '../db/keyset.ts';
import { wakeEngines } from '../db/notify.ts';
import { findWorkspaceCallingRules } from '../db/repositories/workspaces.ts';
import { agents, campaigns, followUps } from '../db/schema.ts';
import { conflict, notFound } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Actor, ServiceContext } from './context.ts';
import { afterDescDesc, page } from './cursor.ts';
import { checkAgent } from './follow-ups/follow-up-checks.ts';
import { replanDeferred } from './follow-ups/replan.ts';

/** A campaign's follow-ups (the list of the campaign page); the code is a follow-ups part. */
export { listCampaignFollowUps } from './follow-ups/campaign-follow-ups.ts';

async function workspaceWindow(ctx: ServiceContext, actor: Actor): Promise<CallingWindowPolicy> {
  const rules = await findWorkspaceCallingRules(ctx.db, actor.workspaceId);
  if (!rules) throw notFound('workspace');
  return rules.callingWindow;
}

function selectCampaigns(ctx: ServiceContext) {
  return ctx.db
    .select({
      campaign: campaigns,
      agent: { id: agents.id, name: agents.name },
      key: instantKey(campaigns.createdAt),
    })
    .from(campaigns)
    .leftJoin(
      agents,
      and(eq(agents.workspaceId, campaigns.workspaceId), eq(agents.id, campaigns.agentId)),
    );
}

type CampaignRow = Awaited<ReturnType<ReturnType<typeof selectCampaigns>['execute']>>[number];

function campaignView(
  { campaign, agent }: CampaignRow,
  workspaceCallingWindow: CallingWindowPolicy,
): Campaign {
  return {
    id: campaign.id,
    name: campaign.name,
    status: campaign.status as CampaignStatus,
    agent: agent ? { id: agent.id, name: agent.name } : null,
    timezone: campaign.timezone,
    callingWindow: campaign.callingWindow ?? null,
    effectiveCallingWindow: campaign.callingWindow ?? workspaceCallingWindow,
    outcomeRules: campaign.outcomeRules ?? [],
    closedOnPublicHolidays: campaign.closedOnPublicHolidays ?? null,
    frequencyCaps: campaign.frequencyCaps ?? [],
    createdAt: campaign.createdAt.toISOString(),
    updatedAt: campaign.updatedAt.toISOString(),
  };
}

/** Campaigns newest first (createdAt DESC, id DESC: a backward scan of campaigns_list_idx). */
export async function listCampaigns(
  ctx: ServiceContext,
  actor: Actor,
  query: { status?: CampaignStatus | undefined; limit: number; cursor?: string | undefined },
) {
  const window = await workspaceWindow(ctx, actor);
  const rows = await selectCampaigns(ctx)
    .where(
      and(
        eq(campaigns.workspaceId, actor.workspaceId),
        query.status ? eq(campaigns.status, query.status) : undefined,
        query.cursor ? afterDescDesc(campaigns.createdAt, campaigns.id, query.cursor) : undefined,
      ),
    )
    .orderBy(desc(campaigns.createdAt), desc(campaigns.id))
    .limit(query.limit + 1);
  const result = page(rows, query.limit, (row) => [row.key, row.campaign.id]);
  return {
    items: result.items.map((row) => campaignView(row, window)),
    nextCursor: result.nextCursor,
  };
}

export async function getCampaign(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
): Promise<CampaignDetail> {
  const window = await workspaceWindow(ctx, actor);
  const [row] = await selectCampaigns(ctx).where(
    and(eq(campaigns.workspaceId, actor.workspaceId), eq(campaigns.id, id)),
  );
  if (!row) throw notFound('campaign');
  const counts = await ctx.db
    .select({ status: followUps.status, n: count() })
    .from(followUps)
    .where(and(eq(followUps.workspaceId, actor.workspaceId), eq(followUps.campaignId, id)))
    .groupBy(followUps.status);
  const followUpCounts = Object.fromEntries(FOLLOW_UP_STATUSES.map((s) => [s, 0])) as Record<
    FollowUpStatus,
    number
  >;
  let total = 0;
  for (const { status, n } of counts) {
    followUpCounts[status as FollowUpStatus] = Number(n);
    total += Number(n);
  }
  return { ...campaignView(row, window), followUpCounts: { ...followUpCounts, total } };
}

/** POST /api/campaigns: a draft campaign; its agent must be an active agent of the workspace. */
export async function createCampaign(
  ctx: ServiceContext,
  actor: Actor,
  input: CreateCampaignBody,
): Promise<CampaignDetail> {
  const now = ctx.clock.now();
  const id = newId(now.getTime());
  await ctx.db.transaction(async (tx) => {
    if (input.agentId) await checkAgent(tx, actor.workspaceId, input.agentId);
    await tx.insert(campaigns).values({
      id,
      workspaceId: actor.workspaceId,
      name: input.name,
      agentId: input.agentId ?? null,
      status: 'draft',
      timezone: input.timezone ? canonicalZone(input.timezone) : null,
      callingWindow: (input.callingWindow as CallingWindowPolicy | null | undefined) ?? null,
      outcomeRules: input.outcomeRules ?? [],
      closedOnPublicHolidays: input.closedOnPublicHolidays ?? null,
      frequencyCaps: input.frequencyCaps ?? [],
      createdAt: now,
      updatedAt: now,
    });
  });
  return getCampaign(ctx, actor, id);
}

async function lockCampaign(tx: Tx, actor: Actor, id: string) {
  const [row] = await tx
    .select({ status: campaigns.status })
    .from(campaigns)
    .where(and(eq(campaigns.workspaceId, actor.workspaceId), eq(campaigns.id, id)))
    .for('update');
  if (!row) throw notFound('campaign');
  return { status: row.status as CampaignStatus };
}

/**
 * PATCH /api/campaigns/:id: the given fields, all or nothing. A new calling window applies at
 * once: its follow-ups that the engine deferred to the old window's next opening are placed
 * again (their timeline says why), so a window opened now lets them run now.
 */
export async function updateCampaign(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
  input: UpdateCampaignBody,
): Promise<CampaignDetail> {
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    await lockCampaign(tx, actor, id);
    if (input.agentId) await checkAgent(tx, actor.workspaceId, input.agentId);
    const set: PgUpdateSetSource<typeof campaigns> = { updatedAt: now };
    if (input.name !== undefined) set.name = input.name;
    if (input.agentId !== undefined) set.agentId = input.agentId;
    if (input.timezone !== undefined) {
      set.timezone = input.timezone ? canonicalZone(input.timezone) : null;
    }
    if (input.callingWindow !== undefined) {
      set.callingWindow = input.callingWindow as CallingWindowPolicy | null;
    }
    if (input.outcomeRules !== undefined) set.outcomeRules = input.outcomeRules;
    if (input.closedOnPublicHolidays !== undefined) {
      set.closedOnPublicHolidays = input.closedOnPublicHolidays;
    }
    if (input.frequencyCaps !== undefined) set.frequencyCaps = input.frequencyCaps;
    await tx
      .update(campaigns)
      .set(set)
      .where(and(eq(campaigns.workspaceId, actor.workspaceId), eq(campaigns.id, id)));
    if (input.callingWindow !== undefined || input.closedOnPublicHolidays !== undefined) {
      await replanDeferred(tx, actor, { campaignId: id }, now);
    }
  });
  return getCampaign(ctx, actor, id);
}

/**
 * POST /api/campaigns/:id/status: one move of core/campaign-status.ts; any other is a 409 that
 * names the current status and changes nothing. Starting or resuming wakes the engine: the
 * follow-ups it held back are due.
 */
export async function setCampaignStatus(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
  to: CampaignStatus,
): Promise<CampaignDetail> {
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const { status } = await lockCampaign(tx, actor, id);
    if (!canMoveCampaign(status, to)) {
      const moves = campaignMovesFrom(status).map((s) => CAMPAIGN_STATUS_LABELS[s].toLowerCase());
      throw conflict(
        `This campaign is ${CAMPAIGN_STATUS_LABELS[status].toLowerCase()}: it cannot become ` +
          `${CAMPAIGN_STATUS_LABELS[to].toLowerCase()}. ` +
          (moves.length ? `It can become ${moves.join(' or ')}.` : 'It can no longer change.'),
        [{ path: 'status', message: `Not allowed from ${status}.` }],
      );
    }
    await tx
      .update(campaigns)
      .set({ status: to, updatedAt: now })
      .where(and(eq(campaigns.workspaceId, actor.workspaceId), eq(campaigns.id, id)));
    if (to === 'running') await wakeEngines(tx);
  });
  return getCampaign(ctx, actor, id);
}
