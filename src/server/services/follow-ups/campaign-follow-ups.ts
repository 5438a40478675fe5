/**
 * GET /api/campaigns/:id/follow-ups: the follow-ups list filtered to one campaign, each open
 * row with why it waits (follow-up-waiting.ts).
 */
import { and, eq } from 'drizzle-orm';
import type { CampaignFollowUp } from '../../../contracts/campaigns.contract.ts';
import type { ListFollowUpsQuery } from '../../../contracts/follow-ups.contract.ts';
import { campaigns } from '../../db/schema.ts';
import { notFound } from '../../errors.ts';
import type { Actor, ServiceContext } from '../context.ts';
import { listFollowUps } from './follow-up-list.ts';
import { withWaiting } from './follow-up-waiting.ts';

export async function listCampaignFollowUps(
  ctx: ServiceContext,
  actor: Actor,
  campaignId: string,
  query: Omit<ListFollowUpsQuery, 'campaignId'>,
): Promise<{ items: CampaignFollowUp[]; nextCursor: string | null }> {
  const [campaign] = await ctx.db
    .select({ id: campaigns.id })
    .from(campaigns)
    .where(and(eq(campaigns.workspaceId, actor.workspaceId), eq(campaigns.id, campaignId)));
  if (!campaign) throw notFound('campaign');
  const page = await listFollowUps(ctx, actor, { ...query, campaignId });
  return { items: await withWaiting(ctx, actor, page.items), nextCursor: page.nextCursor };
}
