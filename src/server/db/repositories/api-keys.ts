/**
 * The api_keys table: the queries of API keys, without rules. A key is found by the SHA-256 of
 * its secret (the secret itself is never stored), which is how a request names it before anyone
 * knows its workspace; every other query is scoped to the workspace and returns undefined when
 * the workspace has no such key (the service decides what that means).
 */
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { apiKeys, users } from '../schema.ts';

export type ApiKeyRow = typeof apiKeys.$inferSelect;
export type NewApiKey = typeof apiKeys.$inferInsert;

/** A key that works: not revoked, and not made by a user who is now deactivated. */
export interface LiveApiKey {
  id: string;
  workspaceId: string;
  role: string;
  lastUsedAt: Date | null;
  createdByUserId: string | null;
}

/** The key whose secret has this hash, if it works. */
export async function findLiveApiKey(
  db: DbOrTx,
  secretHash: string,
): Promise<LiveApiKey | undefined> {
  const [row] = await db
    .select({
      id: apiKeys.id,
      workspaceId: apiKeys.workspaceId,
      role: apiKeys.role,
      lastUsedAt: apiKeys.lastUsedAt,
      createdByUserId: apiKeys.createdByUserId,
    })
    .from(apiKeys)
    .leftJoin(users, eq(users.id, apiKeys.createdByUserId))
    .where(
      and(
        eq(apiKeys.secretHash, secretHash),
        isNull(apiKeys.revokedAt),
        isNull(users.deactivatedAt),
      ),
    )
    .limit(1);
  return row;
}

/** The key was used at `usedAt`. */
export async function touchApiKey(
  db: DbOrTx,
  workspaceId: string,
  id: string,
  usedAt: Date,
): Promise<void> {
  await db
    .update(apiKeys)
    .set({ lastUsedAt: usedAt })
    .where(and(eq(apiKeys.workspaceId, workspaceId), eq(apiKeys.id, id)));
}

/** What a key's caller sees of it (never its secret's hash). */
export async function findApiKeyProfile(
  db: DbOrTx,
  workspaceId: string,
  id: string,
): Promise<{ id: string; name: string; role: string } | undefined> {
  const [row] = await db
    .select({ id: apiKeys.id, name: apiKeys.name, role: apiKeys.role })
    .from(apiKeys)
    .where(and(eq(apiKeys.workspaceId, workspaceId), eq(apiKeys.id, id)));
  return row;
}

/** The workspace's keys, revoked ones included, newest first. */
export async function listApiKeyRows(db: DbOrTx, workspaceId: string): Promise<ApiKeyRow[]> {
  return db
    .select()
    .from(apiKeys)
    .where(eq(apiKeys.workspaceId, workspaceId))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
}

export async function insertApiKey(db: DbOrTx, key: NewApiKey): Promise<ApiKeyRow> {
  const [row] = await db.insert(apiKeys).values(key).returning();
  return row!;
}

/**
 * Revokes the key at `now` (a key revoked before keeps its time). Returns it, or undefined when
 * the workspace has no such key.
 */
export async function revokeApiKeyRow(
  db: DbOrTx,
  workspaceId: string,
  id: string,
  now: Date,
): Promise<ApiKeyRow | undefined> {
  const [row] = await db
    .update(apiKeys)
    .set({
      revokedAt: sql`coalesce(${apiKeys.revokedAt}, ${now.toISOString()}::timestamptz)`,
      updatedAt: now,
    })
    .where(and(eq(apiKeys.workspaceId, workspaceId), eq(apiKeys.id, id)))
    .returning();
  return row;
}
