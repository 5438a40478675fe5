/**
 * The HTTP application: the API under /api (OpenAPI at /api/openapi.json, browsable at /docs)
 * and the web app's build at every other path.
 */
import { existsSync } from 'node:fs';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import {
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { type Clock, systemClock } from '../clock.ts';
import type { DatabaseHandle } from '../db/client.ts';
import { tooManyRequests } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { OutboundClient } from '../outbound/http-client.ts';
import { WEB_BUILD } from '../paths.ts';
import { sha256 } from '../services/auth.service.ts';
import type { ServiceContext, SessionPolicy } from '../services/context.ts';
import type { WebhookSending } from '../services/webhook-deliveries.service.ts';
import { registerAuth, SESSION_COOKIE } from './plugins/auth.ts';
import {
  clientErrorHandler,
  frameworkErrors,
  notFoundProblem,
  registerErrorHandling,
  sendProblem,
} from './plugins/errors.ts';
import { registerOpenApi } from './plugins/openapi.ts';
import { RequestLog } from './plugins/request-log.ts';
import { registerTextInputCheck } from './plugins/text-input.ts';
import { agentsRoutes } from './routes/agents.routes.ts';
import { authRoutes } from './routes/auth.routes.ts';
import { callLogsRoutes } from './routes/call-logs.routes.ts';
import { campaignsRoutes } from './routes/campaigns.routes.ts';
import { contactsRoutes } from './routes/contacts.routes.ts';
import { dashboardRoutes } from './routes/dashboard.routes.ts';
import { dncRoutes } from './routes/dnc.routes.ts';
import { eventsRoutes } from './routes/events.routes.ts';
import { exportsRoutes } from './routes/exports.routes.ts';
import { followUpsRoutes } from './routes/follow-ups.routes.ts';
import { healthRoutes } from './routes/health.routes.ts';
import { importsRoutes } from './routes/imports.routes.ts';
import { metricsRoutes } from './routes/metrics.routes.ts';
import { providersRoutes } from './routes/providers.routes.ts';
import { settingsRoutes } from './routes/settings.routes.ts';
import { usersRoutes } from './routes/users.routes.ts';
import { type VoicePlatformOptions, voicePlatformRoutes } from './routes/voice-platform.routes.ts';
import { type VoiceWebhookOptions, voiceWebhooksRoutes } from './routes/voice-webhooks.routes.ts';
import { webhookDeliveriesRoutes } from './routes/webhook-deliveries.routes.ts';
import { webhookEndpointsRoutes } from './routes/webhook-endpoints.routes.ts';

export interface AppOptions {
  handle: DatabaseHandle;
  logger: Logger | false;
  clock?: Clock;
  /** The built web app (index.html and assets); a placeholder page is served without it. */
  webRoot?: string;
  /** Check every response against its schema (default: under the test runner only). */
  validateResponses?: boolean;
  /** Sign-in attempts allowed per 15 minutes, per email and per client address. */
  loginLimits?: { perEmail: number; perIp: number };
  /** FOLLOWTHROUGH_VOICE_SECRET: verifies voice provider callbacks. */
  voiceSecret?: string | undefined;
  /** The voice platforms' webhook secrets (RETELL_API_KEY, …). */
  voicePlatforms?: VoiceWebhookOptions;
  /** Settings › Voice platform: this server's call provider and its credentials. */
  voicePlatform?: VoicePlatformOptions;
  /** CSV imports: where uploads are kept while they run, the largest accepted, the quota. */
  imports?: { dir?: string; maxBytes?: number; quota?: { files: number; bytes: number } };
  /** FOLLOWTHROUGH_ALLOW_PRIVATE_WEBHOOKS: test events and redeliveries to private targets. */
  allowPrivateWebhooks?: boolean;
  /** Tests: the outbound client test events and redeliveries go through (a stand-in). */
  outbound?: OutboundClient;
  /** FOLLOWTHROUGH_SESSION_IDLE_MINUTES and _LIFETIME_MINUTES (default 7 and 30 days). */
  sessions?: SessionPolicy;
  /** Live streams ping, and check their access again, this often (default 15 s). */
  liveHeartbeatMs?: number;
  /**
   * FOLLOWTHROUGH_TRUST_PROXY: whose X-Forwarded-For / -Proto to believe (default: nobody's, the
   * client address is the peer of the connection): a hop count, or proxy addresses and CIDRs.
   */
  trustProxy?: false | number | string[];
  /**
   * FOLLOWTHROUGH_API_RATE_LIMIT: requests a minute per API key and per session (429 with
   * Retry-After beyond it). Off unless given.
   */
  apiRateLimit?: { perMinute: number } | false;
  /** FOLLOWTHROUGH_METRICS_TOKEN: GET /metrics on this port needs it as a Bearer token. */
  metricsToken?: string | undefined;
  /** FOLLOWTHROUGH_PUBLIC_URL: an https address makes the session cookie Secure always. */
  publicUrl?: string | undefined;
}

export type App = ReturnType<typeof withZod>;
const withZod = (app: FastifyInstance) => app.withTypeProvider<ZodTypeProvider>();

export interface RouteDeps {
  ctx: ServiceContext;
  handle: DatabaseHandle;
  /** Sign-in attempts allowed per 15 minutes, per email and per client address. */
  loginLimits: { perEmail: number; perIp: number };
  webhooks: WebhookSending;
  liveHeartbeatMs?: number | undefined;
  /** The session cookie is Secure always (an https public URL), else on https requests. */
  secureCookies: boolean;
}

/**
 * @fastify/rate-limit, once for the API: with a limit, every request made with an API key or a
 * session is counted per key and per session, after sign-in is checked (requests without either —
 * health, sign-in, provider callbacks — are not counted here: sign-in has limits of its own, made
 * with the same plugin's `createRateLimit`).
 */
async function registerRateLimit(
  api: FastifyInstance,
  limit: { perMinute: number } | false | undefined,
): Promise<void> {
  await api.register(fastifyRateLimit, {
    global: Boolean(limit),
    hook: 'preHandler',
    max: limit ? limit.perMinute : 0,
    timeWindow: 60_000,
    cache: 50_000,
    allowList: (request) => request.actor === null,
    keyGenerator: (request) => {
      const actor = request.actor;
      if (!actor) return `ip:${request.ip}`; // not counted: see allowList
      if (actor.kind === 'api_key') return `key:${actor.id}`;
      return `session:${sha256(request.cookies[SESSION_COOKIE] ?? actor.id)}`;
    },
    errorResponseBuilder: (_request, context) =>
      tooManyRequests(
        `Too many requests for this API key or session (at most ${context.max} a minute). ` +
          `Try again in ${context.after}.`,
      ),
  });
}

/** The web app's Content-Security-Policy (helmet's defaults, with these). */
const WEB_CSP = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'connect-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'object-src': ["'none'"],
  'frame-ancestors': ["'none'"],
  'form-action': ["'self'"],
  // Plain http on a development machine: do not rewrite the app's own requests to https.
  'upgrade-insecure-requests': null,
};

