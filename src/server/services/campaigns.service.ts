/**
 * Campaigns, read-only: the list (newest first) and one campaign with the calling window its
 * follow-ups obey and the count of its follow-ups per status.
 */
import { and, count, desc, eq } from 'drizzle-orm';
import type { Campaign, CampaignDetail } from '../../contracts/campaigns.contract.ts';
import type { CallingWindowPolicy } from '../../core/calling-window.ts';
import { FOLLOW_UP_STATUSES, type FollowUpStatus } from '../../core/follow-up.ts';
import type { CampaignStatus } from '../../core/roles.ts';
import { agents, campaigns, followUps, workspaces } from '../db/schema.ts';
import { notFound } from '../errors.ts';
import type { Actor, ServiceContext } from './context.ts';
import { afterDescDesc, instantKey, page } from './cursor.ts';

async function workspaceWindow(ctx: ServiceContext, actor: Actor): Promise<CallingWindowPolicy> {
  const [row] = await ctx.db
    .select({ callingWindow: workspaces.callingWindow })
    .from(workspaces)
    .where(eq(workspaces.id, actor.workspaceId));
  if (!row) throw notFound('workspace');
  return row.callingWindow;
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
