/**
 * Agents (SPEC §1, §7): the list with each agent's calls in progress, one agent with the calls
 * it is on right now, and an admin's create and edit. Names are unique per workspace (case
 * aside); one default agent per workspace, always active (default-agent.ts keeps it in sync).
 * An agent that open call follow-ups would still be placed with cannot be made inactive: the
 * engine never starts a call with an inactive agent, so those follow-ups would wait until they
 * expire. The refusal says how many there are.
 */
import { and, asc, eq, ne, sql } from 'drizzle-orm';
import type {
  Agent,
  AgentDetail,
  CreateAgentBody,
  UpdateAgentBody,
} from '../../contracts/agents.contract.ts';
import { contactDisplayName } from '../../core/contact.ts';
import { OPEN_STATUSES } from '../../core/follow-up.ts';
import type { AgentStatus } from '../../core/roles.ts';
import type { DbOrTx, Tx } from '../db/client.ts';
import { lockWorkspace } from '../db/repositories/workspaces.ts';
import { agents, contacts, followUpAttempts, followUps } from '../db/schema.ts';
import { pgArray, rowsOf } from '../db/sql.ts';
import { conflict, notFound, unprocessable } from '../errors.ts';
import { newId } from '../ids.ts';
import { setDefaultAgent } from './agents/default-agent.ts';
import type { Actor, ServiceContext } from './context.ts';

/** Calls in progress per agent of the workspace, as a subquery to join. */
function callsInProgress(db: DbOrTx, workspaceId: string) {
  return db
    .select({ agentId: followUps.resolvedAgentId, n: sql<number>`count(*)::int`.as('n') })
    .from(followUps)
    .where(
      and(
        eq(followUps.workspaceId, workspaceId),
        eq(followUps.status, 'in_progress'),
        eq(followUps.type, 'call'),
      ),
    )
    .groupBy(followUps.resolvedAgentId)
    .as('in_progress');
}

function selectAgents(db: DbOrTx, workspaceId: string) {
  const inProgress = callsInProgress(db, workspaceId);
  return db
    .select({ agent: agents, n: inProgress.n })
    .from(agents)
    .leftJoin(inProgress, eq(inProgress.agentId, agents.id))
    .$dynamic();
}

function toAgent({ agent, n }: { agent: typeof agents.$inferSelect; n: number | null }): Agent {
  return {
    id: agent.id,
    name: agent.name,
    description: agent.description,
    status: agent.status as AgentStatus,
    maxConcurrentCalls: agent.maxConcurrentCalls,
    isDefault: agent.isDefault,
    externalAgentId: agent.externalAgentId,
    fromNumber: agent.fromNumber,
    callsInProgress: n ?? 0,
    createdAt: agent.createdAt.toISOString(),
    updatedAt: agent.updatedAt.toISOString(),
  };
}

export async function listAgents(ctx: ServiceContext, actor: Actor) {
  const rows = await selectAgents(ctx.db, actor.workspaceId)
    .where(eq(agents.workspaceId, actor.workspaceId))
    .orderBy(asc(agents.name), asc(agents.id));
  return { items: rows.map(toAgent), nextCursor: null };
}

/** The most calls listed for one agent (its capacity is at most 100). */
const CALLS_NOW_LIMIT = 200;

/** One agent and the calls it is on right now, longest-running first. */
export async function getAgent(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
): Promise<AgentDetail> {
  const [row] = await selectAgents(ctx.db, actor.workspaceId).where(
    and(eq(agents.workspaceId, actor.workspaceId), eq(agents.id, id)),
  );
  if (!row) throw notFound('agent');
  const calls = await ctx.db
    .select({
      followUpId: followUps.id,
      attempt: followUps.attempts,
      startedAt: followUpAttempts.startedAt,
      contactId: contacts.id,
      firstName: contacts.firstName,
      lastName: contacts.lastName,
      phone: contacts.phone,
    })
    .from(followUps)
    .innerJoin(
      contacts,
      and(eq(contacts.workspaceId, followUps.workspaceId), eq(contacts.id, followUps.contactId)),
    )
    .innerJoin(
      followUpAttempts,
      and(
        eq(followUpAttempts.followUpId, followUps.id),
        eq(followUpAttempts.number, followUps.attempts),
      ),
    )
    .where(
      and(
        eq(followUps.workspaceId, actor.workspaceId),
        eq(followUps.resolvedAgentId, id),
        eq(followUps.status, 'in_progress'),
        eq(followUps.type, 'call'),
      ),
    )
    .orderBy(asc(followUpAttempts.startedAt), asc(followUps.id))
    .limit(CALLS_NOW_LIMIT);
  return {
    ...toAgent(row),
    callsNow: calls.map((c) => ({
      followUpId: c.followUpId,
      contact: {
        id: c.contactId,
        name: contactDisplayName({
          id: c.contactId,
          firstName: c.firstName,
          lastName: c.lastName,
          phone: c.phone,
        }),
      },
      attempt: c.attempt,
      startedAt: c.startedAt.toISOString(),
    })),
  };
}

