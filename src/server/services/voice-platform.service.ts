/**
 * Settings › Voice platform: the platform a workspace calls through (its own, saved by an admin,
 * else the server's environment), the webhook URLs for each platform, and a connection test
 * that lists the platform's agents and numbers with its own SDK. A workspace's credentials are
 * sealed (AES-256-GCM, bound to the workspace) and never returned: only whether each is set and
 * its last four characters. The SDKs load only when a test asks for them.
 */
import {
  type SaveVoicePlatformBody,
  VOICE_CREDENTIAL_NAMES,
  VOICE_CREDENTIALS,
  type VoiceCredentialName,
  type VoicePlatform,
  type VoiceTestResult,
  type WorkspaceVoicePlatform,
  type WorkspaceVoiceProvider,
} from '../../contracts/voice-platform.contract.ts';
import type { DbOrTx } from '../db/client.ts';
import {
  deleteWorkspaceVoicePlatform,
  findWorkspaceVoicePlatform,
  findWorkspaceVoicePlatforms,
  upsertWorkspaceVoicePlatform,
  type WorkspaceVoicePlatformRow,
} from '../db/repositories/voice-platforms.ts';
import { conflict, unprocessable } from '../errors.ts';
import type { SecretBox } from '../secret-box.ts';
import type { ServiceContext } from './context.ts';

export interface VoicePlatformConfig {
  provider: VoicePlatform['provider'];
  publicUrl: string;
  retell?: { apiKey?: string | undefined; baseUrl?: string | undefined };
  vapi?: { apiKey?: string | undefined; baseUrl?: string | undefined };
  twilio?: {
    accountSid?: string | undefined;
    authToken?: string | undefined;
    apiBase?: string | undefined;
  };
}

const TIMEOUT_MS = 10_000;

export function webhookUrls(publicUrl: string): VoicePlatform['webhookUrls'] {
  const base = publicUrl.replace(/\/+$/, '');
  return {
    retell: `${base}/api/providers/retell/webhook`,
    vapi: `${base}/api/providers/vapi/webhook`,
    twilio: `${base}/api/providers/twilio/voice-status`,
  };
}

function configuredOf(config: VoicePlatformConfig): boolean {
  return config.provider === 'retell'
    ? !!config.retell?.apiKey
    : config.provider === 'vapi'
      ? !!config.vapi?.apiKey
      : config.provider === 'twilio'
        ? !!(config.twilio?.accountSid && config.twilio.authToken)
        : true;
}

export type VoiceCredentials = Partial<Record<VoiceCredentialName, string>>;

/** A workspace's own platform, its credentials opened. */
export interface OpenedVoicePlatform {
  provider: WorkspaceVoiceProvider;
  caller: string | null;
  voiceUrl: string | null;
  credentials: VoiceCredentials;
}

const NO_KEY =
  'This server has no key to encrypt credentials: set FOLLOWTHROUGH_SECRET_KEY (32 bytes, e.g. from openssl rand -base64 32) and restart it.';

/** The credentials of a workspace's row, opened with the server's key. */
export function openCredentials(
  box: SecretBox | null,
  row: WorkspaceVoicePlatformRow,
): VoiceCredentials {
  if (!box) throw new Error(NO_KEY);
  return JSON.parse(box.open(row.credentials, row.workspaceId)) as VoiceCredentials;
}

/** The workspace's own platform, opened; null when it has none. Throws when it cannot be opened. */
export async function workspaceVoicePlatform(
  db: DbOrTx,
  box: SecretBox | null,
  workspaceId: string,
): Promise<OpenedVoicePlatform | null> {
  const row = await findWorkspaceVoicePlatform(db, workspaceId);
  if (!row) return null;
  return {
    provider: row.provider as WorkspaceVoiceProvider,
    caller: row.caller,
    voiceUrl: row.voiceUrl,
    credentials: openCredentials(box, row),
  };
}

/**
 * The secrets that may sign a platform's webhook for these workspaces: each workspace's own
 * (when it saved that platform's), by workspace id. Rows that cannot be opened are left out.
 */
export async function workspaceWebhookSecrets(
  db: DbOrTx,
  box: SecretBox | null,
  name: VoiceCredentialName,
  workspaceIds: readonly string[],
): Promise<{ workspaceId: string; secret: string | null }[]> {
  const rows = await findWorkspaceVoicePlatforms(db, [...new Set(workspaceIds)]);
  return rows.map((row) => {
    let secret: string | null = null;
    try {
      secret = openCredentials(box, row)[name] ?? null;
    } catch {
      secret = null;
    }
    return { workspaceId: row.workspaceId, secret };
  });
}

