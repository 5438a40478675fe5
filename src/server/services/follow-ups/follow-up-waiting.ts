/**
 * Why open follow-ups are not running yet (core/waiting.ts), for the detail, the follow-ups
 * list and a campaign's list. The facts come in batched queries over the given rows only, and
 * only the ones a row needs: the campaigns of scheduled rows (status, window), the workspace's
 * window, Do Not Call of the due rows' contacts, the load of the queued calls' agents.
 * the engine's last deferral of rows held by a frequency cap, and for rows outside their
 * calling time whether rules stricter than the window (state rules, holidays, the area code's
 * zone) are what keeps them waiting.
 */
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type {
  FollowUp,
  FollowUpListItem,
  ListFollowUpsQuery,
  Waiting,
} from '../../../contracts/follow-ups.contract.ts';
import type { AppliedRule } from '../../../core/calling-rules.ts';
import type { CallingWindowPolicy } from '../../../core/calling-window.ts';
import type { CampaignStatus } from '../../../core/roles.ts';
import { computeRunAt, contactRules, fromInstant, toInstant } from '../../../core/scheduling.ts';
import { waitingReason } from '../../../core/waiting.ts';
import { findWorkspaceCallingRules } from '../../db/repositories/workspaces.ts';
import {
  agents,
  campaigns,
  contacts,
  dncEntries,
  followUpEvents,
  followUps,
} from '../../db/schema.ts';
import type { Actor, ServiceContext } from '../context.ts';
import { listFollowUps } from './follow-up-list.ts';

/** GET /api/follow-ups: a page of the list, each row with why it waits. */
export async function listFollowUpsWaiting(
  ctx: ServiceContext,
  actor: Actor,
  query: ListFollowUpsQuery,
): Promise<{ items: FollowUpListItem[]; nextCursor: string | null }> {
  const page = await listFollowUps(ctx, actor, query);
  return { items: await withWaiting(ctx, actor, page.items), nextCursor: page.nextCursor };
}

type AgentLoad = { inProgress: number; max: number };
type CampaignFacts = {
  status: CampaignStatus;
  callingWindow: CallingWindowPolicy | null;
  closedOnPublicHolidays: boolean | null;
};

/** The rows, each with `waiting` (null when there is nothing to explain). */
export async function withWaiting<T extends FollowUp>(
  ctx: ServiceContext,
  actor: Actor,
  rows: T[],
): Promise<(T & { waiting: Waiting | null })[]> {
  const now = ctx.clock.now();
  const scheduled = rows.filter((f) => f.status === 'scheduled');
  const due = scheduled.filter(
    (f) => Date.parse(f.nextAttemptAt ?? f.scheduledAt) <= now.getTime(),
  );
  // Retries ahead: when they may run depends on the window at their retry time.
  const retrying = scheduled.filter(
    (f) => f.attempts > 0 && f.nextAttemptAt && Date.parse(f.nextAttemptAt) > now.getTime(),
  );
  // Deferred by the engine (outside the calling time, or held by a frequency cap).
  const deferred = scheduled.filter(
    (f) => f.nextAttemptAt && Date.parse(f.nextAttemptAt) > now.getTime(),
  );
  const placed = [...due, ...retrying];
  const ruled = [...placed, ...deferred.filter((f) => f.attempts === 0)];
  const campaignIds = unique(scheduled.map((f) => f.campaignId));
  const queuedAgents = unique(
    rows
      .filter((f) => f.status === 'queued' && f.type === 'call')
      .map((f) => f.resolvedAgent?.id ?? null),
  );
  const [campaignFacts, workspace, contactsFacts, loads, capHolds] = await Promise.all([
    campaignsOf(ctx, actor, campaignIds),
    ruled.length > 0 ? workspaceWindowOf(ctx, actor) : null,
    contactFacts(ctx, actor, unique(ruled.map((f) => f.contactId))),
    agentLoads(ctx, actor, queuedAgents),
    capHoldsOf(
      ctx,
      actor,
      deferred.map((f) => f.id),
    ),
  ]);

  return rows.map((f) => {
    const zone = f.contactLocal.timezone;
    const campaign = f.campaignId ? campaignFacts.get(f.campaignId) : undefined;
    let runsAt: Date | null = null;
    let stricterRules: string | null = null;
    const contact = contactsFacts.get(f.contactId);
    if (workspace && contact && ruled.includes(f)) {
      const from = due.includes(f) || !placed.includes(f) ? now : new Date(f.nextAttemptAt!);
      const policy = campaign?.callingWindow ?? workspace.callingWindow;
      const rules = contactRules({
        policy,
        zone,
        contact,
        settings: {
          everyZone: workspace.everyZone,
          closedOnPublicHolidays:
            campaign?.closedOnPublicHolidays ?? workspace.closedOnPublicHolidays,
        },
        at: from,
      });
      const runAt = (constraints: typeof rules.constraints) => {
        const result = computeRunAt({
          constraints,
          type: f.type,
          scheduledAt: toInstant(from),
          allowOutOfWindow: f.allowOutOfWindow,
          expiresAt: toInstant(new Date(f.expiresAt)),
          doNotCall: contact.doNotCall,
        });
        return result.runsAt ? fromInstant(result.runsAt) : null;
      };
      const full = runAt(rules.constraints);
      if (placed.includes(f)) runsAt = full;
      const stricter = stricterNames(rules.rules);
      if (stricter) {
        // The window and the federal bound alone, in the contact's zone.
        const plain = runAt(
          contactRules({
            policy,
            zone,
            contact: { region: null, phone: null },
            settings: { everyZone: false, closedOnPublicHolidays: false },
            at: from,
          }).constraints,
        );
        const waitsUntil = placed.includes(f) ? full : new Date(f.nextAttemptAt!);
        if (waitsUntil && plain && plain.getTime() < waitsUntil.getTime()) {
          stricterRules = stricter;
        }
      }
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
      campaignStatus: campaign?.status ?? null,
      runsAt,
      agentLoad: f.resolvedAgent ? (loads.get(f.resolvedAgent.id) ?? null) : null,
      capHold: capHolds.get(f.id) ?? null,
      stricterRules,
    });
    return { ...f, waiting };
  });
}

