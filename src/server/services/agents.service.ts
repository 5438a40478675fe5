/**
 * Agents (SPEC §1, §7): the list with each agent's calls in progress, one agent with the calls
 * it is on right now, and an admin's create and edit. Names are unique per workspace (case
 * aside); one default agent per workspace, always active (default-agent.ts keeps it in sync).
 * An agent that open call follow-ups would still be placed with cannot be made inactive: the
 * engine never starts a call with an inactive agent, so those follow-ups would wait until they
 * expire. The refusal says how many there are.
 */
import type {
  Agent,
  AgentDetail,
  CreateAgentBody,
  UpdateAgentBody,
} from '../../contracts/agents.contract.ts';
import { contactDisplayName } from '../../core/contact.ts';
import type { AgentStatus } from '../../core/roles.ts';
import type { Tx } from '../db/client.ts';
import {
  type AgentWithCalls,
  countOpenCallsWithAgent,
  findAgentForUpdate,
  findAgentNamed,
  findAgentWithCalls,
  insertAgent,
  listAgentCallsNow,
  listAgentsWithCalls,
  updateAgentRow,
} from '../db/repositories/agents.ts';
import { lockWorkspace } from '../db/repositories/workspaces.ts';
import { conflict, notFound, unprocessable } from '../errors.ts';
import { newId } from '../ids.ts';
import { setDefaultAgent } from './agents/default-agent.ts';
import type { Actor, ServiceContext } from './context.ts';

function toAgent({ agent, n }: AgentWithCalls): Agent {
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
  const rows = await listAgentsWithCalls(ctx.db, actor.workspaceId);
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
  const row = await findAgentWithCalls(ctx.db, actor.workspaceId, id);
  if (!row) throw notFound('agent');
  const calls = await listAgentCallsNow(ctx.db, actor.workspaceId, id, CALLS_NOW_LIMIT);
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
    await insertAgent(tx, {
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
    const current = await findAgentForUpdate(tx, actor.workspaceId, id);
    if (!current) throw notFound('agent');
    const name = input.name ?? current.name;
    if (input.name !== undefined) await assertNameFree(tx, actor.workspaceId, name, id);
    const status = input.status ?? current.status;
    const isDefault = input.isDefault ?? current.isDefault;
    if (status === 'inactive') {
      if (isDefault) throw inactiveDefault(name);
      if (current.status === 'active') await assertNotNeeded(tx, actor.workspaceId, id, name);
    }
    await updateAgentRow(tx, actor.workspaceId, id, {
      name,
      ...(input.description !== undefined ? { description: input.description } : {}),
      status,
      maxConcurrentCalls: input.maxConcurrentCalls ?? current.maxConcurrentCalls,
      ...(input.externalAgentId !== undefined ? { externalAgentId: input.externalAgentId } : {}),
      ...(input.fromNumber !== undefined ? { fromNumber: input.fromNumber } : {}),
      updatedAt: now,
    });
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
  const taken = await findAgentNamed(tx, workspaceId, name, exceptId);
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
  const n = await countOpenCallsWithAgent(tx, workspaceId, id);
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
