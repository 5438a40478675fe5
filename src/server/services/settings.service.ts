/**
 * Workspace settings: anyone signed in reads them, admins change them. A change is all or
 * nothing: the contract checks every field (time zone, calling window, retry schedule, expiry,
 * outcome rules) before anything is written, and the default agent must be an active agent of
 * the workspace.
 */
import { and, eq } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { PatchSettings, Settings } from '../../contracts/settings.contract.ts';
import type { CallingWindowPolicy } from '../../core/calling-window.ts';
import { canonicalZone } from '../../core/time-zone.ts';
import { lockWorkspace } from '../db/repositories/workspaces.ts';
import { agents, workspaces } from '../db/schema.ts';
import { notFound, unprocessable } from '../errors.ts';
import { setDefaultAgent } from './agents/default-agent.ts';
import type { Actor, ServiceContext } from './context.ts';
import { replanDeferred } from './follow-ups/replan.ts';

export async function getSettings(ctx: ServiceContext, actor: Actor): Promise<Settings> {
  const [row] = await ctx.db
    .select({ workspace: workspaces, agent: { id: agents.id, name: agents.name } })
    .from(workspaces)
    .leftJoin(
      agents,
      and(eq(agents.workspaceId, workspaces.id), eq(agents.id, workspaces.defaultAgentId)),
    )
    .where(eq(workspaces.id, actor.workspaceId));
  if (!row) throw notFound('workspace');
  const { workspace, agent } = row;
  return {
    name: workspace.name,
    timezone: workspace.timezone,
    callingWindow: workspace.callingWindow,
    retryScheduleMinutes: workspace.retryScheduleMinutes,
    defaultExpiryHours: workspace.defaultExpiryHours,
    defaultAgent: agent ? { id: agent.id, name: agent.name } : null,
    outcomeRules: workspace.outcomeRules,
    everyZone: workspace.everyZone,
    closedOnPublicHolidays: workspace.closedOnPublicHolidays,
    frequencyCaps: workspace.frequencyCaps,
    updatedAt: workspace.updatedAt.toISOString(),
  };
}

/**
 * Changes the given settings in one transaction. The default agent is also marked on the
 * agents themselves (agents.isDefault, see default-agent.ts), so the agents list and the
 * settings agree.
 */
export async function updateSettings(
  ctx: ServiceContext,
  actor: Actor,
  input: PatchSettings,
): Promise<Settings> {
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    if (!(await lockWorkspace(tx, actor.workspaceId))) throw notFound('workspace');

    const agentId = input.defaultAgentId;
    if (agentId) {
      const [agent] = await tx
        .select({ status: agents.status, name: agents.name })
        .from(agents)
        .where(and(eq(agents.workspaceId, actor.workspaceId), eq(agents.id, agentId)))
        .for('share');
      if (!agent) {
        throw unprocessable('There is no agent with this id in your workspace.', [
          { path: 'defaultAgentId', message: 'Choose an agent of your workspace.' },
        ]);
      }
      if (agent.status !== 'active') {
        throw unprocessable(`${agent.name} is inactive and cannot be the default agent.`, [
          { path: 'defaultAgentId', message: 'Choose an active agent.' },
        ]);
      }
    }

    const set: PgUpdateSetSource<typeof workspaces> = { updatedAt: now };
    if (input.name !== undefined) set.name = input.name;
    if (input.timezone !== undefined) set.timezone = canonicalZone(input.timezone);
    if (input.callingWindow !== undefined) {
      set.callingWindow = input.callingWindow as CallingWindowPolicy;
    }
    if (input.retryScheduleMinutes !== undefined) {
      set.retryScheduleMinutes = input.retryScheduleMinutes;
    }
    if (input.defaultExpiryHours !== undefined) set.defaultExpiryHours = input.defaultExpiryHours;
    if (input.outcomeRules !== undefined) set.outcomeRules = input.outcomeRules;
    if (input.everyZone !== undefined) set.everyZone = input.everyZone;
    if (input.closedOnPublicHolidays !== undefined) {
      set.closedOnPublicHolidays = input.closedOnPublicHolidays;
    }
    if (input.frequencyCaps !== undefined) set.frequencyCaps = input.frequencyCaps;
    await tx.update(workspaces).set(set).where(eq(workspaces.id, actor.workspaceId));
    // The new window (or calling rules) applies at once to what waits for the old opening.
    if (
      input.callingWindow !== undefined ||
      input.everyZone !== undefined ||
      input.closedOnPublicHolidays !== undefined
    ) {
      await replanDeferred(tx, actor, 'workspace', now);
    }

    if (agentId !== undefined) await setDefaultAgent(tx, actor.workspaceId, agentId, now);
  });
  return getSettings(ctx, actor);
}
