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
import type { CreateUser, PatchUser, User } from '../../contracts/users.contract.ts';
import type { Role } from '../../core/roles.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { deleteUserSessions } from '../db/repositories/sessions.ts';
import {
  findUserForUpdate,
  insertUser,
  listAccountsByEmail,
  listUserRows,
  lockActiveAdmins,
  setOneTimePassword,
  type UserChanges,
  type UserRow,
  updateUserRow,
} from '../db/repositories/users.ts';
import { conflict, notFound } from '../errors.ts';
import { newId } from '../ids.ts';
import { hashPassword } from '../passwords.ts';
import { forgetActor } from './auth.service.ts';
import type { Actor, ServiceContext } from './context.ts';

function userView(row: UserRow): User {
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
  const rows = await listUserRows(ctx.db, actor.workspaceId);
  return { items: rows.map(userView), nextCursor: null };
}

export async function createUser(ctx: ServiceContext, actor: Actor, input: CreateUser) {
  const password = oneTimePassword();
  const passwordHash = await hashPassword(password);
  const now = ctx.clock.now();
  try {
    const row = await insertUser(ctx.db, {
      id: newId(),
      workspaceId: actor.workspaceId,
      name: input.name,
      email: input.email,
      passwordHash,
      role: input.role,
      mustChangePassword: true,
      createdAt: now,
      updatedAt: now,
    });
    return { ...userView(row), oneTimePassword: password };
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
    const admins = await lockActiveAdmins(tx, actor.workspaceId);
    const existing = await findUserForUpdate(tx, actor.workspaceId, id);
    if (!existing) throw notFound('user');

    const activeAdmin = existing.role === 'admin' && existing.deactivatedAt === null;
    const demoted = input.role !== undefined && input.role !== 'admin';
    const deactivated = input.active === false;
    if (activeAdmin && (demoted || deactivated) && admins.every((adminId) => adminId === id)) {
      throw conflict(
        LAST_ADMIN,
        demoted
          ? [{ path: 'role', message: 'This is the last active admin.' }]
          : [{ path: 'active', message: 'This is the last active admin.' }],
      );
    }

    const changes: UserChanges = { updatedAt: now };
    if (input.name !== undefined) changes.name = input.name;
    if (input.role !== undefined) changes.role = input.role;
    if (input.active !== undefined) changes.deactivatedAt = input.active ? null : now;
    const updated = await updateUserRow(tx, actor.workspaceId, id, changes);
    if (deactivated) await deleteUserSessions(tx, actor.workspaceId, id);
    return updated!;
  });
  forgetActor(row.id);
  return userView(row);
}

/**
 * A new one-time password for a user who forgot theirs: their sessions end, and they must
 * choose a password of their own at the next sign-in. Returns the password, shown once.
 */
async function resetTo(ctx: ServiceContext, workspaceId: string, id: string) {
  const password = oneTimePassword();
  const passwordHash = await hashPassword(password);
  const now = ctx.clock.now();
  const row = await ctx.db.transaction(async (tx) => {
    const updated = await setOneTimePassword(tx, workspaceId, id, passwordHash, now);
    if (updated) await deleteUserSessions(tx, workspaceId, updated.id);
    return updated;
  });
  if (!row) return null;
  forgetActor(row.id);
  return { ...userView(row), oneTimePassword: password };
}

/** An admin resets the password of a user of their workspace. */
export async function resetPassword(ctx: ServiceContext, actor: Actor, id: string) {
  const reset = await resetTo(ctx, actor.workspaceId, id);
  if (!reset) throw notFound('user');
  return reset;
}

/**
 * The accounts that sign in with an email, oldest first, with their workspace (the CLI asks which
 * one when there are several).
 */
export async function accountsByEmail(ctx: ServiceContext, email: string) {
  const accounts = await listAccountsByEmail(ctx.db, email);
  return accounts.map((a) => ({
    id: a.user.id,
    workspaceId: a.user.workspaceId,
    workspace: a.workspaceName,
  }));
}

/**
 * `followthrough reset-password EMAIL`: for an admin who cannot sign in at all. Null when the
 * workspace has no such user.
 */
export async function resetPasswordOf(ctx: ServiceContext, workspaceId: string, userId: string) {
  return resetTo(ctx, workspaceId, userId);
}
