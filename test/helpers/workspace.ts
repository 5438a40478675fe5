/**
 * A small workspace for API tests: users of each role, API keys of each role, agents (default,
 * active, inactive), contacts (one on the Do Not Call list, one without a time zone), a
 * campaign and a call log. Every test file makes its own, so tests share a database but never
 * see each other's rows.
 */
import { eq } from 'drizzle-orm';
import { DEFAULT_CALLING_WINDOW } from '../../src/core/calling-window.ts';
import { DEFAULT_OUTCOME_RULES } from '../../src/core/outcome-rules.ts';
import { DEFAULT_RETRY_SCHEDULE_MINUTES } from '../../src/core/retry.ts';
import type { Role } from '../../src/core/roles.ts';
import { systemClock } from '../../src/server/clock.ts';
import type { Database } from '../../src/server/db/client.ts';
import * as s from '../../src/server/db/schema.ts';
import { newId } from '../../src/server/ids.ts';
import { hashPassword } from '../../src/server/passwords.ts';
import { createApiKey } from '../../src/server/services/auth.service.ts';

export const PASSWORD = 'correct horse battery staple';
let passwordHash: Promise<string> | null = null;
let phoneCounter = Math.floor(Math.random() * 1_000_000);

/** A unique valid-looking E.164 number (UK mobile range). */
export function uniquePhone(): string {
  phoneCounter = (phoneCounter + 1) % 1_000_000;
  return `+447700${String(phoneCounter).padStart(6, '0')}`.slice(0, 13);
}

export interface TestWorkspace {
  id: string;
  name: string;
  users: Record<Role, { id: string; email: string }>;
  keys: Record<Role, string>;
  agents: { default: string; active: string; inactive: string };
  contacts: { ny: string; london: string; dnc: string; noZone: string };
  dncEntry: string;
  campaign: string;
  callLog: string;
}

export async function createTestWorkspace(db: Database, name = 'Test Co'): Promise<TestWorkspace> {
  passwordHash ??= hashPassword(PASSWORD);
  const hash = await passwordHash;
  const id = newId();
  await db.insert(s.workspaces).values({
    id,
    name,
    timezone: 'America/New_York',
    callingWindow: DEFAULT_CALLING_WINDOW,
    retryScheduleMinutes: [...DEFAULT_RETRY_SCHEDULE_MINUTES],
    outcomeRules: DEFAULT_OUTCOME_RULES,
  });
  const agents = { default: newId(), active: newId(), inactive: newId() };
  await db.insert(s.agents).values([
    { id: agents.default, workspaceId: id, name: 'Ava', isDefault: true, maxConcurrentCalls: 2 },
    { id: agents.active, workspaceId: id, name: 'Ben', maxConcurrentCalls: 5 },
    { id: agents.inactive, workspaceId: id, name: 'Cleo', status: 'inactive' },
  ]);
  await db
    .update(s.workspaces)
    .set({ defaultAgentId: agents.default })
    .where(eq(s.workspaces.id, id));

  const users = {} as TestWorkspace['users'];
  for (const role of ['admin', 'operator', 'viewer'] as const) {
    const user = { id: newId(), email: `${role}.${id}@example.com` };
    await db.insert(s.users).values({
      id: user.id,
      workspaceId: id,
      email: user.email,
      name: `${role[0]!.toUpperCase()}${role.slice(1)} User`,
      passwordHash: hash,
      role,
    });
    users[role] = user;
  }
  const adminActor = {
    workspaceId: id,
    kind: 'user' as const,
    id: users.admin.id,
    role: 'admin' as const,
  };
  const keys = {} as TestWorkspace['keys'];
  for (const role of ['admin', 'operator', 'viewer'] as const) {
    keys[role] = (
      await createApiKey({ db, clock: systemClock }, adminActor, { name: role, role })
    ).key;
  }

  const contacts = { ny: newId(), london: newId(), dnc: newId(), noZone: newId() };
  const dncPhone = uniquePhone();
  await db.insert(s.contacts).values([
    {
      id: contacts.ny,
      workspaceId: id,
      firstName: 'Nora',
      lastName: 'York',
      phone: uniquePhone(),
      timezone: 'America/New_York',
      email: 'nora@example.com',
    },
    {
      id: contacts.london,
      workspaceId: id,
      firstName: 'Liam',
      lastName: 'Stone',
      phone: uniquePhone(),
      timezone: 'Europe/London',
    },
    {
      id: contacts.dnc,
      workspaceId: id,
      firstName: 'Dana',
      lastName: 'Quiet',
      phone: dncPhone,
      timezone: 'America/Chicago',
    },
    {
      id: contacts.noZone,
      workspaceId: id,
      firstName: 'Zed',
      lastName: 'Nowhere',
      phone: '+12125550123',
    },
  ]);
  const dncEntry = newId();
  await db
    .insert(s.dncEntries)
    .values({ id: dncEntry, workspaceId: id, phone: dncPhone, reason: 'Asked not to be called' });
  const campaign = newId();
  await db.insert(s.campaigns).values({
    id: campaign,
    workspaceId: id,
    name: 'Renewals',
    agentId: agents.active,
    status: 'running',
  });
  const callLog = newId();
  await db.insert(s.callLogs).values({
    id: callLog,
    workspaceId: id,
    contactId: contacts.ny,
    agentId: agents.default,
    campaignId: campaign,
    direction: 'outbound',
    outcome: 'answered',
    startedAt: new Date(Date.now() - 3_600_000),
    endedAt: new Date(Date.now() - 3_500_000),
    durationSeconds: 100,
    summary: 'Talked about renewal.',
  });
  return { id, name, users, keys, agents, contacts, dncEntry, campaign, callLog };
}