/** 'Florida and Texas', or null when only the window and the federal bound apply. */
function stricterNames(rules: readonly AppliedRule[]): string | null {
  const names: string[] = [];
  for (const r of rules) {
    const name =
      r.code === 'state_hours' || r.code === 'state_holidays'
        ? r.message.split(':')[0]!
        : r.code === 'public_holidays'
          ? 'public holidays'
          : r.code === 'every_zone'
            ? 'the area code’s zone'
            : null;
    if (name && !names.includes(name)) names.push(name);
  }
  if (names.length === 0) return null;
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/**
 * The frequency cap holding each of these follow-ups: their last `deferred` event, when it was
 * the engine holding them for a cap.
 */
async function capHoldsOf(
  ctx: ServiceContext,
  actor: Actor,
  ids: string[],
): Promise<Map<string, { rule: string; until: Date }>> {
  if (ids.length === 0) return new Map();
  const rows = await ctx.db
    .selectDistinctOn([followUpEvents.followUpId], {
      id: followUpEvents.followUpId,
      data: followUpEvents.data,
    })
    .from(followUpEvents)
    .where(
      and(
        eq(followUpEvents.workspaceId, actor.workspaceId),
        inArray(followUpEvents.followUpId, ids),
        eq(followUpEvents.kind, 'deferred'),
      ),
    )
    .orderBy(followUpEvents.followUpId, desc(followUpEvents.at), desc(followUpEvents.id));
  const out = new Map<string, { rule: string; until: Date }>();
  for (const r of rows) {
    const data = (r.data ?? {}) as { reason?: string; until?: string; rule?: string };
    if (data.reason !== 'frequency_cap' || !data.until || !data.rule) continue;
    out.set(r.id, { rule: data.rule, until: new Date(data.until) });
  }
  return out;
}

const unique = (ids: (string | null)[]) => [...new Set(ids.filter((id) => id !== null))];

async function campaignsOf(
  ctx: ServiceContext,
  actor: Actor,
  ids: string[],
): Promise<Map<string, CampaignFacts>> {
  if (ids.length === 0) return new Map();
  const rows = await ctx.db
    .select({
      id: campaigns.id,
      status: campaigns.status,
      callingWindow: campaigns.callingWindow,
      closedOnPublicHolidays: campaigns.closedOnPublicHolidays,
    })
    .from(campaigns)
    .where(and(eq(campaigns.workspaceId, actor.workspaceId), inArray(campaigns.id, ids)));
  return new Map(
    rows.map((r) => [
      r.id,
      {
        status: r.status as CampaignStatus,
        callingWindow: r.callingWindow ?? null,
        closedOnPublicHolidays: r.closedOnPublicHolidays,
      },
    ]),
  );
}

async function workspaceWindowOf(ctx: ServiceContext, actor: Actor) {
  const rules = await findWorkspaceCallingRules(ctx.db, actor.workspaceId);
  return rules!;
}

/** What the calling rules need of these contacts, and whether they are on Do Not Call. */
async function contactFacts(
  ctx: ServiceContext,
  actor: Actor,
  contactIds: string[],
): Promise<Map<string, { phone: string; region: string | null; doNotCall: boolean }>> {
  if (contactIds.length === 0) return new Map();
  const rows = await ctx.db
    .select({
      id: contacts.id,
      phone: contacts.phone,
      region: contacts.region,
      dncId: dncEntries.id,
    })
    .from(contacts)
    .leftJoin(
      dncEntries,
      and(eq(dncEntries.workspaceId, contacts.workspaceId), eq(dncEntries.phone, contacts.phone)),
    )
    .where(and(eq(contacts.workspaceId, actor.workspaceId), inArray(contacts.id, contactIds)));
  return new Map(
    rows.map((r) => [r.id, { phone: r.phone, region: r.region, doNotCall: r.dncId !== null }]),
  );
}

/** Calls in progress and capacity of these agents. */
async function agentLoads(
  ctx: ServiceContext,
  actor: Actor,
  agentIds: string[],
): Promise<Map<string, AgentLoad>> {
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
