import type { App, RouteDeps } from '../app.ts';

export function settingsRoutes(_app: App, _deps: RouteDeps): void {
  // Routes come here.
}
