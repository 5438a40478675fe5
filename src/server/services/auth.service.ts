/**
 * Sign-in, sessions and API keys. Session tokens and API keys are random secrets; only their
 * SHA-256 is stored, so a copy of the database signs nobody in.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { ChangePassword } from '../../contracts/auth.contract.ts';
import type { Role } from '../../core/roles.ts';
import {
  type ApiKeyRow,
  findApiKeyProfile,
  findLiveApiKey,
  insertApiKey,
  listApiKeyRows,
  revokeApiKeyRow,
  touchApiKey,
} from '../db/repositories/api-keys.ts';
import {
  deleteOtherUserSessions,
  deleteSessionByTokenHash,
  findLiveSession,
  insertSession,
  touchSession,
} from '../db/repositories/sessions.ts';
import {
  findUserPassword,
  findUserProfile,
  listAccountsByEmail,
  setChosenPassword,
} from '../db/repositories/users.ts';
import { findWorkspace } from '../db/repositories/workspaces.ts';
import { chooseWorkspace, forbidden, invalid, notFound, unauthenticated } from '../errors.ts';
import { newId } from '../ids.ts';
import { hashPassword, verifyPassword, weakPasswordReason } from '../passwords.ts';
import type { Actor, ServiceContext, SessionPolicy } from './context.ts';

const MINUTE = 60_000;
/** The accounts one email may be checked against at sign-in (one per workspace). */
const MAX_ACCOUNTS = 20;
export const DEFAULT_SESSIONS: SessionPolicy = {
  idleMinutes: 7 * 24 * 60,
  lifetimeMinutes: 30 * 24 * 60,
};

/**
 * When a session seen at `seen` ends: after the idle time without use, and never later than
 * its lifetime after sign-in.
 */
export function sessionEnd(policy: SessionPolicy, createdAt: Date, seen: Date): Date {
  return new Date(
    Math.min(
      seen.getTime() + policy.idleMinutes * MINUTE,
      createdAt.getTime() + policy.lifetimeMinutes * MINUTE,
    ),
  );
}

export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/**
 * Who a session or key is, remembered for a few seconds so that a busy client costs one query
 * per request, not two. Sign-out and revocation forget at once in this process; other
 * processes follow within ACTOR_CACHE_MS.
 */
export const ACTOR_CACHE_MS = 5_000;
/** `owner`: the user an API key was made by (the key stops when they are deactivated). */
const actorCache = new Map<string, { actor: Actor; owner: string | null; until: number }>();

// Times are the service clock's, so that a clock moved on (tests) ends cached sessions too.
function cached(hash: string, now: Date): Actor | null {
  const hit = actorCache.get(hash);
  if (!hit) return null;
  if (hit.until > now.getTime()) return hit.actor;
  actorCache.delete(hash);
  return null;
}

function remember(hash: string, now: Date, actor: Actor, owner: string | null = null): void {
  if (actorCache.size >= 10_000) actorCache.clear();
  actorCache.set(hash, { actor, owner, until: now.getTime() + ACTOR_CACHE_MS });
}

/**
 * Forgets a user (and the API keys they made) or a key at once in this process (deactivation,
 * role or password change, revocation).
 */
export function forgetActor(id: string): void {
  for (const [hash, entry] of actorCache) {
    if (entry.actor.id === id || entry.owner === id) actorCache.delete(hash);
  }
}

// Verifying against this when the email is unknown keeps the response time the same.
let dummyHash: Promise<string> | null = null;

/**
 * Signs in the account that has this email and accepts this password. One person may have an
 * account in several workspaces (docs/decisions/0009), each with its own password: every active
 * account with the email is checked (together, so the time hardly tells how many there are).
 * When the same password opens several, the person chooses the workspace (`workspaceId`); the
 * choice lists only the workspaces the password opened.
 *
 * `othersRefused`: an account with this email refused the password while another took it. The
 * caller counts that as a failed attempt on the email, so that someone who controls one account
 * (an admin who invited the email) cannot guess another account's password through their own
 * without the limit on failures.
 */
