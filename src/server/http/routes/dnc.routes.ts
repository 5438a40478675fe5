import type { App, RouteDeps } from '../app.ts';

export function dncRoutes(_app: App, _deps: RouteDeps): void {
  // Routes come here.
}
