/**
 * GET /api/campaigns/:id/follow-ups: the follow-ups list filtered to one campaign, each open
 * row with why it waits (core/waiting.ts). The facts come in batched queries for the page's
 * rows only: the campaign and workspace policy (one), Do Not Call of the due rows' contacts
 * (one), the load of the queued calls' agents (one).
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { CampaignFollowUp } from '../../contracts/campaigns.contract.ts';
import type { ListFollowUpsQuery } from '../../contracts/follow-ups.contract.ts';
import type { CallingWindowPolicy } from '../../core/calling-window.ts';
import type { CampaignStatus } from '../../core/roles.ts';
import { waitingReason } from '../../core/waiting.ts';
import { agents, campaigns, contacts, dncEntries, followUps, workspaces } from '../db/schema.ts';
import { notFound } from '../errors.ts';
import type { Actor, ServiceContext } from './context.ts';
import { listFollowUps } from './follow-up-list.ts';
import { computeRunAt, fromInstant, toInstant } from './follow-up-preview.ts';

export async function listCampaignFollowUps(
  ctx: ServiceContext,
  actor: Actor,
  campaignId: string,
  query: Omit<ListFollowUpsQuery, 'campaignId'>,
): Promise<{ items: CampaignFollowUp[]; nextCursor: string | null }> {
  const [campaign] = await ctx.db
    .select({
      status: campaigns.status,
      callingWindow: campaigns.callingWindow,
      workspaceWindow: workspaces.callingWindow,
    })
    .from(campaigns)
    .innerJoin(workspaces, eq(workspaces.id, campaigns.workspaceId))
    .where(and(eq(campaigns.workspaceId, actor.workspaceId), eq(campaigns.id, campaignId)));
  if (!campaign) throw notFound('campaign');
  const now = ctx.clock.now();
  const page = await listFollowUps(ctx, actor, { ...query, campaignId });

  const due = page.items.filter(
    (f) =>
      f.status === 'scheduled' && Date.parse(f.nextAttemptAt ?? f.scheduledAt) <= now.getTime(),
  );
  const queuedAgents = [
    ...new Set(
      page.items
        .filter((f) => f.status === 'queued' && f.type === 'call' && f.resolvedAgent)
        .map((f) => f.resolvedAgent!.id),
    ),
  ];
  const [dnc, loads] = await Promise.all([
    doNotCallContacts(ctx, actor, [...new Set(due.map((f) => f.contactId))]),
    agentLoads(ctx, actor, queuedAgents),
  ]);

  const policy: CallingWindowPolicy = campaign.callingWindow ?? campaign.workspaceWindow;
  const items = page.items.map((f): CampaignFollowUp => {
    const zone = f.contactLocal.timezone;
    let runsAt: Date | null = null;
    if (due.includes(f)) {
      const result = computeRunAt({
        policy,
        zone,
        type: f.type,
        scheduledAt: toInstant(now),
        allowOutOfWindow: f.allowOutOfWindow,
        expiresAt: toInstant(new Date(f.expiresAt)),
        doNotCall: dnc.has(f.contactId),
      });
      runsAt = result.runsAt ? fromInstant(result.runsAt) : null;
    }
    const waiting = waitingReason({
      now,
      status: f.status,
      type: f.type,
      scheduledAt: new Date(f.scheduledAt),
      nextAttemptAt: f.nextAttemptAt ? new Date(f.nextAttemptAt) : null,
      snoozedUntil: f.snoozedUntil ? new Date(f.snoozedUntil) : null,
      attempts: f.attempts,
      zone,
      campaignStatus: campaign.status as CampaignStatus,
      runsAt,
      agentLoad: f.resolvedAgent ? (loads.get(f.resolvedAgent.id) ?? null) : null,
    });
    return { ...f, waiting };
  });
  return { items, nextCursor: page.nextCursor };
}

/** Which of these contacts are on the workspace's Do Not Call list. */
async function doNotCallContacts(
  ctx: ServiceContext,
  actor: Actor,
  contactIds: string[],
): Promise<Set<string>> {
  if (contactIds.length === 0) return new Set();
  const rows = await ctx.db
    .select({ id: contacts.id })
    .from(contacts)
    .innerJoin(
      dncEntries,
      and(eq(dncEntries.workspaceId, contacts.workspaceId), eq(dncEntries.phone, contacts.phone)),
    )
    .where(and(eq(contacts.workspaceId, actor.workspaceId), inArray(contacts.id, contactIds)));
  return new Set(rows.map((r) => r.id));
}

/** Calls in progress and capacity of these agents. */
async function agentLoads(
  ctx: ServiceContext,
  actor: Actor,
  agentIds: string[],
): Promise<Map<string, { inProgress: number; max: number }>> {
  if (agentIds.length === 0) return new Map();
  const rows = await ctx.db
    .select({
      id: agents.id,
      max: agents.maxConcurrentCalls,
      inProgress: sql<number>`count(${followUps.id})::int`,
    })
    .from(agents)
    .leftJoin(
      followUps,
      and(
        eq(followUps.workspaceId, agents.workspaceId),
        eq(followUps.resolvedAgentId, agents.id),
        eq(followUps.status, 'in_progress'),
        eq(followUps.type, 'call'),
      ),
    )
    .where(and(eq(agents.workspaceId, actor.workspaceId), inArray(agents.id, agentIds)))
    .groupBy(agents.id, agents.maxConcurrentCalls);
  return new Map(rows.map((r) => [r.id, { inProgress: Number(r.inProgress), max: r.max }]));
}
