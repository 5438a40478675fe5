/**
 * The environment, parsed once. A wrong value stops the process with a message that says which
 * variable and why, before anything else happens.
 */
import path from 'node:path';
import { z } from 'zod';

const flag = z
  .enum(['0', '1', 'true', 'false', 'yes', 'no', ''])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

const EnvSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  FOLLOWTHROUGH_DATA_DIR: z.string().min(1).default('./data'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  FOLLOWTHROUGH_DEMO: flag.default(true),
  FOLLOWTHROUGH_ADMIN_EMAIL: z.email().default('admin@demo.followthrough.local'),
  FOLLOWTHROUGH_ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  FOLLOWTHROUGH_ALLOW_PRIVATE_WEBHOOKS: flag.default(false),
  FOLLOWTHROUGH_PUBLIC_URL: z.url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = {
  databaseUrl: string | undefined;
  dataDir: string;
  port: number;
  host: string;
  demo: boolean;
  adminEmail: string;
  adminPassword: string | undefined;
  allowPrivateWebhooks: boolean;
  publicUrl: string | undefined;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
};

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable counts as unset.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.FOLLOWTHROUGH_DATA_DIR),
    port: e.PORT,
    host: e.HOST,
    demo: e.FOLLOWTHROUGH_DEMO,
    adminEmail: e.FOLLOWTHROUGH_ADMIN_EMAIL,
    adminPassword: e.FOLLOWTHROUGH_ADMIN_PASSWORD,
    allowPrivateWebhooks: e.FOLLOWTHROUGH_ALLOW_PRIVATE_WEBHOOKS,
    publicUrl: e.FOLLOWTHROUGH_PUBLIC_URL,
    logLevel: e.LOG_LEVEL,
  };
}
