/**
 * The workspaces table: the queries services need, without rules. Each returns undefined when
 * there is no workspace with this id; the service decides what that means (usually a 404).
 */
import { eq } from 'drizzle-orm';
import type { CallingWindowPolicy } from '../../../core/calling-window.ts';
import type { DbOrTx, Tx } from '../client.ts';
import { workspaces } from '../schema.ts';

export type Workspace = typeof workspaces.$inferSelect;

/** Every column of the workspace. */
export async function findWorkspace(
  db: DbOrTx,
  workspaceId: string,
): Promise<Workspace | undefined> {
  const [row] = await db.select().from(workspaces).where(eq(workspaces.id, workspaceId));
  return row;
}

/** The workspace's time zone (an IANA name). */
export async function findWorkspaceZone(
  db: DbOrTx,
  workspaceId: string,
): Promise<string | undefined> {
  const [row] = await db
    .select({ timezone: workspaces.timezone })
    .from(workspaces)
    .where(eq(workspaces.id, workspaceId));
  return row?.timezone;
}

export interface WorkspaceCallingRules {
  callingWindow: CallingWindowPolicy;
  everyZone: boolean;
  closedOnPublicHolidays: boolean;
}

/** The workspace's calling window and the calling rules set beside it. */
export async function findWorkspaceCallingRules(
  db: DbOrTx,
  workspaceId: string,
): Promise<WorkspaceCallingRules | undefined> {
  const [row] = await db
    .select({
      callingWindow: workspaces.callingWindow,
      everyZone: workspaces.everyZone,
      closedOnPublicHolidays: workspaces.closedOnPublicHolidays,
    })
    .from(workspaces)
    .where(eq(workspaces.id, workspaceId));
  return row;
}

/**
 * Locks the workspace's row until the transaction ends, so that changes of one workspace
 * happen one at a time. False when there is no such workspace.
 */
export async function lockWorkspace(tx: Tx, workspaceId: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: workspaces.id })
    .from(workspaces)
    .where(eq(workspaces.id, workspaceId))
    .for('update');
  return row !== undefined;
}
