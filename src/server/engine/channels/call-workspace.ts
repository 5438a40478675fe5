/**
 * Calls go through the workspace's own voice platform when it saved one (Settings › Voice
 * platform), which wins over the server's environment; else through the environment's channel.
 * The workspace's credentials are opened at each call, so a change applies to the next call.
 */
import { eq } from 'drizzle-orm';
import type { WorkspaceVoiceProvider } from '../../../contracts/voice-platform.contract.ts';
import type { Clock } from '../../clock.ts';
import type { Database } from '../../db/client.ts';
import { followUpAttempts } from '../../db/schema.ts';
import type { Logger } from '../../logger.ts';
import type { SecretBox } from '../../secret-box.ts';
import {
  type OpenedVoicePlatform,
  workspaceVoicePlatform,
} from '../../services/voice-platform.service.ts';
import { retellCallChannel } from './call-retell.ts';
import { twilioVoiceChannel } from './call-twilio.ts';
import { vapiCallChannel } from './call-vapi.ts';
import type { AttemptJob, Channel, ChannelOutcome } from './channel.ts';

export interface WorkspaceCallOptions {
  db: Database;
  clock: Clock;
  logger?: Logger;
  box: SecretBox | null;
  /** The environment's call channel, for workspaces without a platform of their own. */
  fallback: Channel;
  /** The environment's caller and endpoints, used when the workspace's leave them empty. */
  environment: {
    provider: string;
    retell: { fromNumber?: string | undefined; baseUrl?: string | undefined };
    vapi: { phoneNumberId?: string | undefined; baseUrl?: string | undefined };
    twilio: {
      from?: string | undefined;
      voiceUrl?: string | undefined;
      apiBase?: string | undefined;
    };
  };
  /** `${FOLLOWTHROUGH_PUBLIC_URL}/api/providers/twilio/voice-status`. */
  statusCallbackUrl: string;
}

export function workspaceCallChannel(options: WorkspaceCallOptions): Channel {
  const { db, environment: env } = options;
  // The platform settings each workspace's call is placed with, set just before it is placed.
  const opened = new Map<string, OpenedVoicePlatform>();
  const own = (workspaceId: string, provider: WorkspaceVoiceProvider) => {
    const p = opened.get(workspaceId);
    return p?.provider === provider ? p : null;
  };
  const sameAsEnv = (provider: WorkspaceVoiceProvider) => env.provider === provider;
  const channels: Record<WorkspaceVoiceProvider, Channel> = {
    retell: retellCallChannel({
      ...options,
      account: async (workspaceId) => {
        const p = own(workspaceId, 'retell');
        if (!p?.credentials.retellApiKey) return null;
        return {
          apiKey: p.credentials.retellApiKey,
          fromNumber: p.caller ?? (sameAsEnv('retell') ? (env.retell.fromNumber ?? null) : null),
          baseUrl: env.retell.baseUrl,
        };
      },
    }),
    vapi: vapiCallChannel({
      ...options,
      account: async (workspaceId) => {
        const p = own(workspaceId, 'vapi');
        const phoneNumberId =
          p?.caller ?? (sameAsEnv('vapi') ? (env.vapi.phoneNumberId ?? null) : null);
        if (!p?.credentials.vapiApiKey || !phoneNumberId) return null;
        return { apiKey: p.credentials.vapiApiKey, phoneNumberId, baseUrl: env.vapi.baseUrl };
      },
    }),
    twilio: twilioVoiceChannel({
      ...options,
      account: async (workspaceId) => {
        const p = own(workspaceId, 'twilio');
        if (!p?.credentials.twilioAccountSid || !p.credentials.twilioAuthToken) return null;
        const envToo = sameAsEnv('twilio');
        return {
          accountSid: p.credentials.twilioAccountSid,
          authToken: p.credentials.twilioAuthToken,
          from: p.caller ?? (envToo ? (env.twilio.from ?? null) : null),
          voiceUrl: p.voiceUrl ?? (envToo ? (env.twilio.voiceUrl ?? null) : null),
          apiBase: env.twilio.apiBase,
        };
      },
      statusCallbackUrl: options.statusCallbackUrl,
    }),
  };

  return {
    type: 'call',
    provider: options.fallback.provider,
    async start(job: AttemptJob): Promise<ChannelOutcome> {
      let platform: OpenedVoicePlatform | null;
      try {
        platform = await workspaceVoicePlatform(db, options.box, job.workspaceId);
      } catch {
        return {
          status: 'done',
          result: 'not_configured',
          error:
            "The workspace's voice platform credentials cannot be read with this server's key (FOLLOWTHROUGH_SECRET_KEY): save them again in Settings › Voice platform.",
        };
      }
      if (!platform) return options.fallback.start(job);
      opened.set(job.workspaceId, platform);
      if (platform.provider !== options.fallback.provider) {
        // The attempt names the platform that places it (its reports are matched by it).
        await db
          .update(followUpAttempts)
          .set({ provider: platform.provider })
          .where(eq(followUpAttempts.id, job.attemptId));
      }
      return channels[platform.provider].start(job);
    },
    async close() {
      await options.fallback.close?.();
    },
  };
}
