/**
 * First start: make sure somebody can sign in. With the demo on (the default) that is the
 * demo workspace and its admin; without it, an empty workspace and its first admin.
 */
import { asc, eq, sql } from 'drizzle-orm';
import { DEFAULT_CALLING_WINDOW } from '../core/calling-window.ts';
import { DEFAULT_OUTCOME_RULES } from '../core/outcome-rules.ts';
import { DEFAULT_RETRY_SCHEDULE_MINUTES } from '../core/retry.ts';
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { DatabaseHandle } from './db/client.ts';
import { users, workspaces } from './db/schema.ts';
import { seedDemo } from './demo/demo.ts';
import { newId } from './ids.ts';
import { generatePassword, hashPassword } from './passwords.ts';

export interface SignIn {
  email: string;
  /** Known only when it was generated now (one from the environment is never printed). */
  password: string | null;
  /** FOLLOWTHROUGH_ADMIN_PASSWORD is the admin's password. */
  passwordFromEnvironment: boolean;
  workspace: string;
  firstRun: boolean;
}

export async function bootstrap(
  handle: DatabaseHandle,
  config: Pick<Config, 'demo' | 'adminEmail' | 'adminPassword'>,
  clock: Clock,
): Promise<SignIn> {
  const { db } = handle;
  // Several processes may start together on PostgreSQL: one of them bootstraps.
  return db.transaction(async (tx) => {
    if (handle.kind === 'postgres') await tx.execute(sql`select pg_advisory_xact_lock(7419002)`);
    const [existing] = await tx
      .select({ id: users.id, email: users.email, workspace: workspaces.name })
      .from(users)
      .innerJoin(workspaces, eq(workspaces.id, users.workspaceId))
      .where(sql`lower(${users.email}) = lower(${config.adminEmail})`)
      .orderBy(asc(users.createdAt), asc(users.id))
      .limit(1);
    if (existing) {
      if (config.adminPassword) {
        const passwordHash = await hashPassword(config.adminPassword);
        await tx.update(users).set({ passwordHash }).where(eq(users.id, existing.id));
      }
      return {
        email: existing.email,
        password: null,
        passwordFromEnvironment: config.adminPassword !== undefined,
        workspace: existing.workspace,
        firstRun: false,
      };
    }
    const [anyUser] = await tx.select({ id: users.id }).from(users).limit(1);
    if (anyUser) {
      return {
        email: config.adminEmail,
        password: null,
        passwordFromEnvironment: false,
        workspace: '',
        firstRun: false,
      };
    }
    const password = config.adminPassword ?? generatePassword();
    const shown = config.adminPassword === undefined ? password : null;
    const passwordFromEnvironment = !shown;
    if (config.demo) {
      const result = await seedDemo(tx, {
        now: clock.now(),
        adminEmail: config.adminEmail,
        adminPassword: password,
      });
      return {
        email: result.adminEmail,
        password: shown,
        passwordFromEnvironment,
        workspace: 'Demo Co',
        firstRun: true,
      };
    }
    const workspaceId = newId();
    await tx.insert(workspaces).values({
      id: workspaceId,
      name: 'My workspace',
      timezone: 'America/New_York',
      callingWindow: DEFAULT_CALLING_WINDOW,
      retryScheduleMinutes: [...DEFAULT_RETRY_SCHEDULE_MINUTES],
      outcomeRules: DEFAULT_OUTCOME_RULES,
    });
    await tx.insert(users).values({
      id: newId(),
      workspaceId,
      email: config.adminEmail,
      name: 'Admin',
      passwordHash: await hashPassword(password),
      role: 'admin',
    });
    return {
      email: config.adminEmail,
      password: shown,
      passwordFromEnvironment,
      workspace: 'My workspace',
      firstRun: true,
    };
  });
}
