/** The channels a process uses, chosen by configuration. */
import type { Clock } from '../../clock.ts';
import { type Config, ConfigError } from '../../config.ts';
import type { Database } from '../../db/client.ts';
import type { Logger } from '../../logger.ts';
import { SecretBox } from '../../secret-box.ts';
import { httpCallChannel } from './call-http.ts';
import { retellCallChannel } from './call-retell.ts';
import { callSimulator } from './call-simulator.ts';
import { twilioVoiceChannel } from './call-twilio.ts';
import { vapiCallChannel } from './call-vapi.ts';
import { workspaceCallChannel } from './call-workspace.ts';
import type { Channel, Channels } from './channel.ts';
import { instantChannel } from './instant.ts';
import { smsSimulator } from './sms-simulator.ts';
import { twilioSms } from './sms-twilio.ts';
import { webhookChannel } from './webhook.ts';

export interface ChannelDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  config: Config;
  /** Opens the workspaces' own voice platform credentials; none: they cannot be read. */
  secretKey?: Buffer | null;
}

export function createChannels(deps: ChannelDeps): Channels {
  const { providers } = deps.config;
  return {
    call: withWorkspacePlatforms(deps, callChannel(deps)),
    sms: smsChannel(deps),
    webhook:
      providers.webhook === 'instant'
        ? instantChannel('webhook')
        : webhookChannel({ db: deps.db, allowPrivate: deps.config.allowPrivateWebhooks }),
  };
}

/**
 * A workspace's own voice platform wins over the environment's channel (benchmarks' `instant`
 * excepted: no platform there).
 */
function withWorkspacePlatforms(deps: ChannelDeps, fallback: Channel): Channel {
  const { config } = deps;
  if (config.providers.call === 'instant') return fallback;
  return workspaceCallChannel({
    db: deps.db,
    clock: deps.clock,
    logger: deps.logger,
    box: deps.secretKey ? new SecretBox(deps.secretKey) : null,
    fallback,
    environment: {
      provider: config.providers.call,
      retell: { fromNumber: config.retell.fromNumber, baseUrl: config.retell.baseUrl },
      vapi: { phoneNumberId: config.vapi.phoneNumberId, baseUrl: config.vapi.baseUrl },
      twilio: {
        from: config.twilio.from,
        voiceUrl: config.twilio.voiceUrl,
        apiBase: config.twilio.apiBase,
      },
    },
    statusCallbackUrl: `${publicBase(config)}/api/providers/twilio/voice-status`,
  });
}

function callChannel(deps: ChannelDeps): Channel {
  const { config } = deps;
  if (config.providers.call === 'instant') return instantChannel('call');
  if (config.providers.call === 'simulator') {
    const { callMs, callOutcome } = config.simulator;
    return callSimulator({
      ...deps,
      ...(callMs
        ? { durationMs: () => callMs[0] + Math.floor(Math.random() * (callMs[1] - callMs[0] + 1)) }
        : {}),
      ...(callOutcome ? { outcome: () => callOutcome } : {}),
    });
  }
  if (config.providers.call === 'retell') {
    const { apiKey, fromNumber, baseUrl } = config.retell;
    if (!apiKey) throw new ConfigError('FOLLOWTHROUGH_CALL_PROVIDER=retell needs RETELL_API_KEY.');
    const account = { apiKey, fromNumber: fromNumber ?? null, baseUrl };
    return retellCallChannel({ ...deps, account: async () => account });
  }
  if (config.providers.call === 'vapi') {
    const { apiKey, phoneNumberId, baseUrl } = config.vapi;
    if (!apiKey || !phoneNumberId) {
      throw new ConfigError(
        'FOLLOWTHROUGH_CALL_PROVIDER=vapi needs VAPI_API_KEY and VAPI_PHONE_NUMBER_ID.',
      );
    }
    const account = { apiKey, phoneNumberId, baseUrl };
    return vapiCallChannel({ ...deps, account: async () => account });
  }
  if (config.providers.call === 'twilio') {
    const { accountSid, authToken, from, voiceUrl, apiBase } = config.twilio;
    if (!accountSid || !authToken) {
      throw new ConfigError(
        'FOLLOWTHROUGH_CALL_PROVIDER=twilio needs TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN.',
      );
    }
    const account = {
      accountSid,
      authToken,
      from: from ?? null,
      voiceUrl: voiceUrl ?? null,
      apiBase,
    };
    return twilioVoiceChannel({
      ...deps,
      account: async () => account,
      statusCallbackUrl: `${publicBase(config)}/api/providers/twilio/voice-status`,
    });
  }
  const { url, secret } = config.voice;
  if (!url || !secret) {
    throw new ConfigError(
      'FOLLOWTHROUGH_CALL_PROVIDER=http needs FOLLOWTHROUGH_VOICE_URL and FOLLOWTHROUGH_VOICE_SECRET.',
    );
  }
  const base = publicBase(config);
  return httpCallChannel({
    url,
    secret,
    callbackUrl: `${base}/api/providers/voice/callback`,
    logger: deps.logger,
    allowPrivate: config.allowPrivateWebhooks,
  });
}

function smsChannel(deps: ChannelDeps): Channel {
  const { config } = deps;
  if (config.providers.sms === 'instant') return instantChannel('sms');
  if (config.providers.sms === 'simulator') return smsSimulator();
  const { accountSid, authToken, from, apiBase } = config.twilio;
  if (!accountSid || !authToken || !from) {
    throw new ConfigError(
      'FOLLOWTHROUGH_SMS_PROVIDER=twilio needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM.',
    );
  }
  return twilioSms({ accountSid, authToken, from, apiBase });
}

const hostForUrl = (host: string) => (host.includes(':') ? `[${host}]` : host);

/** Where platforms reach this server: FOLLOWTHROUGH_PUBLIC_URL, else the listening address. */
function publicBase(config: Config): string {
  return (config.publicUrl ?? `http://${hostForUrl(config.host)}:${config.port}`).replace(
    /\/+$/,
    '',
  );
}