/** Adds an agent (admin). isDefault true makes it the workspace default. */
export async function createAgent(
  ctx: ServiceContext,
  actor: Actor,
  input: CreateAgentBody,
): Promise<AgentDetail> {
  const now = ctx.clock.now();
  const id = newId();
  await ctx.db.transaction(async (tx) => {
    await lockAgentsOf(tx, actor.workspaceId);
    await assertNameFree(tx, actor.workspaceId, input.name, null);
    if (input.isDefault && input.status === 'inactive') throw inactiveDefault(input.name);
    await tx.insert(agents).values({
      id,
      workspaceId: actor.workspaceId,
      name: input.name,
      description: input.description ?? null,
      status: input.status,
      maxConcurrentCalls: input.maxConcurrentCalls,
      externalAgentId: input.externalAgentId ?? null,
      fromNumber: input.fromNumber ?? null,
      createdAt: now,
      updatedAt: now,
    });
    if (input.isDefault) await setDefaultAgent(tx, actor.workspaceId, id, now);
  });
  return getAgent(ctx, actor, id);
}

/** Changes an agent (admin): all or nothing. */
export async function updateAgent(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
  input: UpdateAgentBody,
): Promise<AgentDetail> {
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    await lockAgentsOf(tx, actor.workspaceId);
    const [current] = await tx
      .select()
      .from(agents)
      .where(and(eq(agents.workspaceId, actor.workspaceId), eq(agents.id, id)))
      .for('update');
    if (!current) throw notFound('agent');
    const name = input.name ?? current.name;
    if (input.name !== undefined) await assertNameFree(tx, actor.workspaceId, name, id);
    const status = input.status ?? current.status;
    const isDefault = input.isDefault ?? current.isDefault;
    if (status === 'inactive') {
      if (isDefault) throw inactiveDefault(name);
      if (current.status === 'active') await assertNotNeeded(tx, actor.workspaceId, id, name);
    }
    await tx
      .update(agents)
      .set({
        name,
        ...(input.description !== undefined ? { description: input.description } : {}),
        status,
        maxConcurrentCalls: input.maxConcurrentCalls ?? current.maxConcurrentCalls,
        ...(input.externalAgentId !== undefined ? { externalAgentId: input.externalAgentId } : {}),
        ...(input.fromNumber !== undefined ? { fromNumber: input.fromNumber } : {}),
        updatedAt: now,
      })
      .where(and(eq(agents.workspaceId, actor.workspaceId), eq(agents.id, id)));
    if (input.isDefault === true && !current.isDefault) {
      await setDefaultAgent(tx, actor.workspaceId, id, now);
    } else if (input.isDefault === false && current.isDefault) {
      await setDefaultAgent(tx, actor.workspaceId, null, now);
    }
  });
  return getAgent(ctx, actor, id);
}

/** Agent changes of one workspace happen one at a time (unique names, one default). */
async function lockAgentsOf(tx: Tx, workspaceId: string): Promise<void> {
  if (!(await lockWorkspace(tx, workspaceId))) throw notFound('workspace');
}

async function assertNameFree(
  tx: Tx,
  workspaceId: string,
  name: string,
  exceptId: string | null,
): Promise<void> {
  const [taken] = await tx
    .select({ id: agents.id, name: agents.name })
    .from(agents)
    .where(
      and(
        eq(agents.workspaceId, workspaceId),
        sql`lower(${agents.name}) = lower(${name})`,
        exceptId ? ne(agents.id, exceptId) : undefined,
      ),
    )
    .limit(1);
  if (taken) {
    throw conflict(`There is already an agent named "${taken.name}" in your workspace.`, [
      { path: 'name', message: 'Choose a name no other agent has.' },
    ]);
  }
}

const inactiveDefault = (name: string) =>
  unprocessable(
    `${name} is the default agent and must stay active. Choose another default agent first, ` +
      'then deactivate it.',
    [{ path: 'status', message: 'The default agent must be active.' }],
  );

/**
 * Refuses to deactivate an agent that open call follow-ups would be placed with: chosen for
 * them, or inherited from their campaign or from the call that created them (SPEC §4).
 */
async function assertNotNeeded(tx: Tx, workspaceId: string, id: string, name: string) {
  const [row] = rowsOf<{ n: number }>(
    await tx.execute(sql`
      select count(*)::int as n
      from follow_ups f
      left join campaigns camp on camp.workspace_id = f.workspace_id and camp.id = f.campaign_id
      left join call_logs cl on cl.workspace_id = f.workspace_id and cl.id = f.source_call_log_id
      where f.workspace_id = ${workspaceId}::uuid and f.type = 'call'
        and f.status = any(${pgArray([...OPEN_STATUSES])}::text[])
        and (f.resolved_agent_id = ${id}::uuid and f.status in ('queued', 'in_progress')
          or coalesce(f.agent_id, camp.agent_id,
            case when f.source = 'call_outcome' then cl.agent_id end) = ${id}::uuid)`),
  );
  const n = row?.n ?? 0;
  if (n > 0) {
    const what = n === 1 ? '1 open call follow-up uses' : `${n} open call follow-ups use`;
    throw unprocessable(
      `${what} ${name} (chosen for them, or through their campaign). An inactive agent places ` +
        'no calls, so they would wait until they expire. Give them another agent or cancel ' +
        'them first, then deactivate it.',
      [{ path: 'status', message: `${what} this agent.` }],
    );
  }
}
