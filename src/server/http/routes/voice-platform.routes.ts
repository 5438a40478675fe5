/**
 * Settings › Voice platform: GET /api/settings/voice-platform (every role: the platform the
 * workspace calls through, its own settings with the credentials shown only as set / last four,
 * and the webhook URLs to paste into the platform); admins PUT to save the workspace's own
 * platform, DELETE to go back to the server's, and POST …/test (lists the platform's agents and
 * numbers).
 */
import type { FastifyRequest } from 'fastify';
import { errors } from '../../../contracts/common.ts';
import {
  SaveVoicePlatformBody,
  VoicePlatformSchema,
  VoiceTestResultSchema,
} from '../../../contracts/voice-platform.contract.ts';
import { SecretBox } from '../../secret-box.ts';
import {
  failed,
  getVoicePlatform,
  removeVoicePlatform,
  saveVoicePlatform,
  testConfigFor,
  testVoicePlatform,
  type VoicePlatformConfig,
  type VoicePlatformDeps,
} from '../../services/voice-platform.service.ts';
import type { App, RouteDeps } from '../app.ts';
import { actorOf } from '../plugins/auth.ts';

export type VoicePlatformOptions = Omit<VoicePlatformConfig, 'publicUrl'> & {
  /** FOLLOWTHROUGH_PUBLIC_URL; else the address the request came to. */
  publicUrl?: string | undefined;
  /** The server's secret key (FOLLOWTHROUGH_SECRET_KEY or the data folder's); none: no saving. */
  secretKey?: Buffer | null | undefined;
};

export function voicePlatformRoutes(
  app: App,
  { ctx }: RouteDeps,
  options: VoicePlatformOptions | undefined,
) {
  const box = options?.secretKey ? new SecretBox(options.secretKey) : null;
  const deps = (request: FastifyRequest): VoicePlatformDeps => ({
    box,
    config: {
      provider: 'simulator',
      ...options,
      publicUrl: options?.publicUrl ?? `${request.protocol}://${request.host}`,
    },
  });
  app.get(
    '/settings/voice-platform',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['Settings'],
        summary: 'The voice platform calls go through, and the webhook URLs to paste into it',
        response: { 200: VoicePlatformSchema, ...errors() },
      },
    },
    async (request) => getVoicePlatform(ctx, deps(request), actorOf(request).workspaceId),
  );
  app.put(
    '/settings/voice-platform',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['Settings'],
        summary:
          "Save the workspace's own voice platform (wins over the server's); credentials left out stay as saved",
        body: SaveVoicePlatformBody,
        response: { 200: VoicePlatformSchema, ...errors(403, 409, 422) },
      },
    },
    async (request) =>
      saveVoicePlatform(ctx, deps(request), actorOf(request).workspaceId, request.body),
  );
  app.delete(
    '/settings/voice-platform',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['Settings'],
        summary: "Forget the workspace's own voice platform: calls go through the server's again",
        response: { 200: VoicePlatformSchema, ...errors(403) },
      },
    },
    async (request) => removeVoicePlatform(ctx, deps(request), actorOf(request).workspaceId),
  );
  app.post(
    '/settings/voice-platform/test',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['Settings'],
        summary: "Test connection: lists the platform's agents (assistants) and phone numbers",
        response: { 200: VoiceTestResultSchema, ...errors(403) },
      },
    },
    async (request) => {
      const config = await testConfigFor(ctx, deps(request), actorOf(request).workspaceId);
      return typeof config === 'string' ? failed(config) : testVoicePlatform(config);
    },
  );
}