const DOCS_CSP = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
].join('; ');

export const DEFAULT_WEB_ROOT = WEB_BUILD;

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const bodyLimit = 1024 * 1024;
  const proxies = options.trustProxy ?? false;
  // A hop count trusts that many proxies nearest to the server.
  const trustProxy: FastifyServerOptions['trustProxy'] =
    typeof proxies === 'number' ? (_address, hop) => hop < proxies : proxies;
  const app = (
    options.logger
      ? Fastify({
          loggerInstance: options.logger,
          logController: new RequestLog(),
          bodyLimit,
          trustProxy,
          frameworkErrors,
          clientErrorHandler,
        })
      : Fastify({ logger: false, bodyLimit, trustProxy, frameworkErrors, clientErrorHandler })
  ) as FastifyInstance;
  app.setValidatorCompiler(validatorCompiler);
  // Responses are checked against their schemas in tests; in production they are only
  // stringified (checking every row of every list costs more than the query).
  const validateResponses = options.validateResponses ?? process.env.VITEST !== undefined;
  app.setSerializerCompiler(
    validateResponses ? serializerCompiler : () => (data: unknown) => JSON.stringify(data),
  );
  registerErrorHandling(app);
  registerTextInputCheck(app);

  const ctx: ServiceContext = {
    db: options.handle.db,
    clock: options.clock ?? systemClock,
    ...(options.sessions ? { sessions: options.sessions } : {}),
  };
  const deps: RouteDeps = {
    ctx,
    handle: options.handle,
    loginLimits: options.loginLimits ?? { perEmail: 10, perIp: 50 },
    liveHeartbeatMs: options.liveHeartbeatMs,
    webhooks: {
      allowPrivate: options.allowPrivateWebhooks ?? false,
      ...(options.outbound ? { outbound: options.outbound } : {}),
    },
    secureCookies: options.publicUrl?.startsWith('https:') ?? false,
  };

  await app.register(fastifyHelmet, {
    // The web app runs only its own scripts: no inline or remote script, no eval.
    contentSecurityPolicy: { useDefaults: true, directives: WEB_CSP },
    crossOriginEmbedderPolicy: false,
  });
  // The API reference at /docs runs its own inline scripts and styles: a policy of its own.
  app.addHook('onSend', async (request, reply) => {
    if (request.url === '/docs' || request.url.startsWith('/docs/')) {
      reply.header('content-security-policy', DOCS_CSP);
    }
  });
  await app.register(fastifyCookie);
  registerAuth(app, ctx);
  await registerOpenApi(app);

  await app.register(
    async (api) => {
      await registerRateLimit(api, options.apiRateLimit);
      const z = withZod(api);
      healthRoutes(z, deps);
      authRoutes(z, deps);
      agentsRoutes(z, deps);
      contactsRoutes(z, deps);
      campaignsRoutes(z, deps);
      callLogsRoutes(z, deps);
      dncRoutes(z, deps);
      dashboardRoutes(z, deps);
      followUpsRoutes(z, deps);
      webhookEndpointsRoutes(z, deps);
      webhookDeliveriesRoutes(z, deps);
      usersRoutes(z, deps);
      settingsRoutes(z, deps);
      voicePlatformRoutes(z, deps, options.voicePlatform);
      eventsRoutes(z, deps);
      exportsRoutes(z, deps);
      providersRoutes(z, deps, { voiceSecret: options.voiceSecret });
      voiceWebhooksRoutes(z, deps, options.voicePlatforms ?? {});
      importsRoutes(z, deps, options.imports);
    },
    { prefix: '/api' },
  );
  metricsRoutes(app, deps, { token: options.metricsToken });

  await registerWeb(app, options.webRoot ?? DEFAULT_WEB_ROOT);
  return app;
}

async function registerWeb(app: FastifyInstance, webRoot: string): Promise<void> {
  const built = existsSync(`${webRoot}/index.html`);
  if (built) {
    await app.register(fastifyStatic, { root: webRoot, wildcard: false });
  } else {
    app.get('/', { config: { access: 'public' } }, async (_request, reply) =>
      reply.type('text/html').send(PLACEHOLDER),
    );
  }
  // Pages of the web app are routed in the browser: any other GET outside /api gets the app.
  app.setNotFoundHandler((request, reply) => {
    if (built && request.method === 'GET' && !request.url.startsWith('/api/')) {
      return reply.sendFile('index.html');
    }
    return sendProblem(reply, notFoundProblem(request.method, request.url));
  });
}

const PLACEHOLDER = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Followthrough</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#1f2937}
code{background:#f3f4f6;padding:.1rem .3rem;border-radius:.25rem}</style></head>
<body><h1>Followthrough</h1>
<p>The server is running. The web app is not built yet; the API is described at
<a href="/docs">/docs</a> and answers at <a href="/api/health"><code>/api/health</code></a>.</p>
</body></html>`;
