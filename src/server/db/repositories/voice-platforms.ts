/**
 * The workspace_voice_platforms table: a workspace's own voice platform. Queries only; the
 * voice platform service seals and opens the credentials.
 */
import { eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
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

/**
 * Whose rows a voice platform's report may touch: one workspace's (the report was signed with
 * its own secret), or, signed with the server's environment secret, those of the workspaces
 * without a voice platform of their own.
 */
export type VoicePlatformScope = { workspaceId: string } | 'environment';

/** The condition on a row's workspace column that the scope allows. */
export function inVoicePlatformScope(scope: VoicePlatformScope, workspaceId: AnyPgColumn): SQL {
  if (scope !== 'environment') return eq(workspaceId, scope.workspaceId);
  return sql`not exists (select 1 from ${workspaceVoicePlatforms} where ${workspaceVoicePlatforms.workspaceId} = ${workspaceId})`;
}
