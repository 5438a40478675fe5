/**
 * The demo workspace "Demo Co" (SPEC §10): agents, campaigns, 300 contacts across time zones,
 * ~1,500 calls over the last 30 days and ~600 follow-ups in every status, each with the events,
 * attempts and call logs its status implies. Deterministic: the same seed and `now` give the
 * same rows and ids. planDemo (demo-plan.ts) plans the rows in memory; seedDemo inserts them in
 * bulk in one transaction, once.
 */
import { randomBytes } from 'node:crypto';
import { eq, inArray, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { DbOrTx, Tx } from '../db/client.ts';
import * as s from '../db/schema.ts';
import { hashPassword } from '../passwords.ts';
import type { DemoRows } from './demo-model.ts';
import { planDemo } from './demo-plan.ts';

export type { DemoRows, PlanDemoInput } from './demo-model.ts';
export { planDemo };

export const DEMO_WORKSPACE_NAME = 'Demo Co';
/** The seed `followthrough seed` and the first start use unless told otherwise. */
export const DEMO_SEED = 42;

export interface SeedDemoOptions {
  seed?: number;
  now: Date;
  adminEmail: string;
  adminPassword: string;
}

export interface SeedDemoResult {
  workspaceId: string;
  adminEmail: string;
  created: boolean;
}

export async function seedDemo(db: DbOrTx, opts: SeedDemoOptions): Promise<SeedDemoResult> {
  const existing = await findDemo(db);
  if (existing) return existing;
  // Hash before the transaction: on PGlite an open transaction blocks the whole database.
  const passwordHash = await hashPassword(opts.adminPassword);
  const rows = planDemo({
    seed: opts.seed ?? DEMO_SEED,
    now: opts.now,
    adminEmail: opts.adminEmail,
    passwordHash,
    workspaceName: DEMO_WORKSPACE_NAME,
  });
  return db.transaction(async (tx) => {
    // Two processes starting together: the second waits, then finds the workspace.
    await tx.execute(sql`select pg_advisory_xact_lock(7419003)`);
    const again = await findDemo(tx);
    if (again) return again;
    await freeEmails(tx, rows);
    await insertDemo(tx, rows);
    return { workspaceId: rows.workspace.id, adminEmail: rows.users[0]!.email, created: true };
  });
}

async function findDemo(db: DbOrTx): Promise<SeedDemoResult | null> {
  const [ws] = await db
    .select({ id: s.workspaces.id })
    .from(s.workspaces)
    .where(eq(s.workspaces.name, DEMO_WORKSPACE_NAME))
    .limit(1);
  if (!ws) return null;
  const [admin] = await db
    .select({ email: s.users.email })
    .from(s.users)
    .where(sql`${s.users.workspaceId} = ${ws.id} and ${s.users.role} = 'admin'`)
    .orderBy(s.users.createdAt)
    .limit(1);
  return { workspaceId: ws.id, adminEmail: admin?.email ?? '', created: false };
}

/**
 * Emails are unique across workspaces. The admin's must be free (it is the sign-in we print);
 * the operator's and viewer's get a `+demo` suffix when someone already uses them.
 */
async function freeEmails(tx: Tx, rows: DemoRows): Promise<void> {
  const lower = rows.users.map((u) => u.email.toLowerCase());
  const taken = new Set(
    (
      await tx
        .select({ email: s.users.email })
        .from(s.users)
        .where(inArray(sql`lower(${s.users.email})`, lower))
    ).map((r) => r.email.toLowerCase()),
  );
  const admin = rows.users[0]!;
  if (taken.has(admin.email.toLowerCase())) {
    throw new Error(
      `Cannot create the demo workspace: the email ${admin.email} already belongs to a user.`,
    );
  }
  for (const user of rows.users.slice(1)) {
    let n = 0;
    const [local, domain] = user.email.split('@') as [string, string];
    while (taken.has(user.email.toLowerCase())) {
      n += 1;
      user.email = `${local}+demo${n > 1 ? n : ''}@${domain}`;
    }
    taken.add(user.email.toLowerCase());
  }
}

async function insertDemo(tx: Tx, rows: DemoRows): Promise<void> {
  const { workspace } = rows;
  await tx.insert(s.workspaces).values({ ...workspace, defaultAgentId: null });
  await insertAll(tx, s.agents, rows.agents);
  await tx
    .update(s.workspaces)
    .set({ defaultAgentId: workspace.defaultAgentId })
    .where(eq(s.workspaces.id, workspace.id));
  await insertAll(tx, s.users, rows.users);
  // Secrets nobody can derive from the (public) seed.
  const apiKeys = rows.apiKeys.map((k) => ({ ...k, secretHash: randomBytes(32).toString('hex') }));
  await insertAll(tx, s.apiKeys, apiKeys);
  const hooks = rows.webhookEndpoints.map((w) => ({
    ...w,
    secret: `whsec_${randomBytes(24).toString('base64')}`,
  }));
  await insertAll(tx, s.webhookEndpoints, hooks);
  await insertAll(tx, s.campaigns, rows.campaigns);
  await insertAll(tx, s.contacts, rows.contacts);
  await insertAll(tx, s.dncEntries, rows.dncEntries);
  await insertAll(tx, s.callLogs, rows.callLogs);
  await insertAll(tx, s.followUps, rows.followUps);
  await insertAll(tx, s.followUpEvents, rows.events);
  await insertAll(tx, s.followUpAttempts, rows.attempts);
}

async function insertAll<T extends PgTable>(
  tx: Tx,
  table: T,
  rows: readonly T['$inferInsert'][],
  chunk = 500,
): Promise<void> {
  for (let i = 0; i < rows.length; i += chunk) {
    await tx.insert(table).values(rows.slice(i, i + chunk) as never);
  }
}
