import type { App, RouteDeps } from '../app.ts';

export function callLogsRoutes(_app: App, _deps: RouteDeps): void {
  // Routes come here.
}
