/** `followthrough worker`: the engine alone; any number of them on PostgreSQL. */
import { systemClock } from '../clock.ts';
import { createChannels } from '../engine/channels/channels.ts';
import { startEngine } from '../engine/engine.ts';
import { createLogger } from '../logger.ts';
import { startMetricsServer } from '../metrics.ts';
import { onShutdown, open, readConfig, secretKeyOf } from './shared.ts';

export async function worker(): Promise<void> {
  const config = readConfig();
  const logger = createLogger(config.logLevel);
  const handle = await open(config);
  await handle.migrate();
  const secretKey = secretKeyOf(config, handle);
  const engine = startEngine({
    handle,
    clock: systemClock,
    logger,
    channels: createChannels({ db: handle.db, clock: systemClock, logger, config, secretKey }),
    batchSize: config.engine.batchSize,
    callLeaseSeconds: config.engine.callLeaseSeconds,
    pollMs: config.engine.pollMs,
  });
  const metrics =
    config.metricsPort === undefined
      ? null
      : await startMetricsServer({
          db: handle.db,
          port: config.metricsPort,
          host: config.host,
          onError: (error) => logger.warn({ err: error }, 'metrics collection failed'),
        });
  if (metrics) logger.info({ port: metrics.port }, 'metrics on GET /metrics');
  // The engine's timers do not hold the process open; while the database is unreachable
  // (a restart) nothing else may, and the worker must wait for it, not exit.
  const keepAlive = setInterval(() => {}, 60_000);
  onShutdown(async () => {
    clearInterval(keepAlive);
    await metrics?.close();
    await engine.stop();
    await handle.close();
  });
}
