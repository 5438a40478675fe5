/**
 * Users of the workspace (admin): invite with a one-time password (argon2id-hashed like every
 * password), change role, deactivate and reactivate. Deactivating deletes the user's sessions
 * and forgets them in this process at once; other processes follow within ACTOR_CACHE_MS, and
 * their cached session is gone from the database already.
 *
 * An email is unique within a workspace only: inviting a person who already has an account in
 * another workspace gives them a second, separate account here, answered exactly like any new
 * invite, so an invite tells nothing about other workspaces (docs/decisions/0009).
 *
 * The workspace always keeps one active admin: a change that would remove the last one is
 * checked while the workspace's active admin rows are locked, so two admins demoting each
 * other at the same moment cannot both succeed.
 */
import { randomBytes } from 'node:crypto';
import { and, asc, eq, isNull, type SQL, sql } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { CreateUser, PatchUser, User } from '../../contracts/users.contract.ts';
import type { Role } from '../../core/roles.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { sessions, users, workspaces } from '../db/schema.ts';
import { conflict, notFound } from '../errors.ts';
import { newId } from '../ids.ts';
import { hashPassword } from '../passwords.ts';
import { forgetActor } from './auth.service.ts';
import type { Actor, ServiceContext } from './context.ts';

function userView(row: typeof users.$inferSelect): User {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    role: row.role as Role,
    active: row.deactivatedAt === null,
    mustChangePassword: row.mustChangePassword,
    deactivatedAt: row.deactivatedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

/** A strong first password: 18 random bytes (144 bits), base64url. */
export function oneTimePassword(): string {
  return randomBytes(18).toString('base64url');
}

export async function listUsers(ctx: ServiceContext, actor: Actor) {
  const rows = await ctx.db
    .select()
    .from(users)
    .where(eq(users.workspaceId, actor.workspaceId))
    .orderBy(asc(users.createdAt), asc(users.id));
  return { items: rows.map(userView), nextCursor: null };
}

export async function createUser(ctx: ServiceContext, actor: Actor, input: CreateUser) {
  const password = oneTimePassword();
  const passwordHash = await hashPassword(password);
  const now = ctx.clock.now();
  try {
    const [row] = await ctx.db
      .insert(users)
      .values({
        id: newId(),
        workspaceId: actor.workspaceId,
        name: input.name,
        email: input.email,
        passwordHash,
        role: input.role,
        mustChangePassword: true,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    return { ...userView(row!), oneTimePassword: password };
  } catch (error) {
    if (isUniqueViolation(error, 'users_workspace_email_unique')) {
      throw conflict(`A user of this workspace already has the email ${input.email}.`, [
        { path: 'email', message: 'A user of this workspace already has this email.' },
      ]);
    }
    throw error;
  }
}

const LAST_ADMIN =
  'The workspace needs at least one active admin: make another user an admin first.';

export async function updateUser(ctx: ServiceContext, actor: Actor, id: string, input: PatchUser) {
  const now = ctx.clock.now();
  const row = await ctx.db.transaction(async (tx) => {
    // Lock the active admins in a fixed order first: concurrent demotions queue up here and
    // each one counts the admins that are left once the previous one committed.
    const admins = await tx
      .select({ id: users.id })
      .from(users)
      .where(
        and(
          eq(users.workspaceId, actor.workspaceId),
          eq(users.role, 'admin'),
          isNull(users.deactivatedAt),
        ),
      )
      .orderBy(asc(users.id))
      .for('update');
    const mine = and(eq(users.workspaceId, actor.workspaceId), eq(users.id, id));
    const [existing] = await tx.select().from(users).where(mine).for('update');
    if (!existing) throw notFound('user');

    const activeAdmin = existing.role === 'admin' && existing.deactivatedAt === null;
    const demoted = input.role !== undefined && input.role !== 'admin';
    const deactivated = input.active === false;
    if (activeAdmin && (demoted || deactivated) && admins.every((a) => a.id === id)) {
      throw conflict(
        LAST_ADMIN,
        demoted
          ? [{ path: 'role', message: 'This is the last active admin.' }]
          : [{ path: 'active', message: 'This is the last active admin.' }],
      );
    }

    const set: PgUpdateSetSource<typeof users> = { updatedAt: now };
    if (input.name !== undefined) set.name = input.name;
    if (input.role !== undefined) set.role = input.role;
    if (input.active !== undefined) {
      set.deactivatedAt = input.active
        ? null
        : sql`coalesce(${users.deactivatedAt}, ${now.toISOString()}::timestamptz)`;
    }
    const [updated] = await tx.update(users).set(set).where(mine).returning();
    if (deactivated) await tx.delete(sessions).where(eq(sessions.userId, id));
    return updated!;
  });
  forgetActor(row.id);
  return userView(row);
}

/**
 * A new one-time password for a user who forgot theirs: their sessions end, and they must
 * choose a password of their own at the next sign-in. Returns the password, shown once.
 */
async function resetTo(ctx: ServiceContext, where: SQL | undefined) {
  const password = oneTimePassword();
  const passwordHash = await hashPassword(password);
  const now = ctx.clock.now();
  const row = await ctx.db.transaction(async (tx) => {
    const [updated] = await tx
      .update(users)
      .set({ passwordHash, mustChangePassword: true, updatedAt: now })
      .where(where)
      .returning();
    if (updated) await tx.delete(sessions).where(eq(sessions.userId, updated.id));
    return updated;
  });
  if (!row) return null;
  forgetActor(row.id);
  return { ...userView(row), oneTimePassword: password };
}

/** An admin resets the password of a user of their workspace. */
export async function resetPassword(ctx: ServiceContext, actor: Actor, id: string) {
  const reset = await resetTo(ctx, and(eq(users.workspaceId, actor.workspaceId), eq(users.id, id)));
  if (!reset) throw notFound('user');
  return reset;
}

/**
 * The accounts that sign in with an email, oldest first, with their workspace (the CLI asks which
 * one when there are several).
 */
export async function accountsByEmail(ctx: ServiceContext, email: string) {
  return ctx.db
    .select({ id: users.id, workspaceId: workspaces.id, workspace: workspaces.name })
    .from(users)
    .innerJoin(workspaces, eq(workspaces.id, users.workspaceId))
    .where(sql`lower(${users.email}) = lower(${email})`)
    .orderBy(asc(users.createdAt), asc(users.id));
}

/** `followthrough reset-password EMAIL`: for an admin who cannot sign in at all. */
export async function resetPasswordOf(ctx: ServiceContext, userId: string) {
  return resetTo(ctx, eq(users.id, userId));
}
