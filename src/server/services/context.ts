import type { Role } from '../../core/roles.ts';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/client.ts';

/** What every service function needs besides its input: the database and the clock. */
export interface ServiceContext {
  db: Database;
  clock: Clock;
  /** How long sessions last: unused (idle) and at most (lifetime). Default 7 and 30 days. */
  sessions?: SessionPolicy;
}

export interface SessionPolicy {
  idleMinutes: number;
  lifetimeMinutes: number;
}

/** Who is acting: a signed-in user or an API key, always inside one workspace. */
export interface Actor {
  workspaceId: string;
  kind: 'user' | 'api_key';
  id: string;
  role: Role;
  /** A user signed in with a one-time password: only the password change is open to them. */
  mustChangePassword?: boolean;
}

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

export function roleAllows(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

/** How an actor appears on a timeline event. */
export function eventActor(actor: Actor | null): {
  actorType: 'user' | 'api_key' | 'system';
  actorId: string | null;
} {
  return actor
    ? { actorType: actor.kind, actorId: actor.id }
    : { actorType: 'system', actorId: null };
}
