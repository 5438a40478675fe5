/**
 * Settings › Voice platform (admins): GET /api/settings/voice-platform (the platform and the
 * webhook URLs to paste into it) and POST /api/settings/voice-platform/test (lists its agents
 * and numbers).
 */
import type { FastifyRequest } from 'fastify';
import { errors } from '../../../contracts/common.ts';
import {
  VoicePlatformSchema,
  VoiceTestResultSchema,
} from '../../../contracts/voice-platform.contract.ts';
import {
  getVoicePlatform,
  testVoicePlatform,
  type VoicePlatformConfig,
} from '../../services/voice-platform.service.ts';
import type { App } from '../app.ts';

export type VoicePlatformOptions = Omit<VoicePlatformConfig, 'publicUrl'> & {
  /** FOLLOWTHROUGH_PUBLIC_URL; else the address the request came to. */
  publicUrl?: string | undefined;
};

export function voicePlatformRoutes(app: App, options: VoicePlatformOptions | undefined) {
  const config = (request: FastifyRequest): VoicePlatformConfig => ({
    provider: 'simulator',
    ...options,
    publicUrl: options?.publicUrl ?? `${request.protocol}://${request.host}`,
  });
  app.get(
    '/settings/voice-platform',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['Settings'],
        summary: 'The voice platform calls go through, and the webhook URLs to paste into it',
        response: { 200: VoicePlatformSchema, ...errors() },
      },
    },
    async (request) => getVoicePlatform(config(request)),
  );
  app.post(
    '/settings/voice-platform/test',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['Settings'],
        summary: "Test connection: lists the platform's agents (assistants) and phone numbers",
        response: { 200: VoiceTestResultSchema, ...errors() },
      },
    },
    async (request) => testVoicePlatform(config(request)),
  );
}
