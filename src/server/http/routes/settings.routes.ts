import { errors } from '../../../contracts/common.ts';
import { PatchSettingsBody, SettingsSchema } from '../../../contracts/settings.contract.ts';
import * as settings from '../../services/settings.service.ts';
import type { App, RouteDeps } from '../app.ts';
import { actorOf } from '../plugins/auth.ts';

export function settingsRoutes(app: App, { ctx }: RouteDeps): void {
  app.get(
    '/settings',
    {
      schema: {
        tags: ['Settings'],
        summary: 'Workspace settings: time zone, calling window, retries, expiry, defaults',
        response: { 200: SettingsSchema, ...errors() },
      },
    },
    async (request) => settings.getSettings(ctx, actorOf(request)),
  );

  app.patch(
    '/settings',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['Settings'],
        summary: 'Change the given settings, all or nothing (admin)',
        body: PatchSettingsBody,
        response: { 200: SettingsSchema, ...errors(403, 422) },
      },
    },
    async (request) => settings.updateSettings(ctx, actorOf(request), request.body),
  );
}