function stateOf(row: WorkspaceVoicePlatformRow): WorkspaceVoicePlatform {
  const hints = row.hints ?? {};
  return {
    provider: row.provider as WorkspaceVoiceProvider,
    caller: row.caller,
    voiceUrl: row.voiceUrl,
    credentials: Object.fromEntries(
      VOICE_CREDENTIAL_NAMES.map((n) => [
        n,
        { set: hints[n] !== undefined, last4: hints[n] ?? null },
      ]),
    ) as WorkspaceVoicePlatform['credentials'],
  };
}

export interface VoicePlatformDeps {
  config: VoicePlatformConfig;
  box: SecretBox | null;
}

export async function getVoicePlatform(
  ctx: ServiceContext,
  deps: VoicePlatformDeps,
  workspaceId: string,
): Promise<VoicePlatform> {
  const { config } = deps;
  const row = await findWorkspaceVoicePlatform(ctx.db, workspaceId);
  const own = row ? stateOf(row) : null;
  const configured = own
    ? VOICE_CREDENTIALS[own.provider].every((n) => own.credentials[n].set) &&
      (own.provider !== 'vapi' || !!own.caller)
    : configuredOf(config);
  return {
    provider: own?.provider ?? config.provider,
    source: own ? 'workspace' : 'environment',
    environmentProvider: config.provider,
    configured,
    workspace: own,
    canSaveCredentials: deps.box !== null,
    webhookUrls: webhookUrls(config.publicUrl),
  };
}

const last4 = (value: string) => value.slice(-4);

/**
 * Saves the workspace's own platform: the credentials given replace the saved ones, the others
 * stay; those the platform needs must be set once saved.
 */
export async function saveVoicePlatform(
  ctx: ServiceContext,
  deps: VoicePlatformDeps,
  workspaceId: string,
  body: SaveVoicePlatformBody,
): Promise<VoicePlatform> {
  if (!deps.box) throw conflict(NO_KEY);
  const box = deps.box;
  await ctx.db.transaction(async (tx) => {
    const row = await findWorkspaceVoicePlatform(tx, workspaceId);
    let saved: VoiceCredentials = {};
    if (row) {
      try {
        saved = openCredentials(box, row);
      } catch {
        // Sealed with another key: the credentials must be given again.
        saved = {};
      }
    }
    const given = Object.fromEntries(
      Object.entries(body.credentials ?? {}).filter(([, v]) => typeof v === 'string' && v !== ''),
    ) as VoiceCredentials;
    const credentials: VoiceCredentials = { ...saved, ...given };
    const caller = body.caller?.trim() || null;
    const missing = VOICE_CREDENTIALS[body.provider]
      .filter((n) => !credentials[n])
      .map((n) => ({ path: `credentials.${n}`, message: `${CREDENTIAL_LABELS[n]} is required.` }));
    if (body.provider === 'vapi' && !caller) {
      missing.push({ path: 'caller', message: 'The Vapi phone number id is required.' });
    }
    if (missing.length > 0) {
      throw unprocessable(
        `The ${PLATFORM_LABELS[body.provider]} settings are incomplete.`,
        missing,
      );
    }
    const hints = Object.fromEntries(
      Object.entries(credentials).map(([n, v]) => [n, last4(v as string)]),
    );
    await upsertWorkspaceVoicePlatform(
      tx,
      {
        workspaceId,
        provider: body.provider,
        caller,
        voiceUrl: body.voiceUrl ?? null,
        credentials: box.seal(JSON.stringify(credentials), workspaceId),
        hints,
      },
      ctx.clock.now(),
    );
  });
  return getVoicePlatform(ctx, deps, workspaceId);
}

/** Back to the server's environment: the workspace's own platform and credentials are deleted. */
export async function removeVoicePlatform(
  ctx: ServiceContext,
  deps: VoicePlatformDeps,
  workspaceId: string,
): Promise<VoicePlatform> {
  await deleteWorkspaceVoicePlatform(ctx.db, workspaceId);
  return getVoicePlatform(ctx, deps, workspaceId);
}

const PLATFORM_LABELS: Record<WorkspaceVoiceProvider, string> = {
  retell: 'Retell',
  vapi: 'Vapi',
  twilio: 'Twilio',
};
const CREDENTIAL_LABELS: Record<VoiceCredentialName, string> = {
  retellApiKey: 'The Retell API key',
  vapiApiKey: 'The Vapi private API key',
  vapiWebhookSecret: 'The Vapi server-URL secret',
  twilioAccountSid: 'The Twilio account SID',
  twilioAuthToken: 'The Twilio auth token',
};

