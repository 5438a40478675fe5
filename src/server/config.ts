/**
 * The environment, parsed once. A wrong value stops the process with a message that says which
 * variable and why, before anything else happens.
 */
import { isIP } from 'node:net';
import path from 'node:path';
import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { CALL_OUTCOMES, type CallOutcome } from '../core/results.ts';
import { parseSecretKey } from './secret-box.ts';

const flag = z
  .enum(['0', '1', 'true', 'false', 'yes', 'no', ''])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

const EnvSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  FOLLOWTHROUGH_DATA_DIR: z.string().min(1).default('./data'),
  /** Where uploaded CSV files wait for their import (default: uploads/ in the data folder). */
  FOLLOWTHROUGH_UPLOAD_DIR: z.string().min(1).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  FOLLOWTHROUGH_DEMO: flag.default(true),
  FOLLOWTHROUGH_ADMIN_EMAIL: z.email().default('admin@demo.followthrough.local'),
  FOLLOWTHROUGH_ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  FOLLOWTHROUGH_ALLOW_PRIVATE_WEBHOOKS: flag.default(false),
  FOLLOWTHROUGH_PUBLIC_URL: z.url().optional(),
  /** Encrypts the workspaces' voice platform credentials (32 bytes, base64 or hex). */
  FOLLOWTHROUGH_SECRET_KEY: z
    .string()
    .refine(
      (v) => parseSecretKey(v) !== null,
      'must be 32 bytes in base64 or hex (openssl rand -base64 32)',
    )
    .optional(),
  /** Which proxies may set X-Forwarded-For: a hop count, or proxy addresses/CIDRs. */
  FOLLOWTHROUGH_TRUST_PROXY: z
    .string()
    .trim()
    .refine(
      (v) => /^\d{1,2}$/.test(v) || v.split(',').every((p) => isProxyAddress(p.trim())),
      'must be a number of proxies (1) or proxy addresses and CIDRs (10.0.0.0/8,::1)',
    )
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  FOLLOWTHROUGH_CALL_PROVIDER: z
    .enum(['simulator', 'http', 'retell', 'vapi', 'twilio', 'instant'])
    .default('simulator'),
  FOLLOWTHROUGH_SMS_PROVIDER: z.enum(['simulator', 'twilio', 'instant']).default('simulator'),
  FOLLOWTHROUGH_WEBHOOK_PROVIDER: z.enum(['webhook', 'instant']).default('webhook'),
  FOLLOWTHROUGH_VOICE_URL: z.url().optional(),
  FOLLOWTHROUGH_VOICE_SECRET: z
    .string()
    .regex(/^whsec_[A-Za-z0-9+/=]+$/, 'must be a whsec_… secret')
    .optional(),
  RETELL_API_KEY: z.string().optional(),
  RETELL_FROM_NUMBER: z.string().optional(),
  /** retell-sdk reads it too; a regional endpoint, or a local stand-in in tests. */
  RETELL_BASE_URL: z.url().optional(),
  VAPI_API_KEY: z.string().optional(),
  VAPI_PHONE_NUMBER_ID: z.string().optional(),
  VAPI_WEBHOOK_SECRET: z.string().optional(),
  VAPI_BASE_URL: z.url().optional(),
  /** The team's voice-agent TwiML endpoint (Twilio voice calls). */
  TWILIO_VOICE_URL: z.url().optional(),
  TWILIO_ACCOUNT_SID: z.string().optional(),
  TWILIO_AUTH_TOKEN: z.string().optional(),
  TWILIO_FROM: z.string().optional(),
  /** Tests point the Twilio SDK at a local stand-in. */
  TWILIO_API_BASE: z.url().optional(),
  FOLLOWTHROUGH_ENGINE_BATCH: z.coerce.number().int().min(1).max(5000).default(500),
  FOLLOWTHROUGH_POLL_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  /** SPEC §2.4: a call that never reports back is ended as `timeout` after this. */
  FOLLOWTHROUGH_CALL_LEASE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  /** How long a simulated call takes: `ms` or `min-max` (default 2000-6000). */
  FOLLOWTHROUGH_SIMULATED_CALL_MS: z
    .string()
    .regex(/^\d+(-\d+)?$/, 'must be milliseconds (250) or a range (50-300)')
    .refine((v) => range(v)[0] <= range(v)[1], 'the range must go from low to high')
    .optional(),
  /** Every simulated call ends with this outcome (default: a realistic mix). */
  FOLLOWTHROUGH_SIMULATED_CALL_OUTCOME: z.enum(CALL_OUTCOMES).optional(),
  /** Requests a minute per API key and per session (0: no limit). */
  /** Uploads never started a workspace may keep at once: files, and megabytes in all. */
  FOLLOWTHROUGH_UPLOAD_QUOTA_FILES: z.coerce.number().int().min(1).max(100_000).default(20),
  FOLLOWTHROUGH_UPLOAD_QUOTA_MB: z.coerce.number().int().min(1).max(1_000_000).default(1024),
  FOLLOWTHROUGH_API_RATE_LIMIT: z.coerce.number().int().min(0).max(1_000_000).default(1200),
  /** GET /metrics on the web port needs this as a Bearer token (else it is not served there). */
  FOLLOWTHROUGH_METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** A session unused this long ends (default 7 days). */
  FOLLOWTHROUGH_SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(525_600).default(10_080),
  /** A session ends this long after sign-in, however much it is used (default 30 days). */
  FOLLOWTHROUGH_SESSION_LIFETIME_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(5_256_000)
    .default(43_200),
  /** `worker` and `serve` serve GET /metrics on this port when set. */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
});