export async function login(
  ctx: ServiceContext,
  email: string,
  password: string,
  workspaceId?: string,
): Promise<{
  token: string;
  expiresAt: Date;
  cookieExpiresAt: Date;
  actor: Actor;
  othersRefused: boolean;
}> {
  const accounts = await listAccountsByEmail(ctx.db, email, { active: true, limit: MAX_ACCOUNTS });
  if (accounts.length === 0) {
    dummyHash ??= hashPassword('not-a-real-password');
    await verifyPassword(await dummyHash, password);
    throw unauthenticated('The email or the password is wrong.');
  }
  const opened = await Promise.all(
    accounts.map((a) => verifyPassword(a.user.passwordHash, password)),
  );
  const matching = accounts.filter(
    (a, i) => opened[i] && (workspaceId === undefined || a.user.workspaceId === workspaceId),
  );
  if (matching.length === 0) throw unauthenticated('The email or the password is wrong.');
  if (matching.length > 1) {
    throw chooseWorkspace(matching.map((a) => ({ id: a.user.workspaceId, name: a.workspaceName })));
  }
  const { user } = matching[0]!;
  const othersRefused = opened.some((ok) => !ok);
  const token = randomBytes(32).toString('base64url');
  const now = ctx.clock.now();
  const policy = ctx.sessions ?? DEFAULT_SESSIONS;
  const expiresAt = sessionEnd(policy, now, now);
  await insertSession(ctx.db, {
    id: newId(),
    workspaceId: user.workspaceId,
    userId: user.id,
    tokenHash: sha256(token),
    expiresAt,
    createdAt: now,
    lastSeenAt: now,
  });
  return {
    othersRefused,
    token,
    expiresAt,
    // The browser keeps the cookie for the whole lifetime; the server ends it when idle.
    cookieExpiresAt: new Date(now.getTime() + policy.lifetimeMinutes * MINUTE),
    actor: {
      workspaceId: user.workspaceId,
      kind: 'user',
      id: user.id,
      role: user.role as Role,
      mustChangePassword: user.mustChangePassword,
    },
  };
}

export async function logout(ctx: ServiceContext, token: string): Promise<void> {
  actorCache.delete(sha256(token));
  await deleteSessionByTokenHash(ctx.db, sha256(token));
}

/**
 * The actor behind a session cookie, or null. Use keeps a session going (its idle time counts
 * from the last request, written at most once a minute) up to its lifetime.
 */
export async function actorFromSession(ctx: ServiceContext, token: string): Promise<Actor | null> {
  const hash = sha256(token);
  const now = ctx.clock.now();
  const hit = cached(hash, now);
  if (hit) return hit;
  const live = await findLiveSession(ctx.db, hash, now);
  if (!live) return null;
  const { session, user } = live;
  if (now.getTime() - session.lastSeenAt.getTime() >= MINUTE) {
    const policy = ctx.sessions ?? DEFAULT_SESSIONS;
    await touchSession(
      ctx.db,
      session.workspaceId,
      session.id,
      now,
      sessionEnd(policy, session.createdAt, now),
    );
  }
  const actor: Actor = {
    workspaceId: user.workspaceId,
    kind: 'user',
    id: user.id,
    role: user.role as Role,
    mustChangePassword: user.mustChangePassword,
  };
  remember(hash, now, actor);
  return actor;
}

const KEY_PATTERN = /^ft_([a-z0-9]{8})_([A-Za-z0-9_-]{32,64})$/;

/**
 * The actor behind an API key, or null: not revoked, and not made by a user who is now
 * deactivated. lastUsedAt is written at most once a minute.
 */
