/**
 * Settings › Voice platform: what this server calls through, the webhook URLs for each
 * platform, and a connection test that lists the platform's agents and numbers with its own
 * SDK (credentials come from the server's environment and are never returned). The SDKs load
 * only when a test asks for them.
 */
import type { VoicePlatform, VoiceTestResult } from '../../contracts/voice-platform.contract.ts';

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

export function getVoicePlatform(config: VoicePlatformConfig): VoicePlatform {
  const configured =
    config.provider === 'retell'
      ? !!config.retell?.apiKey
      : config.provider === 'vapi'
        ? !!config.vapi?.apiKey
        : config.provider === 'twilio'
          ? !!(config.twilio?.accountSid && config.twilio.authToken)
          : true;
  return { provider: config.provider, configured, webhookUrls: webhookUrls(config.publicUrl) };
}

const failed = (error: string): VoiceTestResult => ({ ok: false, error, agents: [], numbers: [] });

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
