import type { App, RouteDeps } from '../app.ts';

export function contactsRoutes(_app: App, _deps: RouteDeps): void {
  // Routes come here.
}
