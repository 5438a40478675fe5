/**
 * followthrough serve | worker | migrate | seed | import-contacts
 */
import { Command, InvalidArgumentError } from 'commander';
import { parseMappingOption } from '../core/import-mapping.ts';
import { bootstrap } from './bootstrap.ts';
import { systemClock } from './clock.ts';
import { type Config, ConfigError, loadConfig } from './config.ts';
import { type DatabaseHandle, DatabaseLockedError, openDatabase } from './db/client.ts';
import { seedDemo } from './db/seed/demo.ts';
import { seedVolume } from './db/seed/volume.ts';
import { createChannels } from './engine/channels/channels.ts';
import { startEngine } from './engine/engine.ts';
import { runSeededCalls } from './engine/seeded-calls.ts';
import { buildApp } from './http/app.ts';
import { createLogger } from './logger.ts';
import { startMetricsServer } from './metrics.ts';
import { generatePassword } from './passwords.ts';
import { progressBar } from './progress.ts';
import { defaultErrorsPath, ImportFileError, importFile } from './services/imports/import-file.ts';

const program = new Command()
  .name('followthrough')
  .description('The follow-up engine for outbound calling teams that work with AI voice agents.')
  .showHelpAfterError();

program
  .command('serve')
  .description(
    'Start the web app and the API. Without DATABASE_URL it also runs the engine on the ' +
      'embedded database and, on first start, loads the demo workspace.',
  )
  .action(async () => {
    const config = readConfig();
    const logger = createLogger(config.logLevel);
    const handle = await open(config);
    await handle.migrate();
    const signIn = await bootstrap(handle, config, systemClock);
    const app = await buildApp({
      handle,
      logger,
      voiceSecret: config.voice.secret,
      voicePlatforms: {
        retellApiKey: config.retell.apiKey,
        vapiSecret: config.vapi.webhookSecret,
      },
      allowPrivateWebhooks: config.allowPrivateWebhooks,
    });
    const engine =
      handle.kind === 'pglite'
        ? startEngine({
            handle,
            clock: systemClock,
            logger,
            channels: createChannels({ db: handle.db, clock: systemClock, logger, config }),
            batchSize: config.engine.batchSize,
            callLeaseSeconds: config.engine.callLeaseSeconds,
            pollMs: config.engine.pollMs,
          })
        : null;
    // The demo's calls in progress end as simulated calls within seconds.
    const seeded =
      config.providers.call === 'simulator'
        ? await runSeededCalls({ db: handle.db, clock: systemClock, logger })
        : null;
    onShutdown(async () => {
      seeded?.stop();
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
  });

program
  .command('worker')
  .description(
    'Run the engine alone (scheduler, dispatcher, reaper). Any number may run at once on PostgreSQL.',
  )
  .action(async () => {
    const config = readConfig();
    const logger = createLogger(config.logLevel);
    const handle = await open(config);
    await handle.migrate();
    const engine = startEngine({
      handle,
      clock: systemClock,
      logger,
      channels: createChannels({ db: handle.db, clock: systemClock, logger, config }),
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
  });

program
  .command('migrate')
  .description('Apply the database migrations and exit.')
  .action(async () => {
    const config = readConfig();
    const handle = await open(config);
    try {
      await handle.migrate();
      console.log(`Migrations applied to ${handle.location}.`);
    } finally {
      await handle.close();
    }
  });

program
  .command('seed')
  .description(
    'Load the demo workspace "Demo Co"; with --contacts/--follow-ups, load volume for benchmarks.',
  )
  .option('--seed <n>', 'random seed: the same seed gives the same data', positiveInt, 42)
  .option('--workspace <name>', 'workspace to load volume into (created when missing)', 'Bench Co')
  .option('--contacts <n>', 'number of contacts to add (volume)', positiveInt)
  .option('--follow-ups <n>', 'number of follow-ups to add (volume)', positiveInt)
  .option('--agents <n>', 'agents in a new volume workspace', positiveInt, 20)
  .option('--campaigns <n>', 'campaigns in a new volume workspace', positiveInt, 50)
  .action(async (opts) => {
    const config = readConfig();
    const handle = await open(config);
    try {
      await handle.migrate();
      if (opts.contacts === undefined && opts.followUps === undefined) {
        const password = config.adminPassword ?? generatePassword();
        const result = await seedDemo(handle.db, {
          seed: opts.seed,
          now: systemClock.now(),
          adminEmail: config.adminEmail,
          adminPassword: password,
        });
        console.log(
          result.created
            ? `Loaded the demo workspace "Demo Co". Sign in as ${result.adminEmail} / ${password}`
            : 'The demo workspace "Demo Co" is already there; nothing changed.',
        );
        return;
      }
      const followUps = opts.followUps ?? 0;
      const contacts = opts.contacts ?? Math.max(1, Math.ceil(followUps / 10));
      const bar = progressBar();
      const result = await seedVolume(handle.db, {
        workspace: opts.workspace,
        contacts,
        followUps,
        agents: opts.agents,
        campaigns: opts.campaigns,
        seed: opts.seed,
        now: systemClock.now(),
        onProgress: bar.update,
      });
      bar.stop();
      console.log(
        `Loaded ${result.contacts.toLocaleString('en-US')} contacts and ` +
          `${result.followUps.toLocaleString('en-US')} follow-ups into "${opts.workspace}" ` +
          `in ${result.seconds.toFixed(1)} s.`,
      );
    } finally {
      await handle.close();
    }
  });

program
  .command('import-contacts')
  .description(
    'Import contacts from a CSV file (with --dnc: phones for the Do Not Call list). Rows are ' +
      'matched by phone: a second run of the same file changes nothing.',
  )
  .argument('<file>', 'the CSV file; its first row names the columns')
  .requiredOption(
    '--map <pairs>',
    'columns → fields, e.g. "Phone=phone,First name=firstName,Plan=custom:plan" ' +
      '(fields: phone, firstName, lastName, email, company, timezone, custom:<key>; with --dnc: phone, reason)',
  )
  .option('--workspace <name>', 'the workspace to import into (needed when there are several)')
  .option('--dnc', 'put the phones on the Do Not Call list instead')
  .option('--errors <path>', 'where to write the error report (default: FILE-errors.csv)')
  .action(async (file: string, opts) => {
    let mapping: Record<string, string>;
    try {
      mapping = parseMappingOption(opts.map);
    } catch (error) {
      fail(`--map: ${(error as Error).message} Write it as "Column=field,Other column=field".`);
    }
    const config = readConfig();
    const handle = await open(config);
    const bar = progressBar();
    try {
      await handle.migrate();
      const result = await importFile(
        { db: handle.db, clock: systemClock },
        {
          file,
          kind: opts.dnc ? 'dnc' : 'contacts',
          mapping,
          workspace: opts.workspace,
          errorsPath: opts.errors ?? defaultErrorsPath(file),
          onProgress: (done, total) => bar.update(done, total, 'rows'),
        },
      );
      bar.stop();
      const n = (v: number) => v.toLocaleString('en-US');
      console.log(
        `Imported ${n(result.processed)} rows: created ${n(result.created)}, updated ` +
          `${n(result.updated)}, skipped ${n(result.skipped)} (unchanged), errors ${n(result.errors)}.`,
      );
      if (opts.dnc && result.failedFollowUps > 0) {
        console.log(
          `Failed ${n(result.failedFollowUps)} open call and SMS follow-ups (Do Not Call).`,
        );
      }
      if (result.errorsPath) console.log(`Error report: ${result.errorsPath}`);
    } catch (error) {
      bar.stop();
      if (error instanceof ImportFileError) fail(error.message);
      throw error;
    } finally {
      await handle.close();
    }
  });

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number ≥ 1.');
  return n;
}

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
}

async function open(config: Config): Promise<DatabaseHandle> {
  try {
    return await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  } catch (error) {
    if (error instanceof DatabaseLockedError) fail(error.message);
    fail(`Could not open the database: ${(error as Error).message}`);
  }
}

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

function onShutdown(close: () => Promise<void>): void {
  let closing = false;
  const handler = (signal: string) => {
    if (closing) return;
    closing = true;
    console.error(`\n${signal} received: shutting down…`);
    close().then(
      () => process.exit(0),
      (error) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
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
      : '  Password: the one printed on first start (set FOLLOWTHROUGH_ADMIN_PASSWORD to reset it)',
    '',
  ];
  console.log(lines.join('\n'));
}

await program.parseAsync(process.argv);
