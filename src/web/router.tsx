/**
 * Every screen has its own URL (SPEC §7). Routes are declared here in code; each page is
 * loaded on demand (its own chunk), so opening a contact loads only what that page needs.
 */
import type { QueryClient } from '@tanstack/react-query';
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  lazyRouteComponent,
  Outlet,
  redirect,
} from '@tanstack/react-router';
import { ReturnPath } from '../contracts/auth.contract.ts';
import { AppShell } from './components/app-shell.tsx';
import { NotFoundPage } from './components/not-found.tsx';
import { PageSkeleton } from './components/page-skeleton.tsx';
import { RouteError } from './components/route-error.tsx';
import { safeRedirect } from './features/auth/api.ts';
import { CALL_LOGS_ON_CONTACT_PAGE, contactCallLogsQuery } from './features/call-logs/api.ts';
import { validateCallLogsSearch } from './features/call-logs/search.ts';
import { validateContactsSearch } from './features/contacts/search.ts';
import { validateDncSearch } from './features/dnc/search.ts';
import { FOLLOW_UPS_ON_CONTACT_PAGE, followUpsInfiniteQuery } from './features/follow-ups/api.ts';
import { validateFollowUpsSearch } from './features/follow-ups/search.ts';
import { validateImportSearch } from './features/imports/search.ts';
import { validateSettingsSearch } from './features/settings/search.ts';
import { isApiError } from './lib/api.ts';
import { parseSearch, searchValidator, stringifySearch } from './lib/search.ts';
import { meQuery } from './lib/session.ts';
import { contactQuery } from './lib/shared-queries.ts';

export interface RouterContext {
  queryClient: QueryClient;
}

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: Outlet,
  notFoundComponent: () => <NotFoundPage standalone />,
});

/** ?redirect=…: where the sign-in screens send you back to, only ever a path of this app. */
const validateReturnSearch = searchValidator({ redirect: ReturnPath });

const loginRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/login',
  validateSearch: validateReturnSearch,
  beforeLoad: async ({ context, search }) => {
    const me = await context.queryClient.ensureQueryData(meQuery).catch(() => null);
    if (me) throw redirect({ href: safeRedirect(search.redirect), replace: true });
  },
  component: lazyRouteComponent(() => import('./features/auth/pages/login-page.tsx'), 'LoginPage'),
});

/** Choosing a password: forced after a one-time password, or asked for from the sidebar. */
const passwordRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/password',
  validateSearch: validateReturnSearch,
  beforeLoad: async ({ context, location }) => {
    const me = await context.queryClient.ensureQueryData(meQuery).catch(() => null);
    if (!me) throw redirect({ to: '/login', search: { redirect: location.href }, replace: true });
  },
  component: lazyRouteComponent(
    () => import('./features/auth/pages/password-page.tsx'),
    'PasswordPage',
  ),
});

/** Everything behind sign-in, inside the sidebar layout. */
const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: '_app',
  beforeLoad: async ({ context, location }) => {
    try {
      const me = await context.queryClient.ensureQueryData(meQuery);
      if (me.user?.mustChangePassword) {
        throw redirect({
          to: '/password',
          search: { redirect: location.href === '/' ? undefined : location.href },
          replace: true,
        });
      }
    } catch (error) {
      if (isApiError(error, 401)) {
        throw redirect({
          to: '/login',
          search: { redirect: location.href === '/' ? undefined : location.href },
          replace: true,
        });
      }
      throw error;
    }
  },
  component: AppShell,
  notFoundComponent: () => <NotFoundPage />,
});

const page = <T extends Record<string, unknown>>(load: () => Promise<T>, name: keyof T & string) =>
  lazyRouteComponent(load, name);

const dashboardRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/',
  component: page(() => import('./features/dashboard/pages/dashboard-page.tsx'), 'DashboardPage'),
});

const contactsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/contacts',
  validateSearch: validateContactsSearch,
  component: page(() => import('./features/contacts/pages/contacts-page.tsx'), 'ContactsPage'),
});

const contactsImportRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/contacts/import',
  validateSearch: validateImportSearch,
  component: page(
    () => import('./features/imports/pages/contacts-import-page.tsx'),
    'ContactsImportPage',
  ),
});

const contactRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/contacts/$id',
  // Start the page's requests while its code loads (and on hover of a link to it), rather than
  // after: the cards read the same queries. Nothing waits here; errors show on the page.
  loader: ({ context: { queryClient }, params: { id } }) => {
    void queryClient.prefetchQuery(contactQuery(id));
    void queryClient.prefetchQuery(contactCallLogsQuery(id, CALL_LOGS_ON_CONTACT_PAGE));
    void queryClient.prefetchInfiniteQuery(
      followUpsInfiniteQuery({ contactId: id }, FOLLOW_UPS_ON_CONTACT_PAGE),
    );
  },
  component: page(() => import('./pages/contact-page.tsx'), 'ContactPage'),
});

const followUpsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/follow-ups',
  validateSearch: validateFollowUpsSearch,
  component: page(() => import('./features/follow-ups/pages/follow-ups-page.tsx'), 'FollowUpsPage'),
});

const followUpRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/follow-ups/$id',
  component: page(() => import('./features/follow-ups/pages/follow-up-page.tsx'), 'FollowUpPage'),
});

const campaignsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/campaigns',
  component: page(() => import('./features/campaigns/pages/campaigns-page.tsx'), 'CampaignsPage'),
});

const campaignRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/campaigns/$id',
  component: page(() => import('./features/campaigns/pages/campaign-page.tsx'), 'CampaignPage'),
});

const agentsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/agents',
  component: page(() => import('./features/agents/pages/agents-page.tsx'), 'AgentsPage'),
});

const callLogsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/call-logs',
  validateSearch: validateCallLogsSearch,
  component: page(() => import('./features/call-logs/pages/call-logs-page.tsx'), 'CallLogsPage'),
});

const callLogRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/call-logs/$id',
  component: page(() => import('./features/call-logs/pages/call-log-page.tsx'), 'CallLogPage'),
});

const dncRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/dnc',
  validateSearch: validateDncSearch,
  component: page(() => import('./features/dnc/pages/dnc-page.tsx'), 'DncPage'),
});

const settingsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/settings',
  validateSearch: validateSettingsSearch,
  component: page(() => import('./features/settings/pages/settings-page.tsx'), 'SettingsPage'),
});

const webhookDeliveriesRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/settings/webhooks/$id',
  component: page(
    () => import('./features/settings/pages/webhook-deliveries-page.tsx'),
    'WebhookDeliveriesPage',
  ),
});

const routeTree = rootRoute.addChildren([
  loginRoute,
  passwordRoute,
  appRoute.addChildren([
    dashboardRoute,
    contactsRoute,
    contactsImportRoute,
    contactRoute,
    followUpsRoute,
    followUpRoute,
    campaignsRoute,
    campaignRoute,
    agentsRoute,
    callLogsRoute,
    callLogRoute,
    dncRoute,
    settingsRoute,
    webhookDeliveriesRoute,
  ]),
]);

export function createAppRouter(queryClient: QueryClient) {
  return createRouter({
    routeTree,
    context: { queryClient },
    parseSearch,
    stringifySearch,
    defaultPreload: 'intent',
    defaultPreloadStaleTime: 0,
    defaultPendingComponent: PageSkeleton,
    defaultPendingMs: 300,
    defaultErrorComponent: RouteError,
    scrollRestoration: true,
  });
}

export type AppRouter = ReturnType<typeof createAppRouter>;

declare module '@tanstack/react-router' {
  interface Register {
    router: AppRouter;
  }
}
