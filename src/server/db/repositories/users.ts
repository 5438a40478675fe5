/**
 * The users table: the queries the sign-in and users services need, without rules. A user's
 * queries are scoped to the workspace; a read returns undefined when the workspace has no such
 * user, and the service decides what that means (usually a 404). Only the accounts of an email
 * are read across workspaces: signing in and the CLI's password reset start from an email alone,
 * and one person may have an account in several workspaces (docs/decisions/0009).
 */
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { DbOrTx, Tx } from '../client.ts';
import { users, workspaces } from '../schema.ts';

export type UserRow = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;

/** An account of an email and the name of its workspace. */
export interface AccountOfEmail {
  user: UserRow;
  workspaceName: string;
}

/**
 * The accounts that sign in with this email (any case), oldest first, each with its workspace's
 * name, across workspaces. `active`: only the accounts not deactivated; `limit`: at most so many.
 */
export async function listAccountsByEmail(
  db: DbOrTx,
  email: string,
  opts: { active?: boolean; limit?: number } = {},
): Promise<AccountOfEmail[]> {
  const query = db
    .select({ user: users, workspaceName: workspaces.name })
    .from(users)
    .innerJoin(workspaces, eq(workspaces.id, users.workspaceId))
    .where(
      and(
        sql`lower(${users.email}) = lower(${email})`,
        opts.active ? isNull(users.deactivatedAt) : undefined,
      ),
    )
    .orderBy(asc(users.createdAt), asc(users.id))
    .$dynamic();
  return opts.limit === undefined ? query : query.limit(opts.limit);
}

/** What a signed-in user sees of themselves. */
export interface UserProfile {
  id: string;
  email: string;
  name: string;
  role: string;
  mustChangePassword: boolean;
}

export async function findUserProfile(
  db: DbOrTx,
  workspaceId: string,
  id: string,
): Promise<UserProfile | undefined> {
  const [row] = await db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      mustChangePassword: users.mustChangePassword,
    })
    .from(users)
    .where(and(eq(users.workspaceId, workspaceId), eq(users.id, id)));
  return row;
}

/** The user's email and password hash, to check a password change against. */
export async function findUserPassword(
  db: DbOrTx,
  workspaceId: string,
  id: string,
): Promise<{ email: string; passwordHash: string } | undefined> {
  const [row] = await db
    .select({ email: users.email, passwordHash: users.passwordHash })
    .from(users)
    .where(and(eq(users.workspaceId, workspaceId), eq(users.id, id)));
  return row;
}

/** A password the user chose themselves: the one-time password, if any, is done with. */
export async function setChosenPassword(
  db: DbOrTx,
  workspaceId: string,
  id: string,
  passwordHash: string,
  now: Date,
): Promise<void> {
  await db
    .update(users)
    .set({ passwordHash, mustChangePassword: false, passwordChangedAt: now, updatedAt: now })
    .where(and(eq(users.workspaceId, workspaceId), eq(users.id, id)));
}

/**
 * A one-time password: the user must choose their own at the next sign-in. Returns the user,
 * or undefined when the workspace has no such user.
 */
export async function setOneTimePassword(
  db: DbOrTx,
  workspaceId: string,
  id: string,
  passwordHash: string,
  now: Date,
): Promise<UserRow | undefined> {
  const [row] = await db
    .update(users)
    .set({ passwordHash, mustChangePassword: true, updatedAt: now })
    .where(and(eq(users.workspaceId, workspaceId), eq(users.id, id)))
    .returning();
  return row;
}

/** The workspace's users, oldest first. */
export async function listUserRows(db: DbOrTx, workspaceId: string): Promise<UserRow[]> {
  return db
    .select()
    .from(users)
    .where(eq(users.workspaceId, workspaceId))
    .orderBy(asc(users.createdAt), asc(users.id));
}

/** Inserts the user; throws the unique violation `users_workspace_email_unique` on a taken email. */
export async function insertUser(db: DbOrTx, user: NewUser): Promise<UserRow> {
  const [row] = await db.insert(users).values(user).returning();
  return row!;
}

/**
 * The ids of the workspace's active admins, their rows locked in a fixed order until the
 * transaction ends (concurrent changes of admins queue up here).
 */
export async function lockActiveAdmins(tx: Tx, workspaceId: string): Promise<string[]> {
  const rows = await tx
    .select({ id: users.id })
    .from(users)
    .where(
      and(eq(users.workspaceId, workspaceId), eq(users.role, 'admin'), isNull(users.deactivatedAt)),
    )
    .orderBy(asc(users.id))
    .for('update');
  return rows.map((r) => r.id);
}

/** The user, their row locked until the transaction ends. */
export async function findUserForUpdate(
  tx: Tx,
  workspaceId: string,
  id: string,
): Promise<UserRow | undefined> {
  const [row] = await tx
    .select()
    .from(users)
    .where(and(eq(users.workspaceId, workspaceId), eq(users.id, id)))
    .for('update');
  return row;
}

export interface UserChanges {
  name?: string;
  role?: string;
  /** Deactivated from this instant (an earlier deactivation keeps its time); null: active. */
  deactivatedAt?: Date | null;
  updatedAt: Date;
}

/** Changes the user; returns them, or undefined when the workspace has no such user. */
export async function updateUserRow(
  db: DbOrTx,
  workspaceId: string,
  id: string,
  changes: UserChanges,
): Promise<UserRow | undefined> {
  const set: PgUpdateSetSource<typeof users> = { updatedAt: changes.updatedAt };
  if (changes.name !== undefined) set.name = changes.name;
  if (changes.role !== undefined) set.role = changes.role;
  if (changes.deactivatedAt !== undefined) {
    set.deactivatedAt =
      changes.deactivatedAt === null
        ? null
        : sql`coalesce(${users.deactivatedAt}, ${changes.deactivatedAt.toISOString()}::timestamptz)`;
  }
  const [row] = await db
    .update(users)
    .set(set)
    .where(and(eq(users.workspaceId, workspaceId), eq(users.id, id)))
    .returning();
  return row;
}
