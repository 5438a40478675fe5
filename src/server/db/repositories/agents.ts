/**
 * The agents table: the queries the agents service needs, without rules. Every query is scoped
 * to the workspace; a read returns undefined when the workspace has no such agent, and the
 * service decides what that means (usually a 404).
 */
import { and, asc, eq, ne, or, sql } from 'drizzle-orm';
import { OPEN_STATUSES } from '../../../core/follow-up.ts';
import type { DbOrTx, Tx } from '../client.ts';
import { agents, contacts, followUpAttempts, followUps } from '../schema.ts';
import { pgArray, rowsOf } from '../sql.ts';
import { inVoicePlatformScope, type VoicePlatformScope } from './voice-platforms.ts';

export type AgentRow = typeof agents.$inferSelect;
export type NewAgent = typeof agents.$inferInsert;

/** An agent and how many calls it is on now (null: none). */
export interface AgentWithCalls {
  agent: AgentRow;
  n: number | null;
}

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

/** The workspace's agents by name, each with its calls in progress. */
export async function listAgentsWithCalls(
  db: DbOrTx,
  workspaceId: string,
): Promise<AgentWithCalls[]> {
  return selectAgents(db, workspaceId)
    .where(eq(agents.workspaceId, workspaceId))
    .orderBy(asc(agents.name), asc(agents.id));
}

export async function findAgentWithCalls(
  db: DbOrTx,
  workspaceId: string,
  id: string,
): Promise<AgentWithCalls | undefined> {
  const [row] = await selectAgents(db, workspaceId).where(
    and(eq(agents.workspaceId, workspaceId), eq(agents.id, id)),
  );
  return row;
}

/** The calls the agent is on right now, longest-running first, with their contacts. */
export async function listAgentCallsNow(
  db: DbOrTx,
  workspaceId: string,
  agentId: string,
  limit: number,
) {
  return db
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
        eq(followUps.workspaceId, workspaceId),
        eq(followUps.resolvedAgentId, agentId),
        eq(followUps.status, 'in_progress'),
        eq(followUps.type, 'call'),
      ),
    )
    .orderBy(asc(followUpAttempts.startedAt), asc(followUps.id))
    .limit(limit);
}

export async function insertAgent(db: DbOrTx, agent: NewAgent): Promise<void> {
  await db.insert(agents).values(agent);
}

/** The agent, its row locked until the transaction ends. */
export async function findAgentForUpdate(
  tx: Tx,
  workspaceId: string,
  id: string,
): Promise<AgentRow | undefined> {
  const [row] = await tx
    .select()
    .from(agents)
    .where(and(eq(agents.workspaceId, workspaceId), eq(agents.id, id)))
    .for('update');
  return row;
}

export async function updateAgentRow(
  db: DbOrTx,
  workspaceId: string,
  id: string,
  set: Partial<Omit<NewAgent, 'id' | 'workspaceId'>>,
): Promise<void> {
  await db
    .update(agents)
    .set(set)
    .where(and(eq(agents.workspaceId, workspaceId), eq(agents.id, id)));
}

/** Another agent of the workspace with this name, case aside. */
export async function findAgentNamed(
  db: DbOrTx,
  workspaceId: string,
  name: string,
  exceptId: string | null,
): Promise<{ id: string; name: string } | undefined> {
  const [row] = await db
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
  return row;
}

/**
 * Open call follow-ups that would be placed with the agent: chosen for them, or inherited from
 * their campaign or from the call that created them (SPEC §4).
 */
export async function countOpenCallsWithAgent(
  db: DbOrTx,
  workspaceId: string,
  id: string,
): Promise<number> {
  const [row] = rowsOf<{ n: number }>(
    await db.execute(sql`
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
  return row?.n ?? 0;
}

/**
 * The workspaces of the agents a voice platform's call reached: those with this platform agent
 * id or this number to call from, of any workspace (the call says which workspace only through
 * them), within `scope` when given; `limit` rows at most, a workspace once per agent. None
 * without an agent id or a number.
 */
export async function listVoiceAgentWorkspaceIds(
  db: DbOrTx,
  reached: { externalAgentId?: string | null | undefined; number?: string | null | undefined },
  limit: number,
  scope?: VoicePlatformScope,
): Promise<string[]> {
  const matches = [
    ...(reached.externalAgentId ? [eq(agents.externalAgentId, reached.externalAgentId)] : []),
    ...(reached.number ? [eq(agents.fromNumber, reached.number)] : []),
  ];
  if (matches.length === 0) return [];
  const rows = await db
    .select({ workspaceId: agents.workspaceId })
    .from(agents)
    .where(
      scope ? and(or(...matches), inVoicePlatformScope(scope, agents.workspaceId)) : or(...matches),
    )
    .limit(limit);
  return rows.map((r) => r.workspaceId);
}
