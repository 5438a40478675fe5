import { and, asc, eq, sql } from 'drizzle-orm';
import type { AgentStatus } from '../../core/roles.ts';
import { agents, followUps } from '../db/schema.ts';
import type { Actor, ServiceContext } from './context.ts';

export async function listAgents(ctx: ServiceContext, actor: Actor) {
  const inProgress = ctx.db
    .select({ agentId: followUps.resolvedAgentId, n: sql<number>`count(*)::int`.as('n') })
    .from(followUps)
    .where(
      and(
        eq(followUps.workspaceId, actor.workspaceId),
        eq(followUps.status, 'in_progress'),
        eq(followUps.type, 'call'),
      ),
    )
    .groupBy(followUps.resolvedAgentId)
    .as('in_progress');
  const rows = await ctx.db
    .select({ agent: agents, n: inProgress.n })
    .from(agents)
    .leftJoin(inProgress, eq(inProgress.agentId, agents.id))
    .where(eq(agents.workspaceId, actor.workspaceId))
    .orderBy(asc(agents.name), asc(agents.id));
  return {
    items: rows.map(({ agent, n }) => ({
      id: agent.id,
      name: agent.name,
      description: agent.description,
      status: agent.status as AgentStatus,
      maxConcurrentCalls: agent.maxConcurrentCalls,
      isDefault: agent.isDefault,
      callsInProgress: n ?? 0,
      createdAt: agent.createdAt.toISOString(),
      updatedAt: agent.updatedAt.toISOString(),
    })),
    nextCursor: null,
  };
}
