/** `followthrough serve`: the web app and the API; on the embedded database also the engine. */
import { bootstrap } from '../bootstrap.ts';
import { systemClock } from '../clock.ts';
import type { DatabaseHandle } from '../db/client.ts';
import { createChannels } from '../engine/channels/channels.ts';
import { startEngine } from '../engine/engine.ts';
import { runSeededCalls } from '../engine/seeded-calls.ts';
import { createLogger } from '../logger.ts';
import { startUploadSweep } from '../services/imports/upload-sweep.ts';
import { onShutdown, open, readConfig, secretKeyOf } from './shared.ts';

export async function serve(): Promise<void> {
  const config = readConfig();
  const logger = createLogger(config.logLevel);
  // The HTTP application's modules load while the database opens (PGlite compiles its
  // WebAssembly off the main thread).
  const appModule = import('../http/app.ts');
  const handle = await open(config);
  await handle.migrate();
  const secretKey = secretKeyOf(config, handle);
  const signIn = await bootstrap(handle, config, systemClock);
  const { buildApp } = await appModule;
  const app = await buildApp({
    handle,
    logger,
    sessions: config.sessions,
    imports: { dir: config.uploadDir, quota: config.uploadQuota },
    voiceSecret: config.voice.secret,
    voicePlatforms: {
      retellApiKey: config.retell.apiKey,
      vapiSecret: config.vapi.webhookSecret,
      twilioAuthToken: config.twilio.authToken,
      publicUrl: config.publicUrl,
      secretKey,
    },
    voicePlatform: {
      secretKey,
      provider: config.providers.call,
      publicUrl: config.publicUrl,
      retell: { apiKey: config.retell.apiKey, baseUrl: config.retell.baseUrl },
      vapi: { apiKey: config.vapi.apiKey, baseUrl: config.vapi.baseUrl },
      twilio: {
        accountSid: config.twilio.accountSid,
        authToken: config.twilio.authToken,
        apiBase: config.twilio.apiBase,
      },
    },
    allowPrivateWebhooks: config.allowPrivateWebhooks,
    trustProxy: config.trustProxy,
    publicUrl: config.publicUrl,
    metricsToken: config.metricsToken,
    apiRateLimit: config.apiRateLimit > 0 && { perMinute: config.apiRateLimit },
  });
  // METRICS_PORT: the metrics on a port of their own (kept off the public one).
  const metrics =
    config.metricsPort === undefined
      ? null
      : await (await import('../metrics.ts')).startMetricsServer({
          db: handle.db,
          port: config.metricsPort,
          host: config.host,
          onError: (error) => logger.warn({ err: error }, 'metrics collection failed'),
        });
  const engine =
    handle.kind === 'pglite'
      ? startEngine({
          handle,
          clock: systemClock,
          logger,
          channels: createChannels({
            db: handle.db,
            clock: systemClock,
            logger,
            config,
            secretKey,
          }),
          batchSize: config.engine.batchSize,
          callLeaseSeconds: config.engine.callLeaseSeconds,
          pollMs: config.engine.pollMs,
        })
      : null;
  // Uploads never started are deleted after 24 hours (checked every hour).
  const uploadSweep = startUploadSweep(
    { db: handle.db, clock: systemClock },
    config.uploadDir,
    (error) => logger.warn({ err: error }, 'deleting old uploads failed'),
  );
  // The demo's calls in progress end as simulated calls within seconds.
  const seeded =
    config.providers.call === 'simulator'
      ? await runSeededCalls({ db: handle.db, clock: systemClock, logger })
      : null;
  onShutdown(async () => {
    seeded?.stop();
    await uploadSweep.stop();
    await metrics?.close();
    await app.close();
    await engine?.stop();
    await handle.close();
  });
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    console.error(
      code === 'EADDRINUSE'
        ? `Port ${config.port} on ${config.host} is already in use. Stop what uses it or set PORT.`
        : `Could not start the server: ${(error as Error).message}`,
    );
    await engine?.stop();
    await handle.close();
    process.exit(1);
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  printBanner(url, handle, signIn);
}

function printBanner(
  url: string,
  handle: DatabaseHandle,
  signIn: Awaited<ReturnType<typeof bootstrap>>,
): void {
  const lines = [
    '',
    `  Followthrough is running at ${url}`,
    `  Database: ${handle.kind === 'pglite' ? 'embedded' : 'PostgreSQL'} (${handle.location})`,
    `  Sign in:  ${signIn.email}`,
    signIn.password
      ? `  Password: ${signIn.password}`
      : signIn.passwordFromEnvironment
        ? '  Password: the one in FOLLOWTHROUGH_ADMIN_PASSWORD'
        : '  Password: the one printed on first start (set FOLLOWTHROUGH_ADMIN_PASSWORD to reset it)',
    '',
  ];
  console.log(lines.join('\n'));
}
