/** Rows written straight into the database, for tests that need a record in a given state. */
import { asc, eq, inArray } from 'drizzle-orm';
import type { FollowUpStatus } from '../../src/core/follow-up.ts';
import type { Database } from '../../src/server/db/client.ts';
import * as s from '../../src/server/db/schema.ts';
import { newId } from '../../src/server/ids.ts';
import type { TestWorkspace } from './workspace.ts';

const HOUR = 3_600_000;
const TERMINAL: FollowUpStatus[] = ['completed', 'failed', 'cancelled', 'expired'];

/** A follow-up in any status, consistent with the schema's checks. */
export async function insertFollowUp(
  db: Database,
  ws: TestWorkspace,
  o: Partial<typeof s.followUps.$inferInsert> = {},
  now = new Date(),
): Promise<string> {
  const id = o.id ?? newId();
  const status = (o.status ?? 'scheduled') as FollowUpStatus;
  const scheduledAt = o.scheduledAt ?? new Date(now.getTime() + HOUR);
  await db.insert(s.followUps).values({
    id,
    workspaceId: ws.id,
    contactId: ws.contacts.ny,
    type: 'call',
    scheduledAt,
    source: 'manual',
    status,
    expiresAt: new Date(scheduledAt.getTime() + 72 * HOUR),
    completedAt: TERMINAL.includes(status) ? new Date(now.getTime() - HOUR) : null,
    snoozedUntil: status === 'snoozed' ? new Date(now.getTime() + 5 * HOUR) : null,
    ...o,
  });
  return id;
}

/** A follow-up row and its events, to prove that a refused action changed nothing. */
export async function snapshotFollowUp(db: Database, id: string) {
  const [row] = await db.select().from(s.followUps).where(eq(s.followUps.id, id));
  const events = await db
    .select()
    .from(s.followUpEvents)
    .where(eq(s.followUpEvents.followUpId, id))
    .orderBy(asc(s.followUpEvents.at), asc(s.followUpEvents.id));
  return { row, events };
}

/** Everything a workspace holds, to prove that requests from elsewhere changed nothing. */
export async function snapshotWorkspace(db: Database, workspaceId: string) {
  const byWs = <T extends { workspaceId: unknown }>(t: T) =>
    eq(t.workspaceId as never, workspaceId);
  const sorted = <R extends { id: string }>(rows: R[]) =>
    [...rows].sort((a, b) => a.id.localeCompare(b.id));
  return {
    workspace: await db.select().from(s.workspaces).where(eq(s.workspaces.id, workspaceId)),
    contacts: sorted(await db.select().from(s.contacts).where(byWs(s.contacts))),
    followUps: sorted(await db.select().from(s.followUps).where(byWs(s.followUps))),
    events: sorted(await db.select().from(s.followUpEvents).where(byWs(s.followUpEvents))),
    dnc: sorted(await db.select().from(s.dncEntries).where(byWs(s.dncEntries))),
    agents: sorted(await db.select().from(s.agents).where(byWs(s.agents))),
    webhooks: sorted(await db.select().from(s.webhookEndpoints).where(byWs(s.webhookEndpoints))),
    users: sorted(await db.select().from(s.users).where(byWs(s.users))),
    deliveries: sorted(
      await db.select().from(s.webhookDeliveries).where(byWs(s.webhookDeliveries)),
    ),
    apiKeys: sorted(
      (await db.select().from(s.apiKeys).where(byWs(s.apiKeys))).map((k) => ({
        ...k,
        lastUsedAt: null,
      })),
    ),
  };
}

export async function insertWebhookEndpoint(db: Database, ws: TestWorkspace): Promise<string> {
  const id = newId();
  await db.insert(s.webhookEndpoints).values({
    id,
    workspaceId: ws.id,
    url: 'https://hooks.example.com/followthrough',
    secret: 'whsec_dGVzdHNlY3JldHRlc3RzZWNyZXQ=',
  });
  return id;
}

/** A user of `role` who never signs in (their password hash is a placeholder). */
export async function insertUser(
  db: Database,
  ws: TestWorkspace,
  role = 'viewer',
): Promise<string> {
  const id = newId();
  await db.insert(s.users).values({
    id,
    workspaceId: ws.id,
    email: `user.${id}@example.com`,
    name: 'Extra User',
    passwordHash: 'not-a-password-hash',
    role,
  });
  return id;
}

/** An endpoint on a refused loopback address, and one recorded test delivery to it. */
export async function insertWebhookDelivery(
  db: Database,
  ws: TestWorkspace,
): Promise<{ endpointId: string; deliveryId: string }> {
  const endpointId = newId();
  await db.insert(s.webhookEndpoints).values({
    id: endpointId,
    workspaceId: ws.id,
    url: 'http://127.0.0.1:9/hook',
    secret: 'whsec_dGVzdHNlY3JldHRlc3RzZWNyZXQ=',
  });
  const deliveryId = newId();
  await db.insert(s.webhookDeliveries).values({
    id: deliveryId,
    workspaceId: ws.id,
    endpointId,
    eventType: 'test',
    webhookId: `test_${deliveryId}`,
    url: 'http://127.0.0.1:9/hook',
    payload: { type: 'test' },
    error: 'Refused',
  });
  return { endpointId, deliveryId };
}

export async function insertContact(db: Database, ws: TestWorkspace, phone: string) {
  const id = newId();
  await db.insert(s.contacts).values({ id, workspaceId: ws.id, phone, firstName: 'Extra' });
  return id;
}

export async function insertDncEntry(db: Database, ws: TestWorkspace, phone: string) {
  const id = newId();
  await db.insert(s.dncEntries).values({ id, workspaceId: ws.id, phone, reason: 'test' });
  return id;
}

/** Removes earlier runs' workspaces by name (tests sharing a PostgreSQL database). */
export async function deleteWorkspaces(db: Database, names: string[]): Promise<void> {
  await db.delete(s.workspaces).where(inArray(s.workspaces.name, names));
}

/** A campaign of the workspace in the given status (draft by default). */
export async function insertCampaign(
  db: Database,
  ws: TestWorkspace,
  o: Partial<typeof s.campaigns.$inferInsert> = {},
): Promise<string> {
  const id = o.id ?? newId();
  await db.insert(s.campaigns).values({ id, workspaceId: ws.id, name: 'Fixture campaign', ...o });
  return id;
}