export async function actorFromApiKey(ctx: ServiceContext, key: string): Promise<Actor | null> {
  if (!KEY_PATTERN.test(key)) return null;
  const hash = sha256(key);
  const now = ctx.clock.now();
  const hit = cached(hash, now);
  if (hit) return hit;
  const row = await findLiveApiKey(ctx.db, hash);
  if (!row) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
    await touchApiKey(ctx.db, row.workspaceId, row.id, now);
  }
  const actor: Actor = {
    workspaceId: row.workspaceId,
    kind: 'api_key',
    id: row.id,
    role: row.role as Role,
  };
  remember(hash, now, actor, row.createdByUserId);
  return actor;
}

export async function me(ctx: ServiceContext, actor: Actor) {
  const row = await findWorkspace(ctx.db, actor.workspaceId);
  if (!row) throw notFound('workspace');
  const workspace = { id: row.id, name: row.name, timezone: row.timezone };
  if (actor.kind === 'user') {
    const user = await findUserProfile(ctx.db, actor.workspaceId, actor.id);
    if (!user) throw unauthenticated();
    return {
      kind: 'user' as const,
      user: { ...user, role: user.role as Role },
      apiKey: null,
      workspace,
    };
  }
  const key = await findApiKeyProfile(ctx.db, actor.workspaceId, actor.id);
  if (!key) throw unauthenticated();
  return {
    kind: 'api_key' as const,
    user: null,
    apiKey: { ...key, role: key.role as Role },
    workspace,
  };
}

/**
 * A signed-in person changes their password: the current one first, then a new one that
 * passes the policy. Their other sessions end; the one making the change goes on.
 */
export async function changePassword(
  ctx: ServiceContext,
  actor: Actor,
  sessionToken: string | undefined,
  input: ChangePassword,
): Promise<void> {
  if (actor.kind !== 'user') {
    throw forbidden('An API key has no password: sign in as the person to change theirs.');
  }
  const user = await findUserPassword(ctx.db, actor.workspaceId, actor.id);
  if (!user) throw unauthenticated();
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw invalid('The current password is wrong.', [
      { path: 'currentPassword', message: 'This is not your current password.' },
    ]);
  }
  const weak = await weakPasswordReason(input.newPassword, {
    email: user.email,
    current: input.currentPassword,
  });
  if (weak) throw invalid(weak, [{ path: 'newPassword', message: weak }]);
  const passwordHash = await hashPassword(input.newPassword);
  const now = ctx.clock.now();
  const keep = sessionToken ? sha256(sessionToken) : '';
  await ctx.db.transaction(async (tx) => {
    await setChosenPassword(tx, actor.workspaceId, actor.id, passwordHash, now);
    await deleteOtherUserSessions(tx, actor.workspaceId, actor.id, keep);
  });
  forgetActor(actor.id);
}

// API keys (admin).

function apiKeyView(row: ApiKeyRow) {
  return {
    id: row.id,
    name: row.name,
    role: row.role as Role,
    prefix: row.prefix,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

export async function listApiKeys(ctx: ServiceContext, actor: Actor) {
  const rows = await listApiKeyRows(ctx.db, actor.workspaceId);
  return { items: rows.map(apiKeyView), nextCursor: null };
}

export async function createApiKey(
  ctx: ServiceContext,
  actor: Actor,
  input: { name: string; role: Role },
) {
  const prefix = randomBytes(6).toString('hex').slice(0, 8);
  const key = `ft_${prefix}_${randomBytes(32).toString('base64url')}`;
  const row = await insertApiKey(ctx.db, {
    id: newId(),
    workspaceId: actor.workspaceId,
    name: input.name,
    role: input.role,
    prefix: `ft_${prefix}`,
    secretHash: sha256(key),
    createdByUserId: actor.kind === 'user' ? actor.id : null,
    createdAt: ctx.clock.now(),
    updatedAt: ctx.clock.now(),
  });
  return { ...apiKeyView(row), key };
}

export async function revokeApiKey(ctx: ServiceContext, actor: Actor, id: string) {
  const now = ctx.clock.now();
  const row = await revokeApiKeyRow(ctx.db, actor.workspaceId, id, now);
  if (!row) throw notFound('API key');
  forgetActor(row.id);
  return apiKeyView(row);
}