/**
 * The configuration "Test connection" uses: the workspace's own platform and credentials when
 * it has them (the platforms' addresses stay the server's), else the environment's.
 */
export async function testConfigFor(
  ctx: ServiceContext,
  deps: VoicePlatformDeps,
  workspaceId: string,
): Promise<VoicePlatformConfig | string> {
  const { config } = deps;
  const row = await findWorkspaceVoicePlatform(ctx.db, workspaceId);
  if (!row) return config;
  let c: VoiceCredentials;
  try {
    c = openCredentials(deps.box, row);
  } catch {
    return "The saved credentials cannot be read with this server's key (FOLLOWTHROUGH_SECRET_KEY): save them again.";
  }
  return {
    provider: row.provider as WorkspaceVoiceProvider,
    publicUrl: config.publicUrl,
    retell: { apiKey: c.retellApiKey, baseUrl: config.retell?.baseUrl },
    vapi: { apiKey: c.vapiApiKey, baseUrl: config.vapi?.baseUrl },
    twilio: {
      accountSid: c.twilioAccountSid,
      authToken: c.twilioAuthToken,
      apiBase: config.twilio?.apiBase,
    },
  };
}

export const failed = (error: string): VoiceTestResult => ({
  ok: false,
  error,
  agents: [],
  numbers: [],
});

/** Lists the platform's agents and numbers; a refusal or an unreachable platform says why. */
export async function testVoicePlatform(config: VoicePlatformConfig): Promise<VoiceTestResult> {
  try {
    if (config.provider === 'retell') {
      if (!config.retell?.apiKey) return failed('RETELL_API_KEY is not set.');
      const { default: Retell } = await import('retell-sdk');
      const client = new Retell({
        apiKey: config.retell.apiKey,
        ...(config.retell.baseUrl ? { baseURL: config.retell.baseUrl } : {}),
        maxRetries: 0,
        timeout: TIMEOUT_MS,
      });
      const [agents, numbers] = await Promise.all([client.agent.list(), client.phoneNumber.list()]);
      return {
        ok: true,
        error: null,
        agents: agents.items.map((a) => ({ id: a.agent_id, name: a.agent_name ?? a.agent_id })),
        numbers: numbers.items.map((n) => ({
          id: n.phone_number,
          number: n.phone_number,
          name: n.nickname ?? null,
        })),
      };
    }
    if (config.provider === 'vapi') {
      if (!config.vapi?.apiKey) return failed('VAPI_API_KEY is not set.');
      const { VapiClient } = await import('@vapi-ai/server-sdk');
      const client = new VapiClient({
        token: config.vapi.apiKey,
        ...(config.vapi.baseUrl ? { baseUrl: config.vapi.baseUrl } : {}),
        maxRetries: 0,
        timeoutInSeconds: TIMEOUT_MS / 1000,
      });
      const [assistants, numbers] = await Promise.all([
        client.assistants.list(),
        client.phoneNumbers.list(),
      ]);
      return {
        ok: true,
        error: null,
        agents: assistants.map((a) => ({ id: a.id, name: a.name ?? a.id })),
        numbers: (numbers as { id: string; number?: string; name?: string }[]).map((n) => ({
          id: n.id,
          number: n.number ?? n.id,
          name: n.name ?? null,
        })),
      };
    }
    if (config.provider === 'twilio') {
      const t = config.twilio;
      if (!t?.accountSid || !t.authToken) {
        return failed('TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are not set.');
      }
      const { default: twilio } = await import('twilio');
      const client = twilio(t.accountSid, t.authToken, { timeout: TIMEOUT_MS, autoRetry: false });
      if (t.apiBase) client.api.baseUrl = t.apiBase.replace(/\/+$/, '');
      const numbers = await client.incomingPhoneNumbers.list({ limit: 100 });
      return {
        ok: true,
        error: null,
        agents: [],
        numbers: numbers.map((n) => ({
          id: n.sid,
          number: n.phoneNumber,
          name: n.friendlyName ?? null,
        })),
      };
    }
    return failed(`The ${config.provider} provider has no platform to test.`);
  } catch (error) {
    return failed(describe(error));
  }
}

function describe(error: unknown): string {
  const e = error as { status?: number; statusCode?: number; message?: string };
  const status = e.status ?? e.statusCode;
  const text = (e.message ?? String(error)).replace(/\s+/g, ' ').slice(0, 200);
  return status
    ? `The platform answered HTTP ${status}: ${text}`
    : `The platform could not be reached: ${text}`;
}
