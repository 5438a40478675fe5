import type { App, RouteDeps } from '../app.ts';

export function campaignsRoutes(_app: App, _deps: RouteDeps): void {
  // Routes come here.
}
