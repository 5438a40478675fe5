/**
 * The sessions table: the queries of signing in and out, without rules. A session is found by
 * the SHA-256 of its token (the token itself is never stored), which is how a request names it
 * before anyone knows its workspace; every other query is scoped to the workspace.
 */
import { and, eq, gt, isNull, ne } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { sessions, users } from '../schema.ts';

export type NewSession = typeof sessions.$inferInsert;

export async function insertSession(db: DbOrTx, session: NewSession): Promise<void> {
  await db.insert(sessions).values(session);
}

/** Deletes the session whose token has this hash (signing out). */
export async function deleteSessionByTokenHash(db: DbOrTx, tokenHash: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
}

/** A session that has not ended, and its user, who is not deactivated. */
export interface LiveSession {
  session: { id: string; workspaceId: string; createdAt: Date; lastSeenAt: Date };
  user: { id: string; workspaceId: string; role: string; mustChangePassword: boolean };
}

/** The session whose token has this hash, if it ends after `now` and its user is active. */
export async function findLiveSession(
  db: DbOrTx,
  tokenHash: string,
  now: Date,
): Promise<LiveSession | undefined> {
  const [row] = await db
    .select({
      session: {
        id: sessions.id,
        workspaceId: sessions.workspaceId,
        createdAt: sessions.createdAt,
        lastSeenAt: sessions.lastSeenAt,
      },
      user: {
        id: users.id,
        workspaceId: users.workspaceId,
        role: users.role,
        mustChangePassword: users.mustChangePassword,
      },
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(
        eq(sessions.tokenHash, tokenHash),
        gt(sessions.expiresAt, now),
        isNull(users.deactivatedAt),
      ),
    )
    .limit(1);
  return row;
}

/** The session was used at `seenAt`; it now ends at `expiresAt`. */
export async function touchSession(
  db: DbOrTx,
  workspaceId: string,
  id: string,
  seenAt: Date,
  expiresAt: Date,
): Promise<void> {
  await db
    .update(sessions)
    .set({ expiresAt, lastSeenAt: seenAt })
    .where(and(eq(sessions.workspaceId, workspaceId), eq(sessions.id, id)));
}

/** Ends every session of the user. */
export async function deleteUserSessions(
  db: DbOrTx,
  workspaceId: string,
  userId: string,
): Promise<void> {
  await db
    .delete(sessions)
    .where(and(eq(sessions.workspaceId, workspaceId), eq(sessions.userId, userId)));
}

/** Ends every session of the user but the one whose token has the hash `keepTokenHash`. */
export async function deleteOtherUserSessions(
  db: DbOrTx,
  workspaceId: string,
  userId: string,
  keepTokenHash: string,
): Promise<void> {
  await db
    .delete(sessions)
    .where(
      and(
        eq(sessions.workspaceId, workspaceId),
        eq(sessions.userId, userId),
        ne(sessions.tokenHash, keepTokenHash),
      ),
    );
}
