/**
 * The workspace_voice_platforms table: a workspace's own voice platform. Queries only; the
 * voice platform service seals and opens the credentials.
 */
import { eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { workspaceVoicePlatforms } from '../schema.ts';

export type WorkspaceVoicePlatformRow = typeof workspaceVoicePlatforms.$inferSelect;

export async function findWorkspaceVoicePlatform(
  db: DbOrTx,
  workspaceId: string,
): Promise<WorkspaceVoicePlatformRow | undefined> {
  const [row] = await db
    .select()
    .from(workspaceVoicePlatforms)
    .where(eq(workspaceVoicePlatforms.workspaceId, workspaceId));
  return row;
}

export async function findWorkspaceVoicePlatforms(
  db: DbOrTx,
  workspaceIds: readonly string[],
): Promise<WorkspaceVoicePlatformRow[]> {
  if (workspaceIds.length === 0) return [];
  return db
    .select()
    .from(workspaceVoicePlatforms)
    .where(inArray(workspaceVoicePlatforms.workspaceId, [...workspaceIds]));
}

/** Inserts or replaces the workspace's row. */
export async function upsertWorkspaceVoicePlatform(
  db: DbOrTx,
  row: Omit<WorkspaceVoicePlatformRow, 'createdAt' | 'updatedAt'>,
  now: Date,
): Promise<void> {
  await db
    .insert(workspaceVoicePlatforms)
    .values({ ...row, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({
      target: workspaceVoicePlatforms.workspaceId,
      set: {
        provider: row.provider,
        caller: row.caller,
        voiceUrl: row.voiceUrl,
        credentials: row.credentials,
        hints: row.hints,
        updatedAt: now,
      },
    });
}

export async function deleteWorkspaceVoicePlatform(
  db: DbOrTx,
  workspaceId: string,
): Promise<boolean> {
  const rows = await db
    .delete(workspaceVoicePlatforms)
    .where(eq(workspaceVoicePlatforms.workspaceId, workspaceId))
    .returning({ id: workspaceVoicePlatforms.workspaceId });
  return rows.length > 0;
}