export type Config = {
  databaseUrl: string | undefined;
  dataDir: string;
  uploadDir: string;
  uploadQuota: { files: number; bytes: number };
  port: number;
  host: string;
  demo: boolean;
  adminEmail: string;
  adminPassword: string | undefined;
  allowPrivateWebhooks: boolean;
  publicUrl: string | undefined;
  /** FOLLOWTHROUGH_SECRET_KEY: encrypts the workspaces' voice platform credentials. */
  secretKey: Buffer | undefined;
  /** FOLLOWTHROUGH_TRUST_PROXY: false (no proxy), a hop count, or proxy addresses and CIDRs. */
  trustProxy: false | number | string[];
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  providers: {
    call: 'simulator' | 'http' | 'retell' | 'vapi' | 'twilio' | 'instant';
    sms: 'simulator' | 'twilio' | 'instant';
    webhook: 'webhook' | 'instant';
  };
  voice: { url: string | undefined; secret: string | undefined };
  retell: {
    apiKey: string | undefined;
    fromNumber: string | undefined;
    baseUrl: string | undefined;
  };
  vapi: {
    apiKey: string | undefined;
    phoneNumberId: string | undefined;
    webhookSecret: string | undefined;
    baseUrl: string | undefined;
  };
  twilio: {
    voiceUrl: string | undefined;
    accountSid: string | undefined;
    authToken: string | undefined;
    from: string | undefined;
    apiBase: string | undefined;
  };
  engine: { batchSize: number; pollMs: number; callLeaseSeconds: number };
  metricsPort: number | undefined;
  metricsToken: string | undefined;
  sessions: { idleMinutes: number; lifetimeMinutes: number };
  apiRateLimit: number;
  /** The call simulator (FOLLOWTHROUGH_CALL_PROVIDER=simulator). */
  simulator: {
    callMs: [min: number, max: number] | undefined;
    callOutcome: CallOutcome | undefined;
  };
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
  const missing: string[] = [];
  if (e.FOLLOWTHROUGH_CALL_PROVIDER === 'http') {
    if (!e.FOLLOWTHROUGH_VOICE_URL) missing.push('FOLLOWTHROUGH_VOICE_URL');
    if (!e.FOLLOWTHROUGH_VOICE_SECRET) missing.push('FOLLOWTHROUGH_VOICE_SECRET');
  }
  const needs: Record<string, readonly (keyof typeof e)[]> = {
    retell: ['RETELL_API_KEY', 'RETELL_FROM_NUMBER'],
    vapi: ['VAPI_API_KEY', 'VAPI_PHONE_NUMBER_ID', 'VAPI_WEBHOOK_SECRET'],
    twilio: ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM', 'TWILIO_VOICE_URL'],
  };
  for (const name of needs[e.FOLLOWTHROUGH_CALL_PROVIDER] ?? []) {
    if (!e[name]) missing.push(name);
  }
  if (e.FOLLOWTHROUGH_SMS_PROVIDER === 'twilio') {
    for (const name of ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM'] as const) {
      if (!e[name] && !missing.includes(name)) missing.push(name);
    }
  }
  if (missing.length > 0) {
    throw new ConfigError(
      `Invalid configuration:\n${missing.map((m) => `  ${m}: required by the chosen provider`).join('\n')}`,
    );
  }
  return {
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.FOLLOWTHROUGH_DATA_DIR),
    uploadDir: path.resolve(
      e.FOLLOWTHROUGH_UPLOAD_DIR ?? path.join(e.FOLLOWTHROUGH_DATA_DIR, 'uploads'),
    ),
    uploadQuota: {
      files: e.FOLLOWTHROUGH_UPLOAD_QUOTA_FILES,
      bytes: e.FOLLOWTHROUGH_UPLOAD_QUOTA_MB * 1024 * 1024,
    },
    port: e.PORT,
    host: e.HOST,
    demo: e.FOLLOWTHROUGH_DEMO,
    adminEmail: e.FOLLOWTHROUGH_ADMIN_EMAIL,
    adminPassword: e.FOLLOWTHROUGH_ADMIN_PASSWORD,
    allowPrivateWebhooks: e.FOLLOWTHROUGH_ALLOW_PRIVATE_WEBHOOKS,
    publicUrl: e.FOLLOWTHROUGH_PUBLIC_URL,
    secretKey: e.FOLLOWTHROUGH_SECRET_KEY
      ? (parseSecretKey(e.FOLLOWTHROUGH_SECRET_KEY) ?? undefined)
      : undefined,
    trustProxy: trustProxyOf(e.FOLLOWTHROUGH_TRUST_PROXY),
    logLevel: e.LOG_LEVEL,
    providers: {
      call: e.FOLLOWTHROUGH_CALL_PROVIDER,
      sms: e.FOLLOWTHROUGH_SMS_PROVIDER,
      webhook: e.FOLLOWTHROUGH_WEBHOOK_PROVIDER,
    },
    voice: { url: e.FOLLOWTHROUGH_VOICE_URL, secret: e.FOLLOWTHROUGH_VOICE_SECRET },
    retell: {
      apiKey: e.RETELL_API_KEY,
      fromNumber: e.RETELL_FROM_NUMBER,
      baseUrl: e.RETELL_BASE_URL,
    },
    vapi: {
      apiKey: e.VAPI_API_KEY,
      phoneNumberId: e.VAPI_PHONE_NUMBER_ID,
      webhookSecret: e.VAPI_WEBHOOK_SECRET,
      baseUrl: e.VAPI_BASE_URL,
    },
    twilio: {
      voiceUrl: e.TWILIO_VOICE_URL,
      accountSid: e.TWILIO_ACCOUNT_SID,
      authToken: e.TWILIO_AUTH_TOKEN,
      from: e.TWILIO_FROM,
      apiBase: e.TWILIO_API_BASE,
    },
    engine: {
      batchSize: e.FOLLOWTHROUGH_ENGINE_BATCH,
      pollMs: e.FOLLOWTHROUGH_POLL_MS,
      callLeaseSeconds: e.FOLLOWTHROUGH_CALL_LEASE_SECONDS,
    },
    metricsPort: e.METRICS_PORT,
    metricsToken: e.FOLLOWTHROUGH_METRICS_TOKEN,
    sessions: {
      idleMinutes: e.FOLLOWTHROUGH_SESSION_IDLE_MINUTES,
      lifetimeMinutes: e.FOLLOWTHROUGH_SESSION_LIFETIME_MINUTES,
    },
    apiRateLimit: e.FOLLOWTHROUGH_API_RATE_LIMIT,
    simulator: {
      callMs: e.FOLLOWTHROUGH_SIMULATED_CALL_MS
        ? range(e.FOLLOWTHROUGH_SIMULATED_CALL_MS)
        : undefined,
      callOutcome: e.FOLLOWTHROUGH_SIMULATED_CALL_OUTCOME,
    },
  };
}

/** An address or CIDR range a proxy connects from (or a proxy-addr name: loopback, …). */
function isProxyAddress(value: string): boolean {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(value)) return true;
  const [address = '', bits] = value.split('/');
  if (isIP(address) === 0) return false;
  if (bits === undefined) return true;
  try {
    ipaddr.parseCIDR(value);
    return true;
  } catch {
    return false;
  }
}

function trustProxyOf(value: string | undefined): false | number | string[] {
  if (value === undefined) return false;
  if (/^\d+$/.test(value)) return Number(value) === 0 ? false : Number(value);
  return value.split(',').map((p) => p.trim());
}

function range(value: string): [number, number] {
  const [min, max = min] = value.split('-').map(Number);
  return [min!, max!];
}
