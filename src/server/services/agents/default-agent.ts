/**
 * The workspace default agent is written in two places: workspaces.default_agent_id (what
 * routing reads) and agents.is_default (what the agents list shows; a unique index keeps one
 * per workspace). This is the one function that changes it, so both always agree.
 */
import { and, eq, ne } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { agents, workspaces } from '../../db/schema.ts';

/**
 * Makes `agentId` the default agent of the workspace (null: no default). The caller has
 * checked that the agent is an active agent of the workspace, inside the same transaction.
 */
export async function setDefaultAgent(
  tx: Tx,
  workspaceId: string,
  agentId: string | null,
  now: Date,
): Promise<void> {
  await tx
    .update(workspaces)
    .set({ defaultAgentId: agentId, updatedAt: now })
    .where(eq(workspaces.id, workspaceId));
  // One default per workspace (a unique index): unmark the others first.
  await tx
    .update(agents)
    .set({ isDefault: false, updatedAt: now })
    .where(
      and(
        eq(agents.workspaceId, workspaceId),
        eq(agents.isDefault, true),
        agentId ? ne(agents.id, agentId) : undefined,
      ),
    );
  if (agentId) {
    await tx
      .update(agents)
      .set({ isDefault: true, updatedAt: now })
      .where(
        and(
          eq(agents.workspaceId, workspaceId),
          eq(agents.id, agentId),
          eq(agents.isDefault, false),
        ),
      );
  }
}
